"""Fiscal documents: consecutive invoice and credit-note numbers, control numbers from the
configured provider, immutability in the database, signed ticket QR codes and the printed documents.

Orders are built directly with the ORM (the sales services have their own tests)."""

import io
import json
import re
import threading
import time
import uuid
import zlib
from datetime import timedelta
from decimal import Decimal

import pytest
import requests
import responses
from django.core.exceptions import ValidationError
from django.db import IntegrityError, InternalError, connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from pypdf import PdfReader

from tests.catalog import make_event, make_numbered_zone, make_venue
from ticketing.accounts.models import User
from ticketing.accounts.roles import Role
from ticketing.customers.models import Customer
from ticketing.events.models import Event, Seat
from ticketing.fiscal import documents, services
from ticketing.fiscal.models import (
    ControlNumberProviderKind,
    ControlNumberSettings,
    CreditNote,
    DocumentType,
    Invoice,
    InvoiceSeries,
)
from ticketing.fiscal.providers import (
    ControlRangeExhausted,
    DigitalPrinterHttpAdapter,
    DigitalPrinterUnavailable,
)
from ticketing.organizations.models import Organization
from ticketing.sales.models import Order, Ticket
from ticketing.sales.signing import qr_svg, ticket_qr_payload, verify_ticket_qr
from ticketing.venues.models import Venue

PRINTER_URL = "https://imprenta.example/api/v1/numeros-de-control"
ISOLATION_PK = 900020

# USD 25.00 of tickets at Bs 100/USD, IVA 16 %, a 5 % municipal tax; paid USD 20 cash (IGTF 3 %
# = Bs 60.00) and the rest by Pago Móvil.
TOTALS = {
    "currency": "USD",
    "rate": "100.00000000",
    "lines": [
        {"label": "Platea · Fila A, Asiento 1", "price": "12.50", "price_ves": "1250.00"},
        {"label": "Platea · Fila A, Asiento 2", "price": "12.50", "price_ves": "1250.00"},
    ],
    "subtotal": "25.00",
    "iva_rate": "16.00",
    "iva": "4.00",
    "exempt": False,
    "fees": [{"name": "Impuesto municipal", "rate": "5.00", "amount": "1.25", "amount_ves": "125.00"}],
    "total": "30.25",
    "subtotal_ves": "2500.00",
    "iva_ves": "400.00",
    "fees_ves": "125.00",
    "total_ves": "3025.00",
    "igtf_rate": "3.00",
    "igtf_ves": "60.00",
    "due_ves": "3085.00",
    "paid_ves": "3085.00",
    "change_ves": "0.00",
    "payments": [
        {
            "method": "cash_usd",
            "method_label": "Efectivo USD",
            "currency": "USD",
            "amount": "20.00",
            "amount_ves": "2000.00",
        },
        {
            "method": "pago_movil",
            "method_label": "Pago Móvil",
            "currency": "VES",
            "amount": "1085.00",
            "amount_ves": "1085.00",
        },
    ],
}


# --- builders -------------------------------------------------------------------------------------


def a_customer() -> Customer:
    customer, _created = Customer.objects.get_or_create(
        id_document="V-12345678", defaults={"first_name": "María", "last_name": "Rodríguez"}
    )
    return customer


def completed_order(*, event=None, seats=2, customer="default", pk=None, totals=None) -> Order:
    """A completed box-office sale of `seats` seats of row A, with valid tickets and totals."""
    if event is None:
        venue = Venue.objects.filter(name="Teatro de Prueba", city="Caracas").first() or make_venue()
        event = make_event(venue=venue, status=Event.Status.ON_SALE, name="Concierto Sinfónico")
        make_numbered_zone(event, rows=2, seats_per_row=6, base_price="12.50")
    now = timezone.now()
    order = Order.objects.create(
        **({"pk": pk} if pk else {}),
        event=event,
        channel=Order.Channel.BOX_OFFICE,
        customer=a_customer() if customer == "default" else customer,
        status=Order.Status.COMPLETED,
        expires_at=now + timedelta(minutes=10),
        completed_at=now,
        currency="USD",
        exchange_rate=Decimal("100"),
        subtotal=Decimal("25.00"),
        total=Decimal("30.25"),
        total_ves=Decimal("3025.00"),
        igtf_ves=Decimal("60.00"),
        change_ves=Decimal("0.00"),
        totals=totals or TOTALS,
    )
    free = Seat.objects.filter(event=event, status=Seat.Status.AVAILABLE).order_by("row_index", "number")
    for seat in list(free[:seats]):
        Ticket.objects.create(
            order=order,
            event=event,
            zone=seat.zone,
            seat=seat,
            label=f"{seat.zone.name} · {seat.label}",
            price=Decimal("12.50"),
            price_breakdown={"base": "12.50"},
            status=Ticket.Status.VALID,
        )
        Seat.objects.filter(pk=seat.pk).update(status=Seat.Status.SOLD)
    return order


def issue(order, **kwargs) -> Invoice:
    with transaction.atomic():
        return services.issue_invoice(order=order, **kwargs)


def next_number(code="A", document_type=DocumentType.INVOICE) -> int:
    return InvoiceSeries.objects.get(code=code, document_type=document_type).next_number


def numbered_as_a_new_organization() -> None:
    """The control numbers of a new organization: the sandbox printer, no range. (The test
    organizations are set up with a real range, see conftest.py.)"""
    ControlNumberSettings.objects.filter(pk=ControlNumberSettings.SINGLETON_ID).update(
        provider=ControlNumberProviderKind.DIGITAL_SANDBOX, range_start=None, range_end=None, next_number=None
    )


def use_range(start=1, end=1000, prefix="00") -> ControlNumberSettings:
    return services.save_control_settings(
        provider=ControlNumberProviderKind.RANGE, prefix=prefix, range_start=start, range_end=end
    )


