from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from .models import Event, Seat, Zone

EVENTS_PAGE_SIZE = 20


def events_page(*, status: str = "", query: str = "", page_number=None) -> Page:
    events: QuerySet[Event] = Event.objects.select_related("venue").order_by("-starts_at")
    if status in Event.Status.values:
        events = events.filter(status=status)
    if query:
        events = events.filter(Q(name__icontains=query) | Q(venue__name__icontains=query))
    return Paginator(events, EVENTS_PAGE_SIZE).get_page(page_number)


def zones_with_counts(event: Event) -> list[Zone]:
    """The event's zones with their seat counts by status, in two queries."""
    zones = list(
        event.zones.annotate(
            # distinct: the tables join would otherwise multiply the seat counts.
            seat_total=Count("seats", distinct=True),
            seats_blocked=Count("seats", filter=Q(seats__status=Seat.Status.BLOCKED), distinct=True),
            seats_sold=Count("seats", filter=Q(seats__status=Seat.Status.SOLD), distinct=True),
            table_total=Count("tables", distinct=True),
        ).prefetch_related("row_prices")
    )
    return zones


def blocked_seats(event: Event) -> list[Seat]:
    return list(
        Seat.objects.filter(event=event, status=Seat.Status.BLOCKED)
        .select_related("zone")
        .order_by("zone__position", "row_index", "number")
    )
