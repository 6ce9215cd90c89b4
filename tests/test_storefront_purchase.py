"""A customer buys on the organization's site: hold, details, payment (card, Pago Móvil, Zelle),
the gateway's webhooks, and the limits that keep one visitor from holding a venue."""

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
import responses
import time_machine
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from tests.sales_helpers import a_customer, on_sale_event, set_todays_rate
from ticketing.accounts.roles import Role
from ticketing.events.models import Seat, Zone
from ticketing.fiscal.models import Invoice
from ticketing.payments import services as money
from ticketing.payments.gateways import ChargeStatus, card_gateway
from ticketing.sales.models import AuditEntry, Order, Ticket
from ticketing.sales.services import expire_holds
from ticketing.storefront.services import online_settings

APPROVE, DECLINE, TIMEOUT = "4111 1111 1111 1111", "4000 0000 0000 0002", "4000 0000 0000 0119"


@pytest.fixture
def event(in_acme):
    set_todays_rate("100")
    # Tests travel past a hold's end (up to some 17 minutes): run near Caracas midnight, that is
    # the next day, whose rate the manager would have loaded by then.
    tomorrow = money.today_in_caracas() + timedelta(days=1)
    money.set_rate(on=tomorrow, currency="USD", ves_per_unit=Decimal("100"), by=None, confirmed=True)
    settings_row = online_settings()
    settings_row.pago_movil_enabled = True
    settings_row.pago_movil_bank, settings_row.pago_movil_phone = "0134", "+584241112233"
    settings_row.pago_movil_document = "J-31294846-9"
    settings_row.zelle_enabled, settings_row.zelle_email = True, "pagos@acme.test"
    settings_row.save()
    return on_sale_event(max_seats_per_order=4)


@pytest.fixture
def visitor(client_for, acme):
    return client_for(acme)


def seats(event, count=2) -> list[Seat]:
    return list(Seat.objects.filter(zone__event=event, zone__kind=Zone.Kind.NUMBERED).order_by("pk")[:count])


def hold(client, event, seat_list):
    return client.post(
        f"/e/{event.pk}/reservar/", {"seat": [s.pk for s in seat_list]}, HTTP_HX_REQUEST="true"
    )


BUYER = {
    "first_name": "Luisa",
    "last_name": "Rivas",
    "id_document": "v 18.456.789",
    "phone": "0414-5556677",
    "email": "Luisa@Example.com",
    "accept_terms": "on",
}


def held_order_with_buyer(client, event, method="card_online") -> Order:
    hold(client, event, seats(event))
    order = Order.objects.get(channel=Order.Channel.ONLINE, status=Order.Status.HELD)
    response = client.post(f"/compra/{order.public_id}/", {**BUYER, "method": method})
    assert response.status_code == 302
    return order


def pay_by_card(client, order, card_number):
    return client.post(
        f"/compra/{order.public_id}/pago/",
        {
            "method": "card_online",
            "card_number": card_number,
            "holder": "L R",
            "expiry": "12/39",
            "cvv": "123",
        },
    )


def test_a_visitor_holds_seats_and_sees_them_in_the_basket_with_a_countdown(event, visitor):
    chosen = seats(event)

    response = hold(visitor, event, chosen)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Fila A" in html and 'data-expires-in="' in html and "Continuar al pago" in html
    order = Order.objects.get()
    assert order.channel == Order.Channel.ONLINE and order.buyer_session
    assert set(Seat.objects.filter(pk__in=[s.pk for s in chosen]).values_list("status", flat=True)) == {
        "held"
    }
    # The event page shows the same basket when the visitor comes back.
    assert "Continuar al pago" in visitor.get(f"/e/{event.pk}/").content.decode()


def test_the_event_page_lets_the_visitor_pick_seats_on_the_live_map(event, visitor):
    html = visitor.get(f"/e/{event.pk}/").content.decode()

    assert "data-seat-selection" in html and f'data-hold-url="/e/{event.pk}/reservar/"' in html
    assert f'ws-connect="/ws/live/event-{event.pk}/?lang=es"' in html
    assert "Mejores asientos disponibles" in html and "Admisión general" in html


def test_best_available_and_general_admission_hold_from_the_basket(event, visitor):
    numbered = event.zones.get(kind=Zone.Kind.NUMBERED)
    general = event.zones.get(kind=Zone.Kind.GENERAL)

    visitor.post(f"/e/{event.pk}/reservar/", {"zone": numbered.pk, "quantity": 2, "best": 1})
    response = visitor.post(f"/e/{event.pk}/reservar/", {"zone": general.pk, "quantity": 2})

    assert response.status_code == 200
    order = Order.objects.get()
    assert order.tickets.filter(status=Ticket.Status.HELD).count() == 4
    general.refresh_from_db()
    assert general.held_count == 2


def test_a_seat_held_by_someone_else_is_refused_and_named(event, visitor, client_for, acme):
    chosen = seats(event, 1)
    hold(client_for(acme), event, chosen)

    response = hold(visitor, event, chosen)

    assert response.status_code == 409
    assert "ya no están disponibles" in response.content.decode()


def test_seats_per_order_follow_the_event(event, visitor):
    response = hold(visitor, event, seats(event, 5))

    assert response.status_code == 409
    assert "Máximo 4 entradas por compra" in response.content.decode()
    assert not Order.objects.exists()


@override_settings(ONLINE_MAX_ACTIVE_HOLDS=2)
def test_one_session_holds_at_most_two_orders_at_a_time(event, visitor):
    second = on_sale_event()
    third = on_sale_event()
    hold(visitor, event, seats(event, 1))
    hold(visitor, second, seats(second, 1))

    response = hold(visitor, third, seats(third, 1))

    assert response.status_code == 409
    assert "Ya tiene 2 reservas abiertas" in response.content.decode()
    assert Order.objects.count() == 2


