"""The customer's "my order" page: reached only through the secret token of the e-mail's link, on the
organization's own site, with the tickets' QR codes once paid and a clear word otherwise."""

import secrets

import pytest
from django.db import connection
from django.utils import timezone
from django.utils.formats import date_format

from tests.factories import StaffFactory
from tests.test_storefront_emails import confirm, online_order_in_review, pdf_text
from ticketing.accounts.roles import Role
from ticketing.sales import services as sales
from ticketing.sales.models import Order, Ticket
from ticketing.storefront import services


def page(order: Order) -> str:
    return f"/mi-pedido/{order.access_token}/"


def assert_private(response) -> None:
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "private, no-store"


@pytest.fixture
def paid_order(in_acme, django_capture_on_commit_callbacks) -> Order:
    return confirm(online_order_in_review(), django_capture_on_commit_callbacks)


def test_a_paid_order_shows_each_ticket_with_its_qr_code(paid_order, acme, client_for):
    response = client_for(acme).get(page(paid_order))

    assert response.status_code == 200
    assert_private(response)
    html = response.content.decode()
    assert "Gaitas en el Teatro" in html and "Teatro de Prueba" in html and "Pagada" in html
    tickets = list(paid_order.tickets.order_by("id"))
    assert html.count("<svg") == len(tickets) == 2
    for ticket in tickets:
        assert ticket.label in html and ticket.code in html
    assert "USD 25,00" in html and "USD 58,00" in html
    assert paid_order.invoice.display_number in html
    assert f'href="/mi-pedido/{paid_order.access_token}/entradas.pdf"' in html
    assert f'href="/mi-pedido/{paid_order.access_token}/factura.pdf"' in html
    assert 'name="viewport"' in html and "css/storefront.css" in html
    assert 'content="noindex, nofollow"' in html


def test_the_pdfs_of_a_paid_order_download_through_the_token(paid_order, acme, client_for):
    client = client_for(acme)

    tickets = client.get(f"{page(paid_order)}entradas.pdf")
    invoice = client.get(f"{page(paid_order)}factura.pdf")

    for response in (tickets, invoice):
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert_private(response)
    assert f'filename="entradas-{paid_order.public_id.hex[:8]}.pdf"' in tickets["Content-Disposition"]
    assert "Platea · Fila A, Asiento 1" in pdf_text(tickets.content)
    assert f'filename="{paid_order.invoice.filename}"' in invoice["Content-Disposition"]
    assert f"{paid_order.invoice.number:08d}" in pdf_text(invoice.content)


