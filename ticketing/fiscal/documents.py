"""Printable documents: the invoice, the credit note and the tickets as PDFs (WeasyPrint), and the
receipt for an 80 mm thermal printer (an HTML page).

Fiscal documents are printed in Spanish whatever language the person browsing chose, and with
the Caracas date and time. Everything printed on an invoice comes from its frozen snapshot.
"""

from collections.abc import Callable
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import number_format

from ticketing.core.money import format_money, format_rate
from ticketing.organizations.selectors import current_organization
from ticketing.payments.methods import PaymentMethod
from ticketing.sales.models import Ticket
from ticketing.sales.selectors import in_place_order
from ticketing.sales.signing import qr_svg, ticket_qr_payload

from .models import CreditNote, Invoice, format_document_number

CARACAS = ZoneInfo("America/Caracas")
PA_102_LEGEND = "Emitida conforme a lo dispuesto en la Providencia Administrativa SNAT/2024/000102"
# On documents numbered by the sandbox printer (a new organization's default): nobody may take
# them for an invoice, and they do not claim PA 102.
TEST_DOCUMENT_MARK = "DOCUMENTO DE PRUEBA · SIN VALOR FISCAL (números de control de la imprenta de pruebas)"
FISCAL_LANGUAGE = "es"


def _d(value) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal("0")


def _money(value, currency: str) -> str:
    return format_money(_d(value), currency)


def _percent(value) -> str:
    value = _d(value)
    places = 0 if value == value.to_integral() else 2
    return f"{number_format(value, places, use_l10n=True)} %"


def _rate(value) -> str:
    return format_rate(_d(value))


def caracas_date(moment) -> str:
    return timezone.localtime(moment, CARACAS).strftime("%d/%m/%Y")


def caracas_time(moment) -> str:
    return timezone.localtime(moment, CARACAS).strftime("%H:%M")


def _amounts(totals: dict) -> dict:
    """Lines, taxes and totals of a snapshot, formatted for print, in both currencies."""
    currency = totals.get("currency") or "VES"
    foreign = currency != "VES"
    exempt = bool(totals.get("exempt"))

    def pair(amount, amount_ves):
        return {"foreign": _money(amount, currency) if foreign else "", "ves": _money(amount_ves, "VES")}

    lines = [
        {
            "description": line.get("label", ""),
            "detail": line.get("detail", ""),
            "quantity": 1,
            "exempt": exempt,
            **pair(line.get("price"), line.get("price_ves")),
        }
        for line in totals.get("lines", [])
    ]
    fees = [
        {
            "name": fee.get("name", ""),
            "rate": _percent(fee.get("rate")),
            **pair(fee.get("amount"), fee.get("amount_ves")),
        }
        for fee in totals.get("fees", [])
    ]
    igtf_ves = _d(totals.get("igtf_ves"))
    change_ves = _d(totals.get("change_ves"))
    zero = pair("0", "0")
    # Every BCV rate the document converted with: the event's currency, and each foreign
    # currency paid in (a bolívar event paid in dollars, euros on a dollar event). Snapshots from
    # before payments kept their rate show the event's only.
    rates = {currency: _rate(totals.get("rate") or "1")} if foreign else {}
    for payment in totals.get("payments", []):
        paid_in = payment.get("currency") or "VES"
        if paid_in != "VES" and payment.get("rate") and paid_in not in rates:
            rates[paid_in] = _rate(payment["rate"])
    return {
        "currency": currency,
        "foreign": foreign,
        "rate": _rate(totals.get("rate") or "1"),
        "rates": [{"currency": code, "rate": rate} for code, rate in rates.items()],
        "exempt": exempt,
        "lines": lines,
        "quantity": len(lines),
        "subtotal": pair(totals.get("subtotal"), totals.get("subtotal_ves")),
        "iva_rate": _percent(totals.get("iva_rate")),
        "taxable_base": zero if exempt else pair(totals.get("subtotal"), totals.get("subtotal_ves")),
        "iva": pair(totals.get("iva"), totals.get("iva_ves")),
        "exempt_total": pair(totals.get("subtotal"), totals.get("subtotal_ves")) if exempt else zero,
        "fees": fees,
        "fees_ves": _money(totals.get("fees_ves"), "VES"),
        "total": pair(totals.get("total"), totals.get("total_ves")),
        "has_igtf": igtf_ves > 0,
        "igtf_rate": _percent(totals.get("igtf_rate")),
        "igtf_ves": _money(igtf_ves, "VES"),
        "due_ves": _money(totals.get("due_ves") or _d(totals.get("total_ves")) + igtf_ves, "VES"),
        "payments": [
            {
                "label": _method_label(p),
                "amount": _money(p.get("amount"), p.get("currency") or "VES"),
                "amount_ves": _money(p.get("amount_ves"), "VES"),
                "foreign": (p.get("currency") or "VES") != "VES",
            }
            for p in totals.get("payments", [])
        ],
        "paid_ves": _money(totals.get("paid_ves"), "VES"),
        "has_change": change_ves > 0,
        "change_ves": _money(change_ves, "VES"),
    }


