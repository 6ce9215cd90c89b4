"""Seat layouts: the pure generator (events/layout.py) and the services that keep seats in line
with a zone's settings without ever touching a sold or held seat (events/services.py)."""

from datetime import datetime, timedelta
from decimal import Decimal
from math import atan2, dist, pi
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ticketing.events import layout, services
from ticketing.events.models import Event, Seat, Table, Zone
from ticketing.pricing import services as pricing
from ticketing.pricing.models import RowPricing
from ticketing.pricing.services import RowRangeInput, StageInput
from ticketing.venues.models import Venue

CARACAS = ZoneInfo("America/Caracas")
EVENT_DAY = datetime(2027, 1, 15, 20, 0, tzinfo=CARACAS)

# --- Pure layout --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("index", "label"),
    [
        (1, "A"),
        (2, "B"),
        (26, "Z"),
        (27, "AA"),
        (28, "AB"),
        (52, "AZ"),
        (53, "BA"),
        (702, "ZZ"),
        (703, "AAA"),
    ],
)
def test_rows_are_lettered_like_spreadsheet_columns(index, label):
    assert layout.letters_label(index) == label
    assert layout.row_index_from_label(label, "letters") == index


def test_row_indexes_start_at_one():
    with pytest.raises(ValueError):
        layout.letters_label(0)


def test_a_typed_row_label_gives_back_its_row_index():
    assert all(layout.row_index_from_label(layout.letters_label(i), "letters") == i for i in range(1, 1000))
    assert layout.row_index_from_label(" c ", "letters") == 3
    assert layout.row_index_from_label("12", "numbers") == 12
    assert layout.row_label(12, "numbers") == "12"


@pytest.mark.parametrize(
    ("label", "style"),
    [
        ("", "letters"),
        ("A1", "letters"),
        ("Ñ", "letters"),
        ("1", "letters"),
        ("0", "numbers"),
        ("B", "numbers"),
    ],
)
def test_a_label_that_is_no_row_gives_none(label, style):
    assert layout.row_index_from_label(label, style) is None


def test_a_non_ascii_digit_is_no_row_number():
    # "²".isdigit() is True but int("²") raises: a manager's typo must not become a server error.
    assert layout.row_index_from_label("²", "numbers") is None


def test_seats_are_numbered_left_to_right():
    assert layout.seat_numbers(5, "ltr") == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    ("count", "numbers"),
    [
        (10, [9, 7, 5, 3, 1, 2, 4, 6, 8, 10]),
        (5, [5, 3, 1, 2, 4]),
        (1, [1]),
        (2, [1, 2]),
    ],
)
def test_odd_even_numbering_puts_odds_left_and_evens_right_of_the_centre(count, numbers):
    assert layout.seat_numbers(count, "odd_even") == numbers


def numbered(**fields) -> list[layout.SeatSpec]:
    values = {
        "rows": 3,
        "seats_per_row": 10,
        "row_labels": "letters",
        "numbering": "ltr",
        "overrides": {},
        "origin": (0, 0),
    }
    return layout.numbered_layout(**(values | fields))


def row_of(specs, row_index) -> list[layout.SeatSpec]:
    return sorted((s for s in specs if s.row_index == row_index), key=lambda s: s.x)


def test_a_numbered_layout_has_a_seat_per_row_and_number_with_irregular_rows():
    specs = numbered(overrides={"2": 6, "3": 12})

    assert len(specs) == 10 + 6 + 12
    assert [len(row_of(specs, r)) for r in (1, 2, 3)] == [10, 6, 12]
    assert {(s.row_index, s.row_label) for s in specs} == {(1, "A"), (2, "B"), (3, "C")}
    assert len({(s.row_index, s.number) for s in specs}) == len(specs)


def test_rows_are_centred_on_the_widest_and_row_one_is_nearest_the_stage():
    specs = numbered(overrides={"2": 6, "3": 12})

    centres = [sum(s.x for s in row_of(specs, r)) / len(row_of(specs, r)) for r in (1, 2, 3)]
    assert centres[0] == pytest.approx(centres[1]) == pytest.approx(centres[2])
    assert row_of(specs, 2)[0].x - row_of(specs, 3)[0].x == pytest.approx(3 * layout.SEAT_SPACING)
    assert row_of(specs, 1)[0].y < row_of(specs, 2)[0].y < row_of(specs, 3)[0].y