@override_settings(ONLINE_HOLD_RATE="3/m")
def test_hold_requests_are_throttled_per_address(event, client_for, acme):
    chosen = seats(event, 4)
    # One rate window for all four (its minute could otherwise end between two requests).
    with time_machine.travel(timezone.now(), tick=False):
        statuses = [hold(client_for(acme), event, [seat]).status_code for seat in chosen]

    assert statuses == [200, 200, 200, 429]


@override_settings(ONLINE_PAYMENT_RATE="2/m")
def test_payment_attempts_are_throttled_per_address(event, visitor):
    order = held_order_with_buyer(visitor, event)

    with time_machine.travel(timezone.now(), tick=False):  # one rate window for every attempt
        statuses = [pay_by_card(visitor, order, DECLINE).status_code for _ in range(3)]
        refused = pay_by_card(visitor, order, APPROVE).content.decode()

    assert statuses == [402, 402, 429]
    assert "Demasiados intentos de pago" in refused
    order.refresh_from_db()
    assert order.status == Order.Status.HELD


def test_another_session_cannot_open_or_cancel_the_order(event, visitor, client_for, acme):
    hold(visitor, event, seats(event))
    order = Order.objects.get()
    stranger = client_for(acme)

    assert stranger.get(f"/compra/{order.public_id}/").status_code == 404
    assert stranger.post(f"/compra/{order.public_id}/cancelar/").status_code == 404
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert stranger.post(f"/compra/{order.public_id}/vencer/").status_code == 404
    order.refresh_from_db()
    assert order.status == Order.Status.HELD


def test_cancel_releases_the_seats(event, visitor):
    chosen = seats(event)
    hold(visitor, event, chosen)
    order = Order.objects.get()

    visitor.post(f"/compra/{order.public_id}/cancelar/", HTTP_HX_REQUEST="true")

    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert set(Seat.objects.filter(pk__in=[s.pk for s in chosen]).values_list("status", flat=True)) == {
        "available"
    }


def test_when_the_basket_countdown_ends_the_seats_go_back_on_sale_at_once(event, visitor):
    chosen = seats(event)
    hold(visitor, event, chosen)
    order = Order.objects.get()
    url = f"/compra/{order.public_id}/vencer/"

    early = visitor.post(url, HTTP_HX_REQUEST="true").content.decode()  # the phone's clock runs ahead
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    due = visitor.post(url, HTTP_HX_REQUEST="true").content.decode()

    assert "Continuar al pago" in early
    assert "Su reserva venció y los asientos se liberaron." in due and "Continuar al pago" not in due
    assert Order.objects.get(pk=order.pk).status == Order.Status.EXPIRED
    assert set(Seat.objects.filter(pk__in=[s.pk for s in chosen]).values_list("status", flat=True)) == {
        "available"
    }
    assert "Continuar al pago" not in visitor.get(f"/e/{event.pk}/").content.decode()


def test_when_the_checkout_countdown_ends_the_visitor_goes_back_to_the_event(event, visitor):
    hold(visitor, event, seats(event))
    order = Order.objects.get()
    url = f"/compra/{order.public_id}/vencer/"
    assert f'data-expire-url="{url}"' in visitor.get(f"/compra/{order.public_id}/").content.decode()

    early = visitor.post(url, {"then": "event"}, HTTP_HX_REQUEST="true")
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    due = visitor.post(url, {"then": "event"}, HTTP_HX_REQUEST="true")

    assert early["HX-Refresh"] == "true"  # the page again, with the time the server counts
    assert due["HX-Redirect"] == f"/e/{event.pk}/"
    page = visitor.get(due["HX-Redirect"]).content.decode()
    assert "Su reserva venció y los asientos se liberaron." in page and "Continuar al pago" not in page
    assert Order.objects.get(pk=order.pk).status == Order.Status.EXPIRED


def test_checkout_shows_the_totals_and_errors_next_to_the_fields(event, visitor):
    hold(visitor, event, seats(event))
    order = Order.objects.get()

    page = visitor.get(f"/compra/{order.public_id}/").content.decode()
    response = visitor.post(
        f"/compra/{order.public_id}/", {**BUYER, "id_document": "X-1", "email": "no", "accept_terms": ""}
    )

    assert "USD 58,00" in page and "Bs. 5.800,00" in page  # 2 × 25 + IVA 16%, at 100 Bs/USD
    # The rate as the BCV publishes it (not 100,00000000), with its unit.
    assert "<dd>Bs. 100,00 por USD</dd>" in page
    html = response.content.decode()
    assert response.status_code == 422
    assert "Indique un correo válido." in html
    assert "Debe aceptar los términos y condiciones" in html
    assert 'id="id_id_document_error"' in html
    order.refresh_from_db()
    assert order.customer is None


def test_checkout_creates_the_customer_normalized_and_never_overwrites_an_existing_one(event, visitor):
    a_customer(document="V-18456789", first_name="Luisa María", email="")
    order = held_order_with_buyer(visitor, event)

    order.refresh_from_db()
    customer = order.customer
    assert customer.id_document == "V-18456789"
    assert customer.first_name == "Luisa María"  # not replaced by what a visitor typed
    assert customer.email == "luisa@example.com"  # an empty field is filled
    assert order.contact_email == "luisa@example.com"


def test_a_buyer_who_types_their_rif_is_the_customer_known_by_their_cedula(event, visitor):
    known = a_customer(document="V-11470283", first_name="Pedro", email="")
    hold(visitor, event, seats(event))
    order = Order.objects.get()

    response = visitor.post(
        f"/compra/{order.public_id}/", {**BUYER, "id_document": "V-11470283-4", "method": "card_online"}
    )

    assert response.status_code == 302  # no "ya existe" for a buyer: they are that customer
    order.refresh_from_db()
    assert order.customer_id == known.pk


