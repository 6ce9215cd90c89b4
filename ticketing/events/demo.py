"""A sellable demo event for `make run`: numbered, general-admission and table zones, two price
stages and front-row pricing. Idempotent."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ticketing.pricing import services as pricing
from ticketing.venues.models import Venue

from . import services
from .models import Event, Zone

DEMO_EVENT_NAME = "Concierto de Gala — Orquesta Sinfónica Demo"


@transaction.atomic
def ensure_demo_event() -> Event:
    existing = Event.objects.filter(name=DEMO_EVENT_NAME).first()
    if existing:
        return existing
    venue, _ = Venue.objects.get_or_create(
        name="Teatro Municipal Demo",
        city="Caracas",
        defaults={"address": "Av. Universidad, esquina El Conde", "capacity": 1500},
    )
    starts = (timezone.localtime() + timedelta(days=30)).replace(hour=19, minute=0, second=0, microsecond=0)
    event = services.save_event(
        event=Event(
            venue=venue,
            name=DEMO_EVENT_NAME,
            description="Evento de demostración: zonas numeradas, pista y mesas VIP.",
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
        )
    )
    platea = services.save_zone(
        zone=Zone(
            event=event,
            name="Platea",
            kind=Zone.Kind.NUMBERED,
            base_price=Decimal("40.00"),
            rows=20,
            seats_per_row=30,
            numbering=Zone.Numbering.ODD_EVEN,
            color="#2563eb",
            row_seat_overrides={"1": 24, "2": 26},
        )
    )
    services.save_zone(
        zone=Zone(
            event=event,
            name="Mesas VIP",
            kind=Zone.Kind.TABLES,
            base_price=Decimal("80.00"),
            tables_count=8,
            chairs_per_table=6,
            tables_sold_whole=True,
            color="#9333ea",
        )
    )
    services.save_zone(
        zone=Zone(
            event=event,
            name="Pista",
            kind=Zone.Kind.GENERAL,
            base_price=Decimal("25.00"),
            capacity=500,
            color="#f97316",
            width=420,
            height=120,
        )
    )
    pricing.replace_price_stages(
        event=event,
        stages=[
            pricing.StageInput(
                name="Preventa",
                starts_at=None,
                ends_at=starts - timedelta(days=7),
                quantity_limit=200,
                markup_percent=Decimal("-20"),
            ),
            pricing.StageInput(
                name="Regular", starts_at=None, ends_at=None, quantity_limit=None, markup_percent=Decimal("0")
            ),
        ],
    )
    pricing.replace_row_pricing(
        zone=platea, ranges=[pricing.RowRangeInput(first_row=1, last_row=3, percent=Decimal("20"))]
    )
    seat_ids = list(platea.seats.filter(row_index=10, number__in=[1, 2]).values_list("pk", flat=True))
    services.block_seats(event=event, seat_ids=seat_ids, reason="Consola de sonido")
    services.change_event_status(event=event, status=Event.Status.ON_SALE)
    return event
