"""Staff side of online sales: the queue of reported Pago Móvil and Zelle payments (confirm
completes the sale, reject releases the seats) and the online sales settings page."""

import random
import re
import uuid
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from tests.factories import StaffFactory
from tests.sales_helpers import at_once, on_sale_event, set_todays_rate
from ticketing.accounts.roles import Role
from ticketing.core.money import format_money
from ticketing.events.models import Seat
from ticketing.fiscal.models import Invoice
from ticketing.payments import services as money
from ticketing.sales import services as sales
from ticketing.sales.models import AuditEntry, Order, Payment, Ticket
from ticketing.storefront import services as online
from ticketing.storefront.models import OnlineSalesSettings
from ticketing.storefront.services import Buyer
from ticketing.storefront.settings_services import save_online_settings

REVIEW_URL = "/panel/online/"
SETTINGS_URL = "/panel/online/ajustes/"
SANDBOX_CARD_PENDING = "4000 0000 0000 0119"


def enable_online_payments() -> OnlineSalesSettings:
    row = online.online_settings()
    row.pago_movil_enabled = True
    row.pago_movil_bank = "0134"
    row.pago_movil_phone = "+584241112233"
    row.pago_movil_document = "J-31294846-9"
    row.zelle_enabled = True
    row.zelle_email = "pagos@acme.test"
    row.zelle_holder = "Acme Eventos"
    row.save()
    return row


def pago_movil_details(reference="123456") -> dict:
    return {
        "bank": "0102",
        "payer_phone": "+584141234567",
        "payer_id": "V-12345678",
        "reference": reference,
        "date": money.today_in_caracas().isoformat(),
    }


ZELLE_DETAILS = {"sender": "ana.perez@example.com", "confirmation_code": "ZL7788AB"}


def seat(event, row, number) -> int:
    return Seat.objects.get(event=event, row_label=row, number=number, table__isnull=True).pk


def held_online(
    event, seat_ids, *, document="V-12345678", first_name="Ana", email="ana@example.test"
) -> Order:
    order = online.hold_online(event=event, session_key=uuid.uuid4().hex, seat_ids=seat_ids)
    buyer = Buyer(
        first_name=first_name, last_name="Pérez", id_document=document, phone="04141234567", email=email
    )
    return online.save_buyer(order=order, buyer=buyer)


def in_review(event, seat_ids, *, method="pago_movil", details=None, **buyer) -> Order:
    order = held_online(event, seat_ids, **buyer)
    if details is None:
        details = pago_movil_details() if method == "pago_movil" else ZELLE_DETAILS
    return online.report_payment(order=order, method=method, details=details)


@pytest.fixture
def event(in_acme):
    set_todays_rate("100")
    enable_online_payments()
    return on_sale_event(name="Gaitas en el Teresa Carreño")


@pytest.fixture
def seller(acme, staff_in):
    return staff_in(acme, Role.SELLER)


@pytest.fixture
def seller_client(acme, seller, client_for):
    return client_for(acme, seller)


def confirm_url(order) -> str:
    return f"/panel/online/{order.public_id}/confirmar/"


def reject_url(order) -> str:
    return f"/panel/online/{order.public_id}/rechazar/"


def flashes(response) -> str:
    return " ".join(str(m) for m in response.wsgi_request._messages)


# --- The queue ------------------------------------------------------------------------------------


def test_the_queue_shows_each_reported_payment_with_what_staff_compare_with_the_bank(event, seller_client):
    order = in_review(event, [seat(event, "A", 1), seat(event, "A", 2)], first_name="Ana")

    html = seller_client.get(REVIEW_URL).content.decode()

    assert f'id="review-{order.public_id}"' in html
    assert "Gaitas en el Teresa Carreño" in html
    assert "Ana Pérez" in html and "V-12345678" in html
    assert "2 entradas" in html
    assert all(label in html for label in order.tickets.values_list("label", flat=True))
    reported = order.draft_payments[0]
    assert "Pago Móvil" in html and format_money(Decimal(reported["amount"]), "VES") in html
    assert "Banco de Venezuela (0102)" in html
    assert "0414-1234567" in html and "123456" in html
    assert money.today_in_caracas().strftime("%d/%m/%Y") in html
    assert re.search(r"Quedan 1\s+hora, 59\s+minutos", html)  # the event's 120-minute window
    assert f'action="{confirm_url(order)}"' in html and f'action="{reject_url(order)}"' in html