def test_a_company_buys_online_under_its_name_without_a_surname_but_a_person_needs_one(event, visitor):
    hold(visitor, event, seats(event))
    order = Order.objects.get()
    url = f"/compra/{order.public_id}/"
    person = {**BUYER, "last_name": "", "email": "bad", "method": "card_online"}
    company = {**BUYER, "first_name": "Eventos Ávila C.A.", "last_name": "", "id_document": "j312948469"}

    refused = visitor.post(url, person)
    accepted = visitor.post(url, {**company, "method": "card_online"})

    # Both errors at once, each next to its field; nothing was saved.
    html = refused.content.decode()
    assert refused.status_code == 422 and 'id="id_last_name_error"' in html
    assert "Indique el apellido (solo una empresa u organización, RIF J, G o C, va sin él)." in html
    assert "Indique un correo válido." in html
    assert "Nombre o razón social" in html
    assert accepted.status_code == 302
    order.refresh_from_db()
    assert order.customer.id_document == "J-31294846-9"
    assert order.customer.full_name == "Eventos Ávila C.A."


def test_a_new_customer_gets_the_phone_in_e164(event, visitor):
    order = held_order_with_buyer(visitor, event)

    order.refresh_from_db()
    assert order.customer.phone == "+584145556677"
    assert order.customer.first_name == "Luisa"


def test_an_approved_card_completes_the_sale_with_an_invoice(
    event, visitor, mailoutbox, django_capture_on_commit_callbacks
):
    order = held_order_with_buyer(visitor, event)
    page = visitor.get(f"/compra/{order.public_id}/pago/?method=card_online").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(
            f"/compra/{order.public_id}/pago/",
            {
                "method": "card_online",
                "card_number": APPROVE,
                "holder": "L R",
                "expiry": "12/39",
                "cvv": "123",
            },
        )

    assert "Bs. 5.800,00" in page
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED
    assert response.status_code == 302 and response["Location"] == f"/mi-pedido/{order.access_token}/"
    assert Invoice.objects.filter(order=order).count() == 1
    payment = order.payments.get()
    assert payment.method == "card_online" and payment.amount == Decimal("5800.00")
    assert payment.details["last4"] == "1111" and payment.details["gateway_reference"].startswith("SBX-")
    assert set(order.tickets.values_list("status", flat=True)) == {"valid"}
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["luisa@example.com"]


def use_up_the_control_numbers():
    from ticketing.fiscal.models import ControlNumberProviderKind
    from ticketing.fiscal.services import save_control_settings

    settings_row = save_control_settings(
        provider=ControlNumberProviderKind.RANGE, prefix="00", range_start=1, range_end=1
    )
    settings_row.next_number = 2
    settings_row.save(update_fields=["next_number"])


def test_with_no_control_number_left_the_card_is_not_charged_and_the_customer_told_plainly(event, visitor):
    order = held_order_with_buyer(visitor, event)
    use_up_the_control_numbers()

    response = pay_by_card(visitor, order, APPROVE)

    html = response.content.decode()
    assert response.status_code == 409
    assert "En este momento no podemos cobrar en línea" in html
    assert "imprenta" not in html  # the owner's business, not the customer's
    order.refresh_from_db()
    assert order.status == Order.Status.HELD and order.draft_payments == []
    assert not AuditEntry.objects.filter(order=order, action="card_charge").exists()


def test_a_card_taken_for_a_sale_that_cannot_complete_waits_for_staff_not_lost(
    event, visitor, monkeypatch, acme, staff_in, client_for
):
    from ticketing.storefront import services as storefront

    order = held_order_with_buyer(visitor, event)
    use_up_the_control_numbers()  # and, say, the last number went between the check and the sale
    monkeypatch.setattr(storefront.fiscal, "invoices_can_be_issued", lambda: True)

    response = pay_by_card(visitor, order, APPROVE)

    order.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == f"/mi-pedido/{order.access_token}/"
    assert order.status == Order.Status.REVIEW and order.draft_payments[0]["details"]["charged"] is True
    assert AuditEntry.objects.filter(order=order, action="card_charged_not_completed").exists()
    assert "Estamos verificando su pago" in visitor.get(response["Location"]).content.decode()
    # It waits in "Pagos por verificar"; once numbers are registered, staff complete it.
    staff = client_for(acme, staff_in(acme, Role.SELLER))
    queue = staff.get("/panel/online/").content.decode()
    assert (
        str(order.public_id) in queue
        and "Cobrado; la venta no se completó." in queue
        and "•••• 1111" in queue
    )
    from ticketing.fiscal.services import save_control_settings

    save_control_settings(provider="range", prefix="00", range_start=2, range_end=100)
    staff.post(f"/panel/online/{order.public_id}/confirmar/")
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED and Invoice.objects.filter(order=order).exists()


def test_a_charged_card_nobody_completed_in_time_still_waits_for_staff_with_its_seats(
    event, visitor, monkeypatch, acme, staff_in, client_for
):
    from ticketing.storefront import services as storefront

    order = held_order_with_buyer(visitor, event)
    use_up_the_control_numbers()
    monkeypatch.setattr(storefront.fiscal, "invoices_can_be_issued", lambda: True)
    pay_by_card(visitor, order, APPROVE)
    order.refresh_from_db()
    after = order.expires_at + timedelta(minutes=1)

    with time_machine.travel(after, tick=False):
        expire_holds()
        page = visitor.get(f"/mi-pedido/{order.access_token}/").content.decode()
        staff = client_for(acme, staff_in(acme, Role.SELLER))
        queue = staff.get("/panel/online/").content.decode()
        rejected = staff.post(
            f"/panel/online/{order.public_id}/rechazar/", {"reason": "Sin facturas"}, follow=True
        )

    assert "Estamos verificando su pago" in page and "No tiene entradas válidas" not in page
    assert "Vencido el plazo de verificación" in queue and "Cobrado; la venta no se completó." in queue
    assert "El banco ya cobró la tarjeta: reembolse Bs. 5.800,00 al cliente." in rejected.content.decode()
    assert not Seat.objects.filter(zone__event=event, status="held").exists()


