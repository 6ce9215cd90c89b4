"""The e-mails an online customer receives: the tickets when the sale completes, and the news when a
reported payment is rejected. Celery runs eagerly in tests and mail lands in `mail.outbox`."""

import io
import re
from zoneinfo import ZoneInfo

from django.core import mail
from django.utils import translation
from pypdf import PdfReader

from tests.factories import StaffFactory
from tests.sales_helpers import on_sale_event, set_todays_rate
from ticketing.accounts.roles import Role
from ticketing.core.money import format_money
from ticketing.events.models import Seat
from ticketing.payments.methods import PaymentMethod
from ticketing.sales.models import Order
from ticketing.storefront import notifications, services

BUYER_EMAIL = "ana.perez@correo.test"
PAGO_MOVIL_DETAILS = {
    "bank": "0102",
    "payer_phone": "04141234567",
    "payer_id": "V-12345678",
    "reference": "00012345",
    "date": "2026-03-05",
}


# --- Builders (also used by test_storefront_my_order.py) ------------------------------------------


def enable_pago_movil() -> None:
    row = services.online_settings()
    row.pago_movil_enabled = True
    row.pago_movil_bank = "0102"
    row.pago_movil_phone = "04141234567"
    row.pago_movil_document = "J-41197191-0"
    row.save()


def online_order_in_review(
    *, event=None, seats=2, email=BUYER_EMAIL, session_key="sesion-de-prueba"
) -> Order:
    """An order a visitor held on the storefront, gave their details for and paid by Pago Móvil:
    it waits for staff to check the payment."""
    set_todays_rate()
    enable_pago_movil()
    event = event or on_sale_event(name="Gaitas en el Teatro")
    seat_ids = list(Seat.objects.filter(event=event).order_by("id").values_list("id", flat=True)[:seats])
    order = services.hold_online(event=event, session_key=session_key, seat_ids=seat_ids)
    buyer = services.Buyer(
        first_name="Ana", last_name="Pérez", id_document="V-12345678", phone="04141234567", email=email
    )
    order = services.save_buyer(order=order, buyer=buyer)
    return services.report_payment(order=order, method=PaymentMethod.PAGO_MOVIL, details=PAGO_MOVIL_DETAILS)


def confirm(order: Order, capture) -> Order:
    """A seller confirms the payment; the transaction commits, so the e-mail task runs."""
    seller = StaffFactory(role=Role.SELLER)
    with capture(execute=True):
        return services.confirm_payment(order=order, actor=seller)


