"""The pricing engine: base price per zone, sequential price stages, row pricing, rounding.

price = base + base × stage% + base × row%, rounded half-up to 2 decimals in the event's currency.
"""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from ticketing.core.money import Money
from ticketing.events import services as events
from ticketing.events.models import Event, Seat, Zone
from ticketing.pricing import services as pricing
from ticketing.pricing.models import PriceStage, RowPricing
from ticketing.pricing.services import RowRangeInput, StageInput
from ticketing.venues.models import Venue

CARACAS = ZoneInfo("America/Caracas")
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=CARACAS)
EVENT_DAY = datetime(2027, 1, 15, 20, 0, tzinfo=CARACAS)


def dec(value: str) -> Decimal:
    return Decimal(value)


def usd(amount: str) -> Money:
    return Money(Decimal(amount), "USD")


# --- Small factories ----------------------------------------------------------------------------


def make_event(**fields) -> Event:
    venue, _ = Venue.objects.get_or_create(
        name="Teatro Teresa Carreño", city="Caracas", defaults={"address": "Los Caobos", "capacity": 2000}
    )
    values = {
        "venue": venue,
        "name": "Concierto de Navidad",
        "starts_at": EVENT_DAY,
        "ends_at": EVENT_DAY + timedelta(hours=3),
        "status": Event.Status.ON_SALE,
        "currency": "USD",
    }
    return events.save_event(event=Event(**(values | fields)))


def make_numbered_zone(event: Event, *, name="Platea", base="30.00", rows=5, seats_per_row=6) -> Zone:
    zone = Zone(
        event=event,
        name=name,
        kind=Zone.Kind.NUMBERED,
        base_price=dec(base),
        rows=rows,
        seats_per_row=seats_per_row,
    )
    return events.save_zone(zone=zone)


def make_general_zone(event: Event, *, name="General", base="20.00", capacity=100) -> Zone:
    zone = Zone(event=event, name=name, kind=Zone.Kind.GENERAL, base_price=dec(base), capacity=capacity)
    return events.save_zone(zone=zone)


def stage(name, markup, *, starts_at=None, ends_at=None, quantity_limit=None) -> StageInput:
    return StageInput(
        name=name,
        starts_at=starts_at,
        ends_at=ends_at,
        quantity_limit=quantity_limit,
        markup_percent=dec(markup),
    )


def sell_seats(zone: Zone, count: int, status=Seat.Status.SOLD) -> list[int]:
    """Mark `count` available seats as sold (what the sales service will do on payment)."""
    ids = list(
        Seat.objects.filter(zone=zone, status=Seat.Status.AVAILABLE)
        .order_by("row_index", "number")
        .values_list("pk", flat=True)[:count]
    )
    Seat.objects.filter(pk__in=ids).update(status=status)
    return ids


def sell_general(zone: Zone, count: int) -> None:
    Zone.objects.filter(pk=zone.pk).update(sold_count=count)


@pytest.fixture
def event(in_acme) -> Event:
    return make_event()


@pytest.fixture
def platea(event) -> Zone:
    return make_numbered_zone(event)


@pytest.fixture
def general(event) -> Zone:
    return make_general_zone(event)


# --- Base, stage and row ------------------------------------------------------------------------


def test_without_stages_or_row_prices_a_seat_costs_its_zone_base_price(platea, general):
    quote = pricing.quote_price(zone=platea, row_index=3)

    assert quote.total == usd("30.00")
    assert quote.base == usd("30.00")
    assert quote.stage is None
    assert quote.stage_amount == usd("0.00")
    assert quote.row_amount == usd("0.00")
    assert pricing.quote_price(zone=general).total == usd("20.00")


def test_a_stage_markup_adds_its_percentage_of_the_base(event, platea, general):
    (regular,) = pricing.replace_price_stages(event=event, stages=[stage("Regular", "25")])

    quote = pricing.quote_price(zone=platea, row_index=3)

    assert quote.stage == regular
    assert quote.stage_percent == dec("25")
    assert quote.stage_amount == usd("7.50")
    assert quote.total == usd("37.50")
    assert pricing.quote_price(zone=general).total == usd("25.00")