def _method_label(payment: dict) -> str:
    """The method's name in the current (the documents') language; invoices frozen with a
    seller's English label print in Spanish too."""
    method = payment.get("method", "")
    if method in PaymentMethod.values:
        return str(PaymentMethod(method).label)
    return payment.get("method_label") or method


def _event(order) -> dict:
    event = order.event
    return {
        "name": event.name,
        "date": caracas_date(event.starts_at),
        "time": caracas_time(event.starts_at),
        "venue": event.venue.name,
        "venue_address": f"{event.venue.address}, {event.venue.city}",
    }


def _void_mark(invoice: Invoice) -> str:
    """On a copy of a voided sale's invoice: nobody hands it to a customer as valid."""
    note = invoice.credit_notes.order_by("issued_at").first()
    if note is None:
        return ""
    return (
        f"ANULADA · Nota de crédito Serie {note.series} N° {format_document_number(note.number)} "
        f"del {caracas_date(note.issued_at)} · COPIA"
    )


def invoice_context(invoice: Invoice) -> dict:
    return {
        "void_mark": _void_mark(invoice),
        "invoice": invoice,
        "number": format_document_number(invoice.number),
        "issued_date": caracas_date(invoice.issued_at),
        "issued_time": caracas_time(invoice.issued_at),
        "event": _event(invoice.order),
        "amounts": _amounts(invoice.totals),
        "legend": PA_102_LEGEND if invoice.is_digital and not invoice.is_test else "",
        "test_mark": TEST_DOCUMENT_MARK if invoice.is_test else "",
    }


def credit_note_context(note: CreditNote) -> dict:
    invoice = note.invoice
    return {
        "note": note,
        "invoice": invoice,
        "number": format_document_number(note.number),
        "issued_date": caracas_date(note.issued_at),
        "issued_time": caracas_time(note.issued_at),
        "invoice_number": format_document_number(invoice.number),
        "invoice_date": caracas_date(invoice.issued_at),
        "invoice_total_ves": _money(invoice.total_ves, "VES"),
        "event": _event(invoice.order),
        "amounts": _amounts({**invoice.totals, **note.amount}),
        "legend": PA_102_LEGEND if note.is_digital and not note.is_test else "",
        "test_mark": TEST_DOCUMENT_MARK if note.is_test else "",
    }


def _price_note(totals: dict) -> str:
    """What a ticket's price leaves out, so it does not read as what the customer paid: the IVA
    and the event's other taxes, from the sale's frozen totals ("más IVA 16 %, Impuesto municipal
    5 %"; "exento de IVA")."""
    added = (
        []
        if totals.get("exempt") or not _d(totals.get("iva_rate"))
        else [f"IVA {_percent(totals['iva_rate'])}"]
    )
    added += [f"{fee.get('name', '')} {_percent(fee.get('rate'))}" for fee in totals.get("fees", [])]
    notes = ["exento de IVA"] if totals.get("exempt") else []
    if added:
        notes.append("más " + ", ".join(added))
    return "; ".join(notes)


def tickets_context(order, *, organization=None) -> dict:
    organization = organization or current_organization()
    event = _event(order)
    customer = order.customer
    price_note = _price_note(order.totals or {})
    tickets = []
    for ticket in in_place_order(
        order.tickets.filter(status=Ticket.Status.VALID).select_related("zone", "seat", "table")
    ):
        payload = ticket_qr_payload(ticket, organization=organization)
        tickets.append(
            {
                "ticket": ticket,
                "zone": ticket.zone.name,
                "label": ticket.label,
                "price": _money(ticket.price, order.currency or order.event.currency),
                "price_note": price_note,
                "payload": payload,
                "qr": qr_svg(payload),
            }
        )
    return {
        "organization": organization,
        "order": order,
        "event": event,
        "customer": customer.full_name if customer else "",
        "customer_id": customer.id_document if customer else "",
        "tickets": tickets,
    }


def _html(template: str, make_context: Callable[[], dict]) -> str:
    """In the documents' language, context included: amounts are formatted while it is built."""
    with translation.override(FISCAL_LANGUAGE):
        return render_to_string(template, make_context())


def _pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported on use: it loads pango and fonts

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def invoice_html(invoice: Invoice) -> str:
    return _html("fiscal/invoice_pdf.html", lambda: invoice_context(invoice))


def render_invoice_pdf(invoice: Invoice) -> bytes:
    return _pdf(invoice_html(invoice))


def credit_note_html(note: CreditNote) -> str:
    return _html("fiscal/credit_note_pdf.html", lambda: credit_note_context(note))


def render_credit_note_pdf(note: CreditNote) -> bytes:
    return _pdf(credit_note_html(note))


def tickets_html(order) -> str:
    return _html("fiscal/tickets_pdf.html", lambda: tickets_context(order))


def render_tickets_pdf(order) -> bytes:
    """One page per valid ticket, each with its signed QR code."""
    return _pdf(tickets_html(order))


def receipt_context(invoice: Invoice) -> dict:
    return invoice_context(invoice)
