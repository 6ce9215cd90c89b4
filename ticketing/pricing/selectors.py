"""What every sale prices with, read once and cached per event: the price stages, the row
pricing and the extra taxes.

A hold, a payment and a completion each need some of it, and it changes only when a manager edits
the event. It lives in a GenerationCache (core/generation_cache.py) that any save or delete of a
stage, a row range or a fee drops at once (signals in apps.py; the services that bulk_create call
`pricing_changed` themselves), and it is kept on the loaded event for the rest of the request.
"""

from dataclasses import dataclass
from decimal import Decimal

from ticketing.core.generation_cache import GenerationCache
from ticketing.events.models import Event, EventFee

from .models import PriceStage, RowPricing


@dataclass(frozen=True)
class EventPricing:
    stages: list[PriceStage]  # in sequence order
    row_prices: dict[int, list[RowPricing]]  # by zone id
    fees: list[tuple[str, Decimal]]  # (name, percent) in the order they were added


_cache = GenerationCache("event-pricing")


def _load(event_id: int) -> EventPricing:
    row_prices: dict[int, list[RowPricing]] = {}
    for row_price in RowPricing.objects.filter(zone__event_id=event_id):
        row_prices.setdefault(row_price.zone_id, []).append(row_price)
    return EventPricing(
        stages=list(PriceStage.objects.filter(event_id=event_id)),
        row_prices=row_prices,
        fees=[(fee.name, fee.rate_percent) for fee in EventFee.objects.filter(event_id=event_id)],
    )


def event_pricing(event: Event) -> EventPricing:
    if "_pricing" not in event.__dict__:
        event._pricing = _cache.get(event.pk, _load)
    return event._pricing


def pricing_changed(*, event: Event | None = None, **signal_kwargs) -> None:
    """Stages, row pricing or fees changed: drop the cached pricing (and `event`'s own copy)."""
    if event is not None:
        event.__dict__.pop("_pricing", None)
    _cache.changed()