def test_a_zelle_shows_its_sender_and_confirmation_code(event, seller_client):
    in_review(event, [seat(event, "B", 1)], method="zelle")

    html = seller_client.get(REVIEW_URL).content.decode()

    assert "Zelle" in html and "ana.perez@example.com" in html and "ZL7788AB" in html
    assert "USD" in html


def test_the_queue_lists_only_reported_online_payments_closest_deadline_first(event, seller_client):
    later = in_review(event, [seat(event, "A", 1)], first_name="Tarde")
    sooner = in_review(event, [seat(event, "A", 2)], method="zelle", first_name="Pronto")
    Order.objects.filter(pk=sooner.pk).update(expires_at=timezone.now() + timedelta(minutes=15))
    just_held = held_online(event, [seat(event, "A", 3)], first_name="Reservando")
    box_office = sales.hold(event=event, channel=Order.Channel.BOX_OFFICE, seat_ids=[seat(event, "A", 4)])
    rejected = in_review(event, [seat(event, "A", 5)], first_name="Rechazado")
    online.reject_payment(order=rejected, actor=None, reason="No llegó")
    card = held_online(event, [seat(event, "A", 6)], first_name="Tarjeta")
    card = online.pay_by_card(order=card, card_number=SANDBOX_CARD_PENDING).order
    assert card.status == Order.Status.REVIEW  # waiting for the gateway, not for staff

    html = seller_client.get(REVIEW_URL).content.decode()

    listed = [o for o in (later, sooner, just_held, box_office, rejected, card) if str(o.public_id) in html]
    assert listed == [later, sooner]
    assert html.index(str(sooner.public_id)) < html.index(str(later.public_id))
    assert "Rechazado" not in html and "Tarjeta" not in html and "Reservando" not in html


def test_an_empty_queue_says_so(event, seller_client):
    html = seller_client.get(REVIEW_URL).content.decode()

    assert "No hay pagos por verificar" in html
    assert 'id="review-table"' not in html


def test_the_queue_is_paginated_by_25(event, seller_client):
    seat_ids = list(
        Seat.objects.filter(event=event, table__isnull=True).order_by("pk").values_list("pk", flat=True)
    )
    orders = [in_review(event, [seat_id]) for seat_id in seat_ids[:26]]

    first = seller_client.get(REVIEW_URL).content.decode()
    second = seller_client.get(REVIEW_URL + "?page=2", HTTP_HX_REQUEST="true").content.decode()

    assert first.count('data-testid="review-row"') == 25 and "Página 1 de 2" in first
    assert second.count('data-testid="review-row"') == 1 and "Página 2 de 2" in second
    assert "<html" not in second  # htmx gets the section only
    assert str(orders[-1].public_id) in second  # the farthest deadline comes last


def test_the_menu_shows_sellers_how_many_payments_wait(event, acme, staff_in, client_for):
    in_review(event, [seat(event, "A", 1)])
    in_review(event, [seat(event, "A", 2)], method="zelle")
    card = held_online(event, [seat(event, "A", 3)])
    online.pay_by_card(order=card, card_number=SANDBOX_CARD_PENDING)

    seller_page = client_for(acme, staff_in(acme, Role.SELLER)).get("/panel/").content.decode()
    door_page = client_for(acme, staff_in(acme, Role.DOOR)).get("/panel/").content.decode()
    manager_page = client_for(acme, staff_in(acme, Role.MANAGER)).get("/panel/").content.decode()

    assert "Pagos por verificar" in seller_page
    assert '<span class="status-badge pending" data-testid="reviews-count">2</span>' in seller_page
    assert "Pagos en línea por comparar con el banco: 2." in seller_page
    assert "Pagos por verificar" not in door_page
    assert "Venta en línea" in manager_page and SETTINGS_URL in manager_page
    assert SETTINGS_URL not in seller_page