def test_an_early_bird_stage_with_a_negative_markup_lowers_the_price(event, platea, general):
    pricing.replace_price_stages(event=event, stages=[stage("Preventa", "-20")])

    quote = pricing.quote_price(zone=platea, row_index=1)

    assert quote.stage.name == "Preventa"
    assert quote.stage_amount == usd("-6.00")
    assert quote.total == usd("24.00")
    assert pricing.quote_price(zone=general).total == usd("16.00")


def test_row_pricing_applies_only_to_its_rows(platea, general):
    pricing.replace_row_pricing(zone=platea, ranges=[RowRangeInput(1, 2, dec("20"))])

    front = pricing.quote_price(zone=platea, row_index=1)
    assert front.row_percent == dec("20")
    assert front.row_amount == usd("6.00")
    assert front.total == usd("36.00")
    assert pricing.quote_price(zone=platea, row_index=2).total == usd("36.00")
    assert pricing.quote_price(zone=platea, row_index=3).total == usd("30.00")
    assert pricing.quote_price(zone=platea, row_index=5).total == usd("30.00")
    assert pricing.quote_price(zone=general).total == usd("20.00")


def test_stage_and_row_percentages_are_both_taken_from_the_base_not_compounded(event, platea):
    pricing.replace_price_stages(event=event, stages=[stage("Regular", "25")])
    pricing.replace_row_pricing(zone=platea, ranges=[RowRangeInput(1, 2, dec("20"))])

    quote = pricing.quote_price(zone=platea, row_index=1)

    # 30 + 7.50 + 6.00; compounding (30 × 1.25 × 1.20) would give 45.00.
    assert (quote.base, quote.stage_amount, quote.row_amount) == (usd("30.00"), usd("7.50"), usd("6.00"))
    assert quote.total == usd("43.50")


def test_an_early_bird_discount_and_a_front_row_markup_can_cancel_out(event, platea):
    pricing.replace_price_stages(event=event, stages=[stage("Preventa", "-20")])
    pricing.replace_row_pricing(zone=platea, ranges=[RowRangeInput(1, 1, dec("20"))])

    quote = pricing.quote_price(zone=platea, row_index=1)

    assert (quote.stage_amount, quote.row_amount, quote.total) == (usd("-6.00"), usd("6.00"), usd("30.00"))


# --- Rounding and currency ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "markup", "total"),
    [
        ("10.05", "5", "10.55"),  # 10.5525
        ("10.10", "5", "10.61"),  # exactly 10.605: half-up, not to even (10.60)
        ("10.30", "5", "10.82"),  # exactly 10.815
        ("10.10", "-5", "9.60"),  # 9.595
        ("33.33", "-33.33", "22.22"),  # 22.221111
    ],
)
def test_the_total_is_rounded_half_up_to_cents(event, base, markup, total):
    zone = make_general_zone(event, base=base)
    pricing.replace_price_stages(event=event, stages=[stage("Etapa", markup)])

    assert pricing.quote_price(zone=zone).total == usd(total)


def test_the_breakdown_shown_adds_up_to_the_total(event):
    zone = make_numbered_zone(event, base="10.05")
    pricing.replace_price_stages(event=event, stages=[stage("Etapa", "5")])
    pricing.replace_row_pricing(zone=zone, ranges=[RowRangeInput(1, 1, dec("5"))])

    quote = pricing.quote_price(zone=zone, row_index=1)

    # 10.05 + 0.5025 + 0.5025 = 11.055 → 11.06, rounded once; the parts shown still add up.
    assert quote.total == usd("11.06")
    assert quote.base.amount + quote.stage_amount.amount + quote.row_amount.amount == dec("11.06")


def test_prices_carry_the_event_currency(in_acme):
    event = make_event(currency="VES")
    zone = make_numbered_zone(event, base="1500.00")
    pricing.replace_price_stages(event=event, stages=[stage("Regular", "10")])

    quote = pricing.quote_price(zone=zone, row_index=1)

    assert quote.total == Money(dec("1650.00"), "VES")
    assert {quote.base.currency, quote.stage_amount.currency, quote.row_amount.currency} == {"VES"}
    with translation.override("es"):
        assert str(quote.total) == "Bs. 1.650,00"


