from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from ticketing.core.sql import fetch_instances, select_list

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


def places_in(zones: list[Zone]) -> int:
    """How many people `zones` (from zones_with_counts) hold: seats and chairs, and each general
    admission's capacity."""
    return sum((zone.capacity or 0) if zone.kind == Zone.Kind.GENERAL else zone.seat_total for zone in zones)


def blocked_seats(event: Event) -> list[Seat]:
    return list(
        Seat.objects.filter(event=event, status=Seat.Status.BLOCKED)
        .select_related("zone")
        .order_by("zone__position", "row_index", "number")
    )


def event_with_zones(pk: int) -> Event:
    """The event with its zones, as `event.zones.all()` then returns them without another query,
    in one statement written out (core.sql): every hold at the counter reads them, and the ORM
    (a get and a prefetch) took several times longer than PostgreSQL. Raises Event.DoesNotExist."""
    rows = fetch_instances(
        f"SELECT {select_list(Event, 'e')}, {select_list(Zone, 'z')} FROM {Event._meta.db_table} e "
        f"LEFT JOIN {Zone._meta.db_table} z ON z.event_id = e.id WHERE e.id = %s "
        "ORDER BY z.position, z.id",  # Zone's own ordering
        [pk],
        (Event, "e"),
        (Zone, "z"),
    )
    if not rows:
        raise Event.DoesNotExist
    event = rows[0][0]
    zones = [zone for _event, zone in rows if zone is not None]
    for zone in zones:
        zone.event = event
    # What prefetch_related("zones") leaves behind (Django's prefetch_one_level does the same).
    prefetched = event.zones.all()
    prefetched._result_cache, prefetched._prefetch_done = zones, True
    event._prefetched_objects_cache = {"zones": prefetched}
    return event


def currencies_on_sale() -> set[str]:
    """The currencies the events on sale are priced in: the BCV rates selling needs today."""
    return set(
        Event.objects.filter(status=Event.Status.ON_SALE).values_list("currency", flat=True).distinct()
    )
