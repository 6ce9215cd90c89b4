"""Control numbers (números de control): where each fiscal document gets its own.

A system like ours cannot make them up: they come from an authorized printer. Either a range of
numbers that a printing house assigned to the organization (configured by the owner), or a digital
printing house (imprenta digital, PA SNAT/2024/000102) over an API. Every provider has one method,
`assign(document_kind=, document_id=)`, called inside the transaction that issues the document.
"""

import re
from typing import Protocol

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    CONTROL_NUMBER_MAX,
    ControlNumberProviderKind,
    ControlNumberSettings,
    format_control_number,
)

SANDBOX_PREFIX = "99"
CONTROL_NUMBER_PATTERN = re.compile(r"^\d{2}-\d{8}$")


class ControlRangeExhausted(ValidationError):
    def __init__(self, settings_row: ControlNumberSettings):
        super().__init__(
            _(
                "Se agotaron los números de control del rango asignado (%(range)s): el propietario "
                "debe registrar un nuevo rango de la imprenta autorizada en la configuración fiscal. "
                "No se emitió el documento: la venta o la anulación no se hizo."
            ),
            code="control_range_exhausted",
            params={"range": settings_row.range_text},
        )


class ControlRangeNotConfigured(ValidationError):
    def __init__(self):
        super().__init__(
            _(
                "No hay un rango de números de control configurado. El propietario debe "
                "registrarlo en la configuración fiscal. No se emitió el documento: la venta o la "
                "anulación no se hizo."
            ),
            code="control_range_missing",
        )


class DigitalPrinterUnavailable(ValidationError):
    def __init__(self, detail: str):
        super().__init__(
            _(
                "La imprenta digital no asignó el número de control (%(detail)s). No se emitió el "
                "documento: la venta o la anulación no se hizo; intente de nuevo en unos minutos."
            ),
            code="digital_printer_unavailable",
            params={"detail": detail},
        )


class ControlNumberProvider(Protocol):
    kind: str
    # True when the provider keys its numbers by the document's id (a printing house's
    # idempotency key): the document is saved first and gets its number after. Otherwise the
    # number comes first and the document is written once, with it.
    needs_document_id: bool

    def assign(self, *, document_kind: str, document_id: int | None) -> str:
        """The control number for this document, as `NN-NNNNNNNN`. Runs inside the issuing
        transaction; raises a ValidationError (the sale rolls back whole) when it cannot."""
        ...

    def range_text(self) -> str:
        """“desde N° … hasta N° …” when the numbers come from an assigned range, else ""."""
        ...


def _count_one(kind: str | None = None) -> ControlNumberSettings:
    """Lock the settings row and move one counter on, in one statement: every sale waits its turn
    on this row until commit, so its round trips count. `kind`: whose counter (the assigned
    range's or the sandbox's); None: the configured provider's (the digital printer's API keeps
    its own, so nothing moves for it).

    Returns the row as it was before, unsaved: its `next_number` (range) or `sandbox_next_number`
    is the number this document takes. A range that is missing or used up does not move (a check
    constraint keeps the counter within range_end + 1): the provider raises, and the sale's
    transaction rolls back whole. The ORM cannot return the values from before an UPDATE; the
    locked subquery can."""
    table = ControlNumberSettings._meta.db_table
    query = f"""
        UPDATE {table} AS settings SET
            next_number = CASE
                WHEN COALESCE(%(kind)s, settings.provider) = %(range)s
                     AND COALESCE(settings.next_number, settings.range_start) <= settings.range_end
                THEN COALESCE(settings.next_number, settings.range_start) + 1
                ELSE settings.next_number END,
            sandbox_next_number = CASE
                WHEN COALESCE(%(kind)s, settings.provider) = %(sandbox)s
                THEN settings.sandbox_next_number + 1
                ELSE settings.sandbox_next_number END,
            updated_at = CASE
                WHEN COALESCE(%(kind)s, settings.provider) IN (%(range)s, %(sandbox)s) THEN %(now)s
                ELSE settings.updated_at END
        FROM (SELECT id, next_number, sandbox_next_number FROM {table} WHERE id = %(id)s FOR UPDATE)
            AS before
        WHERE settings.id = before.id
        RETURNING settings.provider, settings.prefix, settings.range_start, settings.range_end,
            before.next_number, before.sandbox_next_number"""
    params = {
        "kind": kind,
        "range": ControlNumberProviderKind.RANGE.value,
        "sandbox": ControlNumberProviderKind.DIGITAL_SANDBOX.value,
        "now": timezone.now(),
        "id": ControlNumberSettings.SINGLETON_ID,
    }
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        row = cursor.fetchone()
        if row is None:  # the migration creates the row; guard against its absence
            ControlNumberSettings.load()
            cursor.execute(query, params)
            row = cursor.fetchone()
    provider, prefix, range_start, range_end, next_number, sandbox_next_number = row
    return ControlNumberSettings(
        id=ControlNumberSettings.SINGLETON_ID,
        provider=provider,
        prefix=prefix,
        range_start=range_start,
        range_end=range_end,
        next_number=next_number,
        sandbox_next_number=sandbox_next_number,
    )