def test_the_menu_has_no_badge_when_nothing_waits(event, seller_client):
    page = seller_client.get("/panel/").content.decode()

    assert "Pagos por verificar" in page and 'data-testid="reviews-count"' not in page
    assert "Ningún pago en línea espera verificación." in page


# --- Confirm --------------------------------------------------------------------------------------


def test_confirming_completes_the_sale_and_opens_it(event, seller, seller_client):
    seat_ids = [seat(event, "A", 1), seat(event, "A", 2)]
    order = in_review(event, seat_ids)

    response = seller_client.post(confirm_url(order))

    assert response.status_code == 302
    assert response["Location"] == f"/panel/sales/orders/{order.public_id}/"
    assert "Pago confirmado" in flashes(response)
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED
    assert order.invoice.number >= 1 and order.invoice.control_number
    assert set(order.tickets.values_list("status", flat=True)) == {Ticket.Status.VALID}
    assert set(Seat.objects.filter(pk__in=seat_ids).values_list("status", flat=True)) == {Seat.Status.SOLD}
    payment = order.payments.get()
    assert payment.method == "pago_movil" and payment.details["reference"] == "123456"
    assert AuditEntry.objects.filter(order=order, action="payment_confirmed", actor=seller).count() == 1
    page = seller_client.get(response["Location"]).content.decode()
    assert "Pagada" in page and "Pago Móvil" in page
    # The history tells it in order: the payment confirmed, then the sale charged and invoiced.
    history = page[page.index('data-testid="order-history"') :]
    assert history.index("Confirmó el pago") < history.index("Cobró y emitió la factura")


def test_with_more_payments_waiting_confirming_goes_back_to_the_queue(event, seller_client):
    first = in_review(event, [seat(event, "A", 1)])
    last = in_review(event, [seat(event, "A", 2)], document="V-20111222", email="luis@example.test")

    to_queue = seller_client.post(confirm_url(first))
    to_sale = seller_client.post(confirm_url(last))

    first.refresh_from_db()
    assert to_queue["Location"] == REVIEW_URL
    assert f"con la factura {first.invoice.display_number}" in flashes(to_queue)
    assert to_sale["Location"] == f"/panel/sales/orders/{last.public_id}/"


def test_a_double_click_on_confirm_sells_once(event, seller_client):
    order = in_review(event, [seat(event, "A", 1)])

    first = seller_client.post(confirm_url(order))
    second = seller_client.post(confirm_url(order))

    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"] == f"/panel/sales/orders/{order.public_id}/"
    assert "ya estaba confirmado" in flashes(second)
    assert Invoice.objects.filter(order=order).count() == 1
    assert Payment.objects.filter(order=order).count() == 1
    assert AuditEntry.objects.filter(order=order, action="complete").count() == 1
    assert Ticket.objects.filter(order=order, status=Ticket.Status.VALID).count() == 1


def test_confirming_an_order_no_longer_in_review_is_a_message_not_an_error(event, seller_client):
    rejected = in_review(event, [seat(event, "A", 1)])
    online.reject_payment(order=rejected, actor=None, reason="No llegó")
    not_reported = held_online(event, [seat(event, "A", 2)])

    for order in (rejected, not_reported):
        response = seller_client.post(confirm_url(order), follow=True)

        assert response.status_code == 200
        assert response.redirect_chain[0][0] == REVIEW_URL
        assert "ya no está esperando verificación" in response.content.decode()
        order.refresh_from_db()
        assert order.status != Order.Status.COMPLETED