def pdf_pages(pdf: bytes) -> int:
    """Pages of a PDF, counted in its (possibly compressed) object streams; no tool needed."""
    count = 0
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            count += len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", zlib.decompress(match.group(1))))
        except zlib.error:
            pass
    return count + len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def pdf_text(pdf: bytes, *, html: str = "") -> str:
    """The text a reader of the PDF sees (pypdf extracts it from the laid-out pages)."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# --- numbers --------------------------------------------------------------------------------------


def test_invoices_take_consecutive_numbers_and_control_numbers(in_acme):
    first_number = next_number()
    orders = [completed_order() for _ in range(3)]

    invoices = [issue(order) for order in orders]

    assert [i.number for i in invoices] == [first_number, first_number + 1, first_number + 2]
    assert next_number() == first_number + 3
    controls = [int(i.control_number.split("-")[1]) for i in invoices]
    assert all(i.control_number.startswith("01-") for i in invoices)  # the assigned range
    assert controls == [controls[0], controls[0] + 1, controls[0] + 2]
    invoice = Invoice.objects.get(pk=invoices[0].pk)
    assert invoice.series == "A" and invoice.control_provider == "range" and not invoice.is_test
    assert (invoice.seller_name, invoice.seller_rif) == ("Acme Eventos", "J-41197191-0")
    assert (invoice.buyer_name, invoice.buyer_id_document) == ("María Rodríguez", "V-12345678")
    assert invoice.totals == TOTALS and invoice.total_ves == Decimal("3025.00")
    assert invoice.exchange_rate == Decimal("100") and invoice.currency == "USD"


def test_a_failed_sale_gives_its_number_back(in_acme):
    order = completed_order()
    number_before = next_number()
    sandbox_before = ControlNumberSettings.load().sandbox_next_number

    with pytest.raises(RuntimeError, match="pago rechazado"):
        with transaction.atomic():
            services.issue_invoice(order=order)
            raise RuntimeError("pago rechazado por el banco")

    assert not Invoice.objects.filter(order=order).exists()
    assert next_number() == number_before
    assert ControlNumberSettings.load().sandbox_next_number == sandbox_before
    assert issue(order).number == number_before  # the next sale takes the same number: no gap


def test_an_unknown_series_stops_the_sale_with_its_name(in_acme):
    order = completed_order()

    with pytest.raises(services.SeriesMissing, match="No existe la serie «Z» de factura"):
        issue(order, series="Z")

    assert not Invoice.objects.filter(order=order).exists()
    assert issue(order).series == "A"


def test_issuing_twice_for_one_order_returns_the_same_invoice(in_acme):
    order = completed_order()
    invoice = issue(order)
    number_after, sandbox_after = next_number(), ControlNumberSettings.load().sandbox_next_number

    again = issue(order)

    assert (again.pk, again.number, again.control_number) == (
        invoice.pk,
        invoice.number,
        invoice.control_number,
    )
    assert services.assign_control_number(again) == invoice.control_number  # keeps the one it has
    assert next_number() == number_after
    assert ControlNumberSettings.load().sandbox_next_number == sandbox_after


def test_a_second_new_invoice_for_one_order_is_refused_and_takes_no_number(in_acme):
    order = completed_order()
    invoice = issue(order)
    number_after = next_number()

    with pytest.raises(IntegrityError), transaction.atomic():
        services.issue_new_invoice(order=order)  # completion's shortcut, misused

    assert list(Invoice.objects.filter(order=order)) == [invoice]
    assert next_number() == number_after


def test_an_order_without_totals_is_not_invoiced(in_acme):
    order = completed_order(totals={"currency": "USD"})
    number_before = next_number()

    with pytest.raises(services.FiscalError, match="no tiene totales"):
        issue(order)

    assert next_number() == number_before


def test_the_assigned_range_is_used_in_order_and_its_exhaustion_stops_the_sale(in_acme):
    use_range(start=41, end=42, prefix="07")
    first, second, third = (completed_order() for _ in range(3))

    invoices = [issue(first), issue(second)]
    number_before = next_number()

    assert [i.control_number for i in invoices] == ["07-00000041", "07-00000042"]
    assert invoices[0].control_range_text == "desde N° 07-00000041 hasta N° 07-00000042"
    with pytest.raises(ControlRangeExhausted) as error:
        issue(third)
    assert "Se agotaron los números de control" in error.value.messages[0]
    assert "07-00000042" in error.value.messages[0]
    assert not Invoice.objects.filter(order=third).exists()
    assert next_number() == number_before  # the whole sale rolled back, number included

    use_range(start=43, end=50, prefix="07")  # the printing house's next range
    assert issue(third).control_number == "07-00000043"


def test_credit_notes_have_their_own_series_and_leave_the_invoice_untouched(in_acme):
    invoice = issue(completed_order())
    note_number = next_number("NC", DocumentType.CREDIT_NOTE)

    with transaction.atomic():
        note = services.issue_credit_note(invoice=invoice, reason="Evento reprogramado: devolución")

    assert (note.series, note.number) == ("NC", note_number)
    assert note.control_number and note.control_number != invoice.control_number
    assert note.total_ves == invoice.total_ves and note.amount["invoice_total_ves"] == "3025.00"
    assert Invoice.objects.get(pk=invoice.pk).totals == TOTALS
    with pytest.raises(services.InvoiceAlreadyCredited), transaction.atomic():
        services.issue_credit_note(invoice=invoice, reason="otra vez")
    with pytest.raises(ValidationError), transaction.atomic():
        services.issue_credit_note(invoice=invoice, reason="   ")


def test_test_documents_have_their_own_series_and_the_fiscal_series_starts_with_the_first_real_one(in_acme):
    numbered_as_a_new_organization()
    first_real, first_test = next_number("A"), next_number("PRUEBA")

    trial = [issue(completed_order()) for _ in range(2)]  # the first days, with the sandbox printer
    use_range(start=1, end=500)
    real = issue(completed_order())

    assert [(i.series, i.number, i.is_test) for i in trial] == [
        ("PRUEBA", first_test, True),
        ("PRUEBA", first_test + 1, True),
    ]
    assert all(i.control_number.startswith("99-") for i in trial)
    assert (real.series, real.number, real.control_number, real.is_test) == (
        "A",
        first_real,
        "00-00000001",
        False,
    )
    assert not Invoice.objects.filter(series="A", control_provider="digital_sandbox").exists()


def test_a_test_invoice_gets_a_test_credit_note_and_a_real_one_a_real_one(in_acme):
    numbered_as_a_new_organization()
    test_invoice = issue(completed_order())
    use_range(start=1, end=500)
    real_invoice = issue(completed_order())
    first_test_note, first_real_note = (
        next_number("NC-PRUEBA", "credit_note"),
        next_number("NC", "credit_note"),
    )

    with transaction.atomic():
        test_note = services.issue_credit_note(invoice=test_invoice, reason="Anulación de prueba")
        real_note = services.issue_credit_note(invoice=real_invoice, reason="Anulación")

    assert (test_note.series, test_note.number, test_note.is_test) == ("NC-PRUEBA", first_test_note, True)
    assert test_note.control_number.startswith("99-")
    assert (real_note.series, real_note.number, real_note.control_number) == (
        "NC",
        first_real_note,
        "00-00000002",
    )
    assert "DOCUMENTO DE PRUEBA" in documents.credit_note_html(test_note)
    assert "DOCUMENTO DE PRUEBA" not in documents.credit_note_html(real_note)


def test_once_real_documents_exist_the_sandbox_printer_cannot_be_chosen_again(in_acme, owner_client):
    numbered_as_a_new_organization()
    use_range(start=1, end=500)
    invoice = issue(completed_order())

    refused = owner_client.post(
        "/panel/fiscal/settings/",
        {"provider": "digital_sandbox", "prefix": "00", "range_start": "1", "range_end": "500"},
        HTTP_HX_REQUEST="true",
    )

    assert refused.status_code == 422
    assert "no se puede volver a la imprenta de pruebas" in refused.content.decode()
    connection.set_tenant(in_acme)
    assert ControlNumberSettings.load().provider == "range"
    # Forced anyway (by hand in the database): a real invoice's credit note is refused, not
    # numbered as a test document, and nothing is taken.
    ControlNumberSettings.objects.update(provider=ControlNumberProviderKind.DIGITAL_SANDBOX)
    number_before = next_number("NC", "credit_note")
    with pytest.raises(services.FiscalError, match="tiene un número de control real"), transaction.atomic():
        services.issue_credit_note(invoice=invoice, reason="Anulación")
    assert next_number("NC", "credit_note") == number_before and not invoice.credit_notes.exists()


def test_a_credit_note_prints_the_issuer_as_it_is_when_issued(in_acme):
    from ticketing.organizations.services import update_fiscal_data

    invoice = issue(completed_order())
    update_fiscal_data(
        organization=in_acme,
        name="Acme Eventos C.A.",
        rif="J-41197191-0",
        fiscal_address="Av. Francisco de Miranda, Chacao",
        is_special_taxpayer=in_acme.is_special_taxpayer,
    )
    connection.set_tenant(Organization.objects.get(pk=in_acme.pk))  # as the next request finds it
    with transaction.atomic():
        note = services.issue_credit_note(invoice=invoice, reason="Anulación")

    note_text = squeeze(pdf_text(documents.render_credit_note_pdf(note)))
    invoice_text = squeeze(pdf_text(documents.render_invoice_pdf(invoice)))
    assert (
        "Acme Eventos C.A." in note_text and "Domicilio fiscal: Av. Francisco de Miranda, Chacao" in note_text
    )
    assert "Domicilio fiscal: Caracas" in invoice_text and "Chacao" not in invoice_text


# --- immutability ---------------------------------------------------------------------------------


def test_the_database_refuses_to_edit_or_delete_an_issued_invoice(in_acme):
    invoice = issue(completed_order())

    with pytest.raises((IntegrityError, InternalError), match="no se modifican"), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).update(buyer_name="Otra persona")
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).update(control_number="99-99999999")
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).delete()

    assert Invoice.objects.get(pk=invoice.pk).buyer_name == "María Rodríguez"


def test_the_database_refuses_to_edit_or_delete_a_credit_note(in_acme):
    invoice = issue(completed_order())
    with transaction.atomic():
        note = services.issue_credit_note(invoice=invoice, reason="Anulación")

    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        CreditNote.objects.filter(pk=note.pk).update(reason="cambiado")
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        CreditNote.objects.filter(pk=note.pk).delete()


# --- the digital printing house over HTTP --------------------------------------------------------


@responses.activate
def test_the_http_printer_adapter_returns_the_printing_houses_number():
    responses.post(PRINTER_URL, json={"control_number": "05-00001234"})
    adapter = DigitalPrinterHttpAdapter(url=PRINTER_URL, token="secreto", issuer_rif="J-41197191-0")

    assert adapter.assign(document_kind="invoice", document_id=77) == "05-00001234"

    request = responses.calls[0].request
    assert json.loads(request.body) == {
        "issuer_rif": "J-41197191-0",
        "document_kind": "invoice",
        "document_id": 77,
    }
    assert request.headers["Authorization"] == "Bearer secreto"


@pytest.mark.parametrize(
    ("reply", "detail"),
    [
        ({"status": 500, "json": {"error": "caído"}}, "error HTTP 500"),
        ({"body": requests.Timeout()}, "tiempo de espera agotado"),
        ({"json": {"control_number": "12345"}}, "formato no válido"),
    ],
)
@responses.activate
def test_the_http_printer_adapter_turns_failures_into_a_message(reply, detail):
    responses.post(PRINTER_URL, **reply)
    adapter = DigitalPrinterHttpAdapter(url=PRINTER_URL)

    with pytest.raises(DigitalPrinterUnavailable) as error:
        adapter.assign(document_kind="invoice", document_id=1)

    assert isinstance(error.value, ValidationError)
    assert (
        detail in error.value.messages[0]
        and "No se emitió el documento: la venta o la anulación no se hizo" in error.value.messages[0]
    )


@responses.activate
def test_a_sale_with_the_http_printer_gets_its_number_or_rolls_back(in_acme, settings):
    settings.DIGITAL_PRINTER_URL = PRINTER_URL
    services.save_control_settings(
        provider=ControlNumberProviderKind.DIGITAL_HTTP, prefix="00", range_start=None, range_end=None
    )
    responses.post(PRINTER_URL, status=500)
    failing = completed_order()
    number_before = next_number()

    with pytest.raises(DigitalPrinterUnavailable):
        issue(failing)
    assert next_number() == number_before and not Invoice.objects.filter(order=failing).exists()

    responses.replace(responses.POST, PRINTER_URL, json={"control_number": "31-00000009"})
    invoice = issue(failing)
    assert (invoice.number, invoice.control_number, invoice.control_provider) == (
        number_before,
        "31-00000009",
        "digital_http",
    )
    body = json.loads(responses.calls[-1].request.body)
    assert body["document_kind"] == "invoice" and body["issuer_rif"] == "J-41197191-0"


# --- concurrency ----------------------------------------------------------------------------------


def in_own_connection(organization, blocker, work):
    """Run `work()` in a thread with its own database connection, in the organization's schema:
    what it writes is committed (the test's own transaction never is)."""
    outcome = {}

    def run():
        with blocker.unblock():
            connection.set_tenant(organization)
            try:
                outcome["value"] = work()
            except Exception as e:  # noqa: BLE001 - raised again in the caller
                outcome["error"] = e
            finally:
                connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def test_concurrent_sellers_get_consecutive_numbers_and_failures_leave_no_gap(acme, django_db_blocker):
    sellers, failing = 12, {3, 8}
    code = f"RACE-{uuid.uuid4().hex}"

    @transaction.atomic
    def prepare():
        venue = make_venue(name=f"Teatro {code}")
        event = make_event(venue=venue, status=Event.Status.ON_SALE, name=code)
        make_numbered_zone(event, rows=2, seats_per_row=6)
        InvoiceSeries.objects.create(code=code, document_type=DocumentType.INVOICE)
        return venue, event, [completed_order(event=event, seats=1, customer=None).pk for _ in range(sellers)]

    @transaction.atomic
    def clean_up():
        # Invoices cannot be deleted (the trigger). As the database superuser, the clean-up turns
        # triggers off for its own transaction only, then removes the race's rows.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("DELETE FROM fiscal_invoice WHERE series = %s", [code])
            cursor.execute("SET LOCAL session_replication_role = origin")
        Ticket.objects.filter(order_id__in=order_ids).delete()
        Order.objects.filter(pk__in=order_ids).delete()
        event.delete()
        venue.delete()
        InvoiceSeries.objects.filter(code=code).delete()

    venue, event, order_ids = in_own_connection(acme, django_db_blocker, prepare)
    start = threading.Barrier(sellers)
    results: dict[int, object] = {}

    def seller(index: int):
        with django_db_blocker.unblock():
            connection.set_tenant(acme)
            try:
                start.wait(timeout=30)
                with transaction.atomic():
                    invoice = services.issue_invoice(
                        order=Order.objects.get(pk=order_ids[index]), series=code
                    )
                    time.sleep(0.02)  # hold the series lock while the others queue on it
                    if index in failing:
                        raise RuntimeError("el pago fue rechazado")
                results[index] = (invoice.number, invoice.control_number)
            except Exception as e:  # noqa: BLE001 - recorded and asserted below
                results[index] = e
            finally:
                connection.close()

    threads = [threading.Thread(target=seller, args=(i,)) for i in range(sellers)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        failures = {i for i, r in results.items() if isinstance(r, Exception)}
        assert failures == failing, results
        numbers = sorted(r[0] for r in results.values() if not isinstance(r, Exception))
        assert numbers == list(range(1, sellers - len(failing) + 1))  # 1…10: no gap, no repeat
        connection.set_tenant(acme)  # this test's own connection reads what the threads committed
        stored = Invoice.objects.filter(series=code)
        assert sorted(stored.values_list("number", flat=True)) == numbers
        controls = list(stored.values_list("control_number", flat=True))
        assert len(set(controls)) == len(controls) == len(numbers) and None not in controls
        assert InvoiceSeries.objects.get(code=code).next_number == len(numbers) + 1
    finally:
        in_own_connection(acme, django_db_blocker, clean_up)
        assert not Invoice.objects.filter(series=code).exists()


# --- signed QR codes ------------------------------------------------------------------------------


def test_a_ticket_qr_verifies_with_the_organizations_key_only(in_acme):
    order = completed_order(seats=1)
    ticket = order.tickets.get()
    payload = ticket_qr_payload(ticket, organization=in_acme)

    assert verify_ticket_qr(payload, key=in_acme.ticket_signing_key) == {
        "organization": "acme",
        "code": ticket.code,
        "event_id": order.event_id,
    }
    assert payload.startswith("T1.acme.") and len(payload) < 120
    assert verify_ticket_qr(payload, key="otra-clave") is None
    assert (
        verify_ticket_qr(payload.replace(ticket.code, "X" * len(ticket.code)), key=in_acme.ticket_signing_key)
        is None
    )
    assert (
        verify_ticket_qr(
            payload.replace(f".{order.event_id}.", f".{order.event_id + 1}.", 1),
            key=in_acme.ticket_signing_key,
        )
        is None
    )
    assert verify_ticket_qr("T2" + payload[2:], key=in_acme.ticket_signing_key) is None
    assert verify_ticket_qr(payload[:-1], key=in_acme.ticket_signing_key) is None
    assert verify_ticket_qr("basura", key=in_acme.ticket_signing_key) is None
    assert qr_svg(payload).startswith("<svg") and "viewBox" in qr_svg(payload)


def test_ticket_codes_are_unique_and_unguessable(in_acme):
    order = completed_order(seats=6)
    codes = list(order.tickets.values_list("code", flat=True))
    assert len(set(codes)) == 6 and all(len(code) >= 16 for code in codes)


# --- printed documents ----------------------------------------------------------------------------


def test_the_invoice_pdf_carries_every_legal_field(in_acme):
    numbered_as_a_new_organization()
    order = completed_order()
    invoice = issue(order)
    number = f"{invoice.number:08d}"

    pdf = documents.render_invoice_pdf(invoice)

    assert pdf.startswith(b"%PDF")
    text = squeeze(pdf_text(pdf, html=documents.invoice_html(invoice)))
    for expected in (
        "Factura",
        f"Serie PRUEBA N° {number}",  # test documents have their own series
        f"N° de control: {invoice.control_number}",
        "Acme Eventos",
        "RIF: J-41197191-0",
        "Domicilio fiscal: Caracas",
        f"Fecha de emisión: {timezone.localtime(invoice.issued_at):%d/%m/%Y}",
        "María Rodríguez",
        "V-12345678",
        "Fila A, Asiento 1",
        "Fila A, Asiento 2",
        "USD 12,50",
        "Bs. 1.250,00",
        "Base imponible IVA 16 %",
        "Bs. 2.500,00",
        "IVA 16 % USD 4,00 Bs. 400,00",
        "Total exento (E) USD 0,00 Bs. 0,00",
        "Impuesto municipal 5 %",
        "Total USD 30,25 Bs. 3.025,00",
        "IGTF 3 %",
        "Bs. 60,00",
        "Total a pagar con IGTF Bs. 3.085,00",
        "Tasa de cambio BCV aplicada: Bs. 100,00 por USD",
        "Efectivo USD",
        "Pago Móvil",
        # Numbered by the sandbox printer (a new organization's default): marked, and no PA 102.
        "DOCUMENTO DE PRUEBA · SIN VALOR FISCAL",
    ):
        assert expected in text, expected
    assert "Providencia Administrativa" not in text
    # Numbered by a real digital printer, the document carries the PA 102 legend instead.
    invoice.control_provider = ControlNumberProviderKind.DIGITAL_HTTP
    context = documents.invoice_context(invoice)
    assert context["legend"] == documents.PA_102_LEGEND and context["test_mark"] == ""


def test_an_invoice_from_an_assigned_range_shows_the_range_and_exempt_lines(in_acme):
    use_range(start=1, end=5000)
    exempt_totals = {
        **TOTALS,
        "exempt": True,
        "iva": "0.00",
        "iva_ves": "0.00",
        "fees": [],
        "fees_ves": "0.00",
        "total": "25.00",
        "total_ves": "2500.00",
        "igtf_ves": "0.00",
        "due_ves": "2500.00",
    }
    invoice = issue(completed_order(totals=exempt_totals))

    text = squeeze(pdf_text(documents.render_invoice_pdf(invoice), html=documents.invoice_html(invoice)))

    assert invoice.control_number.startswith("00-")
    assert "desde N° 00-00000001 hasta N° 00-00005000" in text
    assert "Fila A, Asiento 1 (E)" in text
    assert "Total exento (E) USD 25,00 Bs. 2.500,00" in text
    assert "Base imponible IVA" not in text and "IVA 0 %" not in text  # exempt is not a 0 % rate
    assert "IGTF" not in text
    assert "SNAT/2024/000102" not in text  # the legend is for digitally printed documents


def test_the_credit_note_pdf_cites_the_invoice(in_acme):
    invoice = issue(completed_order())
    with transaction.atomic():
        note = services.issue_credit_note(invoice=invoice, reason="Suspensión del evento")

    text = squeeze(pdf_text(documents.render_credit_note_pdf(note), html=documents.credit_note_html(note)))

    assert "Nota de Crédito" in text
    assert f"Serie NC N° {note.number:08d}" in text and note.control_number in text
    assert f"Serie A N° {invoice.number:08d}" in text and invoice.control_number in text
    assert f"Fecha de la factura {timezone.localtime(invoice.issued_at):%d/%m/%Y}" in text
    assert "Monto de la factura Bs. 3.025,00 (más IGTF Bs. 60,00)" in text
    assert "Suspensión del evento" in text
    # Its total is the one stored (and listed in a sales ledger); the IGTF its own line; nothing
    # reads as an amount to pay.
    assert note.total_ves == Decimal("3025.00")
    assert "Total de la nota de crédito USD 30,25 Bs. 3.025,00" in text
    assert "IGTF 3 % (pagos en divisas, cobrado con la factura) Bs. 60,00" in text
    assert "Total con IGTF Bs. 3.085,00" in text and "a pagar" not in text
    # A copy of the invoice printed since says it was voided, and by which note.
    invoice_text = squeeze(pdf_text(documents.render_invoice_pdf(invoice)))
    assert f"ANULADA · Nota de crédito Serie NC N° {note.number:08d} del " in invoice_text
    assert "Acme Eventos" in text and "Domicilio fiscal: Caracas" in text


def test_the_tickets_pdf_has_one_page_per_valid_ticket_with_a_verifiable_qr(in_acme):
    order = completed_order(seats=3)
    voided = order.tickets.order_by("id").last()
    Ticket.objects.filter(pk=voided.pk).update(status=Ticket.Status.VOID)

    pdf = documents.render_tickets_pdf(order)
    html = documents.tickets_html(order)

    assert pdf_pages(pdf) == 2
    text = squeeze(pdf_text(pdf, html=html))
    assert "Concierto Sinfónico" in text and "Teatro de Prueba" in text
    assert "Platea · Fila A, Asiento 1" in text and "Fila A, Asiento 2" in text
    assert "Fila A, Asiento 3" not in text
    assert "USD 12,50" in text and "María Rodríguez" in text
    for ticket in order.tickets.filter(status=Ticket.Status.VALID):
        payload = ticket_qr_payload(ticket, organization=in_acme)
        assert qr_svg(payload) in html
        assert verify_ticket_qr(payload, key=in_acme.ticket_signing_key)["code"] == ticket.code
        assert ticket.code in text


# --- pages ----------------------------------------------------------------------------------------


@pytest.fixture
def sold(in_acme):
    invoice = issue(completed_order())
    with transaction.atomic():
        note = services.issue_credit_note(invoice=invoice, reason="Anulación")
    return invoice, note


@pytest.mark.parametrize("role", [Role.OWNER, Role.MANAGER, Role.SELLER])
def test_sellers_download_the_invoice_and_the_credit_note_inline(role, sold, acme, staff_in, client_for):
    invoice, note = sold
    client = client_for(acme, staff_in(acme, role))

    response = client.get(f"/panel/fiscal/invoices/{invoice.pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="factura-A-{invoice.number:08d}.pdf"'
    assert response.content.startswith(b"%PDF")

    response = client.get(f"/panel/fiscal/credit-notes/{note.pk}.pdf")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'inline; filename="nota-de-credito-NC-{note.number:08d}.pdf"'


def test_the_thermal_receipt_is_a_printable_80mm_page(sold, acme, staff_in, client_for):
    invoice, _note = sold
    client = client_for(acme, staff_in(acme, Role.SELLER))

    response = client.get(f"/panel/fiscal/invoices/{invoice.pk}/receipt/")

    page = response.content.decode()
    assert response.status_code == 200 and "window.print()" in page
    assert f"{invoice.number:08d}" in page and invoice.control_number in page
    assert "Bs. 3.025,00" in page and "IGTF 3 %" in page and "Bs. 3.085,00" in page
    # A copy of a voided sale's receipt says so.
    assert f"ANULADA · Nota de crédito Serie NC N° {_note.number:08d}" in page


@pytest.mark.browser
def test_the_thermal_receipt_prints_on_an_80mm_roll_only_as_long_as_itself(
    sold, acme, staff_in, client_for, page
):
    invoice, _note = sold
    client = client_for(acme, staff_in(acme, Role.SELLER))
    page.set_content(client.get(f"/panel/fiscal/invoices/{invoice.pk}/receipt/").content.decode())

    printed = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))

    width_mm, height_mm = (float(side) * 25.4 / 72 for side in printed.pages[0].mediabox[2:])
    assert len(printed.pages) == 1 and round(width_mm) == 80  # not Letter, with a column in it
    assert 90 < height_mm < 250  # the receipt's length, not a page's
    assert "Bs. 3.085,00" in printed.pages[0].extract_text()


def test_door_staff_cannot_open_fiscal_documents(sold, acme, staff_in, client_for):
    invoice, note = sold
    client = client_for(acme, staff_in(acme, Role.DOOR))

    for url in (
        f"/panel/fiscal/invoices/{invoice.pk}.pdf",
        f"/panel/fiscal/credit-notes/{note.pk}.pdf",
        f"/panel/fiscal/invoices/{invoice.pk}/receipt/",
        "/panel/fiscal/settings/",
    ):
        assert client.get(url).status_code == 403, url


def documents_with_pk(pk: int) -> tuple[Invoice, CreditNote]:
    """An invoice and its credit note with a chosen id (for isolation and role-matrix tests):
    inserting is allowed, only UPDATE and DELETE are refused."""
    invoice = Invoice.objects.create(
        pk=pk,
        order=completed_order(),
        series="ISO",
        number=1,
        control_number=f"98-{pk:08d}",
        control_provider=ControlNumberProviderKind.DIGITAL_SANDBOX,
        issued_at=timezone.now(),
        seller_name="Acme Eventos",
        seller_rif="J-41197191-0",
        seller_fiscal_address="Caracas",
        buyer_name="María Rodríguez",
        buyer_id_document="V-12345678",
        totals=TOTALS,
        currency="USD",
        exchange_rate=Decimal("100"),
        total_ves=Decimal("3025.00"),
    )
    note = CreditNote.objects.create(
        pk=pk,
        invoice=invoice,
        series="ISO-NC",
        number=1,
        control_number=f"97-{pk:08d}",
        control_provider=ControlNumberProviderKind.DIGITAL_SANDBOX,
        issued_at=timezone.now(),
        reason="Anulación",
        amount={"total_ves": "3025.00"},
        total_ves=Decimal("3025.00"),
    )
    return invoice, note


def test_another_organizations_documents_are_a_404(acme, globex, staff_in, client_for):
    connection.set_tenant(acme)
    invoice, note = documents_with_pk(ISOLATION_PK)
    acme_owner = User.objects.get(email="owner@acme.test")
    assert client_for(acme, acme_owner).get(f"/panel/fiscal/invoices/{ISOLATION_PK}.pdf").status_code == 200
    connection.set_tenant(globex)
    intruder = User.objects.get(email="owner@globex.test")
    client = client_for(globex, intruder)

    for url in (
        f"/panel/fiscal/invoices/{ISOLATION_PK}.pdf",
        f"/panel/fiscal/invoices/{ISOLATION_PK}/receipt/",
        f"/panel/fiscal/credit-notes/{ISOLATION_PK}.pdf",
    ):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("role", [Role.MANAGER, Role.SELLER, Role.DOOR])
def test_only_the_owner_configures_control_numbers(role, acme, staff_in, client_for):
    client = client_for(acme, staff_in(acme, role))

    assert client.get("/panel/fiscal/settings/").status_code == 403
    assert client.post("/panel/fiscal/settings/", {"provider": "range"}).status_code == 403


@pytest.fixture
def owner_client(acme, client_for):
    connection.set_tenant(acme)
    return client_for(acme, User.objects.get(email="owner@acme.test"))


def test_the_owner_sets_an_assigned_range(owner_client, acme):
    page = owner_client.get("/panel/fiscal/settings/")
    assert page.status_code == 200 and "Imprenta digital (entorno de pruebas)" in page.content.decode()

    response = owner_client.post(
        "/panel/fiscal/settings/",
        {"provider": "range", "prefix": "00", "range_start": "1", "range_end": "500"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "Configuración fiscal guardada." in body and "desde N° 00-00000001 hasta N° 00-00000500" in body
    connection.set_tenant(acme)
    row = ControlNumberSettings.load()
    assert (row.provider, row.prefix, row.range_start, row.range_end, row.next_number) == (
        "range",
        "00",
        1,
        500,
        1,
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"prefix": "0"}, "prefix", "exactamente 2 dígitos"),
        ({"prefix": "AB"}, "prefix", "exactamente 2 dígitos"),
        ({"range_start": "10", "range_end": "5"}, "range_end", "mayor o igual que el inicio"),
        ({"range_start": "", "range_end": ""}, "range_start", "Indique el primer número"),
        ({"range_start": "x"}, "range_start", "número entero"),
    ],
)
def test_the_settings_form_shows_errors_next_to_fields(owner_client, data, field, message):
    form = {"provider": "range", "prefix": "00", "range_start": "1", "range_end": "100", **data}

    response = owner_client.post("/panel/fiscal/settings/", form, HTTP_HX_REQUEST="true")

    assert response.status_code == 422
    body = response.content.decode()
    assert f'id="id_{field}_error"' in body and message in body