def test_a_card_the_gateway_never_decided_on_lets_its_seats_go_at_the_end_of_the_window(event, visitor):
    order = held_order_with_buyer(visitor, event)
    pay_by_card(visitor, order, TIMEOUT)
    order.refresh_from_db()
    assert order.status == Order.Status.REVIEW

    expire_holds(now=order.expires_at + timedelta(seconds=1))

    order.refresh_from_db()
    assert order.status == Order.Status.EXPIRED
    assert not Seat.objects.filter(zone__event=event, status="held").exists()


def test_a_declined_card_keeps_the_hold_as_it_was(event, visitor):
    order = held_order_with_buyer(visitor, event)
    expires_at = Order.objects.get().expires_at

    response = pay_by_card(visitor, order, DECLINE)

    assert response.status_code == 402
    assert "rechazó la tarjeta" in response.content.decode()
    order.refresh_from_db()
    assert order.status == Order.Status.HELD and order.expires_at == expires_at
    assert not Invoice.objects.exists()
    # It expires like any hold: the seats go back on sale.
    expire_holds(now=expires_at + timedelta(seconds=1))
    assert not Seat.objects.filter(zone__event=event, status="held").exists()


def test_card_form_errors_are_shown_next_to_the_fields(event, visitor):
    order = held_order_with_buyer(visitor, event)

    response = visitor.post(
        f"/compra/{order.public_id}/pago/",
        {
            "method": "card_online",
            "card_number": "4111 1111 1111 1112",
            "holder": "",
            "expiry": "13/20",
            "cvv": "1",
        },
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert "Revise el número de la tarjeta." in html and "Use el formato MM/AA" in html
    assert Order.objects.get().status == Order.Status.HELD


def test_what_the_customer_typed_comes_back_with_the_error(event, visitor):
    """Checkout and the card form are drawn again from what was sent (the security code is not:
    a password field is never sent back to the page)."""
    hold(visitor, event, seats(event))
    order = Order.objects.get()

    checkout = visitor.post(f"/compra/{order.public_id}/", {**BUYER, "email": "no", "method": "card_online"})
    visitor.post(f"/compra/{order.public_id}/", {**BUYER, "method": "card_online"})
    declined = pay_by_card(visitor, order, DECLINE)

    html = checkout.content.decode()
    assert checkout.status_code == 422
    assert re.search(r'name="first_name" value="Luisa"', html) and re.search(
        r'name="phone" value="0414-5556677"', html
    )
    assert re.search(r'value="card_online"[^>]*checked', html)
    card = declined.content.decode()
    assert declined.status_code == 402
    assert re.search(r'name="card_number" value="4000 0000 0000 0002"', card)
    assert re.search(r'name="holder" value="L R"', card) and re.search(r'name="expiry" value="12/39"', card)
    assert not re.search(r'name="cvv"[^>]*value=', card)


def _webhook(client, *, order, status, event_id="evt-1", signature=None):
    gateway = card_gateway()
    body = gateway.webhook_body(event_id=event_id, order_reference=str(order.public_id), status=status)
    return client.post(
        "/pagos/webhook/sandbox/",
        body,
        content_type="application/json",
        HTTP_X_SIGNATURE=signature if signature is not None else gateway.sign(body),
    )


def test_a_pending_card_waits_for_the_webhook_which_completes_it_once(event, visitor, client_for, acme):
    order = held_order_with_buyer(visitor, event)
    pay_by_card(visitor, order, TIMEOUT)
    order.refresh_from_db()
    assert order.status == Order.Status.REVIEW
    gateway_client = client_for(acme)

    first = _webhook(gateway_client, order=order, status=ChargeStatus.APPROVED)
    replay = _webhook(gateway_client, order=order, status=ChargeStatus.APPROVED)

    assert first.json() == {"result": "completed"} and replay.json() == {"result": "replayed"}
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED
    assert Invoice.objects.filter(order=order).count() == 1


@override_settings(PAYMENT_SANDBOX_WEBHOOK_SECONDS=0)
def test_the_gateway_posts_its_verdict_on_a_pending_card_to_the_organizations_site(
    event, visitor, client_for, acme
):
    order = held_order_with_buyer(visitor, event)
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, re.compile(r"http://127\.0\.0\.1:\d+/pagos/webhook/sandbox/"))
        pay_by_card(visitor, order, TIMEOUT)
        sent = mock.calls[0].request
    assert sent.headers["Host"].startswith(f"{acme.slug}.localhost")

    # What the gateway posted, delivered to our endpoint: the sale completes.
    response = client_for(acme).post(
        "/pagos/webhook/sandbox/",
        sent.body,
        content_type="application/json",
        HTTP_X_SIGNATURE=sent.headers["X-Signature"],
    )

    assert response.json() == {"result": "completed"}
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED


def test_a_card_approved_after_the_review_window_gets_its_seats_back_and_completes(
    event, visitor, client_for, acme
):
    order = held_order_with_buyer(visitor, event)
    pay_by_card(visitor, order, TIMEOUT)
    order.refresh_from_db()

    with time_machine.travel(order.expires_at + timedelta(minutes=1)):
        expire_holds()
        assert Order.objects.get(pk=order.pk).status == Order.Status.EXPIRED
        response = _webhook(client_for(acme), order=order, status=ChargeStatus.APPROVED)

    assert response.json() == {"result": "completed"}
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED and Invoice.objects.filter(order=order).exists()
    assert set(Seat.objects.filter(pk__in=[s.pk for s in seats(event)]).values_list("status", flat=True)) == {
        "sold"
    }