def test_a_payment_nobody_checked_in_time_is_never_dropped(event, seller_client, client_for, acme):
    """The customer paid: at the end of the review window the order stays in review with its
    seats, first in the queue and marked overdue, and the customer still reads that we verify it."""
    import time_machine

    seat_ids = [seat(event, "A", 1), seat(event, "A", 2)]
    overdue = in_review(event, seat_ids, first_name="Atrasada")
    fresh = in_review(event, [seat(event, "B", 1)], method="zelle", first_name="Reciente")
    Order.objects.filter(pk=fresh.pk).update(expires_at=overdue.expires_at + timedelta(minutes=30))
    after = overdue.expires_at + timedelta(minutes=5)

    with time_machine.travel(after, tick=False):
        assert sales.expire_holds() == 0
        queue = seller_client.get(REVIEW_URL).content.decode()
        mine = client_for(acme).get(f"/mi-pedido/{overdue.access_token}/").content.decode()
        response = seller_client.post(confirm_url(overdue), follow=True)

    assert queue.index(str(overdue.public_id)) < queue.index(str(fresh.public_id))
    assert queue.count("Vencido el plazo de verificación") == 1
    assert "Los asientos siguen reservados hasta que confirme o rechace el pago." in queue
    assert "Quedan 0" not in queue and "Confirmar pago" in queue
    assert "Estamos verificando su pago" in mine and "siguen reservados" in mine
    assert "Vencida" not in mine and "No tiene entradas válidas" not in mine
    assert "Pago confirmado" in response.content.decode()
    overdue.refresh_from_db()
    assert overdue.status == Order.Status.COMPLETED and Invoice.objects.filter(order=overdue).exists()
    assert set(Seat.objects.filter(pk__in=seat_ids).values_list("status", flat=True)) == {Seat.Status.SOLD}


def test_rejecting_an_overdue_payment_releases_its_seats_and_says_what_to_refund(event, seller_client):
    import time_machine

    seat_ids = [seat(event, "A", 1)]
    order = in_review(event, seat_ids)
    amount = format_money(Decimal(order.draft_payments[0]["amount"]), "VES")

    with time_machine.travel(order.expires_at + timedelta(hours=3), tick=False):
        sales.expire_holds()
        response = seller_client.post(reject_url(order), {"reason": "Llegó incompleto"}, follow=True)

    html = response.content.decode()
    assert "Pago rechazado: los asientos volvieron a la venta." in html
    assert f"Si llegó dinero de este pago, reembólselo al cliente: reportó {amount} por Pago Móvil." in html
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert Seat.objects.get(pk=seat_ids[0]).status == Seat.Status.AVAILABLE


def test_in_its_last_minute_a_payment_says_so_never_zero_minutes(event, seller_client):
    import time_machine

    order = in_review(event, [seat(event, "A", 1)])

    with time_machine.travel(order.expires_at - timedelta(seconds=20), tick=False):
        html = seller_client.get(REVIEW_URL).content.decode()

    assert "Queda menos de un minuto" in html
    assert not re.search(r"Quedan 0\s+minutos", html)


def test_the_queue_asks_for_its_list_again_every_30_seconds(event, seller_client):
    in_review(event, [seat(event, "A", 1)])

    page = seller_client.get(REVIEW_URL).content.decode()
    later = in_review(event, [seat(event, "A", 2)], first_name="Nueva")
    fragment = seller_client.get(REVIEW_URL, HTTP_HX_REQUEST="true").content.decode()

    section = re.search(r'<div id="review-section"[^>]*>', page)[0]
    assert f'hx-get="{REVIEW_URL}"' in section and "every 30s" in section and 'hx-swap="outerHTML"' in section
    assert "details[open]" in section  # not while a rejection is being written
    assert "<html" not in fragment and 'id="review-section"' in fragment
    assert str(later.public_id) in fragment


