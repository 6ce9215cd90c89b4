"""What customers see at an organization's site: events on sale online and their prices."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.utils import timezone

from ticketing.core.money import Money
from ticketing.events.models import Event, Zone
from ticketing.pricing.services import price_table

EVENTS_PER_PAGE = 12


@dataclass(frozen=True)
class ListedEvent:
    event: Event
    from_price: Money | None  # the lowest price on sale right now ("desde USD 20,00")


def events_on_sale_online():
    return (
        Event.objects.filter(status=Event.Status.ON_SALE, online_enabled=True, ends_at__gte=timezone.now())
        .select_related("venue")
        .order_by("starts_at")
    )


def lowest_price(event: Event) -> Money | None:
    zones = list(event.zones.all())
    if not zones:
        return None
    numbered = {zone.pk for zone in zones if zone.kind == Zone.Kind.NUMBERED}
    # A numbered zone sells by row: its base price alone is no seat's price when rows change it.
    prices = [
        quote.total
        for (zone_id, row), quote in price_table(event=event, zones=zones).items()
        if not (zone_id in numbered and row is None)
    ]
    return min(prices, key=lambda m: m.amount) if prices else None


def storefront_page(*, page_number=None) -> tuple[Page, list[ListedEvent]]:
    page = Paginator(events_on_sale_online(), EVENTS_PER_PAGE).get_page(page_number)
    return page, [ListedEvent(event=event, from_price=lowest_price(event)) for event in page.object_list]


def card_payments_are_simulated() -> bool:
    """Whether customers may pay by card online through the sandbox gateway, which charges no
    real money (payments.gateways: no real gateway is connected yet)."""
    from ticketing.payments.gateways import card_gateway

    from .services import online_settings

    return online_settings().card_enabled and card_gateway().name == "sandbox"


def rejection_reason(order) -> str:
    """Why staff rejected the order's reported payment (what its e-mail said), or ""."""
    from ticketing.sales.models import AuditEntry

    entry = AuditEntry.objects.filter(order=order, action="payment_rejected").order_by("-id").first()
    return (entry.data.get("reason") or "") if entry else ""