# --- The active stage changes by itself ---------------------------------------------------------


def test_the_stage_changes_at_the_next_stage_start_time(event, platea):
    regular_starts = datetime(2026, 12, 10, tzinfo=CARACAS)
    pricing.replace_price_stages(
        event=event,
        stages=[
            stage("Preventa", "-20", ends_at=regular_starts),
            stage("Regular", "0", starts_at=regular_starts),
            stage("Taquilla", "25", starts_at=EVENT_DAY - timedelta(hours=2)),
        ],
    )

    with time_machine.travel(NOW, tick=False):
        assert pricing.quote_price(zone=platea, row_index=1).total == usd("24.00")
    with time_machine.travel(regular_starts - timedelta(seconds=1), tick=False):
        assert pricing.quote_price(zone=platea, row_index=1).stage.name == "Preventa"
    with time_machine.travel(regular_starts, tick=False):
        quote = pricing.quote_price(zone=platea, row_index=1)
        assert (quote.stage.name, quote.total) == ("Regular", usd("30.00"))
    with time_machine.travel(EVENT_DAY - timedelta(hours=1), tick=False):
        quote = pricing.quote_price(zone=platea, row_index=1)
        assert (quote.stage.name, quote.total) == ("Taquilla", usd("37.50"))
        assert pricing.current_stage(event).name == "Taquilla"


def test_a_stage_start_time_ends_the_previous_stage_even_if_not_sold_out(event, platea):
    regular_starts = datetime(2026, 12, 10, tzinfo=CARACAS)
    pricing.replace_price_stages(
        event=event,
        stages=[
            stage("Preventa", "-20", quantity_limit=200),
            stage("Regular", "10", starts_at=regular_starts),
        ],
    )
    sell_seats(platea, 3)

    with time_machine.travel(regular_starts - timedelta(minutes=1), tick=False):
        assert pricing.quote_price(zone=platea, row_index=1).stage.name == "Preventa"
    with time_machine.travel(regular_starts, tick=False):
        quote = pricing.quote_price(zone=platea, row_index=1)
        assert (quote.stage.name, quote.total) == ("Regular", usd("33.00"))


def test_the_stage_changes_when_its_quantity_sells_out(event, platea, general):
    pricing.replace_price_stages(
        event=event,
        stages=[stage("Preventa", "-20", quantity_limit=10), stage("Regular", "10")],
    )

    sell_seats(platea, 9)
    assert pricing.quote_price(zone=platea, row_index=1).stage.name == "Preventa"

    sell_general(general, 1)  # the 10th ticket, counted from general admission
    quote = pricing.quote_price(zone=platea, row_index=1)
    assert (quote.stage.name, quote.total) == ("Regular", usd("33.00"))
    assert pricing.quote_price(zone=general).total == usd("22.00")


def test_sales_are_counted_only_when_a_stage_has_a_quantity_limit(event, platea, django_assert_num_queries):
    regular_starts = datetime(2026, 12, 10, tzinfo=CARACAS)
    pricing.replace_price_stages(
        event=event, stages=[stage("Preventa", "-20"), stage("Regular", "10", starts_at=regular_starts)]
    )
    sell_seats(platea, 3)

    pricing.current_stage(event)  # the stages are read once, then come from the cache
    event = Event.objects.get(pk=event.pk)  # another request's event

    with time_machine.travel(regular_starts, tick=False), django_assert_num_queries(0):  # no count
        assert pricing.current_stage(event).name == "Regular"


def test_held_seats_are_not_sales_and_do_not_end_a_stage(event, platea):
    pricing.replace_price_stages(
        event=event,
        stages=[stage("Preventa", "-20", quantity_limit=5), stage("Regular", "0")],
    )

    sell_seats(platea, 4)
    sell_seats(platea, 10, status=Seat.Status.HELD)

    assert pricing.tickets_sold(event) == 4
    assert pricing.quote_price(zone=platea, row_index=1).stage.name == "Preventa"


