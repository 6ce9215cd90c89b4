"""Staff forms of online sales: the online settings and the reason of a rejected payment."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ticketing.core.identifiers import format_ve_mobile
from ticketing.payments.methods import BANK_CHOICES, normalize_payer_id, normalize_payer_phone

from .models import OnlineSalesSettings
from .settings_services import online_settings_errors


class OnlineSettingsForm(forms.Form):
    card_enabled = forms.BooleanField(
        label=_("Tarjeta de débito o crédito en línea"),
        required=False,
        # No real gateway is connected yet (payments.gateways.card_gateway): said where it is chosen.
        help_text=_("Por ahora con la pasarela de pruebas: no cobra dinero real."),
    )
    pago_movil_enabled = forms.BooleanField(label=_("Pago Móvil"), required=False)
    pago_movil_bank = forms.ChoiceField(
        label=_("Banco que recibe"), choices=[("", "—")] + BANK_CHOICES, required=False
    )
    pago_movil_phone = forms.CharField(
        label=_("Teléfono celular afiliado"),
        max_length=24,
        required=False,
        # An example, not a hint: a refused number's error already gives it, with the operators.
        widget=forms.TextInput(attrs={"inputmode": "tel", "placeholder": "0414-1234567"}),
    )
    pago_movil_document = forms.CharField(
        label=_("Cédula o RIF del titular"),
        max_length=20,
        required=False,
        help_text=_("p. ej. V-12345678 o J-31294846-9"),
    )
    zelle_enabled = forms.BooleanField(label=_("Zelle"), required=False)
    zelle_email = forms.EmailField(
        label=_("Correo de la cuenta Zelle"),
        required=False,
        error_messages={"invalid": _("Indique un correo válido.")},
    )
    zelle_holder = forms.CharField(label=_("Titular de la cuenta Zelle"), max_length=120, required=False)
    terms = forms.CharField(
        label=_("Términos y condiciones"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=OnlineSalesSettings._meta.get_field("terms").help_text,
    )

    @classmethod
    def for_settings(cls, row: OnlineSalesSettings) -> "OnlineSettingsForm":
        initial = {name: getattr(row, name) for name in cls.base_fields}
        initial["pago_movil_phone"] = format_ve_mobile(row.pago_movil_phone)
        return cls(initial=initial)

    def clean_pago_movil_phone(self):
        value = self.cleaned_data["pago_movil_phone"].strip()
        return normalize_payer_phone(value) if value else ""

    def clean_pago_movil_document(self):
        value = self.cleaned_data["pago_movil_document"].strip()
        return normalize_payer_id(value) if value else ""

    def clean_zelle_email(self):
        return self.cleaned_data["zelle_email"].strip().lower()

    def clean(self):
        data = super().clean()
        rules = online_settings_errors(
            card_enabled=data.get("card_enabled", False),
            pago_movil_enabled=data.get("pago_movil_enabled", False),
            pago_movil_bank=data.get("pago_movil_bank", ""),
            pago_movil_phone=data.get("pago_movil_phone", ""),
            pago_movil_document=data.get("pago_movil_document", ""),
            zelle_enabled=data.get("zelle_enabled", False),
            zelle_email=data.get("zelle_email", ""),
        )
        for name, message in rules.items():
            field = None if name == "__all__" else name
            if field is None or field not in self.errors:  # an invalid value already says why
                self.add_error(field, message)
        return data


class RefundPaymentForm(forms.Form):
    """How a payment that came after its seats were gone was given back (services.refund_unseated_payment)."""

    reason = forms.CharField(
        label=_("Cómo se devolvió"),
        max_length=300,
        help_text=_(
            "El cliente lo recibe por correo, p. ej. «Pago Móvil a su teléfono, referencia 00456789»."
        ),
        error_messages={"required": _("Indique cómo devolvió el pago.")},
    )


class RejectPaymentForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo del rechazo"),
        max_length=300,
        help_text=_(
            "El cliente lo recibe por correo, p. ej. «No recibimos el Pago Móvil con esa referencia»."
        ),
        error_messages={"required": _("Indique el motivo del rechazo.")},
    )
