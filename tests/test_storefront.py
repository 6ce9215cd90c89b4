"""The organization's public site: events on sale online, with prices and the live map."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from tests.catalog import make_event, make_general_zone, make_numbered_zone
from ticketing.events.models import Event


def test_the_storefront_lists_events_on_sale_online_with_their_lowest_price(in_acme, client_for, acme):
    on_sale = make_event(name="Gran Concierto", status=Event.Status.ON_SALE)
    make_numbered_zone(on_sale, base_price="30.00")
    make_general_zone(on_sale, base_price="20.00")
    make_event(name="Borrador secreto")
    box_office_only = make_event(name="Solo en taquilla", status=Event.Status.ON_SALE, online_enabled=False)
    make_general_zone(box_office_only)

    html = client_for(acme).get("/").content.decode()

    assert "Gran Concierto" in html and "desde USD 20,00" in html
    assert "Borrador secreto" not in html and "Solo en taquilla" not in html


def test_the_event_page_shows_the_map_and_general_admission_left(
    in_acme, client_for, acme, django_assert_max_num_queries
):
    event = make_event(name="Gaitas 2026", status=Event.Status.ON_SALE)
    make_numbered_zone(event)
    general = make_general_zone(event, capacity=100)
    general.sold_count = 40
    general.save()

    with django_assert_max_num_queries(25):
        response = client_for(acme).get(f"/e/{event.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'ws-connect="/ws/live/event-{event.pk}/?lang=es"' in html
    assert "Pista: quedan 60 entradas" in html
    assert 'aria-label="Fila A, Asiento 1, disponible, USD 30,00"' in html


def test_drafts_past_events_and_other_organizations_events_are_404(in_acme, client_for, acme, globex):
    draft = make_event(pk=900030)
    past = make_event(
        status=Event.Status.ON_SALE,
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=2),
    )
    on_sale = make_event(pk=900031, status=Event.Status.ON_SALE)
    client = client_for(acme)
    assert client.get(f"/e/{draft.pk}/").status_code == 404
    assert client.get(f"/e/{past.pk}/").status_code == 404

    connection.set_schema_to_public()
    assert client_for(globex).get(f"/e/{on_sale.pk}/").status_code == 404


def test_an_organization_without_events_says_so(globex, client_for):
    html = client_for(globex).get("/").content.decode()
    assert "No hay eventos a la venta en este momento" in html


def test_the_from_price_is_what_the_cheapest_seat_sells_at_when_every_row_changes_the_base(in_acme):
    from decimal import Decimal

    from tests.catalog import make_event, make_numbered_zone
    from ticketing.events.models import Event
    from ticketing.pricing import services as pricing
    from ticketing.pricing.services import RowRangeInput
    from ticketing.storefront.selectors import lowest_price

    event = make_event(status=Event.Status.ON_SALE)
    zone = make_numbered_zone(event, rows=4, seats_per_row=5, base_price="30.00")
    pricing.replace_row_pricing(
        zone=zone,
        ranges=[RowRangeInput(1, 2, Decimal("50")), RowRangeInput(3, 4, Decimal("20"))],
    )

    assert lowest_price(Event.objects.get(pk=event.pk)).amount == Decimal("36.00")