def test_quantity_limits_are_a_running_total_across_stages(event, general):
    pricing.replace_price_stages(
        event=event,
        stages=[
            stage("Preventa 1", "-30", quantity_limit=10),
            stage("Preventa 2", "-15", quantity_limit=30),
            stage("Regular", "0"),
        ],
    )

    sell_general(general, 29)
    assert pricing.current_stage(event).name == "Preventa 2"
    sell_general(general, 30)
    assert pricing.current_stage(event).name == "Regular"


def test_with_no_stage_in_force_the_base_price_applies(event, platea):
    pricing.replace_price_stages(
        event=event,
        stages=[
            stage("Preventa", "-20", starts_at=datetime(2026, 12, 5, tzinfo=CARACAS), quantity_limit=100),
            stage("Regular", "10"),
        ],
    )

    # Before the first stage starts, later stages wait their turn.
    with time_machine.travel(NOW, tick=False):
        quote = pricing.quote_price(zone=platea, row_index=1)
        assert quote.stage is None
        assert quote.stage_amount == usd("0.00")
        assert quote.total == usd("30.00")
        assert pricing.current_stage(event) is None


def test_between_a_stage_end_and_the_next_start_the_base_price_applies(event, platea):
    pricing.replace_price_stages(
        event=event,
        stages=[
            stage("Preventa", "-20", ends_at=datetime(2026, 12, 10, tzinfo=CARACAS)),
            stage("Regular", "10", starts_at=datetime(2026, 12, 15, tzinfo=CARACAS)),
        ],
    )

    at = datetime(2026, 12, 12, tzinfo=CARACAS)
    quote = pricing.quote_price(zone=platea, row_index=1, at=at)
    assert (quote.stage, quote.total) == (None, usd("30.00"))


# --- The price table of the seat map ------------------------------------------------------------


def test_the_price_table_matches_quote_price_in_a_bounded_number_of_queries(
    event, platea, general, django_assert_max_num_queries
):
    big = make_numbered_zone(event, name="Balcón", base="18.50", rows=40, seats_per_row=10)
    pricing.replace_price_stages(event=event, stages=[stage("Preventa", "-20", quantity_limit=50)])
    pricing.replace_row_pricing(zone=platea, ranges=[RowRangeInput(1, 2, dec("20"))])
    pricing.replace_row_pricing(
        zone=big, ranges=[RowRangeInput(1, 5, dec("15")), RowRangeInput(30, 40, dec("-10"))]
    )
    zones = list(event.zones.all())

    # A few queries (the event's stages, row prices and fees, cached afterwards; the tickets sold
    # for the stage's limit) whatever the number of zones and rows.
    with django_assert_max_num_queries(8):
        table = pricing.price_table(event=event, zones=zones)

    expected_keys = (
        {(platea.id, None), (general.id, None), (big.id, None)}
        | {(platea.id, row) for row in range(1, 6)}
        | {(big.id, row) for row in range(1, 41)}
    )
    assert set(table) == expected_keys
    for (zone_id, row), quote in table.items():
        zone = next(z for z in zones if z.id == zone_id)
        assert quote == pricing.quote_price(zone=zone, row_index=row)
    assert table[(platea.id, 1)].total == usd("30.00")  # 30 - 6 + 6
    assert table[(big.id, 40)].total == usd("12.95")  # 18.50 - 3.70 - 1.85

    wanted = {(big.id, 40), (general.id, None)}
    few = pricing.price_table(event=event, zones=zones, only=wanted)
    assert wanted <= set(few) and (platea.id, 1) not in few and (big.id, 1) not in few
    assert few[(big.id, 40)] == table[(big.id, 40)] and few[(general.id, None)] == table[(general.id, None)]


# --- Validating price stages --------------------------------------------------------------------

DEC_1 = datetime(2026, 12, 1, tzinfo=CARACAS)
DEC_10 = datetime(2026, 12, 10, tzinfo=CARACAS)
DEC_20 = datetime(2026, 12, 20, tzinfo=CARACAS)