def test_a_card_payment_waiting_for_the_gateway_cannot_be_confirmed_by_staff(event, seller_client):
    order = held_online(event, [seat(event, "A", 1)])
    order = online.pay_by_card(order=order, card_number=SANDBOX_CARD_PENDING).order

    confirm = seller_client.post(confirm_url(order))
    reject = seller_client.post(reject_url(order), {"reason": "No lo veo"})

    assert "lo confirma el banco" in flashes(confirm) and "lo confirma el banco" in flashes(reject)
    order.refresh_from_db()
    assert order.status == Order.Status.REVIEW


def test_a_box_office_order_is_not_an_online_payment(event, seller_client):
    order = sales.hold(event=event, channel=Order.Channel.BOX_OFFICE, seat_ids=[seat(event, "A", 1)])

    assert seller_client.post(confirm_url(order)).status_code == 404
    assert seller_client.post(reject_url(order), {"reason": "x"}).status_code == 404


def test_confirm_and_reject_take_only_post(event, seller_client):
    order = in_review(event, [seat(event, "A", 1)])

    assert seller_client.get(confirm_url(order)).status_code == 405
    assert seller_client.get(reject_url(order)).status_code == 405
    order.refresh_from_db()
    assert order.status == Order.Status.REVIEW


# --- Reject ---------------------------------------------------------------------------------------


def test_rejecting_releases_the_seats_and_records_the_reason(event, seller, seller_client):
    seat_ids = [seat(event, "A", 1), seat(event, "A", 2)]
    order = in_review(event, seat_ids)

    response = seller_client.post(
        reject_url(order), {"reason": "No llegó ningún Pago Móvil con esa referencia"}
    )

    assert response.status_code == 302 and response["Location"] == REVIEW_URL
    assert "Pago rechazado" in flashes(response)
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert set(order.tickets.values_list("status", flat=True)) == {Ticket.Status.RELEASED}
    assert set(Seat.objects.filter(pk__in=seat_ids).values_list("status", flat=True)) == {
        Seat.Status.AVAILABLE
    }
    entry = AuditEntry.objects.get(order=order, action="payment_rejected")
    assert entry.actor == seller
    assert entry.data["reason"] == "No llegó ningún Pago Móvil con esa referencia"
    assert not Invoice.objects.filter(order=order).exists()
    # the seats can be sold again
    again = sales.hold(event=event, channel=Order.Channel.BOX_OFFICE, seat_ids=seat_ids)
    assert again.tickets.count() == 2


