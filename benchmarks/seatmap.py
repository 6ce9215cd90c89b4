"""Seat map render time for a 10,000-seat event: what a view does (build_seat_map + SVG).

    .venv/bin/python benchmarks/seatmap.py

Uses (and creates once) the organization `bench` and, in it, an on-sale event with a numbered
zone of 100 rows × 100 seats, a general-admission zone and a price stage. Prints:

    seatmap_render_ms_p50: N
    seatmap_render_ms_p95: N
    seatmap_queries: N        (round trips, counting django-tenants' SET search_path)
"""

import os
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone, translation  # noqa: E402
from django_tenants.utils import tenant_context  # noqa: E402
from stdnum.ve import rif  # noqa: E402

from ticketing.events.models import Event, Seat, Zone  # noqa: E402
from ticketing.events.seatmap import build_seat_map, render_seat_map_svg  # noqa: E402
from ticketing.events.services import save_zone  # noqa: E402
from ticketing.organizations.models import Organization  # noqa: E402
from ticketing.organizations.services import create_organization, ensure_public_tenant  # noqa: E402
from ticketing.pricing.models import PriceStage, RowPricing  # noqa: E402
from ticketing.venues.models import Venue  # noqa: E402

SLUG = "bench"
EVENT_NAME = "Benchmark: 10.000 asientos"
RUNS = 30
ROWS, SEATS_PER_ROW = 100, 100


def bench_rif() -> str:
    """A valid RIF no other organization uses (J-4xxxxxxx, check digit computed)."""
    for number in range(49_000_001, 49_100_000):
        body = f"J{number}"
        candidate = f"J-{number}-{rif.calc_check_digit(body)}"
        if not Organization.objects.filter(rif=candidate).exists():
            return candidate
    raise RuntimeError("no free RIF for the benchmark organization")


def bench_organization(
    slug: str = SLUG, owner: tuple[str, str] = ("owner@bench.test", "bench-password-2026")
) -> Organization:
    """The benchmark organization `slug`, created the first time with `owner` (e-mail, password)."""
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        ensure_public_tenant()
        organization = create_organization(
            name="Benchmark",
            slug=slug,
            rif=bench_rif(),
            fiscal_address="Caracas",
            owner_email=owner[0],
            owner_name="Benchmark",
            owner_password=owner[1],
        ).organization
    return organization


@transaction.atomic
def bench_event() -> Event:
    event = Event.objects.filter(name=EVENT_NAME).first()
    if event is not None and Seat.objects.filter(event=event).count() == ROWS * SEATS_PER_ROW:
        return event
    if event is not None:
        event.delete()
    venue, _ = Venue.objects.get_or_create(
        name="Poliedro de Caracas", city="Caracas", defaults={"address": "La Rinconada", "capacity": 20000}
    )
    starts = timezone.now() + timedelta(days=60)
    event = Event.objects.create(
        venue=venue, name=EVENT_NAME, starts_at=starts, ends_at=starts + timedelta(hours=4), status="on_sale"
    )
    platea = save_zone(
        zone=Zone(
            event=event,
            name="Platea",
            kind=Zone.Kind.NUMBERED,
            base_price=Decimal("30.00"),
            rows=ROWS,
            seats_per_row=SEATS_PER_ROW,
        )
    )
    save_zone(
        zone=Zone(
            event=event, name="Pista", kind=Zone.Kind.GENERAL, base_price=Decimal("20.00"), capacity=3000
        )
    )
    RowPricing.objects.create(zone=platea, first_row=1, last_row=10, percent=Decimal("20"))
    PriceStage.objects.create(event=event, name="Regular", sequence=1, markup_percent=Decimal("0"))
    # Some of every status, as on a real night.
    ids = list(Seat.objects.filter(event=event).order_by("pk").values_list("pk", flat=True))
    Seat.objects.filter(pk__in=ids[::7]).update(status=Seat.Status.SOLD)
    Seat.objects.filter(pk__in=ids[3::29]).update(status=Seat.Status.HELD)
    Seat.objects.filter(pk__in=ids[5::97]).update(status=Seat.Status.BLOCKED, block_reason="Cámara")
    return event


def main() -> None:
    organization = bench_organization()
    with tenant_context(organization), translation.override("es"):
        event = bench_event()
        render_seat_map_svg(build_seat_map(event))  # warm up: connection, translations, imports
        timings, queries = [], 0
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                render_seat_map_svg(build_seat_map(event))
                timings.append((time.perf_counter() - started) * 1000)
            queries = max(queries, len(captured))
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    print(f"seatmap_render_ms_p50: {statistics.median(timings):.1f}")
    print(f"seatmap_render_ms_p95: {p95:.1f}")
    print(f"seatmap_queries: {queries}")


if __name__ == "__main__":
    main()
