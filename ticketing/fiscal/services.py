"""Issuing fiscal documents. Both functions run inside the caller's transaction (the sale's or the
void's), so the document number is taken in the same transaction that commits the sale: a failed
payment, an error or a crash rolls the number back with everything else, and numbers never skip.

Locks: an invoice takes the control-number settings row (read locked in the statement that
takes its number, which says whether the test series numbers), then its series row; a credit note
takes the invoice, then its series row, then the settings row. No path holds a series row while
waiting for another series row, so they never deadlock; concurrent sellers wait for each other on
these rows for milliseconds.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ticketing.organizations.selectors import current_organization

from .models import (
    CREDIT_NOTE_SERIES,
    INVOICE_SERIES,
    TEST_CREDIT_NOTE_SERIES,
    TEST_INVOICE_SERIES,
    ControlNumberProviderKind,
    ControlNumberSettings,
    CreditNote,
    DocumentType,
    Invoice,
    InvoiceSeries,
    format_control_number,
)
from .providers import (
    ControlNumberProvider,
    locked_provider_for_current_organization,
    locked_sandbox_provider,
    provider_for,
)

FINAL_CONSUMER = "Consumidor final"
CREDIT_NOTE_AMOUNT_KEYS = (
    "currency",
    "rate",
    "subtotal",
    "iva_rate",
    "iva",
    "exempt",
    "total",
    "subtotal_ves",
    "iva_ves",
    "fees_ves",
    "total_ves",
    "igtf_rate",
    "igtf_ves",
    "due_ves",
)


class FiscalError(ValidationError):
    """A document could not be issued; the message is for the person at the counter."""


class SeriesMissing(FiscalError):
    def __init__(self, code: str, document_type: str):
        super().__init__(
            _("No existe la serie «%(code)s» de %(document)s."),
            code="series_missing",
            params={"code": code, "document": DocumentType(document_type).label.lower()},
        )


class InvoiceAlreadyCredited(FiscalError):
    def __init__(self, invoice: Invoice):
        super().__init__(
            _("La factura %(number)s ya tiene una nota de crédito."),
            code="already_credited",
            params={"number": invoice.display_number},
        )


def _require_caller_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("fiscal documents are issued inside the sale's transaction.atomic()")


def _take_number(*, code: str, document_type: str) -> int:
    """The series' next number. One UPDATE … RETURNING takes it and locks the series row until the
    caller's transaction ends: every sale waits here in turn, so the fewer round trips, the better
    (the ORM's update() cannot return the value; a locked read and a save took two)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {InvoiceSeries._meta.db_table} SET next_number = next_number + 1 "
            "WHERE code = %s AND document_type = %s RETURNING next_number - 1",
            [code, document_type],
        )
        taken = cursor.fetchone()
    if taken is None:
        raise SeriesMissing(code, document_type)
    return taken[0]


def _take_invoice_number() -> tuple[str, int]:
    """The next invoice number of the series the configured provider numbers: the test series
    while the sandbox printer numbers, the fiscal one otherwise. The settings row is read locked
    (FOR UPDATE, in the same statement), so the provider cannot change before the control number
    is taken from it in this transaction: a real control number never lands on a test number."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {InvoiceSeries._meta.db_table} SET next_number = next_number + 1 "
            "WHERE document_type = %(type)s AND code = (SELECT CASE WHEN COALESCE("
            f"(SELECT provider FROM {ControlNumberSettings._meta.db_table} WHERE id = %(id)s FOR UPDATE), "
            "%(sandbox)s) = %(sandbox)s THEN %(test)s ELSE %(real)s END) "
            "RETURNING code, next_number - 1",
            {
                "type": DocumentType.INVOICE.value,
                "id": ControlNumberSettings.SINGLETON_ID,
                "sandbox": ControlNumberProviderKind.DIGITAL_SANDBOX.value,
                "test": TEST_INVOICE_SERIES,
                "real": INVOICE_SERIES,
            },
        )
        taken = cursor.fetchone()
    if taken is None:
        raise SeriesMissing(INVOICE_SERIES, DocumentType.INVOICE)
    return taken[0], taken[1]


def _decimal(value, default: str = "0") -> Decimal:
    try:
        return Decimal(str(value if value not in (None, "") else default))
    except InvalidOperation:
        raise FiscalError(_("Los totales de la venta no son válidos."), code="bad_totals") from None


def assign_control_number(
    document: Invoice | CreditNote, *, provider: ControlNumberProvider | None = None
) -> str:
    """Give the document its control number, once: a document that has one keeps it."""
    if document.control_number:
        return document.control_number
    model = type(document)
    current = model.objects.filter(pk=document.pk).values_list("control_number", flat=True).first()
    if current:
        document.control_number = current
        return current
    return _give_control_number(document, provider=provider or provider_for(document.control_provider))


def _give_control_number(document: Invoice | CreditNote, *, provider: ControlNumberProvider) -> str:
    """The provider's next control number, on a document that has none (issued just now)."""
    model = type(document)
    kind = DocumentType.INVOICE if isinstance(document, Invoice) else DocumentType.CREDIT_NOTE
    control_number = provider.assign(document_kind=str(kind), document_id=document.pk)
    range_text = provider.range_text()
    # The immutability trigger lets exactly this through: NULL control number → a value, once.
    model.objects.filter(pk=document.pk, control_number__isnull=True).update(
        control_number=control_number, control_range_text=range_text
    )
    document.control_number, document.control_range_text = control_number, range_text
    return control_number


