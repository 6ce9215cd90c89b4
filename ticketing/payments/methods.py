"""Payment methods at a Venezuelan counter: what each one is paid in, whether IGTF applies, whether
it may give change, and the details it must capture (normalized here, validated with Spanish
messages). The sales app stores `method` with `PaymentMethod.choices` and `details` as JSON.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext_lazy as _

from ticketing.core.identifiers import (
    PASSPORT_PREFIX,
    format_ve_mobile,
    normalize_id_document,
    normalize_ve_mobile,
)
from ticketing.core.money import Currency


class PaymentMethod(models.TextChoices):
    CASH_VES = "cash_ves", _("Efectivo Bs.")
    CASH_USD = "cash_usd", _("Efectivo USD")
    CASH_EUR = "cash_eur", _("Efectivo EUR")
    CARD = "card", _("Tarjeta de débito/crédito (punto de venta)")
    PAGO_MOVIL = "pago_movil", _("Pago Móvil")
    TRANSFER = "transfer", _("Transferencia bancaria")
    ZELLE = "zelle", _("Zelle")
    CARD_ONLINE = "card_online", _("Tarjeta en línea")


# The online card is charged by the gateway on the customer's own page, never at the counter.
BOX_OFFICE_METHODS: list[tuple[str, str]] = [
    (value, label) for value, label in PaymentMethod.choices if value != PaymentMethod.CARD_ONLINE
]


# Banks by their BCV code, the first four digits of every Venezuelan account number.
BANKS: list[tuple[str, str]] = [
    ("0102", "Banco de Venezuela"),
    ("0104", "Venezolano de Crédito"),
    ("0105", "Mercantil"),
    ("0108", "Provincial"),
    ("0114", "Bancaribe"),
    ("0115", "Exterior"),
    ("0128", "Caroní"),
    ("0134", "Banesco"),
    ("0137", "Sofitasa"),
    ("0138", "Plaza"),
    ("0146", "Bangente"),
    ("0151", "BFC"),
    ("0156", "100% Banco"),
    ("0157", "Del Sur"),
    ("0163", "Tesoro"),
    ("0166", "Agrícola"),
    ("0168", "Bancrecer"),
    ("0169", "Mi Banco"),
    ("0171", "Activo"),
    ("0172", "Bancamiga"),
    ("0174", "Banplus"),
    ("0175", "Bicentenario"),
    ("0191", "BNC"),
]
BANK_NAMES: dict[str, str] = dict(BANKS)
BANK_CHOICES: list[tuple[str, str]] = [(code, f"{code} {name}") for code, name in BANKS]


@dataclass(frozen=True)
class MethodSpec:
    method: str
    currency: str  # what the customer hands over: VES, USD or EUR
    is_foreign: bool  # paid in foreign currency: IGTF applies when the organization is a special taxpayer
    allows_change: bool  # may exceed the balance (cash): the excess is change
    fields: tuple[str, ...]  # the keys of the payment's `details`, all required


METHODS: dict[str, MethodSpec] = {
    spec.method: spec
    for spec in [
        MethodSpec(PaymentMethod.CASH_VES, Currency.VES, False, True, ()),
        MethodSpec(PaymentMethod.CASH_USD, Currency.USD, True, True, ()),
        MethodSpec(PaymentMethod.CASH_EUR, Currency.EUR, True, True, ()),
        MethodSpec(PaymentMethod.CARD, Currency.VES, False, False, ("approval_code", "terminal", "last4")),
        MethodSpec(
            PaymentMethod.PAGO_MOVIL,
            Currency.VES,
            False,
            False,
            ("bank", "payer_phone", "payer_id", "reference", "date"),
        ),
        MethodSpec(PaymentMethod.TRANSFER, Currency.VES, False, False, ("bank", "reference", "date")),
        MethodSpec(PaymentMethod.ZELLE, Currency.USD, True, False, ("sender", "confirmation_code")),
        MethodSpec(PaymentMethod.CARD_ONLINE, Currency.VES, False, False, ("gateway_reference", "last4")),
    ]
}


def spec_for(method: str) -> MethodSpec:
    try:
        return METHODS[method]
    except KeyError:
        raise ValueError(f"Unknown payment method: {method!r}") from None


def method_currency(method: str) -> str:
    return spec_for(method).currency


def is_foreign(method: str) -> bool:
    return spec_for(method).is_foreign


def allows_change(method: str) -> bool:
    return spec_for(method).allows_change


def bank_name(code: str) -> str:
    return BANK_NAMES.get(code, code)


# What each stored detail is called on a sale's page (the payment forms' own labels).
DETAIL_LABELS = {
    "approval_code": _("Código de aprobación"),
    "terminal": _("Terminal"),
    "last4": _("Últimos 4 dígitos de la tarjeta"),
    "bank": _("Banco"),
    "payer_phone": _("Celular del pagador"),
    "payer_id": _("Cédula o RIF del pagador"),
    "reference": _("Referencia"),
    "date": _("Fecha de la operación"),
    "sender": _("Remitente"),
    "confirmation_code": _("Código de confirmación"),
    "gateway_reference": _("Referencia del banco"),
}


def _shown_value(name: str, value) -> str:
    value = str(value or "")
    if name == "bank" and value:
        return f"{value} {bank_name(value)}" if value in BANK_NAMES else value
    if name == "payer_phone":
        return format_ve_mobile(value)
    if name == "date":
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return value


def described_details(method: str, details: dict) -> list[tuple[str, str]]:
    """A payment's stored details as (label, value), in the order its form asks for them, as
    they were typed (the bank named, the phone and the date as Venezuelans write them). A key the
    method does not know is shown too, under its own name: nothing recorded is hidden."""
    details = details or {}
    fields = METHODS[method].fields if method in METHODS else ()
    names = [name for name in fields if name in details] + [name for name in details if name not in fields]
    return [(str(DETAIL_LABELS.get(name, name)), _shown_value(name, details[name])) for name in names]


# --- Field normalizers: return the stored form or raise ValidationError with the user's message ---

_SEPARATORS = re.compile(r"[\s.\-()/]")


def _compact(value, *, upper=True) -> str:
    text = _SEPARATORS.sub("", str(value or ""))
    return text.upper() if upper else text


def normalize_bank_code(value: str) -> str:
    code = str(value or "").strip()
    if code not in BANK_NAMES:
        raise ValidationError(_("Elija un banco de la lista."), code="bank")
    return code


def normalize_reference(value: str) -> str:
    """A bank reference: digits only, 4 to 20 of them (spaces and dashes are ignored)."""
    reference = _compact(value)
    if not re.fullmatch(r"\d{4,20}", reference):
        raise ValidationError(_("La referencia debe tener de 4 a 20 dígitos, sin letras."), code="reference")
    return reference


def normalize_last4(value: str) -> str:
    digits = _compact(value)
    if not re.fullmatch(r"\d{4}", digits):
        raise ValidationError(_("Indique los últimos 4 dígitos de la tarjeta."), code="last4")
    return digits


def normalize_approval_code(value: str) -> str:
    code = _compact(value)
    if not re.fullmatch(r"[A-Z0-9]{4,12}", code):
        raise ValidationError(
            _("El código de aprobación tiene de 4 a 12 letras o dígitos (lo imprime el punto de venta)."),
            code="approval_code",
        )
    return code


def normalize_terminal(value: str) -> str:
    terminal = _compact(value)
    if not re.fullmatch(r"[A-Z0-9]{1,16}", terminal):
        raise ValidationError(
            _("Indique el número del terminal del punto de venta (hasta 16 letras o dígitos)."),
            code="terminal",
        )
    return terminal


def normalize_confirmation_code(value: str) -> str:
    code = _compact(value)
    if not re.fullmatch(r"[A-Z0-9]{4,40}", code):
        raise ValidationError(
            _("El código de confirmación tiene de 4 a 40 letras o dígitos."), code="confirmation_code"
        )
    return code


def normalize_gateway_reference(value: str) -> str:
    reference = str(value or "").strip().upper()  # as the gateway wrote it, dashes included
    if not re.fullmatch(r"[A-Z0-9-]{4,40}", reference):
        raise ValidationError(_("Referencia del pago en línea no válida."), code="gateway_reference")
    return reference


def normalize_sender(value: str) -> str:
    """Zelle sender: an e-mail (stored in lower case) or a name as written."""
    sender = " ".join(str(value or "").split())
    if "@" in sender:
        sender = sender.lower()
        try:
            validate_email(sender)
        except ValidationError:
            raise ValidationError(_("El correo del remitente no es válido."), code="sender_email") from None
    elif len(sender) < 3:
        raise ValidationError(_("Indique el nombre o el correo de quien envía el Zelle."), code="sender")
    return sender


def normalize_payer_phone(value: str) -> str:
    """A Venezuelan mobile, stored in E.164: `0414-1234567` → `+584141234567`."""
    return normalize_ve_mobile(str(value))


def normalize_payer_id(value: str) -> str:
    """A cédula (`V-12345678`; a bare number is a V) or a RIF (`J-31294846-9`): the holder of a
    Venezuelan bank account, never a passport."""
    document = normalize_id_document(str(value))
    if document.startswith(PASSPORT_PREFIX):
        raise ValidationError(
            _("Un Pago Móvil sale de una cuenta venezolana: indique la cédula o el RIF del titular."),
            code="payer_passport",
        )
    return document


def normalize_date(value: date | str) -> str:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise ValidationError(_("Indique una fecha válida."), code="date") from None
    return value.isoformat()


NORMALIZERS = {
    "approval_code": normalize_approval_code,
    "terminal": normalize_terminal,
    "last4": normalize_last4,
    "bank": normalize_bank_code,
    "payer_phone": normalize_payer_phone,
    "payer_id": normalize_payer_id,
    "reference": normalize_reference,
    "date": normalize_date,
    "sender": normalize_sender,
    "confirmation_code": normalize_confirmation_code,
    "gateway_reference": normalize_gateway_reference,
}


def normalize_details(method: str, details: dict) -> dict[str, str]:
    """Validate a payment's details (e.g. from an API or before saving): exactly the method's
    fields, each normalized. Raises ValidationError with a message per field."""
    spec = spec_for(method)
    errors: dict[str, list] = {}
    normalized: dict[str, str] = {}
    for name in spec.fields:
        value = (details or {}).get(name)
        if value in (None, ""):
            errors[name] = [ValidationError(_("Este campo es obligatorio."), code="required")]
            continue
        try:
            normalized[name] = NORMALIZERS[name](value)
        except ValidationError as e:
            errors[name] = e.error_list
    unknown = set(details or {}) - set(spec.fields)
    if unknown:
        errors["__all__"] = [
            ValidationError(
                _("Datos que no corresponden a este método de pago: %(fields)s."),
                code="unknown_fields",
                params={"fields": ", ".join(sorted(unknown))},
            )
        ]
    if errors:
        raise ValidationError(errors)
    return normalized


def payment_form_for(method: str, data=None, prefix=None, **kwargs):
    """The form of a method (defined in forms.py; here too for callers that start from methods)."""
    from .forms import payment_form_for as build

    return build(method, data=data, prefix=prefix, **kwargs)
