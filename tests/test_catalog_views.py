"""The manager's catalog screens: venues, events, zones with preview, blocks, stages, row pricing."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from tests.catalog import make_event, make_general_zone, make_numbered_zone, make_tables_zone, make_venue
from ticketing.accounts.models import User
from ticketing.accounts.roles import Role
from ticketing.events.models import Event, EventFee, Seat, Zone
from ticketing.events.selectors import EVENTS_PAGE_SIZE
from ticketing.pricing.models import PriceStage, RowPricing
from ticketing.venues.models import Venue


@pytest.fixture
def manager_client(acme, staff_in, client_for):
    return client_for(acme, staff_in(acme, Role.MANAGER))


def local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def event_post_data(venue, **overrides):
    starts = timezone.now() + timedelta(days=10)
    data = {
        "venue": venue.pk,
        "name": "Festival de Salsa",
        "description": "",
        "starts_at": local(starts),
        "ends_at": local(starts + timedelta(hours=4)),
        "currency": "USD",
        "iva_rate": "16.00",
        "hold_minutes": "10",
        "max_seats_per_order": "8",
        "review_minutes": "120",
        "box_office_enabled": "on",
        "online_enabled": "on",
        "fees-TOTAL_FORMS": "1",
        "fees-INITIAL_FORMS": "0",
        "fees-MIN_NUM_FORMS": "0",
        "fees-MAX_NUM_FORMS": "1000",
        "fees-0-name": "Impuesto municipal de espectáculos",
        "fees-0-rate_percent": "5",
    }
    data.update(overrides)
    return data


def test_manager_creates_a_venue_and_sees_errors_next_to_fields(manager_client):
    bad = manager_client.post(
        "/panel/venues/new/", {"name": "", "address": "x", "city": "Caracas", "capacity": "-3"}
    )
    assert bad.status_code == 422
    assert 'id="id_name_error"' in bad.content.decode() and 'id="id_capacity_error"' in bad.content.decode()

    good = manager_client.post(
        "/panel/venues/new/",
        {"name": "Poliedro", "address": "La Rinconada", "city": "Caracas", "capacity": "15000"},
    )
    assert good.status_code == 302
    assert Venue.objects.filter(name="Poliedro").exists()
    assert "Poliedro" in manager_client.get("/panel/venues/").content.decode()


def test_manager_creates_an_event_with_an_extra_tax(manager_client, in_acme):
    venue = make_venue()

    response = manager_client.post("/panel/events/new/", event_post_data(venue))

    assert response.status_code == 302
    event = Event.objects.get(name="Festival de Salsa")
    assert event.status == Event.Status.DRAFT and event.hold_minutes == 10
    assert list(EventFee.objects.filter(event=event).values_list("name", flat=True)) == [
        "Impuesto municipal de espectáculos"
    ]


def test_the_event_form_offers_no_partial_payments_that_no_sale_would_honour(manager_client, in_acme):
    page = manager_client.get("/panel/events/new/").content.decode()
    typed = event_post_data(make_venue(), partial_payments_allowed="on", min_deposit_percent="30")

    assert manager_client.post("/panel/events/new/", typed).status_code == 302
    assert "pagos parciales" not in page.lower() and 'name="min_deposit_percent"' not in page
    assert not Event.objects.get(name="Festival de Salsa").partial_payments_allowed


def test_an_event_must_end_after_it_starts(manager_client, in_acme):
    venue = make_venue()
    starts = timezone.now() + timedelta(days=3)
    data = event_post_data(venue, starts_at=local(starts), ends_at=local(starts - timedelta(hours=1)))

    response = manager_client.post("/panel/events/new/", data)

    assert response.status_code == 422
    assert "El fin debe ser posterior al inicio." in response.content.decode()
    assert not Event.objects.filter(name="Festival de Salsa").exists()


def test_a_year_typed_wrong_is_refused_beside_the_field_and_the_event_list_still_opens(
    manager_client, in_acme
):
    """31/12/9999 at 20:00 in Caracas is the year 10000 in UTC: stored, it broke every page that
    listed the event."""
    venue = make_venue()
    data = event_post_data(venue, starts_at="9999-12-31T20:00", ends_at="9999-12-31T23:59")

    response = manager_client.post("/panel/events/new/", data)

    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_starts_at_error"' in html and 'id="id_ends_at_error"' in html
    assert "Revise el año: debe estar entre" in html
    assert not Event.objects.filter(name="Festival de Salsa").exists()
    assert manager_client.get("/panel/events/").status_code == 200


def test_event_list_filters_by_status_and_searches(manager_client, in_acme):
    venue = make_venue(name="Teatro Teresa Carreño")
    make_event(venue=venue, name="Cascanueces", status=Event.Status.ON_SALE)
    make_event(venue=venue, name="Lago de los cisnes", status=Event.Status.DRAFT)

    on_sale = manager_client.get("/panel/events/?status=on_sale", HTTP_HX_REQUEST="true").content.decode()
    assert "Cascanueces" in on_sale and "Lago de los cisnes" not in on_sale
    by_venue = manager_client.get("/panel/events/?q=carreño").content.decode()
    assert "Cascanueces" in by_venue and "Lago de los cisnes" in by_venue
    assert "Ningún evento coincide" in manager_client.get("/panel/events/?q=zzz").content.decode()


def test_the_next_page_of_a_filtered_event_list_keeps_the_filter(manager_client, in_acme):
    venue = make_venue(name="Poliedro de Caracas")
    for number in range(EVENTS_PAGE_SIZE + 1):
        make_event(venue=venue, name=f"Gira {number}", status=Event.Status.ON_SALE)
    make_event(venue=venue, name="Ensayo privado", status=Event.Status.DRAFT)

    first = manager_client.get("/panel/events/?status=on_sale&q=poliedro").content.decode()
    assert "?status=on_sale&amp;q=poliedro&amp;page=2" in first
    second = manager_client.get("/panel/events/?status=on_sale&q=poliedro&page=2").content.decode()
    assert "Página 2 de 2" in second and "Ensayo privado" not in second


def test_the_zone_form_opens_with_the_zones_seats_or_an_invitation_to_type(manager_client, in_acme):
    event = make_event()
    zone = make_numbered_zone(event, rows=6, seats_per_row=9)

    new = manager_client.get(f"/panel/events/{event.pk}/zones/new/").content.decode()
    existing = manager_client.get(f"/panel/events/{event.pk}/zones/{zone.pk}/").content.decode()

    assert "Complete el tipo y las medidas de la zona" in new
    assert "mesas" not in new.split('id="zone-preview"')[1] and "Demasiados asientos" not in new
    assert "54 asientos en 6 filas (A–F)." in existing and 'class="preview-svg"' in existing


def test_zone_preview_redraws_the_generated_seats_while_typing(manager_client, in_acme):
    event = make_event()
    data = {
        "name": "Platea",
        "kind": "numbered",
        "base_price": "30",
        "rows": "20",
        "seats_per_row": "30",
        "row_labels": "letters",
        "numbering": "ltr",
        "row_overrides": "A=24",
        "color": "#2563eb",
        "shape": "rect",
    }

    response = manager_client.post(f"/panel/events/{event.pk}/zones/preview/", data, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert "594 asientos en 20 filas (A–T)." in html
    assert html.count('class="preview-seat"') == 594
    assert Seat.objects.count() == 0  # a preview saves nothing
    # A row the zone lacks is named while typing, not only on saving.
    bad = manager_client.post(
        f"/panel/events/{event.pk}/zones/preview/", {**data, "row_overrides": "Z=3"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert (
        "Filas irregulares: «Z=3» no es una fila de esta zona."
        in bad.split('data-testid="preview-errors"')[1]
    )
    nameless = manager_client.post(
        f"/panel/events/{event.pk}/zones/preview/", {**data, "name": ""}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "594 asientos" in nameless  # a name not typed yet does not stop the preview


def test_manager_creates_zones_of_each_kind(manager_client, in_acme):
    event = make_event()
    base = {
        "base_price": "30",
        "row_labels": "letters",
        "numbering": "odd_even",
        "color": "#2563eb",
        "shape": "rect",
    }

    assert (
        manager_client.post(
            f"/panel/events/{event.pk}/zones/new/",
            {**base, "name": "Platea", "kind": "numbered", "rows": "3", "seats_per_row": "4"},
        ).status_code
        == 302
    )
    assert (
        manager_client.post(
            f"/panel/events/{event.pk}/zones/new/",
            {**base, "name": "Pista", "kind": "general", "capacity": "300"},
        ).status_code
        == 302
    )
    assert (
        manager_client.post(
            f"/panel/events/{event.pk}/zones/new/",
            {
                **base,
                "name": "VIP",
                "kind": "tables",
                "tables_count": "2",
                "chairs_per_table": "6",
                "tables_sold_whole": "on",
            },
        ).status_code
        == 302
    )

    assert Seat.objects.filter(zone__name="Platea").count() == 12
    assert Seat.objects.filter(zone__name="VIP", table__sold_whole=True).count() == 12
    assert Zone.objects.get(name="Pista").capacity == 300
    assert Event.objects.get(pk=event.pk).kind_from_zones() == Event.Kind.MIXED
    missing = manager_client.post(
        f"/panel/events/{event.pk}/zones/new/", {**base, "name": "Otra", "kind": "numbered"}
    )
    assert missing.status_code == 422 and "Obligatorio para este tipo de zona." in missing.content.decode()
    twice = manager_client.post(
        f"/panel/events/{event.pk}/zones/new/",
        {**base, "name": "platea ", "kind": "general", "capacity": "9"},
    )
    html = twice.content.decode()
    assert twice.status_code == 422
    assert 'id="id_name_error">Este evento ya tiene una zona «platea»: use otro nombre.' in html
    assert "ya existe" not in html


@pytest.mark.parametrize("history", ["sold", "cancelled cart"])
def test_editing_a_zone_never_deletes_a_sold_seat_nor_one_a_cart_held(manager_client, in_acme, history):
    event = make_event()
    zone = make_numbered_zone(event, rows=5, seats_per_row=6)
    e3 = Seat.objects.get(zone=zone, row_label="E", number=3)
    if history == "sold":
        Seat.objects.filter(pk=e3.pk).update(status=Seat.Status.SOLD)
    else:
        from ticketing.sales import services as sales
        from ticketing.sales.models import Order

        Event.objects.filter(pk=event.pk).update(status=Event.Status.ON_SALE)
        event.refresh_from_db()
        sales.cancel_order(order=sales.hold(event=event, channel=Order.Channel.BOX_OFFICE, seat_ids=[e3.pk]))
    data = {
        "name": "Platea",
        "kind": "numbered",
        "base_price": "30",
        "rows": "4",
        "seats_per_row": "6",
        "row_labels": "letters",
        "numbering": "ltr",
        "color": "#2563eb",
        "shape": "rect",
    }

    response = manager_client.post(f"/panel/events/{event.pk}/zones/{zone.pk}/", data)

    assert response.status_code == 422
    assert "Fila E, Asiento 3" in response.content.decode()
    assert Seat.objects.filter(zone=zone).count() == 30
    assert Zone.objects.get(pk=zone.pk).rows == 5


def test_blocking_seats_by_range_and_by_picked_ids_then_unblocking(manager_client, in_acme):
    event = make_event()
    zone = make_numbered_zone(event, rows=3, seats_per_row=10)
    url = f"/panel/events/{event.pk}/seats/block/"

    no_reason = manager_client.post(
        url, {"zone": zone.pk, "row": "B", "first": "3", "last": "5"}, HTTP_HX_REQUEST="true"
    )
    assert no_reason.status_code == 422 and "Indique el motivo del bloqueo." in no_reason.content.decode()

    by_range = manager_client.post(
        url,
        {"zone": zone.pk, "row": "b", "first": "3", "last": "5", "reason": "Cámara"},
        HTTP_HX_REQUEST="true",
    )
    assert by_range.status_code == 200
    assert "Fila B, Asiento 4" in by_range.content.decode()
    picked = list(
        Seat.objects.filter(zone=zone, row_label="C", number__in=[1, 2]).values_list("pk", flat=True)
    )
    manager_client.post(
        url, {"seats": ",".join(map(str, picked)), "reason": "Invitados"}, HTTP_HX_REQUEST="true"
    )
    assert Seat.objects.filter(event=event, status=Seat.Status.BLOCKED).count() == 5

    manager_client.post(f"/panel/events/{event.pk}/seats/unblock/", {"seat": picked}, HTTP_HX_REQUEST="true")
    assert Seat.objects.filter(event=event, status=Seat.Status.BLOCKED).count() == 3


def test_status_transitions_are_enforced_with_a_message(manager_client, in_acme):
    event = make_event()
    url = f"/panel/events/{event.pk}/status/"

    page = manager_client.post(url, {"status": "on_sale"}, follow=True).content.decode()
    assert "Agregue al menos una zona" in page
    make_general_zone(event)
    manager_client.post(url, {"status": "on_sale"})
    assert Event.objects.get(pk=event.pk).status == Event.Status.ON_SALE
    manager_client.post(url, {"status": "cancelled"})
    page = manager_client.post(url, {"status": "on_sale"}, follow=True).content.decode()
    assert "no puede pasar a" in page
    assert Event.objects.get(pk=event.pk).status == Event.Status.CANCELLED


def test_stopping_the_sales_of_an_event_on_sale_asks_first(manager_client, in_acme):
    event = make_event()
    make_general_zone(event)
    manager_client.post(f"/panel/events/{event.pk}/status/", {"status": "on_sale"})

    html = manager_client.get(f"/panel/events/{event.pk}/").content.decode()

    forms = re.findall(rf"<form[^>]*events/{event.pk}/status/[^>]*>.*?</form>", html, re.S)
    asked = {re.search(r'name="status" value="(\w+)"', f).group(1): "data-confirm=" in f for f in forms}
    assert asked == {"closed": True, "draft": True, "cancelled": True}
    assert "¿Cerrar la venta? La taquilla y la tienda en línea dejarán de vender este evento." in html


def test_the_event_page_names_row_prices_by_the_rows_letters(manager_client, in_acme):
    from ticketing.pricing import services as pricing
    from ticketing.pricing.services import RowRangeInput

    event = make_event()
    zone = make_numbered_zone(event, rows=10)
    pricing.replace_row_pricing(
        zone=zone, ranges=[RowRangeInput(1, 3, Decimal("20")), RowRangeInput(10, 10, Decimal("-10"))]
    )

    html = manager_client.get(f"/panel/events/{event.pk}/").content.decode()

    assert "filas A–C: 20,00%" in html and "filas J: -10,00%" in html


def test_an_event_with_sales_cannot_be_deleted_only_cancelled(manager_client, in_acme):
    event = make_event()
    zone = make_numbered_zone(event)
    Seat.objects.filter(zone=zone, number=1, row_index=1).update(status=Seat.Status.SOLD)

    page = manager_client.post(f"/panel/events/{event.pk}/delete/", follow=True).content.decode()

    assert "solo cancelar" in page
    assert Event.objects.filter(pk=event.pk).exists()


def test_stages_and_row_pricing_screens_save_and_reject_overlaps(manager_client, in_acme):
    event = make_event()
    zone = make_numbered_zone(event, rows=10, seats_per_row=10)
    now = timezone.now()
    management = {"stages-INITIAL_FORMS": "0", "stages-MIN_NUM_FORMS": "0", "stages-MAX_NUM_FORMS": "1000"}
    overlapping = {
        **management,
        "stages-TOTAL_FORMS": "2",
        "stages-0-name": "Preventa",
        "stages-0-starts_at": local(now),
        "stages-0-ends_at": local(now + timedelta(days=5)),
        "stages-0-markup_percent": "-20",
        "stages-1-name": "Regular",
        "stages-1-starts_at": local(now + timedelta(days=2)),
        "stages-1-markup_percent": "0",
    }
    response = manager_client.post(f"/panel/events/{event.pk}/prices/stages/", overlapping)
    assert response.status_code == 422
    assert "Preventa" in response.content.decode() and not PriceStage.objects.filter(event=event).exists()

    overlapping["stages-1-starts_at"] = local(now + timedelta(days=5))
    assert manager_client.post(f"/panel/events/{event.pk}/prices/stages/", overlapping).status_code == 302
    assert list(PriceStage.objects.filter(event=event).values_list("name", flat=True)) == [
        "Preventa",
        "Regular",
    ]

    rows = {
        "rows-TOTAL_FORMS": "1",
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "1000",
        "rows-0-first_row": "A",
        "rows-0-last_row": "C",
        "rows-0-percent": "20",
    }
    assert (
        manager_client.post(f"/panel/events/{event.pk}/prices/zones/{zone.pk}/rows/", rows).status_code == 302
    )
    assert RowPricing.objects.get(zone=zone).last_row == 3
    rows["rows-0-last_row"] = "Z"
    bad = manager_client.post(f"/panel/events/{event.pk}/prices/zones/{zone.pk}/rows/", rows)
    assert bad.status_code == 422 and "no tiene la fila" in bad.content.decode()


def test_a_date_already_past_is_refused_next_to_it_and_an_ended_event_is_not_put_on_sale(
    manager_client, in_acme
):
    venue = make_venue()
    last_year = timezone.now() - timedelta(days=300)
    past = {"starts_at": local(last_year), "ends_at": local(last_year + timedelta(hours=3))}
    ended = make_event(name="Gira 2025", starts_at=last_year, ends_at=last_year + timedelta(hours=3))
    make_general_zone(ended)

    created = manager_client.post("/panel/events/new/", event_post_data(venue, **past))
    copied = manager_client.post(f"/panel/events/{ended.pk}/duplicate/", {"name": "Gira 2026", **past})
    on_sale = manager_client.post(f"/panel/events/{ended.pk}/status/", {"status": "on_sale"}, follow=True)

    for response in (created, copied):
        assert response.status_code == 422
        assert (
            'id="id_starts_at_error">Esa fecha ya pasó: indique cuándo será el evento.'
            in response.content.decode()
        )
    assert not Event.objects.filter(name__in=["Festival de Salsa", "Gira 2026"]).exists()
    assert "Este evento ya terminó" in on_sale.content.decode()
    assert Event.objects.get(pk=ended.pk).status == Event.Status.DRAFT


def test_duplicating_copies_layout_and_pricing_but_not_sales(manager_client, in_acme):
    event = make_event(name="Gira 2026 Caracas")
    zone = make_numbered_zone(event, rows=2, seats_per_row=3)
    Seat.objects.filter(zone=zone, row_index=1, number=1).update(status=Seat.Status.SOLD)
    new_start = event.starts_at + timedelta(days=7)

    response = manager_client.post(
        f"/panel/events/{event.pk}/duplicate/",
        {
            "name": "Gira 2026 Valencia",
            "starts_at": local(new_start),
            "ends_at": local(new_start + timedelta(hours=3)),
        },
    )

    copy = Event.objects.get(name="Gira 2026 Valencia")
    assert response.status_code == 302 and copy.status == Event.Status.DRAFT
    assert Seat.objects.filter(event=copy).count() == 6
    assert not Seat.objects.filter(event=copy, status=Seat.Status.SOLD).exists()


def test_event_detail_shows_zones_stages_and_the_map(manager_client, in_acme):
    event = make_event(name="Noche de Gaitas")
    make_numbered_zone(event)
    make_general_zone(event, name="Pista General")
    make_tables_zone(event, tables=3, chairs=4)

    html = manager_client.get(f"/panel/events/{event.pk}/").content.decode()

    assert "12 (3 mesas)" in html  # chairs counted once, not once per table

    assert "Noche de Gaitas" in html and "Pista General" in html
    assert f'id="seat-map-{event.pk}"' in html
    assert "Sin etapas: se vende al precio base" in html


def test_another_organizations_event_is_a_404(acme, globex, staff_in, client_for):
    connection.set_tenant(acme)
    event = make_event(pk=900003, name="Evento exclusivo de Acme")
    zone = make_numbered_zone(event, pk=900003)
    client = client_for(globex, staff_in(globex, Role.MANAGER))

    for path in (
        "",
        "edit/",
        "duplicate/",
        f"zones/{zone.pk}/",
        "prices/stages/",
        f"prices/zones/{zone.pk}/rows/",
    ):
        assert client.get(f"/panel/events/{event.pk}/{path}").status_code == 404
    for path in ("status/", "delete/", "seats/block/", f"zones/{zone.pk}/delete/"):
        assert client.post(f"/panel/events/{event.pk}/{path}", {"status": "cancelled"}).status_code == 404
    assert "Evento exclusivo de Acme" not in client.get("/panel/events/").content.decode()
    connection.set_tenant(acme)
    assert Event.objects.get(pk=event.pk).status == Event.Status.DRAFT


def test_sellers_and_door_staff_cannot_reach_the_catalog(acme, staff_in, client_for):
    for role in (Role.SELLER, Role.DOOR):
        client = client_for(acme, staff_in(acme, role))
        assert client.get("/panel/events/").status_code == 403
        assert client.get("/panel/venues/new/").status_code == 403
    assert User.objects.filter(role=Role.SELLER).exists()


def test_deleting_a_zone_whose_holds_were_cancelled_explains_why_it_stays(manager_client, in_acme):
    from tests.sales_helpers import on_sale_event
    from ticketing.sales import services as sales
    from ticketing.sales.models import Order

    event = on_sale_event()
    pista = Zone.objects.get(event=event, kind=Zone.Kind.GENERAL)
    order = sales.hold(event=event, channel=Order.Channel.BOX_OFFICE, general={pista.pk: 1})
    sales.cancel_order(order=order)

    response = manager_client.post(f"/panel/events/{event.pk}/zones/{pista.pk}/delete/", follow=True)

    assert response.status_code == 200
    assert "quedan en el historial" in response.content.decode()
    assert Zone.objects.filter(pk=pista.pk).exists()


def test_a_forged_number_of_fee_rows_is_refused_without_building_thousands_of_forms(manager_client, in_acme):
    venue = make_venue()
    data = event_post_data(venue, **{"fees-TOTAL_FORMS": "5000"})

    response = manager_client.post("/panel/events/new/", data)

    html = response.content.decode()
    assert response.status_code == 422
    assert "Por favor, envíe 10 formularios como máximo." in html
    assert html.count('name="fees-9-name"') == 1 and 'name="fees-10-name"' not in html
    assert not Event.objects.filter(name="Festival de Salsa").exists()


def test_zones_holding_more_than_the_venue_are_pointed_out(manager_client, in_acme):
    from tests.catalog import make_general_zone, make_numbered_zone, make_venue

    event = make_event(venue=make_venue(name="Sala Pequeña", capacity=300))
    make_numbered_zone(event, rows=10, seats_per_row=20)  # 200 seats
    fits = manager_client.get(f"/panel/events/{event.pk}/").content.decode()
    make_general_zone(event, capacity=500)
    too_many = manager_client.get(f"/panel/events/{event.pk}/").content.decode()

    assert 'data-testid="over-capacity"' not in fits
    assert "Las zonas suman 700 lugares y el aforo de Sala Pequeña es de 300" in too_many
