"""What a customer types on the storefront: the buyer's details, the card, a reported payment."""

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import luhn

from ticketing.core.identifiers import normalize_id_document, normalize_ve_mobile
from ticketing.customers.forms import SurnameUnlessCompany
from ticketing.payments.forms import PagoMovilForm, ZelleForm
from ticketing.payments.methods import PaymentMethod

from .services import Buyer

REQUIRED = {"required": _("Este campo es obligatorio.")}


class BuyerForm(SurnameUnlessCompany, forms.Form):
    first_name = forms.CharField(
        label=_("Nombre o razón social"),
        max_length=100,
        error_messages=REQUIRED,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    # Required of a person, not of a company (RIF J or G): customers.services decides, as it does
    # at the box office, and its error lands next to this field.
    last_name = forms.CharField(
        label=_("Apellido"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    id_document = forms.CharField(
        label=_("Cédula o RIF"),
        max_length=30,
        help_text=_("Si no tiene cédula venezolana: PAS y su pasaporte, p. ej. PAS-AB1234567."),
        error_messages=REQUIRED,
        widget=forms.TextInput(attrs={"placeholder": "V-12345678"}),
    )
    phone = forms.CharField(
        label=_("Celular"),
        max_length=20,
        error_messages=REQUIRED,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "0414-1234567"}
        ),
    )
    email = forms.EmailField(
        label=_("Correo electrónico"),
        help_text=_("Le enviaremos las entradas y la factura a este correo."),
        error_messages={**REQUIRED, "invalid": _("Indique un correo válido.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    opt_in_email = forms.BooleanField(label=_("Quiero recibir novedades por correo"), required=False)
    opt_in_sms = forms.BooleanField(label=_("Quiero recibir novedades por SMS"), required=False)
    opt_in_whatsapp = forms.BooleanField(label=_("Quiero recibir novedades por WhatsApp"), required=False)
    accept_terms = forms.BooleanField(
        label=_("Acepto los términos y condiciones"),
        error_messages={"required": _("Debe aceptar los términos y condiciones para comprar.")},
    )
    method = forms.ChoiceField(
        label=_("Forma de pago"),
        widget=forms.RadioSelect,
        error_messages={**REQUIRED, "invalid_choice": _("Elija una forma de pago.")},
    )

    def __init__(self, *args, methods: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(PaymentMethod.choices)
        self.fields["method"].choices = [(method, labels[method]) for method in methods]
        if len(methods) == 1:
            self.fields["method"].initial = methods[0]

    def clean_id_document(self):
        return normalize_id_document(self.cleaned_data["id_document"])

    def clean_phone(self):
        return normalize_ve_mobile(self.cleaned_data["phone"])

    def buyer(self) -> Buyer:
        data = self.cleaned_data
        return Buyer(**{name: data[name] for name in Buyer.__dataclass_fields__})


class CardForm(forms.Form):
    """Handed to the gateway and forgotten: only the last four digits are kept, on the payment."""

    card_number = forms.CharField(
        label=_("Número de la tarjeta"),
        max_length=23,
        error_messages=REQUIRED,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "cc-number", "placeholder": "4111 1111 1111 1111"}
        ),
    )
    holder = forms.CharField(
        label=_("Titular"),
        max_length=100,
        error_messages=REQUIRED,
        widget=forms.TextInput(attrs={"autocomplete": "cc-name"}),
    )
    expiry = forms.CharField(
        label=_("Vence (MM/AA)"),
        max_length=7,
        error_messages=REQUIRED,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "cc-exp", "placeholder": "MM/AA"}
        ),
    )
    cvv = forms.CharField(
        label=_("Código de seguridad"),
        max_length=4,
        error_messages=REQUIRED,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "cc-csc"}),
    )

    def clean_card_number(self):
        digits = re.sub(r"[\s-]", "", self.cleaned_data["card_number"])
        if not digits.isdigit() or not 13 <= len(digits) <= 19 or not luhn.is_valid(digits):
            raise ValidationError(_("Revise el número de la tarjeta."), code="card_number")
        return digits

    def clean_expiry(self):
        match = re.fullmatch(r"\s*(\d{1,2})\s*/\s*(\d{2}|\d{4})\s*", self.cleaned_data["expiry"])
        if not match or not 1 <= int(match[1]) <= 12:
            raise ValidationError(_("Use el formato MM/AA, p. ej. 08/29."), code="expiry")
        month, year = int(match[1]), int(match[2][-2:]) + 2000
        today = date.today()
        if (year, month) < (today.year, today.month):
            raise ValidationError(_("La tarjeta está vencida."), code="expired")
        return f"{month:02d}/{year % 100:02d}"

    def clean_cvv(self):
        cvv = self.cleaned_data["cvv"].strip()
        if not re.fullmatch(r"\d{3,4}", cvv):
            raise ValidationError(_("El código de seguridad tiene 3 o 4 dígitos."), code="cvv")
        return cvv


class ReportedPagoMovilForm(PagoMovilForm):
    """A Pago Móvil the customer already made: the amount is what we asked for, not typed."""

    amount = None

    def __init__(self, *args, **kwargs):
        forms.Form.__init__(self, *args, **kwargs)  # PaymentForm's would label the amount field

    def details(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in ("bank", "payer_phone", "payer_id", "reference", "date")
        }


class ReportedZelleForm(ZelleForm):
    amount = None

    def __init__(self, *args, **kwargs):
        forms.Form.__init__(self, *args, **kwargs)  # PaymentForm's would label the amount field

    def details(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("sender", "confirmation_code")}


REPORT_FORMS = {PaymentMethod.PAGO_MOVIL: ReportedPagoMovilForm, PaymentMethod.ZELLE: ReportedZelleForm}