def test_a_sensible_schedule_is_accepted():
    pricing.validate_stages(
        [
            stage("Preventa", "-20", quantity_limit=200, ends_at=DEC_10),
            stage("Regular", "0", quantity_limit=900),
            stage("Última hora", "15", starts_at=DEC_20, ends_at=EVENT_DAY),
            stage("Taquilla", "25", starts_at=EVENT_DAY),
        ]
    )
    pricing.validate_stages([])


@pytest.mark.parametrize(
    ("stages", "message"),
    [
        ([stage("  ", "0")], "La etapa 1 no tiene nombre."),
        (
            [stage("Preventa", "-20", quantity_limit=10), stage("preventa", "0")],
            "Hay dos etapas llamadas «preventa».",
        ),
        (
            [stage("Preventa", "-20", quantity_limit=10), stage("x" * 101, "0")],
            "El nombre de la etapa 2 es muy largo (máximo 100 caracteres).",
        ),
        ([stage("Gratis", "-100")], "El recargo de «Gratis» debe ser mayor que -100 %."),
        ([stage("Regalo", "-150")], "El recargo de «Regalo» debe ser mayor que -100 %."),
        ([stage("Abuso", "1000.01")], "El recargo de «Abuso» no puede pasar de 1000 %."),
        ([stage("Raro", "12.345")], "El recargo de «Raro» admite hasta 2 decimales."),
        ([stage("Preventa", "-20", quantity_limit=0)], "La cantidad de «Preventa» debe ser al menos 1."),
        (
            [stage("Preventa", "-20", starts_at=DEC_10, ends_at=DEC_10)],
            "La etapa «Preventa» termina antes de empezar.",
        ),
        (
            [stage("Preventa", "-20", starts_at=DEC_10, ends_at=DEC_1)],
            "La etapa «Preventa» termina antes de empezar.",
        ),
        (
            [stage("Preventa", "-20", starts_at=DEC_10), stage("Regular", "0", starts_at=DEC_1)],
            "La etapa «Regular» empieza antes que «Preventa».",
        ),
        (
            [stage("Preventa", "-20", ends_at=DEC_20), stage("Regular", "0", starts_at=DEC_10)],
            "La etapa «Regular» empieza antes de que termine «Preventa».",
        ),
        (
            [stage("Preventa", "-20", starts_at=DEC_10), stage("Regular", "0", ends_at=DEC_1)],
            "La etapa «Regular» termina antes de que empiece «Preventa».",
        ),
        (
            [
                stage("Preventa", "-20", ends_at=DEC_20),
                stage("Preventa 2", "-10", ends_at=DEC_10),
                stage("Regular", "0", starts_at=DEC_20),
            ],
            "La etapa «Preventa 2» termina antes que «Preventa»: nunca se aplicaría.",
        ),
        (
            [stage("Preventa", "-20", quantity_limit=200), stage("Regular", "0", quantity_limit=150)],
            "La cantidad de «Regular» (150) debe superar la de «Preventa» (200).",
        ),
        (
            [
                stage("Preventa", "-20", quantity_limit=200),
                stage("Regular", "0", starts_at=DEC_10),
                stage("Tardía", "10", quantity_limit=200),
            ],
            "La cantidad de «Tardía» (200) debe superar la de «Preventa» (200).",
        ),
        (
            [stage("Preventa", "-20"), stage("Regular", "0")],
            "La etapa «Regular» nunca empezaría: «Preventa» no tiene fecha de fin ni cantidad.",
        ),
    ],
)
def test_a_schedule_that_is_not_a_sequence_is_rejected_with_a_clear_message(stages, message):
    with translation.override("es"), pytest.raises(ValidationError) as error:
        pricing.validate_stages(stages)

    assert message in error.value.messages


def test_every_problem_of_a_schedule_is_reported_at_once():
    with translation.override("es"), pytest.raises(ValidationError) as error:
        pricing.validate_stages([stage("", "-120"), stage("Regular", "0", starts_at=DEC_20, ends_at=DEC_10)])

    assert error.value.messages == [
        "La etapa 1 no tiene nombre.",
        "El recargo de «n.º 1» debe ser mayor que -100 %.",
        "La etapa «Regular» termina antes de empezar.",
    ]