def test_rejecting_from_the_queue_with_htmx_removes_the_row(event, seller_client):
    order = in_review(event, [seat(event, "A", 1)])

    response = seller_client.post(reject_url(order), {"reason": "Monto incompleto"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'hx-swap-oob="true"' in html and "Pago rechazado" in html
    assert "<tr" not in html
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED


def test_a_rejection_needs_a_reason_shown_under_the_field(event, seller_client):
    order = in_review(event, [seat(event, "A", 1)])

    page = seller_client.post(reject_url(order), {"reason": "   "})
    row = seller_client.post(reject_url(order), {"reason": ""}, HTTP_HX_REQUEST="true")

    assert page.status_code == 422 and row.status_code == 422
    for response in (page, row):
        html = response.content.decode()
        assert f'id="reject-{order.public_id}-reason_error">Indique el motivo del rechazo.' in html
        assert f'id="review-{order.public_id}"' in html
    assert "<html" not in row.content.decode()
    order.refresh_from_db()
    assert order.status == Order.Status.REVIEW
    assert not AuditEntry.objects.filter(order=order, action="payment_rejected").exists()


def test_rejecting_twice_is_a_message_not_an_error(event, seller_client):
    order = in_review(event, [seat(event, "A", 1)])
    seller_client.post(reject_url(order), {"reason": "No llegó"})

    response = seller_client.post(reject_url(order), {"reason": "No llegó"}, follow=True)

    assert response.status_code == 200
    assert "ya no está esperando verificación" in response.content.decode()
    assert AuditEntry.objects.filter(order=order, action="payment_rejected").count() == 1


def test_a_confirmed_sale_cannot_be_rejected(event, seller_client):
    order = in_review(event, [seat(event, "A", 1)])
    seller_client.post(confirm_url(order))

    response = seller_client.post(reject_url(order), {"reason": "Me equivoqué"})

    assert "ya no está esperando verificación" in flashes(response)
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED


# --- Who may do what ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "may_review", "may_configure"),
    [
        (Role.OWNER, True, True),
        (Role.MANAGER, True, True),
        (Role.SELLER, True, False),
        (Role.DOOR, False, False),
    ],
)
def test_who_may_review_payments_and_change_the_settings(
    event, acme, staff_in, client_for, role, may_review, may_configure
):
    order = in_review(event, [seat(event, "A", 1)])
    client = client_for(acme, staff_in(acme, role))

    assert client.get(REVIEW_URL).status_code == (200 if may_review else 403)
    assert client.get(SETTINGS_URL).status_code == (200 if may_configure else 403)
    if not may_review:
        assert client.post(confirm_url(order)).status_code == 403
        assert client.post(reject_url(order), {"reason": "x"}).status_code == 403
        order.refresh_from_db()
        assert order.status == Order.Status.REVIEW


def test_another_organizations_order_is_a_404_and_stays_in_review(event, acme, globex, staff_in, client_for):
    order = in_review(event, [seat(event, "A", 1)])
    client = client_for(globex, staff_in(globex, Role.OWNER))

    assert client.post(confirm_url(order)).status_code == 404
    assert client.post(reject_url(order), {"reason": "x"}).status_code == 404
    assert str(order.public_id) not in client.get(REVIEW_URL).content.decode()
    connection.set_tenant(acme)
    order.refresh_from_db()
    assert order.status == Order.Status.REVIEW


# --- Settings -------------------------------------------------------------------------------------

VALID_SETTINGS = {
    "card_enabled": "on",
    "pago_movil_enabled": "on",
    "pago_movil_bank": "0105",
    "pago_movil_phone": "0414-123.45.67",
    "pago_movil_document": "j312948469",
    "zelle_enabled": "on",
    "zelle_email": "Cobros@Acme.TEST",
    "zelle_holder": "  Acme   Eventos C.A. ",
    "terms": "Las entradas no tienen devolución.",
}


@pytest.fixture
def manager_client(acme, staff_in, client_for):
    return client_for(acme, staff_in(acme, Role.MANAGER))


def test_the_settings_page_saves_normalized_receiving_data(in_acme, manager_client):
    response = manager_client.post(SETTINGS_URL, VALID_SETTINGS)

    assert response.status_code == 302 and response["Location"] == SETTINGS_URL
    assert "guardados" in flashes(response)
    row = online.online_settings()
    assert (row.card_enabled, row.pago_movil_enabled, row.zelle_enabled) == (True, True, True)
    assert row.pago_movil_bank == "0105"
    assert row.pago_movil_phone == "+584141234567"
    assert row.pago_movil_document == "J-31294846-9"
    assert row.zelle_email == "cobros@acme.test" and row.zelle_holder == "Acme Eventos C.A."
    assert row.terms == "Las entradas no tienen devolución."
    assert row.methods == ["card_online", "pago_movil", "zelle"]
    page = manager_client.get(SETTINGS_URL).content.decode()
    assert 'value="0414-1234567"' in page and "Las entradas no tienen devolución." in page


def test_turning_a_method_off_keeps_its_receiving_data(in_acme, manager_client):
    manager_client.post(SETTINGS_URL, VALID_SETTINGS)
    data = {k: v for k, v in VALID_SETTINGS.items() if k != "pago_movil_enabled"}

    manager_client.post(SETTINGS_URL, data)

    row = online.online_settings()
    assert not row.pago_movil_enabled and row.pago_movil_phone == "+584141234567"
    assert row.methods == ["card_online", "zelle"]


def test_the_settings_form_answers_htmx_with_the_form(in_acme, manager_client):
    response = manager_client.post(SETTINGS_URL, VALID_SETTINGS, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'id="online-settings"' in html and "Ajustes de venta en línea guardados." in html


def field_error(html: str, field: str) -> str:
    marker = f'id="id_{field}_error">'
    assert marker in html, f"no error for {field}"
    start = html.index(marker) + len(marker)
    return html[start : html.index("<", start)]


def test_pago_movil_needs_bank_phone_and_document(in_acme, manager_client):
    data = {**VALID_SETTINGS, "pago_movil_bank": "", "pago_movil_phone": "", "pago_movil_document": ""}

    response = manager_client.post(SETTINGS_URL, data)

    html = response.content.decode()
    assert response.status_code == 422
    assert field_error(html, "pago_movil_bank") == "Elija el banco que recibe los Pago Móvil."
    assert field_error(html, "pago_movil_phone") == "Indique el teléfono celular afiliado al Pago Móvil."
    assert (
        field_error(html, "pago_movil_document") == "Indique la cédula o el RIF del titular del Pago Móvil."
    )
    assert not online.online_settings().pago_movil_enabled


def test_receiving_data_must_be_valid(in_acme, manager_client):
    data = {
        **VALID_SETTINGS,
        "pago_movil_phone": "0212-5551234",
        "pago_movil_document": "X-1",
        "zelle_email": "no",
    }

    html = manager_client.post(SETTINGS_URL, data).content.decode()

    assert "Teléfono celular no válido" in field_error(html, "pago_movil_phone")
    assert "Cédula o RIF no válido" in field_error(html, "pago_movil_document")
    assert field_error(html, "zelle_email") == "Indique un correo válido."


def test_zelle_needs_its_email(in_acme, manager_client):
    data = {**VALID_SETTINGS, "zelle_email": ""}

    response = manager_client.post(SETTINGS_URL, data)

    assert response.status_code == 422
    assert field_error(response.content.decode(), "zelle_email") == (
        "Indique el correo de la cuenta Zelle que recibe los pagos."
    )
    assert not online.online_settings().zelle_enabled


def test_at_least_one_method_stays_on(in_acme, manager_client):
    data = {k: v for k, v in VALID_SETTINGS.items() if not k.endswith("_enabled")}

    response = manager_client.post(SETTINGS_URL, data)

    html = response.content.decode()
    assert response.status_code == 422
    assert 'class="form-errors"' in html and "Deje activa al menos una forma de pago" in html
    assert online.online_settings().card_enabled  # unchanged


def test_the_settings_service_applies_the_same_rules(in_acme):
    with pytest.raises(ValidationError) as e:
        save_online_settings(
            card_enabled=False, pago_movil_enabled=True, zelle_enabled=True, pago_movil_bank="9999"
        )

    assert set(e.value.message_dict) == {
        "pago_movil_bank",
        "pago_movil_phone",
        "pago_movil_document",
        "zelle_email",
    }
    assert e.value.message_dict["pago_movil_bank"] == ["Elija un banco de la lista."]
    with pytest.raises(ValidationError) as e:
        save_online_settings(card_enabled=False, pago_movil_enabled=False, zelle_enabled=False)
    assert "__all__" in e.value.message_dict

    row = save_online_settings(
        card_enabled=False,
        pago_movil_enabled=True,
        pago_movil_bank="0102",
        pago_movil_phone="4161234567",
        pago_movil_document="12345678",
        zelle_enabled=False,
    )
    assert row.methods == ["pago_movil"]
    assert (row.pago_movil_phone, row.pago_movil_document) == ("+584161234567", "V-12345678")


# --- Two staff members confirm the same payment at the same moment ---------------------------------


CLICKS = 4


def test_concurrent_confirmations_complete_the_sale_once(carrera, django_db_blocker):
    set_todays_rate("100")
    enable_online_payments()
    event = on_sale_event(rows=1, seats_per_row=4, name=f"Doble clic {uuid.uuid4().hex[:6]}")
    document = f"V-{random.randint(10_000_000, 29_999_999)}"
    order = in_review(event, [seat(event, "A", 1)], document=document, email="")
    staff = StaffFactory(role=Role.SELLER, email=f"doble-{uuid.uuid4().hex[:8]}@carrera.test")

    def click(_index: int) -> str:
        try:
            online.confirm_payment(order=Order.objects.get(pk=order.pk), actor=staff)
        except ValidationError as e:
            return e.messages[0]
        return "completed"

    outcomes = at_once(CLICKS, click, organization=carrera, django_db_blocker=django_db_blocker)

    assert outcomes == ["completed"] * CLICKS
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED
    assert Invoice.objects.filter(order=order).count() == 1
    assert Payment.objects.filter(order=order).count() == 1
    assert AuditEntry.objects.filter(order=order, action="complete").count() == 1
    assert Ticket.objects.get(order=order).status == Ticket.Status.VALID
    assert AuditEntry.objects.filter(order=order, action="payment_confirmed").count() == 1


def test_a_payment_reported_before_midnight_is_confirmed_after_it_at_the_rate_it_was_asked_at(in_acme):
    import time_machine

    evening = datetime(2026, 3, 5, 23, 30, tzinfo=money.CARACAS)
    with time_machine.travel(evening, tick=False):
        set_todays_rate("100")
        enable_online_payments()
        event = on_sale_event(name="Gaitas")
        order = in_review(event, [seat(event, "A", 1)])  # Bs. 2.900,00 sent by Pago Móvil

    # 40 minutes later, inside the review window, with the new day's rate already entered.
    with time_machine.travel(evening + timedelta(minutes=40), tick=False):
        set_todays_rate("101")
        waiting = Order.objects.get(pk=order.pk)
        assert sales.sale_totals(waiting).total_ves == Decimal("2900.00")  # what the panel shows
        done = online.confirm_payment(order=waiting, actor=None)

    assert done.status == Order.Status.COMPLETED
    assert (done.total_ves, done.exchange_rate) == (Decimal("2900.00"), Decimal("100"))


def test_a_zelle_for_exactly_the_amount_the_store_asks_is_accepted(in_acme, acme):
    acme.is_special_taxpayer = True  # IGTF 3 % on the Zelle
    acme.save()
    set_todays_rate("39.8765")
    enable_online_payments()
    event = on_sale_event(base_price="3.80")  # Bs. 181,04 with IVA and IGTF: USD 4,54 covers it

    order = in_review(event, [seat(event, "A", 1)], method="zelle")

    assert order.status == Order.Status.REVIEW
    assert order.draft_payments[0]["amount"] == "4.54"


def test_the_taxes_of_an_event_with_payments_in_review_cannot_change_under_them(event, seller):
    from ticketing.events.models import Event
    from ticketing.events.services import save_event

    order = in_review(event, [seat(event, "A", 1)])

    event.iva_exempt = True
    with pytest.raises(ValidationError, match="esperando verificación"):
        save_event(event=event)
    event.iva_exempt = False
    with pytest.raises(ValidationError, match="antes de cambiar el IVA"):
        save_event(event=event, fees_changed=True)

    # The payment is still confirmed at what the customer was asked; then taxes may change.
    assert online.confirm_payment(order=order, actor=seller).status == Order.Status.COMPLETED
    event.iva_exempt = True
    save_event(event=event)
    assert Event.objects.get(pk=event.pk).iva_exempt