class AssignedRangeProvider:
    """Pre-assigned numbers (“forma libre” or a range the printing house gave), in order.
    `counted`: the settings row as _count_one returned it, when the caller has already taken
    this document's number in this transaction."""

    kind = ControlNumberProviderKind.RANGE
    needs_document_id = False

    def __init__(self, counted: ControlNumberSettings | None = None):
        self._range_text = ""
        self._counted = counted

    def assign(self, *, document_kind: str, document_id: int | None) -> str:
        row = self._counted or _count_one(self.kind)
        self._counted = None  # one number per count
        if not row.has_range:
            raise ControlRangeNotConfigured()
        number = row.next_number if row.next_number is not None else row.range_start
        if number > row.range_end:
            raise ControlRangeExhausted(row)
        self._range_text = row.range_text
        return format_control_number(row.prefix, number)

    def range_text(self) -> str:
        if not self._range_text:
            self._range_text = ControlNumberSettings.load().range_text
        return self._range_text


class DigitalPrinterSandbox:
    """A local stand-in for an imprenta digital: consecutive numbers with prefix 99, kept in the
    settings row (so they roll back with a failed sale, like everything else)."""

    kind = ControlNumberProviderKind.DIGITAL_SANDBOX
    needs_document_id = False

    def __init__(self, counted: ControlNumberSettings | None = None):
        self._counted = counted

    def assign(self, *, document_kind: str, document_id: int | None) -> str:
        row = self._counted or _count_one(self.kind)
        self._counted = None  # one number per count
        number = row.sandbox_next_number
        if number > CONTROL_NUMBER_MAX:
            raise ControlRangeExhausted(row)
        return format_control_number(SANDBOX_PREFIX, number)

    def range_text(self) -> str:
        return ""


class DigitalPrinterHttpAdapter:
    """A digital printing house's API: POST the document's reference as JSON, read
    `{"control_number": "NN-NNNNNNNN"}` back.

    Settings: DIGITAL_PRINTER_URL, DIGITAL_PRINTER_TOKEN (sent as a Bearer token, optional),
    DIGITAL_PRINTER_TIMEOUT (seconds, default 10). The printing house should treat
    (issuer_rif, document_kind, document_id) as an idempotency key.
    """

    kind = ControlNumberProviderKind.DIGITAL_HTTP
    needs_document_id = True

    def __init__(
        self,
        *,
        url: str | None = None,
        token: str | None = None,
        timeout: float | None = None,
        issuer_rif: str = "",
    ):
        self.url = url if url is not None else getattr(settings, "DIGITAL_PRINTER_URL", "")
        self.token = token if token is not None else getattr(settings, "DIGITAL_PRINTER_TOKEN", "")
        self.timeout = timeout if timeout is not None else getattr(settings, "DIGITAL_PRINTER_TIMEOUT", 10)
        self.issuer_rif = issuer_rif

    def assign(self, *, document_kind: str, document_id: int) -> str:
        if not self.url:
            raise DigitalPrinterUnavailable(_("falta configurar DIGITAL_PRINTER_URL"))
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        payload = {"issuer_rif": self.issuer_rif, "document_kind": document_kind, "document_id": document_id}
        try:
            response = requests.post(self.url, json=payload, headers=headers, timeout=self.timeout)
            response.raise_for_status()
            control_number = str(response.json()["control_number"])
        except requests.Timeout:
            raise DigitalPrinterUnavailable(_("tiempo de espera agotado")) from None
        except requests.HTTPError as e:
            raise DigitalPrinterUnavailable(
                _("error HTTP %(status)s") % {"status": e.response.status_code}
            ) from None
        except requests.RequestException:
            raise DigitalPrinterUnavailable(_("sin conexión")) from None
        except (ValueError, KeyError, TypeError):
            raise DigitalPrinterUnavailable(_("respuesta no válida")) from None
        if not CONTROL_NUMBER_PATTERN.match(control_number):
            raise DigitalPrinterUnavailable(_("número de control con formato no válido"))
        return control_number

    def range_text(self) -> str:
        return ""


def provider_for(
    kind: str, *, issuer_rif: str = "", counted: ControlNumberSettings | None = None
) -> ControlNumberProvider:
    if kind == ControlNumberProviderKind.RANGE:
        return AssignedRangeProvider(counted)
    if kind == ControlNumberProviderKind.DIGITAL_HTTP:
        return DigitalPrinterHttpAdapter(issuer_rif=issuer_rif)
    return DigitalPrinterSandbox(counted)


def locked_provider_for_current_organization() -> ControlNumberProvider:
    """The organization's provider, for one document issued in the caller's transaction: the
    settings row is locked and the provider's counter moved on now, in one statement, and the
    provider's `assign` hands out that number without another round trip.
    The lock order is in fiscal/services.py's docstring."""
    from ticketing.organizations.selectors import current_organization

    row = _count_one()
    issuer_rif = current_organization().rif if row.provider == ControlNumberProviderKind.DIGITAL_HTTP else ""
    return provider_for(row.provider, issuer_rif=issuer_rif, counted=row)


def locked_sandbox_provider() -> ControlNumberProvider:
    """The sandbox printer, counted now (its counter moved on, the settings row locked), whatever
    the organization configured: for a test invoice's credit note."""
    return DigitalPrinterSandbox(_count_one(ControlNumberProviderKind.DIGITAL_SANDBOX))