def test_a_card_approved_after_its_seats_went_to_someone_else_waits_for_a_refund(
    event, visitor, client_for, acme, staff_in
):
    order = held_order_with_buyer(visitor, event)
    pay_by_card(visitor, order, TIMEOUT)
    order.refresh_from_db()

    with time_machine.travel(order.expires_at + timedelta(minutes=1)):
        expire_holds()
        hold(client_for(acme), event, seats(event, 1))
        response = _webhook(client_for(acme), order=order, status=ChargeStatus.APPROVED)
        mine = visitor.get(f"/mi-pedido/{order.access_token}/").content.decode()
        queue = client_for(acme, staff_in(acme, Role.SELLER)).get("/panel/online/").content.decode()

    assert response.json() == {"result": "late_payment"}
    order.refresh_from_db()
    assert order.status == Order.Status.REVIEW
    assert "sus asientos eran de otra persona" in mine
    assert "Pago reportado sin asientos: reembolsar o reubicar" in queue and "Cobrado" in queue


def test_a_webhook_with_a_bad_signature_is_rejected_and_changes_nothing(event, visitor, client_for, acme):
    order = held_order_with_buyer(visitor, event)
    pay_by_card(visitor, order, TIMEOUT)

    response = _webhook(client_for(acme), order=order, status=ChargeStatus.APPROVED, signature="0" * 64)

    assert response.status_code == 400 and response.json() == {"error": "invalid signature"}
    order.refresh_from_db()
    assert order.status == Order.Status.REVIEW


def test_a_declined_webhook_releases_the_seats(event, visitor, client_for, acme):
    order = held_order_with_buyer(visitor, event)
    pay_by_card(visitor, order, TIMEOUT)

    response = _webhook(client_for(acme), order=order, status=ChargeStatus.DECLINED)

    assert response.json() == {"result": "declined"}
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert not Seat.objects.filter(zone__event=event, status="held").exists()


def test_an_unknown_gateway_is_404(event, client_for, acme):
    assert (
        client_for(acme).post("/pagos/webhook/otro/", b"{}", content_type="application/json").status_code
        == 404
    )


def report_pago_movil(client, order, **fields):
    return client.post(
        f"/compra/{order.public_id}/pago/",
        {
            "method": "pago_movil",
            "report-bank": "0102",
            "report-payer_phone": "0414-5556677",
            "report-payer_id": "V-18456789",
            "report-reference": "00123456",
            "report-date": money.today_in_caracas().isoformat(),
            **fields,
        },
    )


def quote_of(page) -> str:
    return re.search(r'name="quote" value="([^"]+)"', page.content.decode()).group(1)