def test_replacing_stages_saves_them_in_order_and_removes_the_old_ones(event):
    pricing.replace_price_stages(event=event, stages=[stage("Vieja", "5")])

    saved = pricing.replace_price_stages(
        event=event,
        stages=[stage(" Preventa ", "-20", quantity_limit=100), stage("Regular", "0", starts_at=DEC_20)],
    )

    stored = list(event.price_stages.order_by("sequence"))
    assert stored == saved
    assert [(s.sequence, s.name, s.quantity_limit, s.starts_at) for s in stored] == [
        (1, "Preventa", 100, None),
        (2, "Regular", None, DEC_20),
    ]
    assert stored[0].markup_percent == dec("-20")


def test_a_rejected_schedule_leaves_the_previous_one_untouched(event, platea):
    before = pricing.replace_price_stages(event=event, stages=[stage("Preventa", "-20", quantity_limit=10)])

    with pytest.raises(ValidationError):
        pricing.replace_price_stages(event=event, stages=[stage("Regular", "0"), stage("Taquilla", "25")])

    assert list(PriceStage.objects.filter(event=event)) == before
    assert pricing.quote_price(zone=platea, row_index=1).total == usd("24.00")


# --- Row pricing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ranges", "message"),
    [
        ([RowRangeInput(3, 7, dec("10"))], "Las filas C–G no existen: la zona «Platea» tiene las filas A–E."),
        ([RowRangeInput(0, 2, dec("10"))], "Las filas 0–B no existen: la zona «Platea» tiene las filas A–E."),
        ([RowRangeInput(6, 6, dec("10"))], "La fila F no existe: la zona «Platea» tiene las filas A–E."),
        (
            [RowRangeInput(3, 1, dec("10"))],
            "Las filas C–A están al revés: la primera debe ir antes que la última.",
        ),
        (
            [RowRangeInput(1, 3, dec("20")), RowRangeInput(3, 5, dec("-10"))],
            "Las filas A–C y C–E se superponen.",
        ),
        (
            [RowRangeInput(4, 5, dec("-10")), RowRangeInput(1, 4, dec("20"))],
            "Las filas A–D y D–E se superponen.",
        ),
        (
            [RowRangeInput(1, 5, dec("10")), RowRangeInput(2, 2, dec("5")), RowRangeInput(4, 4, dec("5"))],
            "Las filas A–E y D se superponen.",
        ),
        ([RowRangeInput(1, 1, dec("-100"))], "El modificador de la fila A debe ser mayor que -100 %."),
        ([RowRangeInput(1, 2, dec("-120"))], "El modificador de las filas A–B debe ser mayor que -100 %."),
    ],
)
def test_row_ranges_must_be_existing_rows_not_overlapping(platea, ranges, message):
    with translation.override("es"), pytest.raises(ValidationError) as error:
        pricing.validate_row_ranges(platea, ranges)

    assert message in error.value.messages


def test_row_pricing_is_only_for_numbered_zones(general):
    with translation.override("es"), pytest.raises(ValidationError) as error:
        pricing.replace_row_pricing(zone=general, ranges=[RowRangeInput(1, 1, dec("10"))])

    assert error.value.messages == ["Los precios por fila son solo para zonas de asientos numerados."]
    assert not RowPricing.objects.filter(zone=general).exists()


def test_replacing_row_pricing_is_all_or_nothing(platea):
    pricing.replace_row_pricing(zone=platea, ranges=[RowRangeInput(1, 2, dec("20"))])

    with pytest.raises(ValidationError):
        pricing.replace_row_pricing(
            zone=platea, ranges=[RowRangeInput(1, 1, dec("30")), RowRangeInput(4, 9, dec("-10"))]
        )
    assert [(r.first_row, r.last_row, r.percent) for r in platea.row_prices.all()] == [(1, 2, dec("20"))]

    pricing.replace_row_pricing(
        zone=platea, ranges=[RowRangeInput(4, 5, dec("-10")), RowRangeInput(1, 1, dec("30"))]
    )
    assert [(r.first_row, r.last_row, r.percent) for r in platea.row_prices.all()] == [
        (1, 1, dec("30")),
        (4, 5, dec("-10")),
    ]
    assert pricing.quote_price(zone=platea, row_index=2).total == usd("30.00")
    assert pricing.quote_price(zone=platea, row_index=5).total == usd("27.00")