def pdf_text(pdf: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", " ", text)


def link_in(text: str) -> str:
    return re.search(r"http://\S+/mi-pedido/\S+/", text).group(0)


# --- The confirmation -----------------------------------------------------------------------------


def test_completing_an_online_order_emails_the_tickets_and_the_invoice(
    in_acme, django_capture_on_commit_callbacks
):
    order = online_order_in_review()
    assert mail.outbox == []  # reporting a payment sends nothing yet

    order = confirm(order, django_capture_on_commit_callbacks)

    assert order.status == Order.Status.COMPLETED
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [BUYER_EMAIL]
    assert message.subject == "Sus entradas para Gaitas en el Teatro"
    assert message.from_email.startswith(f"{in_acme.name} <")  # from the organizer, not the platform
    invoice = order.invoice
    labels = list(order.tickets.order_by("id").values_list("label", flat=True))
    assert labels == ["Platea · Fila A, Asiento 1", "Platea · Fila A, Asiento 2"]

    # Text and HTML say the same, in Spanish, with the Caracas date and an absolute link.
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    for body in (message.body, html):
        assert "Hola Ana Pérez:" in body
        assert "Su compra para" in body and "está confirmada" in body
        assert "Teatro de Prueba" in body
        for label in labels:
            assert label in body
        assert "USD 25,00" in body and "IVA (16 %)" in body and "USD 8,00" in body
        assert "USD 58,00" in body and "Bs. 5.800,00" in body
        assert invoice.display_number in body
        assert f"http://acme.localhost:8000/mi-pedido/{order.access_token}/" in body
    starts = order.event.starts_at.astimezone(ZoneInfo("America/Caracas"))
    assert f"{starts:%H:%M}" in message.body and str(starts.year) in message.body

    # Both PDFs are attached, and they are the real documents.
    attachments = {name: (content, mimetype) for name, content, mimetype in message.attachments}
    tickets_name = f"entradas-{order.public_id.hex[:8]}.pdf"
    assert set(attachments) == {tickets_name, invoice.filename}
    assert invoice.filename == f"factura-A-{invoice.number:08d}.pdf"
    assert {mimetype for _content, mimetype in attachments.values()} == {"application/pdf"}
    tickets_text = pdf_text(attachments[tickets_name][0])
    assert "Platea · Fila A, Asiento 1" in tickets_text and "Fila A, Asiento 2" in tickets_text
    assert f"{invoice.number:08d}" in pdf_text(attachments[invoice.filename][0])


def test_the_link_in_the_email_opens_the_customers_tickets(
    in_acme, acme, client_for, django_capture_on_commit_callbacks
):
    order = confirm(online_order_in_review(), django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0].body)
    assert link.startswith("http://acme.localhost:8000/")

    response = client_for(acme).get(link.removeprefix("http://acme.localhost:8000"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Gaitas en el Teatro" in html and "Platea · Fila A, Asiento 1" in html
    assert html.count("<svg") == 2
    for ticket in order.tickets.all():
        assert ticket.code in html


def test_confirming_twice_sends_one_email(in_acme, django_capture_on_commit_callbacks):
    order = confirm(online_order_in_review(), django_capture_on_commit_callbacks)

    confirm(order, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1


def test_the_email_is_spanish_even_when_the_buyer_browsed_in_english(
    in_acme, django_capture_on_commit_callbacks
):
    order = online_order_in_review()
    with translation.override("en"):
        confirm(order, django_capture_on_commit_callbacks)

    assert mail.outbox[0].subject == "Sus entradas para Gaitas en el Teatro"
    body = mail.outbox[0].body
    assert "Fila A, Asiento 1" in body and "USD 25,00" in body  # Spanish decimals, not "25.00"
    assert re.search(r"Fecha: \d{1,2} de [a-z]+ de \d{4}, \d{2}:\d{2}", body)  # Spanish month names


def test_without_a_contact_email_the_customers_email_is_used(in_acme):
    order = online_order_in_review()
    Order.objects.filter(pk=order.pk).update(contact_email="")
    order.customer.email = "otra@correo.test"
    order.customer.save()
    order = services.complete_online(order=order)  # no commit in this test: the task is not run

    notifications.send_order_confirmation(order)

    assert mail.outbox[0].to == ["otra@correo.test"]


# --- The rejection --------------------------------------------------------------------------------


def test_rejecting_a_reported_payment_emails_the_reason_and_frees_the_seats(
    in_acme, django_capture_on_commit_callbacks
):
    order = online_order_in_review()
    seller = StaffFactory(role=Role.SELLER)
    seat_ids = list(order.tickets.values_list("seat_id", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        services.reject_payment(
            order=order, actor=seller, reason="La referencia 00012345 no aparece en el banco"
        )

    assert set(Seat.objects.filter(pk__in=seat_ids).values_list("status", flat=True)) == {
        Seat.Status.AVAILABLE
    }
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [BUYER_EMAIL]
    assert message.subject == "No pudimos verificar su pago para Gaitas en el Teatro"
    assert message.attachments == []
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    for body in (message.body, html):
        assert "La referencia 00012345 no aparece en el banco" in body
        assert "se liberaron" in body
        assert f"http://acme.localhost:8000/e/{order.event_id}/" in body


def test_the_rejection_reason_is_escaped_in_the_html_mail(in_acme, django_capture_on_commit_callbacks):
    order = online_order_in_review()

    with django_capture_on_commit_callbacks(execute=True):
        services.reject_payment(
            order=order, actor=StaffFactory(role=Role.SELLER), reason="<b>monto</b> incompleto"
        )

    html = mail.outbox[0].alternatives[0][0]
    assert "&lt;b&gt;monto&lt;/b&gt; incompleto" in html and "<b>monto</b>" not in html
    assert "<b>monto</b> incompleto" in mail.outbox[0].body  # the text part is plain text


# --- While staff verify ---------------------------------------------------------------------------


def test_reporting_a_payment_emails_the_status_link_and_the_deadline(
    in_acme, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = online_order_in_review()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [BUYER_EMAIL]
    assert message.subject == "Recibimos su pago para Gaitas en el Teatro: lo estamos verificando"
    assert "Pago Móvil por Bs." in message.body
    assert "Fila A, Asiento 1" in message.body
    assert link_in(message.body).endswith(f"/mi-pedido/{order.access_token}/")
    html = message.alternatives[0][0]
    assert "Ver el estado de mi compra" in html and not message.attachments


def test_no_verifying_mail_once_the_order_is_confirmed(in_acme, django_capture_on_commit_callbacks):
    order = online_order_in_review()  # its mail is not sent: the test transaction never commits
    confirm(order, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    notifications.send_payment_received(order)

    assert mail.outbox == []


def test_voiding_an_online_sale_emails_the_buyer_the_credit_note(
    in_acme, acme, staff_in, client_for, django_capture_on_commit_callbacks
):
    order = confirm(online_order_in_review(), django_capture_on_commit_callbacks)
    mail.outbox.clear()
    manager = client_for(acme, staff_in(acme, Role.MANAGER))

    with django_capture_on_commit_callbacks(execute=True):
        manager.post(f"/panel/sales/orders/{order.public_id}/void/", {"reason": "Función suspendida"})

    order.refresh_from_db()
    assert order.status == Order.Status.VOIDED and len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [BUYER_EMAIL] and message.subject == "Su compra para Gaitas en el Teatro fue anulada"
    assert "Motivo: Función suspendida" in message.body and link_in(message.body)
    paid = order.payments.get()
    refund = f"- {paid.get_method_display()}: {format_money(paid.amount, paid.currency)}"
    assert "Le devolvemos lo que pagó, por el mismo medio:\n" + refund in message.body
    note = order.invoice.credit_notes.get()
    ((filename, content, mimetype),) = message.attachments
    assert filename == note.filename and mimetype == "application/pdf"
    assert note.control_number in pdf_text(content)
