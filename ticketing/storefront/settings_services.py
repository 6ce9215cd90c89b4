"""Saving how the organization takes payments on its own site, and the terms customers accept.

The rules live here (`online_settings_errors`) so the settings form and any other caller see the
same messages next to the same fields."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ticketing.payments.methods import normalize_bank_code, normalize_payer_id, normalize_payer_phone

from .models import OnlineSalesSettings
from .services import online_settings


def _normalized(value: str, normalizer) -> str:
    value = (value or "").strip()
    return normalizer(value) if value else ""


def online_settings_errors(
    *,
    card_enabled: bool,
    pago_movil_enabled: bool,
    pago_movil_bank: str,
    pago_movil_phone: str,
    pago_movil_document: str,
    zelle_enabled: bool,
    zelle_email: str,
) -> dict[str, str]:
    """{field: message} for settings that would leave customers unable to pay (empty: valid)."""
    errors: dict[str, str] = {}
    if pago_movil_enabled:
        if not pago_movil_bank:
            errors["pago_movil_bank"] = _("Elija el banco que recibe los Pago Móvil.")
        if not pago_movil_phone:
            errors["pago_movil_phone"] = _("Indique el teléfono celular afiliado al Pago Móvil.")
        if not pago_movil_document:
            errors["pago_movil_document"] = _("Indique la cédula o el RIF del titular del Pago Móvil.")
    if zelle_enabled and not zelle_email:
        errors["zelle_email"] = _("Indique el correo de la cuenta Zelle que recibe los pagos.")
    if not (card_enabled or pago_movil_enabled or zelle_enabled):
        errors["__all__"] = _(
            "Deje activa al menos una forma de pago: sin ninguna, nadie podrá comprar en línea."
        )
    return errors


@transaction.atomic
def save_online_settings(
    *,
    card_enabled: bool,
    pago_movil_enabled: bool,
    pago_movil_bank: str = "",
    pago_movil_phone: str = "",
    pago_movil_document: str = "",
    zelle_enabled: bool,
    zelle_email: str = "",
    zelle_holder: str = "",
    terms: str = "",
) -> OnlineSalesSettings:
    """Replace the online sales settings. Raises ValidationError keyed by field.

    Receiving data of a method that is turned off is kept (it is there when the method comes back),
    but it must still be valid."""
    online_settings()  # the row exists
    row = OnlineSalesSettings.objects.select_for_update().get(pk=1)
    errors: dict[str, list] = {}
    values = {
        "pago_movil_bank": pago_movil_bank,
        "pago_movil_phone": pago_movil_phone,
        "pago_movil_document": pago_movil_document,
    }
    normalizers = {
        "pago_movil_bank": normalize_bank_code,
        "pago_movil_phone": normalize_payer_phone,
        "pago_movil_document": normalize_payer_id,
    }
    for name, normalizer in normalizers.items():
        try:
            values[name] = _normalized(values[name], normalizer)
        except ValidationError as e:
            errors[name] = e.error_list
    zelle_email = (zelle_email or "").strip().lower()
    rules = online_settings_errors(
        card_enabled=card_enabled,
        pago_movil_enabled=pago_movil_enabled,
        zelle_enabled=zelle_enabled,
        zelle_email=zelle_email,
        **values,
    )
    for name, message in rules.items():
        errors.setdefault(name, [ValidationError(message, code="required")])
    if errors:
        raise ValidationError(errors)

    row.card_enabled = card_enabled
    row.pago_movil_enabled = pago_movil_enabled
    row.pago_movil_bank = values["pago_movil_bank"]
    row.pago_movil_phone = values["pago_movil_phone"]
    row.pago_movil_document = values["pago_movil_document"]
    row.zelle_enabled = zelle_enabled
    row.zelle_email = zelle_email
    row.zelle_holder = " ".join((zelle_holder or "").split())
    row.terms = (terms or "").strip()
    row.full_clean()
    row.save()
    return row
