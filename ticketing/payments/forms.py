import re
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from ticketing.core.forms import year_near_today
from ticketing.core.identifiers import PASSPORT_PREFIX
from ticketing.core.money import CURRENCY_SYMBOLS

from . import methods
from .methods import BANK_CHOICES, PaymentMethod, spec_for
from .models import RateCurrency
from .services import RATE_MAX_DIGITS, RATE_PLACES, AmountDue, PaymentInput, today_in_caracas

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
RATE_DAYS_AHEAD = 7  # the BCV publishes the next business day's rate; more than a week ahead is a typo


def parse_decimal(value: str, *, places: int | None = None) -> Decimal:
    """A number typed with a comma or a dot as decimal separator: `36,5120`, `36.5120`, `1.234,56`,
    `1,234.56`. When both appear, the last one is the decimal separator and the other groups
    thousands. With `places` under 3 (money), a lone dot before three digits groups thousands:
    `2.500` is two thousand five hundred, as the screen writes it. Raises ValueError when it is
    not a number."""
    text = re.sub(r"[\s_]", "", str(value))
    if places is not None and places < 3 and re.fullmatch(r"[+-]?\d{1,3}\.\d{3}", text):
        text = text.replace(".", "")
    if not re.fullmatch(r"[+-]?[\d.,]*\d[\d.,]*", text):
        raise ValueError(value)
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        grouping = "." if decimal_mark == "," else ","
        integer, _sep, fraction = text.rpartition(decimal_mark)
        if decimal_mark in integer or not re.fullmatch(
            r"[+-]?\d{1,3}(?:" + re.escape(grouping) + r"\d{3})*", integer
        ):
            raise ValueError(value)
        text = integer.replace(grouping, "") + "." + fraction
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    elif text.count(",") > 1:
        raise ValueError(value)
    elif text.count(".") > 1:
        if not re.fullmatch(r"[+-]?\d{1,3}(?:\.\d{3})+", text):
            raise ValueError(value)
        text = text.replace(".", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(value) from None


class DecimalInputField(forms.DecimalField):
    """A DecimalField that accepts a comma or a dot as decimal separator, whatever the language.

    Django's localized DecimalField would read `20.50` as 2050 in Spanish (dot = thousands); at a
    counter both are typed, so a single separator is always the decimal one.
    """

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return parse_decimal(value, places=self.decimal_places)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


DECIMAL_MESSAGES = {
    "invalid": _("Indique un número, p. ej. 36,51."),
    "max_decimal_places": _("Use como máximo %(max)s decimales."),
    "max_digits": _("El número es demasiado grande."),
    "max_whole_digits": _("El número es demasiado grande."),
    "min_value": _("Debe ser mayor que cero."),
}
REQUIRED = {"required": _("Este campo es obligatorio.")}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


# --- Payments -------------------------------------------------------------------------------------


class PaymentForm(forms.Form):
    """Amount plus the method's details; subclasses add the fields and set `method`."""

    method: str = PaymentMethod.CASH_VES

    amount = DecimalInputField(
        label=_("Monto"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={**REQUIRED, **DECIMAL_MESSAGES},
    )

    def __init__(self, *args, due: AmountDue | None = None, payer=None, **kwargs):
        """`due`: what settles the sale by this method; an unbound form starts with it, and the
        field says it (the seller types over it when cash comes with change). `payer`: the sale's
        customer, whose details a method that records the payer's starts with."""
        super().__init__(*args, **kwargs)
        if payer is not None:
            self.initial.update(self.payer_details(payer))
            self.say_whose_details()
        symbol = CURRENCY_SYMBOLS[self.currency]
        self.fields["amount"].label = _("Monto (%(currency)s)") % {"currency": symbol}
        if due is not None:
            self.show_amount_due(due)

    def show_amount_due(self, due: AmountDue) -> None:
        """Say what settles the sale under the amount, and start an unbound form with it."""
        if not self.is_bound:
            # The active language's decimal mark and no grouping, as a seller would type it.
            self.initial["amount"] = number_format(due.amount.amount, 2, use_l10n=True, force_grouping=False)
        hint = _("Para saldar: %(amount)s, IGTF incluido.") if due.igtf else _("Para saldar: %(amount)s.")
        self.set_amount_hint(hint % {"amount": due.amount})

    def set_amount_hint(self, text: str) -> None:
        # A form that was validated already holds its BoundFields, each with the help text it had.
        self.fields["amount"].help_text = self["amount"].help_text = text

    @property
    def currency(self) -> str:
        return spec_for(self.method).currency

    def payer_details(self, payer) -> dict:
        """The fields this method fills from the customer's record (none, by default)."""
        return {}

    def say_whose_details(self) -> None:
        """Tell the seller that the payer's fields started as the customer's (none, by default).
        Also for a refused form, whose fields still hold them."""

    def to_payment_input(self) -> PaymentInput:
        if not self.is_valid():
            raise ValueError("to_payment_input() needs a valid form")
        details = {name: self.cleaned_data[name] for name in spec_for(self.method).fields}
        return PaymentInput(
            method=self.method, currency=self.currency, amount=self.cleaned_data["amount"], details=details
        )

    def _normalized(self, name, normalizer):
        return normalizer(self.cleaned_data[name])


class CashVesForm(PaymentForm):
    method = PaymentMethod.CASH_VES


class CashUsdForm(PaymentForm):
    method = PaymentMethod.CASH_USD


class CashEurForm(PaymentForm):
    method = PaymentMethod.CASH_EUR


class CardForm(PaymentForm):
    method = PaymentMethod.CARD

    approval_code = forms.CharField(label=_("Código de aprobación"), max_length=20, error_messages=REQUIRED)
    terminal = forms.CharField(label=_("Terminal"), max_length=20, error_messages=REQUIRED)
    last4 = forms.CharField(
        label=_("Últimos 4 dígitos de la tarjeta"),
        max_length=8,
        error_messages=REQUIRED,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_approval_code(self):
        return self._normalized("approval_code", methods.normalize_approval_code)

    def clean_terminal(self):
        return self._normalized("terminal", methods.normalize_terminal)

    def clean_last4(self):
        return self._normalized("last4", methods.normalize_last4)


class BankPaymentMixin(forms.Form):
    bank = forms.ChoiceField(
        label=_("Banco"),
        choices=[("", _("Elija el banco")), *BANK_CHOICES],
        error_messages={**REQUIRED, "invalid_choice": _("Elija un banco de la lista.")},
    )
    reference = forms.CharField(
        label=_("Referencia"),
        max_length=30,
        error_messages=REQUIRED,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    date = forms.DateField(
        label=_("Fecha de la operación"),
        initial=today_in_caracas,  # almost always today, at the counter
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
        error_messages={**REQUIRED, "invalid": _("Indique una fecha válida.")},
        validators=[year_near_today],
    )

    def clean_reference(self):
        return self._normalized("reference", methods.normalize_reference)

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > today_in_caracas():
            raise ValidationError(_("La fecha de la operación no puede ser futura."), code="future_date")
        return methods.normalize_date(value)


class PagoMovilForm(BankPaymentMixin, PaymentForm):
    method = PaymentMethod.PAGO_MOVIL

    payer_phone = forms.CharField(
        label=_("Celular del pagador"),
        max_length=20,
        error_messages=REQUIRED,
        widget=forms.TextInput(attrs={"inputmode": "tel", "placeholder": "0414-1234567"}),
    )
    payer_id = forms.CharField(
        label=_("Cédula o RIF del pagador"),
        max_length=20,
        error_messages=REQUIRED,
        widget=forms.TextInput(attrs={"placeholder": "V-12345678"}),
    )
    field_order = ["amount", "bank", "payer_phone", "payer_id", "reference", "date"]

    def payer_details(self, payer) -> dict:
        # Most Pago Móvil at a counter come from the customer's own phone; when someone else
        # pays, the seller types over them.
        document = "" if payer.id_document.startswith(PASSPORT_PREFIX) else payer.id_document
        return {"payer_phone": payer.phone_local if payer.phone else "", "payer_id": document}

    def say_whose_details(self) -> None:
        text = _("Los del cliente: cámbielos si paga otra persona.")
        self.fields["payer_id"].help_text = self["payer_id"].help_text = text

    def clean_payer_phone(self):
        return self._normalized("payer_phone", methods.normalize_payer_phone)

    def clean_payer_id(self):
        return self._normalized("payer_id", methods.normalize_payer_id)


class TransferForm(BankPaymentMixin, PaymentForm):
    method = PaymentMethod.TRANSFER
    field_order = ["amount", "bank", "reference", "date"]


class ZelleForm(PaymentForm):
    method = PaymentMethod.ZELLE

    sender = forms.CharField(
        label=_("Nombre o correo de quien envía"), max_length=150, error_messages=REQUIRED
    )
    confirmation_code = forms.CharField(
        label=_("Código de confirmación"), max_length=60, error_messages=REQUIRED
    )

    def clean_sender(self):
        return self._normalized("sender", methods.normalize_sender)

    def clean_confirmation_code(self):
        return self._normalized("confirmation_code", methods.normalize_confirmation_code)


PAYMENT_FORMS: dict[str, type[PaymentForm]] = {
    form.method: form
    for form in [CashVesForm, CashUsdForm, CashEurForm, CardForm, PagoMovilForm, TransferForm, ZelleForm]
}


def payment_form_for(
    method: str, data=None, prefix=None, due: AmountDue | None = None, payer=None
) -> PaymentForm:
    """The form of a payment method: `amount` plus the method's details, with Spanish messages.
    After `is_valid()`, `form.to_payment_input()` gives the PaymentInput that `settle` takes."""
    try:
        form_class = PAYMENT_FORMS[method]
    except KeyError:
        raise ValueError(f"Unknown payment method: {method!r}") from None
    return form_class(data=data, prefix=prefix, due=due, payer=payer)


# --- Rates ----------------------------------------------------------------------------------------


class ExchangeRateForm(forms.Form):
    date = forms.DateField(
        label=_("Fecha (Caracas)"),
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
        error_messages={**REQUIRED, "invalid": _("Indique una fecha válida.")},
        validators=[year_near_today],
    )
    currency = forms.ChoiceField(
        label=_("Moneda"),
        choices=RateCurrency.choices,
        error_messages={**REQUIRED, "invalid_choice": _("Elija USD o EUR.")},
    )
    ves_per_unit = DecimalInputField(
        label=_("Bolívares por unidad"),
        max_digits=RATE_MAX_DIGITS,
        decimal_places=RATE_PLACES,
        min_value=Decimal("0.00000001"),
        help_text=_("Tal como la publica el BCV, con hasta 8 decimales (coma o punto)."),
        error_messages={**REQUIRED, **DECIMAL_MESSAGES},
    )

    # Offered only once a rate was refused as a likely typo (services.set_rate).
    confirm_rate = forms.BooleanField(label=_("Confirmo esta tasa"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"date": today_in_caracas(), "currency": RateCurrency.USD})
        super().__init__(*args, **kwargs)
        self.fields["ves_per_unit"].widget.attrs["placeholder"] = "36,51234567"

    @property
    def asks_to_confirm(self) -> bool:
        return self.is_bound and (
            self.has_error("ves_per_unit", "rate_jump")
            or self.has_error("ves_per_unit", "rate_first")
            or bool(self.data.get("confirm_rate"))
        )

    def clean_date(self):
        value = self.cleaned_data["date"]
        latest = today_in_caracas() + timedelta(days=RATE_DAYS_AHEAD)
        if value > latest:
            raise ValidationError(
                _("La fecha no puede ser posterior al %(date)s."),
                code="date_too_far",
                params={"date": latest.strftime("%d/%m/%Y")},
            )
        return value