def _create_with_control_number(model, *, provider: ControlNumberProvider, **fields):
    """Write the new document with its control number. A provider that keys its numbers by the
    document's id gets it after the insert (the immutability trigger lets NULL → a value through,
    once); any other assigns first, and the document is written once."""
    if provider.needs_document_id:
        document = model.objects.create(**fields)
        _give_control_number(document, provider=provider)
        return document
    kind = DocumentType.INVOICE if model is Invoice else DocumentType.CREDIT_NOTE
    control_number = provider.assign(document_kind=str(kind), document_id=None)
    return model.objects.create(
        **fields, control_number=control_number, control_range_text=provider.range_text()
    )


def issue_invoice(*, order, series: str | None = None) -> Invoice:
    """The order's invoice, with the series' next number and a control number. `series`: by
    default the fiscal series, or the test series while the sandbox printer numbers.

    Call it inside the transaction that completes the sale (the order row locked by the caller).
    Idempotent: an order that already has its invoice gets it back, numbers unchanged.
    """
    _require_caller_transaction()
    existing = Invoice.objects.filter(order_id=order.pk).first()
    if existing is not None:
        assign_control_number(existing)
        return existing
    return issue_new_invoice(order=order, series=series)


def issue_new_invoice(*, order, series: str | None = None) -> Invoice:
    """issue_invoice for an order that cannot have one yet: the caller has just completed it, with
    the order row locked (sales.services.complete_sale). Skips the read for an existing invoice;
    the unique order on Invoice would refuse a second one anyway."""
    _require_caller_transaction()
    totals = dict(order.totals or {})
    if not totals.get("lines") or "total_ves" not in totals:
        raise FiscalError(_("La venta no tiene totales calculados: no se puede facturar."), code="no_totals")
    rate = _decimal(totals.get("rate") or order.exchange_rate or "1")
    total_ves = _decimal(totals.get("total_ves"))

    if series is None:
        series, number = _take_invoice_number()
    else:
        number = _take_number(code=series, document_type=DocumentType.INVOICE)
    provider = locked_provider_for_current_organization()
    organization = current_organization()
    customer = order.customer
    return _create_with_control_number(
        Invoice,
        provider=provider,
        order=order,
        series=series,
        number=number,
        control_provider=provider.kind,
        issued_at=timezone.now(),
        seller_name=organization.name,
        seller_rif=organization.rif,
        seller_fiscal_address=organization.fiscal_address,
        buyer_name=customer.full_name if customer else FINAL_CONSUMER,
        buyer_id_document=customer.id_document if customer else "",
        buyer_address="",
        totals=totals,
        currency=totals.get("currency") or order.currency or "VES",
        exchange_rate=rate,
        total_ves=total_ves,
    )


def issue_credit_note(*, invoice: Invoice, reason: str, series: str | None = None) -> CreditNote:
    """A credit note for the whole invoice (a voided sale). The invoice itself never changes.

    Numbered like the invoice it cancels: a test invoice gets a test note (the test series, the
    sandbox printer), whatever the organization uses now; a real one a real note, never a test
    one. The issuer printed is the organization's now. Call it inside the transaction that voids
    the sale.
    """
    _require_caller_transaction()
    reason = (reason or "").strip()
    if not reason:
        raise FiscalError({"reason": _("Indique el motivo de la nota de crédito.")})
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.credit_notes.exists():
        raise InvoiceAlreadyCredited(invoice)

    if invoice.is_test:
        series = series or TEST_CREDIT_NOTE_SERIES
        number = _take_number(code=series, document_type=DocumentType.CREDIT_NOTE)
        provider = locked_sandbox_provider()
    else:
        series = series or CREDIT_NOTE_SERIES
        number = _take_number(code=series, document_type=DocumentType.CREDIT_NOTE)
        provider = locked_provider_for_current_organization()
        if provider.kind == ControlNumberProviderKind.DIGITAL_SANDBOX:
            raise FiscalError(
                _(
                    "La factura %(number)s tiene un número de control real y la organización numera "
                    "ahora con la imprenta de pruebas: el propietario debe volver a configurar el "
                    "rango asignado o la imprenta digital antes de anularla."
                ),
                code="real_invoice_test_provider",
                params={"number": invoice.display_number},
            )
    organization = current_organization()
    amount = {key: invoice.totals[key] for key in CREDIT_NOTE_AMOUNT_KEYS if key in invoice.totals}
    amount["invoice_total_ves"] = str(invoice.total_ves)
    return _create_with_control_number(
        CreditNote,
        provider=provider,
        invoice=invoice,
        series=series,
        number=number,
        control_provider=provider.kind,
        issued_at=timezone.now(),
        reason=reason[:300],
        amount=amount,
        total_ves=invoice.total_ves,
        seller_name=organization.name,
        seller_rif=organization.rif,
        seller_fiscal_address=organization.fiscal_address,
    )