def test_the_layout_starts_at_the_zone_origin():
    at_origin, moved = numbered(), numbered(origin=(100, 50))

    assert [(s.x + 100, s.y + 50) for s in at_origin] == [(s.x, s.y) for s in moved]


def test_odd_even_seats_read_left_to_right_from_the_highest_odd_to_the_highest_even():
    specs = numbered(rows=2, seats_per_row=8, numbering="odd_even", row_labels="numbers")

    assert [s.number for s in row_of(specs, 1)] == [7, 5, 3, 1, 2, 4, 6, 8]
    assert {s.row_label for s in specs} == {"1", "2"}


def test_tables_have_their_chairs_evenly_around_them():
    tables, chairs = layout.tables_layout(tables=3, chairs_per_table=4, origin=(0, 0))

    assert [(t.number, t.chairs) for t in tables] == [(1, 4), (2, 4), (3, 4)]
    assert len(chairs) == 12
    for table in tables:
        own = [c for c in chairs if c.table_number == table.number]
        assert [c.number for c in own] == [1, 2, 3, 4]
        assert {(c.row_index, c.row_label) for c in own} == {(table.number, str(table.number))}
        for chair in own:
            assert dist((chair.x, chair.y), (table.x, table.y)) == pytest.approx(
                layout.CHAIR_DISTANCE, abs=0.1
            )
        angles = [atan2(c.y - table.y, c.x - table.x) for c in own]
        steps = [(b - a) % (2 * pi) for a, b in zip(angles, angles[1:] + angles[:1], strict=True)]
        assert steps == pytest.approx([pi / 2] * 4, abs=0.01)
        # Chair 1 is on the far side from the stage (above the table on the map).
        assert (own[0].x, own[0].y) == pytest.approx((table.x, table.y - layout.CHAIR_DISTANCE), abs=0.1)


def test_tables_wrap_to_a_new_line_after_eight():
    tables, chairs = layout.tables_layout(tables=10, chairs_per_table=2, origin=(0, 0))

    assert len(tables) == 10 and len(chairs) == 20
    assert tables[8].x == tables[0].x
    assert tables[8].y == tables[0].y + layout.TABLE_SPACING


# --- Zones and their seats in the database ------------------------------------------------------


def make_event(**fields) -> Event:
    venue, _ = Venue.objects.get_or_create(
        name="Poliedro de Caracas", city="Caracas", defaults={"address": "La Rinconada", "capacity": 15000}
    )
    values = {
        "venue": venue,
        "name": "Gira 2027",
        "starts_at": EVENT_DAY,
        "ends_at": EVENT_DAY + timedelta(hours=3),
        "status": Event.Status.ON_SALE,
    }
    return services.save_event(event=Event(**(values | fields)))


def make_numbered_zone(event, *, name="Platea", rows=20, seats_per_row=30, **fields) -> Zone:
    zone = Zone(
        event=event,
        name=name,
        kind=Zone.Kind.NUMBERED,
        base_price=Decimal("30.00"),
        rows=rows,
        seats_per_row=seats_per_row,
        **fields,
    )
    return services.save_zone(zone=zone)


def make_tables_zone(event, *, name="VIP", tables=4, chairs=6, **fields) -> Zone:
    zone = Zone(
        event=event,
        name=name,
        kind=Zone.Kind.TABLES,
        base_price=Decimal("80.00"),
        tables_count=tables,
        chairs_per_table=chairs,
        **fields,
    )
    return services.save_zone(zone=zone)


def make_general_zone(event, *, name="Pista", capacity=500) -> Zone:
    zone = Zone(
        event=event, name=name, kind=Zone.Kind.GENERAL, base_price=Decimal("20.00"), capacity=capacity
    )
    return services.save_zone(zone=zone)


def seat(zone, row_label, number) -> Seat:
    return Seat.objects.get(zone=zone, row_label=row_label, number=number)


def set_status(seat_: Seat, status) -> None:
    Seat.objects.filter(pk=seat_.pk).update(status=status)


@pytest.fixture
def event(in_acme) -> Event:
    return make_event()


@pytest.fixture
def platea(event) -> Zone:
    return make_numbered_zone(event)