@pytest.mark.parametrize("tomorrows_rate", [None, "120"])
def test_a_pago_movil_sent_before_midnight_and_reported_after_is_what_the_page_asked(
    event, visitor, tomorrows_rate
):
    from ticketing.payments.models import ExchangeRate

    caracas_now = timezone.localtime(timezone.now(), money.CARACAS)
    midnight = (caracas_now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    tomorrow = midnight.date()
    ExchangeRate.objects.filter(date__gte=tomorrow).delete()
    if tomorrows_rate:  # loaded early by a diligent manager: still not what the customer was asked
        money.set_rate(
            on=tomorrow, currency="USD", ves_per_unit=Decimal(tomorrows_rate), by=None, confirmed=True
        )

    with time_machine.travel(midnight - timedelta(minutes=5), tick=False):
        order = held_order_with_buyer(visitor, event, method="pago_movil")
        page = payment_page(visitor, order)
    with time_machine.travel(midnight + timedelta(minutes=3), tick=False):
        response = report_pago_movil(
            visitor, order, quote=quote_of(page), **{"report-date": f"{tomorrow:%Y-%m-%d}"}
        )

    assert "Bs. 5.800,00" in page.content.decode()
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Order.Status.REVIEW
    assert order.draft_payments[0]["amount"] == "5800.00"
    assert order.draft_payments[0]["quoted_on"] == (tomorrow - timedelta(days=1)).isoformat()


def test_a_payment_quote_of_another_order_or_an_older_day_prices_at_todays_rate(event, visitor):
    from ticketing.storefront.services import quote_token, quoted_day

    order = held_order_with_buyer(visitor, event, method="pago_movil")
    other = Order.objects.create(
        event=event, channel=Order.Channel.ONLINE, status=Order.Status.HELD, expires_at=timezone.now()
    )
    today = money.today_in_caracas()

    assert quoted_day(order, quote_token(order, today - timedelta(days=1))) == today - timedelta(days=1)
    assert quoted_day(order, quote_token(other, today)) is None
    assert quoted_day(order, quote_token(order, today - timedelta(days=2))) is None
    assert quoted_day(order, quote_token(order, today)[:-1] + "x") is None
    assert quoted_day(order, "") is None and quoted_day(order, None) is None


def test_a_reported_pago_movil_waits_in_review_with_the_seats_held(event, visitor):
    order = held_order_with_buyer(visitor, event, method="pago_movil")
    page = visitor.get(f"/compra/{order.public_id}/pago/?method=pago_movil").content.decode()

    response = report_pago_movil(visitor, order)

    assert "0134 Banesco" in page and "0424-1112233" in page and "Bs. 5.800,00" in page
    # Sent, most often, from the buyer's own phone: the report starts with what checkout was told.
    assert re.search(r'name="report-payer_phone"[^>]*value="0414-5556677"', page)
    assert re.search(r'name="report-payer_id"[^>]*value="V-18456789"', page)
    order.refresh_from_db()
    assert response.status_code == 302
    assert order.status == Order.Status.REVIEW
    assert order.draft_payments[0]["amount"] == "5800.00"
    assert order.draft_payments[0]["details"]["payer_phone"] == "+584145556677"
    minutes_left = (order.expires_at - timezone.now()).total_seconds() / 60
    assert 115 < minutes_left <= 120  # the event's review window
    assert set(
        Seat.objects.filter(zone__event=event, status__in=["held", "sold"]).values_list("status", flat=True)
    ) == {"held"}
    # Nobody checked it in time: the customer paid, so it waits for staff with its seats.
    expire_holds(now=order.expires_at + timedelta(seconds=1))
    order.refresh_from_db()
    assert order.status == Order.Status.REVIEW
    assert set(order.tickets.values_list("status", flat=True)) == {Ticket.Status.HELD}


def test_a_pago_movil_sent_while_the_event_was_stopped_is_still_heard(
    event, visitor, acme, staff_in, client_for
):
    from ticketing.events.models import Event
    from ticketing.events.services import change_event_status

    order = held_order_with_buyer(visitor, event, method="pago_movil")
    change_event_status(event=Event.objects.get(pk=event.pk), status=Event.Status.CANCELLED)

    response = report_pago_movil(visitor, order)  # the money left the customer's bank already

    order.refresh_from_db()
    assert response.status_code == 302 and order.status == Order.Status.REVIEW
    queue = client_for(acme, staff_in(acme, Role.SELLER)).get("/panel/online/").content.decode()
    assert str(order.public_id) in queue  # staff confirm it or give the money back


def payment_page(client, order, method="pago_movil"):
    return client.get(f"/compra/{order.public_id}/pago/?method={method}")


def test_opening_the_pago_movil_instructions_holds_the_seats_15_minutes_once(event, visitor):
    order = held_order_with_buyer(visitor, event, method="pago_movil")
    assert (order.expires_at - timezone.now()) < timedelta(minutes=11)  # the event's 10 minutes

    page = payment_page(visitor, order).content.decode()
    order.refresh_from_db()
    extended = order.expires_at
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        payment_page(visitor, order)

    assert "Le reservamos los asientos al menos 15 minutos para que haga el pago y lo reporte." in page
    assert timedelta(minutes=14) < extended - timezone.now() <= timedelta(minutes=15)
    order.refresh_from_db()
    assert order.expires_at == extended  # once
    # The countdown no longer sends the customer away at zero: a payment may be on its way.
    assert "data-expire-url" not in page and "si ya pagó, repórtelo igual" in page


def test_the_card_page_keeps_the_hold_as_it_is(event, visitor):
    order = held_order_with_buyer(visitor, event)
    expires_at = order.expires_at

    page = payment_page(visitor, order, method="card_online").content.decode()

    order.refresh_from_db()
    assert order.expires_at == expires_at and "data-expire-url" in page


def test_a_pago_movil_reported_after_the_hold_ran_out_gets_its_seats_back(event, visitor):
    order = held_order_with_buyer(visitor, event, method="pago_movil")
    payment_page(visitor, order)
    order.refresh_from_db()

    with time_machine.travel(order.expires_at + timedelta(minutes=2)):
        expire_holds()
        assert not Seat.objects.filter(zone__event=event, status="held").exists()
        page = payment_page(visitor, order)
        response = report_pago_movil(visitor, order)
        mine = visitor.get(response["Location"]).content.decode()

    html = page.content.decode()
    assert page.status_code == 200
    assert "Su reserva venció. Si ya hizo el pago, repórtelo abajo igual" in html
    assert "Bs. 5.800,00" in html and "Fila A" in html  # what they were asked for, and for what
    assert response.status_code == 302 and response["Location"] == f"/mi-pedido/{order.access_token}/"
    order.refresh_from_db()
    assert order.status == Order.Status.REVIEW and order.draft_payments[0]["amount"] == "5800.00"
    assert sorted(order.tickets.filter(status="held").values_list("seat_id", flat=True)) == [
        s.pk for s in seats(event)
    ]
    assert set(Seat.objects.filter(pk__in=[s.pk for s in seats(event)]).values_list("status", flat=True)) == {
        "held"
    }
    assert "Estamos verificando su pago" in mine


def test_the_sales_history_names_what_a_late_report_did(event, visitor, client_for, acme, staff_in):
    order = held_order_with_buyer(visitor, event, method="pago_movil")
    payment_page(visitor, order)
    order.refresh_from_db()
    with time_machine.travel(order.expires_at + timedelta(minutes=2)):
        expire_holds()
        report_pago_movil(visitor, order)

    staff = client_for(acme, staff_in(acme, Role.MANAGER))
    html = staff.get(f"/panel/sales/orders/{order.public_id}/").content.decode()

    assert "Se extendió la reserva para pagar por Pago Móvil o Zelle" in html
    assert "Se volvieron a reservar los asientos" in html
    assert "El cliente reportó su pago después de vencida la reserva" in html
    assert "hold_again" not in html


def test_a_late_report_holds_again_only_what_the_customer_kept_in_the_basket(event, visitor):
    first, second, third = seats(event, 3)
    hold(visitor, event, [first, second, third])
    order = Order.objects.get()
    removed = order.tickets.get(seat=third)
    visitor.post(f"/compra/{order.public_id}/quitar/{removed.pk}/", HTTP_HX_REQUEST="true")
    visitor.post(f"/compra/{order.public_id}/", {**BUYER, "method": "pago_movil"})
    order.refresh_from_db()

    with time_machine.travel(order.expires_at + timedelta(minutes=2)):
        expire_holds()
        report_pago_movil(visitor, order)

    order.refresh_from_db()
    assert order.status == Order.Status.REVIEW and order.draft_payments[0]["amount"] == "5800.00"
    assert sorted(order.tickets.filter(status="held").values_list("seat_id", flat=True)) == [
        first.pk,
        second.pk,
    ]
    assert Seat.objects.get(pk=third.pk).status == "available"


def test_a_report_before_the_sweep_keeps_the_seats_it_still_holds(event, visitor):
    order = held_order_with_buyer(visitor, event, method="pago_movil")

    with time_machine.travel(order.expires_at + timedelta(seconds=20)):
        response = report_pago_movil(visitor, order)

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Order.Status.REVIEW
    assert set(order.tickets.values_list("status", flat=True)) == {"held"}


def test_a_pago_movil_reported_after_its_seats_were_taken_waits_for_a_refund(
    event, visitor, client_for, acme, staff_in, django_capture_on_commit_callbacks
):
    from django.core import mail

    order = held_order_with_buyer(visitor, event, method="pago_movil")
    other = client_for(acme)

    with time_machine.travel(order.expires_at + timedelta(minutes=2)):
        expire_holds()
        hold(other, event, seats(event, 1))  # someone else took one of them meanwhile
        with django_capture_on_commit_callbacks(execute=True):
            response = report_pago_movil(visitor, order)
        mine = visitor.get(response["Location"]).content.decode()
        staff = client_for(acme, staff_in(acme, Role.SELLER))
        queue = staff.get("/panel/online/").content.decode()
        confirmed = staff.post(f"/panel/online/{order.public_id}/confirmar/", follow=True).content.decode()
        rejected = staff.post(
            f"/panel/online/{order.public_id}/rechazar/", {"reason": "Le devolvimos el pago"}, follow=True
        ).content.decode()

    assert response.status_code == 302
    assert "llegó cuando su reserva ya había vencido y sus asientos eran de otra persona" in mine
    assert "devolverle el dinero u ofrecerle otros asientos" in mine
    assert len(mail.outbox) == 1 and "sus asientos eran de otra persona" in mail.outbox[0].body
    assert "quedan reservados" not in mail.outbox[0].body
    assert "Pago reportado sin asientos: reembolsar o reubicar" in queue and "00123456" in queue
    assert 'data-testid="confirm-payment"' not in queue
    assert "no hay venta que completar" in confirmed
    assert "reembólselo al cliente: reportó Bs. 5.800,00 por Pago Móvil" in rejected
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and not Invoice.objects.filter(order=order).exists()
    # The other visitor's hold is untouched, the seat this order no longer had stayed free.
    taken, free = seats(event)
    assert (
        Seat.objects.get(pk=taken.pk).status == "held" and Seat.objects.get(pk=free.pk).status == "available"
    )


def test_staff_give_back_a_payment_that_came_after_its_seats_were_gone_and_say_how(
    event, visitor, client_for, acme, globex, staff_in, django_capture_on_commit_callbacks
):
    from django.core import mail

    order = held_order_with_buyer(visitor, event, method="pago_movil")
    buyer = client_for(acme)
    hold(buyer, event, seats(event, 4)[2:])  # other seats, reported in time
    with_seats = Order.objects.exclude(pk=order.pk).get(channel=Order.Channel.ONLINE, status="held")
    buyer.post(f"/compra/{with_seats.public_id}/", {**BUYER, "method": "pago_movil"})
    report_pago_movil(buyer, with_seats)
    staff = client_for(acme, staff_in(acme, Role.SELLER))
    with time_machine.travel(order.expires_at + timedelta(minutes=2)):
        expire_holds()
        hold(client_for(acme), event, seats(event, 1))  # someone else took one of them meanwhile
        report_pago_movil(visitor, order)
        queue = staff.get("/panel/online/").content.decode()
        url = f"/panel/online/{order.public_id}/devolver/"
        stranger = client_for(globex, staff_in(globex, Role.SELLER)).post(url, {"reason": "x"})
        door = client_for(acme, staff_in(acme, Role.DOOR)).post(url, {"reason": "x"})
        blank = staff.post(url, {"reason": " "}, HTTP_HX_REQUEST="true")
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            done = staff.post(url, {"reason": "Pago Móvil a su teléfono, ref. 00456789"}, follow=True)
        seated = staff.post(f"/panel/online/{with_seats.public_id}/devolver/", {"reason": "x"}, follow=True)

    assert 'data-testid="refund-payment"' in queue and queue.count('data-testid="refund-payment"') == 1
    assert stranger.status_code == 404 and door.status_code == 403
    assert blank.status_code == 422 and "Indique cómo devolvió el pago." in blank.content.decode()
    assert "Pago devuelto: la compra quedó cerrada. Le escribimos al cliente cómo se le devolvió." in (
        done.content.decode()
    )
    assert "Este pago tiene sus asientos reservados" in seated.content.decode()
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and not Invoice.objects.filter(order=order).exists()
    refunded = AuditEntry.objects.get(order=order, action="payment_refunded")
    assert refunded.data["note"] == "Pago Móvil a su teléfono, ref. 00456789"
    assert refunded.data["amount"] == "5800.00"
    (sent,) = mail.outbox
    assert sent.subject.startswith("Le devolvimos su pago para")
    assert "Recibimos el pago de Bs. 5.800,00 que reportó" in sent.body
    assert "Cómo se lo devolvimos: Pago Móvil a su teléfono, ref. 00456789" in sent.body
    assert "No pudimos verificar" not in sent.body
    with_seats.refresh_from_db()
    assert with_seats.status == Order.Status.REVIEW  # untouched


def test_a_card_page_after_the_hold_ran_out_still_goes_back_to_the_event(event, visitor):
    order = held_order_with_buyer(visitor, event)

    with time_machine.travel(order.expires_at + timedelta(minutes=2)):
        expire_holds()
        response = payment_page(visitor, order, method="card_online")

    assert response.status_code == 302 and response["Location"] == f"/e/{event.pk}/"


def test_a_pago_movil_report_with_bad_fields_is_refused_next_to_them(event, visitor):
    order = held_order_with_buyer(visitor, event, method="pago_movil")

    response = visitor.post(
        f"/compra/{order.public_id}/pago/",
        {
            "method": "pago_movil",
            "report-bank": "9999",
            "report-reference": "abc",
            "report-date": "2020-01-01",
        },
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert "Elija un banco de la lista." in html and "de 4 a 20 dígitos" in html
    assert Order.objects.get().status == Order.Status.HELD


def test_zelle_asks_for_the_dollars_including_igtf_and_settles_exactly(event, visitor, acme):
    acme.is_special_taxpayer = True
    acme.save()
    try:
        order = held_order_with_buyer(visitor, event, method="zelle")
        page = visitor.get(f"/compra/{order.public_id}/pago/?method=zelle").content.decode()
        visitor.post(
            f"/compra/{order.public_id}/pago/",
            {"method": "zelle", "report-sender": "luisa@example.com", "report-confirmation_code": "ZL12345"},
        )
    finally:
        acme.is_special_taxpayer = False
        acme.save()

    assert "USD 59,74" in page and "IGTF" in page  # 58.00 + 3% = 59.74
    order.refresh_from_db()
    assert order.status == Order.Status.REVIEW
    assert order.draft_payments[0]["amount"] == "59.74"


def test_a_method_the_organization_has_not_enabled_cannot_be_used(event, visitor):
    settings_row = online_settings()
    settings_row.zelle_enabled = False
    settings_row.save()
    order = held_order_with_buyer(visitor, event, method="pago_movil")

    response = visitor.get(f"/compra/{order.public_id}/pago/?method=zelle")

    assert response.status_code == 302 and response["Location"] == f"/compra/{order.public_id}/"


def test_after_the_hold_expires_checkout_sends_the_visitor_back_to_the_event(event, visitor):
    hold(visitor, event, seats(event))
    order = Order.objects.get()

    with time_machine.travel(order.expires_at + timedelta(seconds=5)):
        response = visitor.get(f"/compra/{order.public_id}/")

    assert response.status_code == 302 and response["Location"] == f"/e/{event.pk}/"


@pytest.mark.parametrize("page", ["event", "checkout", "payment"])
def test_pages_showing_a_hold_are_never_taken_from_the_browsers_cache(event, visitor, page):
    """Back after the countdown sent the visitor to the event must ask the server again, not
    show the payment page as it was with a countdown starting over."""
    order = held_order_with_buyer(visitor, event, method="pago_movil")
    url = {
        "event": f"/e/{event.pk}/",
        "checkout": f"/compra/{order.public_id}/",
        "payment": f"/compra/{order.public_id}/pago/?method=pago_movil",
    }[page]

    response = visitor.get(url)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]


def test_a_paid_order_sends_the_visitor_to_its_page(event, visitor):
    order = held_order_with_buyer(visitor, event)
    pay_by_card(visitor, order, APPROVE)
    order.refresh_from_db()

    response = visitor.get(f"/compra/{order.public_id}/")

    assert response.status_code == 302 and response["Location"] == f"/mi-pedido/{order.access_token}/"


def test_holds_and_sales_online_are_audited(event, visitor):
    order = held_order_with_buyer(visitor, event)
    pay_by_card(visitor, order, APPROVE)

    actions = list(AuditEntry.objects.filter(order=order).values_list("action", flat=True))
    assert actions == ["hold", "card_charge", "complete"]


def test_another_organizations_visitor_gets_404_for_the_order(event, visitor, client_for, globex):
    hold(visitor, event, seats(event))
    order = Order.objects.get()

    connection.set_schema_to_public()
    assert client_for(globex).get(f"/compra/{order.public_id}/").status_code == 404


def test_the_terms_page_shows_the_organizations_terms(event, visitor):
    settings_row = online_settings()
    settings_row.terms = "No se aceptan devoluciones."
    settings_row.save()

    assert "No se aceptan devoluciones." in visitor.get("/terminos/").content.decode()


def test_the_webhook_body_must_be_json(event, client_for, acme):
    gateway = card_gateway()
    body = b"not json"
    response = client_for(acme).post(
        "/pagos/webhook/sandbox/", body, content_type="application/json", HTTP_X_SIGNATURE=gateway.sign(body)
    )
    assert response.status_code == 400
    assert json.loads(response.content) == {"error": "malformed notification"}
    assert re.search(r"error", response.content.decode())


def test_checkout_never_shows_a_stored_customers_name_or_phone_to_whoever_types_their_cedula(event, visitor):
    a_customer(document="V-18456789", first_name="Carmen", last_name="Salas", phone="+584241234567")
    order = held_order_with_buyer(visitor, event)  # a stranger types Carmen's cédula, with their details

    html = visitor.get(f"/compra/{order.public_id}/").content.decode()  # back to "Sus datos"

    assert "4241234567" not in html
    assert "Carmen" not in html and "Salas" not in html
    assert 'value="V-18456789"' in html  # what the visitor typed comes back


def test_a_card_is_not_charged_for_an_event_cancelled_during_checkout(event, visitor):
    from ticketing.events.models import Event
    from ticketing.events.services import change_event_status

    order = held_order_with_buyer(visitor, event)
    change_event_status(event=Event.objects.get(pk=event.pk), status=Event.Status.CANCELLED)

    response = pay_by_card(visitor, order, APPROVE)

    order.refresh_from_db()
    assert "Este evento no está a la venta." in response.content.decode()
    assert order.status == Order.Status.HELD
    assert not Invoice.objects.filter(order=order).exists()


def test_a_cancel_button_left_open_after_paying_shows_the_order_and_keeps_the_payment(event, visitor):
    order = held_order_with_buyer(visitor, event, method="pago_movil")
    report_pago_movil(visitor, order)
    order.refresh_from_db()
    assert order.status == Order.Status.REVIEW

    response = visitor.post(f"/compra/{order.public_id}/cancelar/", HTTP_HX_REQUEST="true")

    order.refresh_from_db()
    assert response["HX-Redirect"] == f"/mi-pedido/{order.access_token}/"
    assert order.status == Order.Status.REVIEW
    assert not Seat.objects.filter(pk__in=[s.pk for s in seats(event)], status=Seat.Status.AVAILABLE).exists()