# --- Sold tickets keep their price --------------------------------------------------------------


def test_changing_prices_after_a_sale_does_not_touch_the_sold_seat(event, platea):
    # There is no ticket model yet: the price paid is snapshotted on the ticket by the sales
    # issue. Here: editing prices never rewrites or regenerates the seats already sold.
    (sold_id,) = sell_seats(platea, 1)
    seats_before = list(Seat.objects.filter(zone=platea).values_list("pk", "status").order_by("pk"))

    platea.base_price = dec("45.00")
    events.save_zone(zone=platea)
    pricing.replace_price_stages(event=event, stages=[stage("Regular", "10")])
    pricing.replace_row_pricing(zone=platea, ranges=[RowRangeInput(1, 5, dec("20"))])

    sold = Seat.objects.get(pk=sold_id)
    assert sold.status == Seat.Status.SOLD
    assert list(Seat.objects.filter(zone=platea).values_list("pk", "status").order_by("pk")) == seats_before
    assert pricing.quote_price(zone=platea, row_index=sold.row_index).total == usd("58.50")


# --- Pricing is cached per event, and every edit reaches the next sale ---------------------------


def fresh(event):
    """The event as the next request loads it."""
    return Event.objects.get(pk=event.pk)


def platea_row_1(event, platea):
    return pricing.price_table(event=fresh(event), zones=[platea])[(platea.id, 1)].total


def test_edits_to_stages_row_pricing_and_fees_price_the_next_sale(event, platea):
    from ticketing.events.models import EventFee
    from ticketing.sales.services import event_fees

    assert platea_row_1(event, platea) == usd("30.00")  # cached from here on

    pricing.replace_price_stages(event=event, stages=[stage("Preventa", "-20")])
    assert platea_row_1(event, platea) == usd("24.00")

    pricing.replace_row_pricing(zone=platea, ranges=[RowRangeInput(1, 1, dec("10"))])
    assert platea_row_1(event, platea) == usd("27.00")

    PriceStage.objects.filter(event=event).get().delete()  # as the admin would
    assert platea_row_1(event, platea) == usd("33.00")

    assert event_fees(fresh(event)) == []
    fee = EventFee.objects.create(event=event, name="Impuesto municipal", rate_percent=dec("5"))
    assert event_fees(fresh(event)) == [("Impuesto municipal", dec("5"))]
    fee.rate_percent = dec("6")
    fee.save()
    assert event_fees(fresh(event)) == [("Impuesto municipal", dec("6"))]


def test_a_duplicated_event_prices_with_its_own_stages(event, platea):
    pricing.replace_price_stages(event=event, stages=[stage("Preventa", "-20")])
    copy = events.duplicate_event(
        event=event, name="Otra función", starts_at=event.starts_at, ends_at=event.ends_at
    )
    copy_platea = copy.zones.get(name=platea.name)

    assert pricing.price_table(event=fresh(copy), zones=[copy_platea])[(copy_platea.id, 1)].total == usd(
        "24.00"
    )


def test_row_pricing_follows_a_zone_that_loses_rows(platea):
    pricing.replace_row_pricing(
        zone=platea, ranges=[RowRangeInput(1, 2, dec("20")), RowRangeInput(3, 5, dec("10"))]
    )
    platea.rows = 4
    events.save_zone(zone=platea)
    assert [(r.first_row, r.last_row) for r in platea.row_prices.all()] == [(1, 2), (3, 4)]

    platea.rows = 2
    events.save_zone(zone=platea)
    assert [(r.first_row, r.last_row) for r in platea.row_prices.all()] == [(1, 2)]
    platea.rows = 5  # rows added back are priced at the base, not by a forgotten range
    events.save_zone(zone=platea)
    assert pricing.quote_price(zone=platea, row_index=5).total == Money(dec("30.00"), "USD")