def test_the_range_cannot_go_back_over_numbers_already_used(owner_client, acme):
    connection.set_tenant(acme)
    use_range(start=1, end=100)
    for _ in range(3):
        issue(completed_order())  # 00-00000001 … 00-00000003

    refused = owner_client.post(
        "/panel/fiscal/settings/",
        {"provider": "range", "prefix": "00", "range_start": "1", "range_end": "2"},
        HTTP_HX_REQUEST="true",
    )
    assert refused.status_code == 422
    assert "Ya se usaron los números de control hasta el N° 00-00000003" in refused.content.decode()

    extended = owner_client.post(
        "/panel/fiscal/settings/",
        {"provider": "range", "prefix": "00", "range_start": "1", "range_end": "200"},
        HTTP_HX_REQUEST="true",
    )
    assert extended.status_code == 200
    connection.set_tenant(acme)
    assert ControlNumberSettings.load().next_number == 4  # goes on after the used numbers
    assert issue(completed_order()).control_number == "00-00000004"


def test_the_http_printer_cannot_be_chosen_unless_the_server_is_configured(owner_client, settings):
    settings.DIGITAL_PRINTER_URL = ""

    response = owner_client.post(
        "/panel/fiscal/settings/", {"provider": "digital_http", "prefix": "00"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 422
    assert "no está configurada en este servidor" in response.content.decode()
    # The choice itself says so before it is picked; with a printer configured it does not.
    page = owner_client.get("/panel/fiscal/settings/").content.decode()
    assert "Imprenta digital (conexión API): no configurada en este servidor" in page
    settings.DIGITAL_PRINTER_URL = "https://imprenta.example/api"
    assert "no configurada" not in owner_client.get("/panel/fiscal/settings/").content.decode()


@pytest.mark.parametrize(
    ("event_currency", "base_price", "paid", "rates_line"),
    [
        # A bolívar event paid in dollars: the dollar's rate, although no price is in dollars.
        ("VES", "2500.00", [("cash_usd", "USD", "30")], "Tasa de cambio BCV aplicada: Bs. 100,00 por USD."),
        # A dollar event paid in euros: both rates.
        (
            "USD",
            "25.00",
            [("cash_eur", "EUR", "30")],
            "Tasa de cambio BCV aplicada: Bs. 100,00 por USD; Bs. 110,00 por EUR.",
        ),
    ],
)
def test_the_invoice_and_receipt_state_every_rate_they_converted_with(
    in_acme, event_currency, base_price, paid, rates_line
):
    from tests.sales_helpers import a_customer, on_sale_event, set_todays_rate
    from ticketing.payments import services as money
    from ticketing.payments.services import PaymentInput
    from ticketing.sales import services as sales

    set_todays_rate("100")
    money.set_rate(
        on=money.today_in_caracas(), currency="EUR", ves_per_unit=Decimal("110"), by=None, confirmed=True
    )
    event = on_sale_event(currency=event_currency, base_price=base_price)
    seat = Seat.objects.get(event=event, row_label="A", number=1, table__isnull=True)
    order = sales.hold(event=event, channel=Order.Channel.BOX_OFFICE, seat_ids=[seat.pk])
    for method, currency, amount in paid:
        order = sales.add_payment(
            order=order,
            payment=PaymentInput(method=method, currency=currency, amount=Decimal(amount), details={}),
        )
    done = sales.complete_sale(order=order, completion_key=uuid.uuid4(), customer=a_customer())

    receipt = squeeze(render_to_string("fiscal/receipt.html", documents.receipt_context(done.invoice)))
    assert rates_line in squeeze(documents.invoice_html(done.invoice))
    for used in rates_line.removeprefix("Tasa de cambio BCV aplicada: ").rstrip(".").split("; "):
        rate, currency = used.split(" por ")
        assert f"Tasa BCV: {rate} / {currency}" in receipt


# --- Documents are Spanish whoever prints them, and long names fit --------------------------------


@pytest.fixture
def english_seller(acme, staff_in, client_for):
    from django.utils import translation

    seller = client_for(acme, staff_in(acme, Role.SELLER))
    seller.post("/i18n/setlang/", {"language": "en"})
    yield seller
    translation.deactivate()  # the requests left English active in this thread


def test_a_sale_completed_in_english_freezes_spanish_payment_labels_into_the_invoice(in_acme, english_seller):
    from tests.sales_helpers import a_customer, on_sale_event, set_todays_rate

    set_todays_rate("100")
    event = on_sale_event()
    customer = a_customer()
    seller = english_seller
    a1 = Seat.objects.get(event=event, row_label="A", number=1, table__isnull=True)
    seller.post(
        f"/panel/sales/events/{event.pk}/hold/",
        {"seat": [a1.pk], "customer": customer.pk},
        HTTP_HX_REQUEST="true",
    )
    order = Order.objects.get(event=event, status=Order.Status.HELD)
    payment = {"method": "cash_usd", "payment-amount": "29", "then": "complete", "customer": customer.pk}
    done = seller.post(
        f"/panel/sales/orders/{order.public_id}/payments/",
        {**payment, "completion_key": str(uuid.uuid4())},
        HTTP_HX_REQUEST="true",
    )

    assert done.status_code == 204
    order.refresh_from_db()
    assert order.invoice.totals["payments"][0]["method_label"] == "Efectivo USD"


def test_documents_print_venezuelan_numbers_for_an_english_speaking_seller(in_acme, english_seller):
    order = completed_order()
    invoice = issue(order)
    seller = english_seller

    invoice_pdf = squeeze(pdf_text(seller.get(f"/panel/fiscal/invoices/{invoice.pk}.pdf").content))
    receipt = squeeze(seller.get(f"/panel/fiscal/invoices/{invoice.pk}/receipt/").content.decode())
    tickets_pdf = squeeze(pdf_text(seller.get(f"/panel/sales/orders/{order.public_id}/tickets.pdf").content))

    assert "Total USD 30,25 Bs. 3.025,00" in invoice_pdf
    assert "Bs. 3.025,00" in receipt and "Efectivo USD" in receipt
    assert "USD 12,50" in tickets_pdf


def test_a_customer_with_the_longest_names_can_buy(in_acme):
    from tests.sales_helpers import a_customer, cash_usd, on_sale_event, set_todays_rate
    from ticketing.sales import services as sales

    set_todays_rate("100")
    event = on_sale_event()
    customer = a_customer(first_name="M" * 100, last_name="R" * 100)
    a1 = Seat.objects.get(event=event, row_label="A", number=1, table__isnull=True)
    order = sales.hold(event=event, channel=Order.Channel.BOX_OFFICE, seat_ids=[a1.pk])
    sales.add_payment(order=order, payment=cash_usd("29"))

    done = sales.complete_sale(order=order, completion_key=uuid.uuid4(), customer=customer)

    assert done.invoice.buyer_name == f"{'M' * 100} {'R' * 100}"


def test_a_seat_in_a_zone_with_the_longest_name_can_be_held(in_acme):
    from ticketing.sales import services as sales

    event = make_event(status=Event.Status.ON_SALE)
    make_numbered_zone(event, rows=30, seats_per_row=10, name="Z" * 100)
    seat = Seat.objects.get(event=event, row_label="AB", number=10)

    order = sales.hold(event=event, channel=Order.Channel.BOX_OFFICE, seat_ids=[seat.pk])

    assert order.tickets.get().label == f"{'Z' * 100} · Fila AB, Asiento 10"


def test_the_panel_warns_while_there_is_time_to_ask_for_more_control_numbers(acme, staff_in, client_for):
    connection.set_tenant(acme)
    seller = client_for(acme, staff_in(acme, Role.SELLER))
    owner = client_for(acme, staff_in(acme, Role.OWNER))

    digital = seller.get("/panel/").content.decode()
    plenty = use_range(1, 1000)
    plenty_page = seller.get("/panel/").content.decode()
    settings_row = use_range(1, 1000)
    settings_row.next_number = 960
    settings_row.save(update_fields=["next_number"])
    low_seller, low_owner = seller.get("/panel/").content.decode(), owner.get("/panel/").content.decode()
    settings_row.next_number = 1001
    settings_row.save(update_fields=["next_number"])
    none_left = seller.get("/panel/").content.decode()

    assert plenty.remaining == 1000
    assert 'data-testid="control-numbers-low"' not in digital + plenty_page
    assert "Quedan 41 números de control del rango asignado." in low_seller
    assert "Avise al propietario" in low_seller and 'href="/panel/fiscal/settings/"' not in low_seller
    assert 'href="/panel/fiscal/settings/"' in low_owner
    assert "No quedan números de control" in none_left


def test_until_set_up_the_panel_says_invoices_and_card_payments_are_for_testing(acme, staff_in, client_for):
    from ticketing.storefront.services import online_settings

    connection.set_tenant(acme)
    numbered_as_a_new_organization()
    seller = client_for(acme, staff_in(acme, Role.SELLER))
    owner = client_for(acme, staff_in(acme, Role.OWNER))

    new_seller, new_owner = seller.get("/panel/").content.decode(), owner.get("/panel/").content.decode()
    use_range(1, 1000)
    row = online_settings()
    row.card_enabled = False
    row.save()
    set_up = owner.get("/panel/").content.decode()

    assert "son documentos de prueba, sin valor fiscal" in new_seller
    assert "Avise al propietario para que registre el rango de la imprenta." in new_seller
    assert 'href="/panel/fiscal/settings/"' in new_owner
    assert "no cobran dinero real" in new_owner and 'href="/panel/online/ajustes/"' in new_owner
    assert (
        'data-testid="invoices-for-testing"' not in set_up and 'data-testid="cards-simulated"' not in set_up
    )