def control_settings() -> ControlNumberSettings:
    return ControlNumberSettings.load()


# Below this many numbers left in the assigned range the panel warns: a printer takes days to
# assign a new range, and a busy event night issues hundreds of invoices.
LOW_CONTROL_NUMBERS = 200


def control_numbers_running_low() -> int | None:
    """How many control numbers the assigned range has left, when it is few (0: used up, or no
    range registered); None when there is no need to worry (plenty left, or a digital printer)."""
    settings_row = control_settings()
    if settings_row.provider != ControlNumberProviderKind.RANGE:
        return None
    remaining = settings_row.remaining or 0
    return remaining if remaining < LOW_CONTROL_NUMBERS else None


def control_numbers_are_for_testing() -> bool:
    """Whether invoices get their control numbers from the sandbox printer (a new organization's
    default): test documents, of no fiscal value, until the owner registers a range or a printer."""
    return control_settings().provider == ControlNumberProviderKind.DIGITAL_SANDBOX


def real_documents_issued() -> bool:
    """Whether any invoice or credit note got a real control number (not the sandbox's)."""
    return any(
        model.objects.exclude(control_provider=ControlNumberProviderKind.DIGITAL_SANDBOX).exists()
        for model in (Invoice, CreditNote)
    )


def invoices_can_be_issued() -> bool:
    """Whether a sale completed now would get its control number (a digital printer, or an
    assigned range with numbers left)."""
    return control_numbers_running_low() != 0


def highest_used_control_number(prefix: str) -> int | None:
    """The highest control number with this prefix already on a document (or taken by the range
    counter), or None. Control numbers are fixed-width, so the text maximum is the numeric one."""
    candidates = []
    for model in (Invoice, CreditNote):
        value = model.objects.filter(control_number__startswith=f"{prefix}-").aggregate(
            m=Max("control_number")
        )["m"]
        if value:
            candidates.append(int(value.split("-", 1)[1]))
    row = ControlNumberSettings.load()
    if row.prefix == prefix and row.used_until is not None:
        candidates.append(row.used_until)
    return max(candidates, default=None)


def range_errors(*, prefix: str, range_start: int | None, range_end: int | None) -> dict[str, str]:
    """Field errors for a new assigned range (empty if acceptable). A range can be extended or
    replaced, but never so that a number already given to a document would be given again."""
    if (range_start is None) != (range_end is None):
        field = "range_end" if range_end is None else "range_start"
        return {field: _("Indique el rango completo: desde y hasta.")}
    if range_start is None:
        return {}
    if range_start > range_end:
        return {"range_end": _("El final del rango debe ser mayor o igual que el inicio.")}
    used = highest_used_control_number(prefix)
    if used is not None and range_end <= used:
        return {
            "range_end": _(
                "Ya se usaron los números de control hasta el N° %(used)s: el rango debe terminar "
                "después de ese número."
            )
            % {"used": format_control_number(prefix, used)}
        }
    return {}


@transaction.atomic
def save_control_settings(
    *, provider: str, prefix: str, range_start: int | None, range_end: int | None
) -> ControlNumberSettings:
    """Change where control numbers come from and the assigned range. After numbers already used
    with the same prefix, the range goes on from the next one."""
    ControlNumberSettings.load()
    row = ControlNumberSettings.objects.select_for_update().get(pk=ControlNumberSettings.SINGLETON_ID)
    errors = range_errors(prefix=prefix, range_start=range_start, range_end=range_end)
    if errors:
        raise ValidationError(errors)
    if (prefix, range_start, range_end) != (row.prefix, row.range_start, row.range_end):
        used = highest_used_control_number(prefix)
        row.prefix, row.range_start, row.range_end = prefix, range_start, range_end
        if range_start is None:
            row.next_number = None
        else:
            row.next_number = max(range_start, used + 1) if used is not None else range_start
    if (
        provider == ControlNumberProviderKind.DIGITAL_SANDBOX
        and row.provider != ControlNumberProviderKind.DIGITAL_SANDBOX
        and real_documents_issued()
    ):
        raise ValidationError(
            {
                "provider": _(
                    "Ya se emitieron documentos con números de control reales: no se puede volver a "
                    "la imprenta de pruebas."
                )
            }
        )
    if provider == ControlNumberProviderKind.RANGE and not row.has_range:
        raise ValidationError({"range_start": _("Para usar un rango asignado, indique desde y hasta.")})
    row.provider = provider
    row.full_clean()
    row.save()
    return row