def test_an_order_in_review_says_the_payment_is_being_checked_and_has_no_pdfs(in_acme, acme, client_for):
    order = online_order_in_review()
    client = client_for(acme)

    response = client.get(page(order))

    assert response.status_code == 200
    assert_private(response)
    html = response.content.decode()
    assert "Estamos verificando su pago" in html
    deadline = date_format(timezone.localtime(order.expires_at), "DATETIME_FORMAT")
    assert deadline in html
    assert "<svg" not in html and "entradas.pdf" not in html
    for ticket in order.tickets.all():
        assert ticket.code not in html
    assert client.get(f"{page(order)}entradas.pdf").status_code == 404
    assert client.get(f"{page(order)}factura.pdf").status_code == 404
    # It asks again by itself, and stops once the payment is confirmed.
    assert f'hx-get="{page(order)}" hx-trigger="every 15s"' in html
    services.confirm_payment(order=order, actor=StaffFactory(role=Role.SELLER))
    again = client.get(page(order), HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="my-tickets"' in again and "hx-trigger" not in again


def cancelled_by_staff(order):
    return services.reject_payment(order=order, actor=StaffFactory(role=Role.SELLER), reason="No llegó")


def expired(order):
    return sales.cancel_order(order=order, status=Order.Status.EXPIRED)


def voided(order):
    order = services.confirm_payment(order=order, actor=StaffFactory(role=Role.SELLER))
    return sales.void_sale(order=order, reason="Evento reprogramado", actor=StaffFactory(role=Role.MANAGER))


@pytest.mark.parametrize(
    ("close", "message"),
    [
        (cancelled_by_staff, "No pudimos verificar su pago: «No llegó». Esta compra fue cancelada"),
        (expired, "La reserva venció sin que se completara el pago"),
        (voided, "Esta compra fue anulada: sus entradas ya no son válidas."),
    ],
    ids=["cancelled", "expired", "voided"],
)
def test_a_closed_order_says_so_and_shows_no_tickets(close, message, in_acme, acme, client_for):
    order = close(online_order_in_review())
    client = client_for(acme)

    response = client.get(page(order))

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "<svg" not in html
    assert not Ticket.objects.filter(order=order, status=Ticket.Status.VALID).exists()
    for ticket in order.tickets.all():
        assert ticket.code not in html
    # A voided order's tickets link says what became of them (test below); the others were never sold.
    assert client.get(f"{page(order)}entradas.pdf").status_code == (410 if close is voided else 404)
    assert client.get(f"{page(order)}factura.pdf").status_code == 404
    assert "hx-trigger" not in html  # nothing more to wait for


def test_the_tickets_link_of_a_voided_order_says_when_and_by_which_credit_note(in_acme, acme, client_for):
    order = voided(online_order_in_review())
    note = order.invoice.credit_notes.get()

    response = client_for(acme).get(f"{page(order)}entradas.pdf")

    html = response.content.decode()
    assert response.status_code == 410
    assert_private(response)
    day = timezone.localtime(order.closed_at).strftime("%d/%m/%Y")
    assert f"Esta compra se anuló el {day} (nota de crédito Serie NC N° {note.number:08d})" in html
    assert "ya no sirven para entrar" in html
    assert f'href="{page(order)}"' in html


def test_each_token_opens_its_own_order_only(paid_order, acme, client_for):
    other = online_order_in_review(session_key="otra-sesion", email="luis@correo.test")
    client = client_for(acme)

    html = client.get(page(other)).content.decode()

    assert "Estamos verificando su pago" in html
    for ticket in paid_order.tickets.all():
        assert ticket.code not in html and ticket.label not in html


@pytest.mark.parametrize(
    "token",
    [
        secrets.token_urlsafe(32),  # well formed, never issued
        "900001",
        "a",
        "x" * 200,
    ],
    ids=["random", "short", "one-char", "too-long"],
)
def test_a_token_nobody_was_given_is_a_404(token, paid_order, acme, client_for):
    client = client_for(acme)

    for suffix in ("", "entradas.pdf", "factura.pdf"):
        response = client.get(f"/mi-pedido/{token}/{suffix}")
        assert response.status_code == 404, suffix


def test_the_token_must_match_exactly_and_the_public_id_is_no_key(paid_order, acme, client_for):
    client = client_for(acme)
    token = paid_order.access_token
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")

    for wrong in (altered, token.upper() if token.upper() != token else token.lower(), paid_order.public_id):
        assert client.get(f"/mi-pedido/{wrong}/").status_code == 404
    assert client.get("/mi-pedido//").status_code == 404


def test_another_organizations_token_is_a_404(paid_order, globex, client_for):
    token = paid_order.access_token
    connection.set_schema_to_public()
    client = client_for(globex)

    for suffix in ("", "entradas.pdf", "factura.pdf"):
        assert client.get(f"/mi-pedido/{token}/{suffix}").status_code == 404, suffix


def test_the_page_reads_in_a_fixed_number_of_queries(
    in_acme, acme, client_for, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    order = confirm(online_order_in_review(seats=6), django_capture_on_commit_callbacks)

    with django_assert_max_num_queries(12):
        response = client_for(acme).get(page(order))

    assert response.content.decode().count("<svg") == 6


def test_a_voided_order_offers_its_credit_note_through_the_token(in_acme, acme, client_for):
    order = voided(online_order_in_review())
    client = client_for(acme)

    html = client.get(page(order)).content.decode()
    pdf = client.get(f"{page(order)}nota-de-credito.pdf")

    assert f'href="{page(order)}nota-de-credito.pdf"' in html
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Cache-Control"] == "private, no-store"
    assert pdf.content.startswith(b"%PDF")
    # Only a voided order has one; a cancelled one answers 404 like a token nobody was given.
    cancelled = cancelled_by_staff(online_order_in_review())
    assert client.get(f"{page(cancelled)}nota-de-credito.pdf").status_code == 404
    assert client.get(f"/mi-pedido/{'x' * 43}/nota-de-credito.pdf").status_code == 404