def test_a_numbered_zone_of_20_rows_by_30_gets_600_seats_in_rows_a_to_t(platea):
    seats = Seat.objects.filter(zone=platea)

    assert seats.count() == 600
    assert list(seats.order_by("row_index").values_list("row_label", flat=True).distinct()) == [
        layout.letters_label(i) for i in range(1, 21)
    ]
    assert seats.filter(row_label="T").count() == 30
    assert {s.status for s in seats} == {Seat.Status.AVAILABLE}
    assert seat(platea, "A", 1).label == "Fila A, Asiento 1"


def test_an_irregular_row_gets_its_own_number_of_seats(event):
    zone = make_numbered_zone(event, rows=3, seats_per_row=10, row_seat_overrides={"3": 14})

    assert Seat.objects.filter(zone=zone).count() == 34
    assert Seat.objects.filter(zone=zone, row_label="C").count() == 14
    assert zone.width == int(14 * layout.SEAT_SPACING + 2 * layout.ZONE_PADDING)


def test_a_tables_zone_gets_its_tables_and_their_chairs(event):
    zone = make_tables_zone(event, tables=4, chairs=6)

    tables = list(Table.objects.filter(zone=zone))
    assert [(t.number, t.chairs) for t in tables] == [(1, 6), (2, 6), (3, 6), (4, 6)]
    chairs = Seat.objects.filter(zone=zone)
    assert chairs.count() == 24
    for table in tables:
        assert sorted(chairs.filter(table=table).values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert Seat.objects.get(zone=zone, table__number=2, number=3).label == "Mesa 2, Silla 3"


def test_removing_rows_deletes_their_available_seats(platea):
    kept = seat(platea, "R", 30).pk

    platea.rows = 18
    services.save_zone(zone=platea)

    seats = Seat.objects.filter(zone=platea)
    assert seats.count() == 18 * 30
    assert not seats.filter(row_label__in=["S", "T"]).exists()
    assert seat(platea, "R", 30).pk == kept


@pytest.mark.parametrize("status", [Seat.Status.SOLD, Seat.Status.HELD])
def test_removing_a_row_with_a_sold_or_held_seat_is_refused_and_changes_nothing(platea, status):
    set_status(seat(platea, "T", 7), status)

    platea.rows = 18
    with translation.override("es"), pytest.raises(services.SeatsTaken) as error:
        services.save_zone(zone=platea)

    assert "Fila T, Asiento 7" in error.value.messages[0]
    assert [s.label for s in error.value.seats] == ["Fila T, Asiento 7"]
    assert Seat.objects.filter(zone=platea).count() == 600
    assert Zone.objects.get(pk=platea.pk).rows == 20
    assert seat(platea, "T", 7).status == status


def test_fewer_seats_per_row_keeps_the_ids_of_the_seats_that_stay(event):
    zone = make_numbered_zone(event, rows=5, seats_per_row=6)
    before = {(s.row_index, s.number): s.pk for s in Seat.objects.filter(zone=zone)}

    zone.seats_per_row = 4
    services.save_zone(zone=zone)

    after = {(s.row_index, s.number): s.pk for s in Seat.objects.filter(zone=zone)}
    assert set(after) == {(row, number) for row in range(1, 6) for number in range(1, 5)}
    assert all(before[key] == pk for key, pk in after.items())


def test_a_blocked_seat_stays_blocked_when_the_zone_is_edited(platea):
    services.block_seats(event=platea.event, seat_ids=[seat(platea, "A", 1).pk], reason="Producción")

    platea.seats_per_row = 28
    services.save_zone(zone=platea)

    blocked = seat(platea, "A", 1)
    assert (blocked.status, blocked.block_reason) == (Seat.Status.BLOCKED, "Producción")


def test_a_zone_with_sold_seats_cannot_be_deleted(platea):
    set_status(seat(platea, "B", 3), Seat.Status.SOLD)

    with translation.override("es"), pytest.raises(services.SeatsTaken) as error:
        services.delete_zone(zone=platea)

    assert "Fila B, Asiento 3" in error.value.messages[0]
    assert Zone.objects.filter(pk=platea.pk).exists()
    assert Seat.objects.filter(zone=platea).count() == 600


def test_a_general_admission_zone_with_sales_cannot_be_deleted(event):
    zone = make_general_zone(event)
    Zone.objects.filter(pk=zone.pk).update(sold_count=3)

    with translation.override("es"), pytest.raises(ValidationError) as error:
        services.delete_zone(zone=zone)

    assert error.value.messages == [
        "Esta zona ya tiene entradas vendidas o reservadas: no se puede eliminar."
    ]
    assert Zone.objects.filter(pk=zone.pk).exists()


def test_a_zone_without_sales_can_be_deleted_with_its_seats(platea):
    services.delete_zone(zone=platea)

    assert not Zone.objects.filter(pk=platea.pk).exists()
    assert not Seat.objects.filter(zone_id=platea.pk).exists()


# --- Blocking seats -----------------------------------------------------------------------------


def test_blocking_seats_needs_a_reason(platea):
    ids = services.seats_in_range(zone=platea, row_label="A", first=1, last=3)

    with translation.override("es"), pytest.raises(ValidationError) as error:
        services.block_seats(event=platea.event, seat_ids=ids, reason="   ")

    assert error.value.message_dict == {"reason": ["Indique el motivo del bloqueo."]}
    assert not Seat.objects.filter(zone=platea, status=Seat.Status.BLOCKED).exists()


def test_blocking_and_unblocking_seats(platea):
    ids = services.seats_in_range(zone=platea, row_label="A", first=1, last=3)

    services.block_seats(event=platea.event, seat_ids=ids, reason=" Cámara de TV ")

    blocked = Seat.objects.filter(zone=platea, status=Seat.Status.BLOCKED)
    assert sorted(blocked.values_list("pk", flat=True)) == sorted(ids)
    assert set(blocked.values_list("block_reason", flat=True)) == {"Cámara de TV"}

    assert services.unblock_seats(event=platea.event, seat_ids=ids) == 3
    assert not Seat.objects.filter(zone=platea, status=Seat.Status.BLOCKED).exists()
    assert set(Seat.objects.filter(pk__in=ids).values_list("status", "block_reason")) == {
        (Seat.Status.AVAILABLE, "")
    }


def test_a_sold_seat_cannot_be_blocked_and_the_others_stay_available(platea):
    ids = services.seats_in_range(zone=platea, row_label="A", first=1, last=3)
    set_status(seat(platea, "A", 2), Seat.Status.SOLD)

    with translation.override("es"), pytest.raises(services.SeatsTaken) as error:
        services.block_seats(event=platea.event, seat_ids=ids, reason="Producción")

    assert "Fila A, Asiento 2" in error.value.messages[0]
    assert not Seat.objects.filter(zone=platea, status=Seat.Status.BLOCKED).exists()


def test_unblocking_leaves_sold_seats_sold(platea):
    sold = seat(platea, "A", 1)
    set_status(sold, Seat.Status.SOLD)

    assert services.unblock_seats(event=platea.event, seat_ids=[sold.pk]) == 0
    assert Seat.objects.get(pk=sold.pk).status == Seat.Status.SOLD


def test_seats_in_range_finds_a_row_by_its_label_in_either_order(platea):
    ids = services.seats_in_range(zone=platea, row_label="c", first=5, last=2)

    assert sorted(Seat.objects.filter(pk__in=ids).values_list("row_label", "number")) == [
        ("C", 2),
        ("C", 3),
        ("C", 4),
        ("C", 5),
    ]


def test_seats_in_range_explains_a_wrong_row_or_an_empty_range(platea):
    with translation.override("es"), pytest.raises(ValidationError) as error:
        services.seats_in_range(zone=platea, row_label="3", first=1, last=2)
    assert error.value.message_dict == {"row": ["Fila «3» no válida."]}

    with translation.override("es"), pytest.raises(ValidationError) as error:
        services.seats_in_range(zone=platea, row_label="B", first=31, last=40)
    assert error.value.messages == ["No hay asientos en la fila B entre 31 y 40."]


# --- Event status and deletion ------------------------------------------------------------------


def test_an_event_goes_on_sale_only_with_a_zone(in_acme):
    event = make_event(status=Event.Status.DRAFT)

    with translation.override("es"), pytest.raises(ValidationError) as error:
        services.change_event_status(event=event, status=Event.Status.ON_SALE)
    assert error.value.messages == ["Agregue al menos una zona antes de poner el evento a la venta."]
    assert Event.objects.get(pk=event.pk).status == Event.Status.DRAFT

    make_general_zone(event)
    services.change_event_status(event=event, status=Event.Status.ON_SALE)
    assert Event.objects.get(pk=event.pk).status == Event.Status.ON_SALE


def test_a_closed_sale_can_be_reopened(platea):
    event = services.change_event_status(event=platea.event, status=Event.Status.CLOSED)
    assert event.status == Event.Status.CLOSED

    event = services.change_event_status(event=event, status=Event.Status.ON_SALE)
    assert Event.objects.get(pk=event.pk).status == Event.Status.ON_SALE


def test_a_cancelled_event_stays_cancelled(platea):
    event = services.change_event_status(event=platea.event, status=Event.Status.CANCELLED)

    for status in (Event.Status.ON_SALE, Event.Status.DRAFT, Event.Status.CLOSED):
        with translation.override("es"), pytest.raises(ValidationError) as error:
            services.change_event_status(event=event, status=status)
        assert error.value.messages == [
            f"Un evento «Cancelado» no puede pasar a «{Event.Status(status).label}»."
        ]
    assert Event.objects.get(pk=event.pk).status == Event.Status.CANCELLED


def test_an_event_with_sales_cannot_be_deleted(platea):
    set_status(seat(platea, "A", 1), Seat.Status.SOLD)

    with translation.override("es"), pytest.raises(ValidationError) as error:
        services.delete_event(event=platea.event)

    assert error.value.messages == ["Este evento ya tiene ventas: no se puede eliminar, solo cancelar."]
    assert Event.objects.filter(pk=platea.event_id).exists()


def test_an_event_with_general_admission_sales_cannot_be_deleted(event):
    zone = make_general_zone(event)
    Zone.objects.filter(pk=zone.pk).update(sold_count=1)

    with pytest.raises(ValidationError):
        services.delete_event(event=event)
    assert Event.objects.filter(pk=event.pk).exists()


def test_an_event_without_sales_is_deleted_with_its_zones_and_seats(platea):
    services.delete_event(event=platea.event)

    assert not Event.objects.filter(pk=platea.event_id).exists()
    assert not Seat.objects.filter(event_id=platea.event_id).exists()


# --- Duplicating an event -----------------------------------------------------------------------


def test_duplicating_copies_layout_blocks_and_prices_but_not_sales(event):
    platea = make_numbered_zone(event, rows=5, seats_per_row=6, row_seat_overrides={"5": 8})
    pista = make_general_zone(event)
    make_tables_zone(event, tables=3, chairs=4)
    event.fees.create(name="Impuesto municipal", rate_percent=Decimal("5.00"))
    services.block_seats(event=event, seat_ids=[seat(platea, "A", 1).pk], reason="Consola de sonido")
    set_status(seat(platea, "B", 2), Seat.Status.SOLD)
    set_status(seat(platea, "B", 3), Seat.Status.HELD)
    Zone.objects.filter(pk=pista.pk).update(sold_count=40, held_count=6)
    pricing.replace_row_pricing(zone=platea, ranges=[RowRangeInput(1, 2, Decimal("20"))])
    presale_ends = datetime(2026, 12, 10, tzinfo=CARACAS)
    pricing.replace_price_stages(
        event=event,
        stages=[
            StageInput("Preventa", None, presale_ends, 100, Decimal("-20")),
            StageInput("Regular", presale_ends, None, None, Decimal("0")),
        ],
    )
    shift = timedelta(days=7)

    copy = services.duplicate_event(
        event=event,
        name="Gira 2027 (función 2)",
        starts_at=EVENT_DAY + shift,
        ends_at=EVENT_DAY + shift + timedelta(hours=3),
    )

    assert copy.pk != event.pk
    assert (copy.name, copy.status, copy.venue_id) == (
        "Gira 2027 (función 2)",
        Event.Status.DRAFT,
        event.venue_id,
    )
    assert list(copy.fees.values_list("name", "rate_percent")) == [("Impuesto municipal", Decimal("5.00"))]
    zones = {z.name: z for z in copy.zones.all()}
    assert set(zones) == {"Platea", "Pista", "VIP"}
    assert Seat.objects.filter(zone=zones["Platea"]).count() == 4 * 6 + 8
    assert Seat.objects.filter(zone=zones["VIP"]).count() == 12
    assert Table.objects.filter(zone=zones["VIP"]).count() == 3
    assert (zones["Pista"].sold_count, zones["Pista"].held_count) == (0, 0)
    assert seat(zones["Platea"], "A", 1).status == Seat.Status.BLOCKED
    assert seat(zones["Platea"], "A", 1).block_reason == "Consola de sonido"
    assert seat(zones["Platea"], "B", 2).status == Seat.Status.AVAILABLE
    assert seat(zones["Platea"], "B", 3).status == Seat.Status.AVAILABLE
    assert Seat.objects.filter(event=copy).exclude(status=Seat.Status.AVAILABLE).count() == 1
    assert list(
        RowPricing.objects.filter(zone=zones["Platea"]).values_list("first_row", "last_row", "percent")
    ) == [(1, 2, Decimal("20.00"))]
    assert [
        (s.sequence, s.name, s.starts_at, s.ends_at, s.quantity_limit, s.markup_percent)
        for s in copy.price_stages.all()
    ] == [
        (1, "Preventa", None, presale_ends + shift, 100, Decimal("-20.00")),
        (2, "Regular", presale_ends + shift, None, None, Decimal("0.00")),
    ]
    # The original keeps its sales.
    assert seat(platea, "B", 2).status == Seat.Status.SOLD
    assert Zone.objects.get(pk=pista.pk).sold_count == 40
    assert event.price_stages.count() == 2


def test_duplicating_keeps_which_tables_are_sold_whole(event):
    vip = make_tables_zone(event, tables=3, chairs=4, tables_sold_whole=True)
    services.set_table_sale_mode(table=Table.objects.get(zone=vip, number=2), sold_whole=False)

    copy = services.duplicate_event(
        event=event, name="Copia", starts_at=EVENT_DAY, ends_at=EVENT_DAY + timedelta(hours=3)
    )

    copied = copy.zones.get(name="VIP")
    assert dict(Table.objects.filter(zone=copied).values_list("number", "sold_whole")) == {
        1: True,
        2: False,
        3: True,
    }


# --- Zones and events with holds or a sales history -----------------------------------------------


def hold_general(event, quantity):
    from ticketing.sales import services as sales
    from ticketing.sales.models import Order

    pista = Zone.objects.get(event=event, kind=Zone.Kind.GENERAL)
    return pista, sales.hold(event=event, channel=Order.Channel.BOX_OFFICE, general={pista.pk: quantity})


@pytest.fixture
def on_sale(in_acme):
    from tests.sales_helpers import on_sale_event

    return on_sale_event(capacity=50)


def test_editing_a_zone_keeps_the_places_held_and_sold_while_the_form_was_open(on_sale):
    pista = Zone.objects.get(event=on_sale, kind=Zone.Kind.GENERAL)  # the manager's form reads it
    hold_general(on_sale, 3)  # a seller holds meanwhile

    pista.name = "Pista general"
    services.save_zone(zone=pista)

    assert Zone.objects.filter(pk=pista.pk).values_list("name", "held_count").get() == ("Pista general", 3)


def test_general_admission_capacity_cannot_go_below_what_is_sold_and_held(on_sale):
    pista, _order = hold_general(on_sale, 3)
    Zone.objects.filter(pk=pista.pk).update(sold_count=40)
    pista.refresh_from_db()

    pista.capacity = 42
    with translation.override("es"), pytest.raises(ValidationError) as error:
        services.save_zone(zone=pista)

    assert error.value.message_dict["capacity"] == [
        "Hay 43 entradas vendidas o reservadas: la capacidad no puede ser menor."
    ]
    pista.capacity = 43
    services.save_zone(zone=pista)
    assert Zone.objects.get(pk=pista.pk).capacity == 43


def test_a_zone_or_event_with_places_held_cannot_be_deleted(on_sale):
    pista, _order = hold_general(on_sale, 2)

    with translation.override("es"), pytest.raises(ValidationError) as zone_error:
        services.delete_zone(zone=pista)
    with translation.override("es"), pytest.raises(ValidationError) as event_error:
        services.delete_event(event=on_sale)

    assert zone_error.value.messages == [
        "Esta zona ya tiene entradas vendidas o reservadas: no se puede eliminar."
    ]
    assert event_error.value.messages == ["Este evento ya tiene ventas: no se puede eliminar, solo cancelar."]
    assert Zone.objects.filter(pk=pista.pk).exists()


def test_a_zone_or_event_whose_holds_were_cancelled_keeps_its_history_and_says_so(on_sale):
    from ticketing.sales import services as sales

    pista, order = hold_general(on_sale, 2)
    sales.cancel_order(order=order)

    with translation.override("es"), pytest.raises(ValidationError) as zone_error:
        services.delete_zone(zone=pista)
    with translation.override("es"), pytest.raises(ValidationError) as event_error:
        services.delete_event(event=on_sale)

    assert "quedan en el historial" in zone_error.value.messages[0]
    assert "quedan en el historial" in event_error.value.messages[0]
    assert Event.objects.filter(pk=on_sale.pk).exists() and Zone.objects.filter(pk=pista.pk).exists()


def test_seats_a_cancelled_cart_held_are_not_dropped_by_a_smaller_zone_and_are_named(on_sale):
    from ticketing.sales import services as sales
    from ticketing.sales.models import Order

    platea = Zone.objects.get(event=on_sale, kind=Zone.Kind.NUMBERED)  # 3 rows of 10
    c5 = Seat.objects.get(zone=platea, row_label="C", number=5)
    order = sales.hold(event=on_sale, channel=Order.Channel.BOX_OFFICE, seat_ids=[c5.pk])
    sales.cancel_order(order=order)

    platea.rows = 2
    with translation.override("es"), pytest.raises(services.SeatsWithHistory) as error:
        services.save_zone(zone=platea)

    assert "Fila C, Asiento 5" in error.value.messages[0] and "bloquearlos" in error.value.messages[0]
    assert Seat.objects.filter(zone=platea).count() == 30
    assert Zone.objects.get(pk=platea.pk).rows == 3


def test_the_currency_of_an_event_with_carts_or_sales_cannot_change(on_sale):
    from ticketing.sales import services as sales
    from ticketing.sales.models import Order

    a1 = Seat.objects.get(event=on_sale, row_label="A", number=1, table__isnull=True)
    sales.hold(event=on_sale, channel=Order.Channel.BOX_OFFICE, seat_ids=[a1.pk])
    event = Event.objects.get(pk=on_sale.pk)
    event.currency = "VES"

    with translation.override("es"), pytest.raises(ValidationError) as error:
        services.save_event(event=event)

    assert error.value.message_dict["currency"] == [
        "Este evento ya tiene entradas reservadas o vendidas en USD: la moneda no puede cambiar."
    ]
    assert Event.objects.get(pk=on_sale.pk).currency == "USD"
    event.currency, event.name = "USD", "Gaitas 2"
    services.save_event(event=event)  # any other change still saves
    assert Event.objects.get(pk=on_sale.pk).name == "Gaitas 2"


def test_a_table_with_a_chair_held_or_sold_cannot_become_sold_whole(on_sale):
    from ticketing.sales import services as sales
    from ticketing.sales.models import Order

    table = Table.objects.get(zone=make_tables_zone(on_sale, tables=1, chairs=4))
    chair = Seat.objects.filter(table=table).order_by("number").first()
    sales.hold(event=on_sale, channel=Order.Channel.BOX_OFFICE, seat_ids=[chair.pk])

    with pytest.raises(services.SeatsTaken):
        services.set_table_sale_mode(table=table, sold_whole=True)

    assert not Table.objects.get(pk=table.pk).sold_whole


def test_a_tables_zone_turned_into_rows_keeps_every_seat(event):
    vip = make_tables_zone(event, tables=2, chairs=4)
    vip = Zone.objects.get(pk=vip.pk)
    vip.kind, vip.rows, vip.seats_per_row = Zone.Kind.NUMBERED, 3, 5

    services.save_zone(zone=vip)

    assert not Table.objects.filter(zone=vip).exists()
    assert Seat.objects.filter(zone=vip, table__isnull=True).count() == 15


def test_tables_a_cancelled_cart_used_are_not_dropped_and_are_named(on_sale):
    from ticketing.sales import services as sales
    from ticketing.sales.models import Order

    vip = make_tables_zone(on_sale, tables=2, chairs=4)
    chair = Seat.objects.get(zone=vip, row_index=2, number=1)
    sales.cancel_order(order=sales.hold(event=on_sale, channel=Order.Channel.BOX_OFFICE, seat_ids=[chair.pk]))
    vip = Zone.objects.get(pk=vip.pk)
    vip.kind, vip.rows, vip.seats_per_row = Zone.Kind.NUMBERED, 3, 5

    with translation.override("es"), pytest.raises(ValidationError) as error:
        services.save_zone(zone=vip)

    assert error.value.messages == [
        "No se pueden quitar estas mesas: tuvieron reservas o ventas, que quedan en el historial: 2."
    ]
    assert Table.objects.filter(zone=vip).count() == 2 and Seat.objects.filter(zone=vip).count() == 8
