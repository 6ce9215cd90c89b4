import re

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from ticketing.core.forms import year_near_today
from ticketing.customers.models import Customer

MAX_TYPED_SEATS = 50
SEAT_NUMBERS = re.compile(r"[0-9]{1,4}(?:-[0-9]{1,4})?")  # a number or a range; no row is longer


def parse_seat_numbers(text: str) -> list[int]:
    """Seat numbers as a seller types them: `12`, `5, 7, 9`, `12-15` or a mix (`3 5 10-12`).
    Raises ValueError when the text is not that, or names more than MAX_TYPED_SEATS seats."""
    parts = re.split(r"[,;\s]+", re.sub(r"\s*-\s*", "-", text.strip()))
    numbers: set[int] = set()
    for part in filter(None, parts):
        if not SEAT_NUMBERS.fullmatch(part):
            raise ValueError(text)
        low, _sep, high = part.partition("-")
        low, high = sorted((int(low), int(high or low)))
        if low < 1 or high - low >= MAX_TYPED_SEATS:
            raise ValueError(text)
        numbers.update(range(low, high + 1))
    if not numbers or len(numbers) > MAX_TYPED_SEATS:
        raise ValueError(text)
    return sorted(numbers)


class HoldForm(forms.Form):
    """What a click, a shift-click run, a general-admission quantity, "best available" or a seat
    typed by row and number sends."""

    seat = forms.TypedMultipleChoiceField(coerce=int, required=False, label=_("Asientos"))
    zone = forms.IntegerField(required=False, label=_("Zona"))
    quantity = forms.IntegerField(required=False, min_value=1, max_value=500, label=_("Cantidad"))
    best = forms.BooleanField(required=False)
    row = forms.CharField(required=False, max_length=4, label=_("Fila"))
    numbers = forms.CharField(required=False, max_length=60, label=_("Asientos"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any integer is a candidate; the service checks the seats belong to the event.
        self.fields["seat"].valid_value = lambda value: True

    def clean_numbers(self) -> list[int]:
        text = self.cleaned_data["numbers"]
        if not text:
            return []
        try:
            return parse_seat_numbers(text)
        except ValueError:
            raise forms.ValidationError(
                _("Escriba los números de los asientos, p. ej. 5, 7 o 12-15 (hasta %(max)s)."),
                params={"max": MAX_TYPED_SEATS},
            ) from None

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if cleaned.get("row") or cleaned.get("numbers"):
            if not (cleaned.get("zone") and cleaned.get("row") and cleaned.get("numbers")):
                raise forms.ValidationError(_("Indique la fila y los números de los asientos."))
        elif not cleaned.get("seat") and not (cleaned.get("zone") and cleaned.get("quantity")):
            raise forms.ValidationError(_("Elija asientos en el mapa o una cantidad."))
        return cleaned

    def first_error(self) -> str:
        """What the cart says about an invalid form: its own message, else the first field's."""
        name, errors = next(iter(self.errors.items()))
        return errors[0] if name == NON_FIELD_ERRORS else f"{self.fields[name].label}: {errors[0]}"


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo de la anulación"),
        max_length=200,
        error_messages={"required": _("Indique el motivo de la anulación.")},
    )


class EmailTicketsForm(forms.Form):
    email = forms.EmailField(label=_("Correo electrónico"), max_length=254)


class SalesFilterForm(forms.Form):
    """The filters above the list of sales. A filter with a bad value is left out of the search
    and its error shown beside it, rather than the whole list refused."""

    q = forms.CharField(required=False, max_length=100, label=_("Buscar"))
    event = forms.ModelChoiceField(queryset=None, required=False, label=_("Evento"))
    status = forms.ChoiceField(required=False, label=_("Estado"))
    day = forms.DateField(
        required=False,
        label=_("Fecha"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[year_near_today],
    )
    seller = forms.ModelChoiceField(queryset=None, required=False, label=_("Vendedor"))
    # Set by the link on a customer's page ("Ver sus compras"), not typed.
    customer = forms.ModelChoiceField(queryset=None, required=False, label=_("Cliente"))

    def __init__(self, *args, events, sellers, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events
        self.fields["seller"].queryset = sellers
        # Read once, names only (the template's loop would count the staff, then read them).
        self.fields["seller"].choices = [
            ("", _("Todos los vendedores")),
            *[(user.pk, user.full_name or user.email) for user in sellers],
        ]
        self.fields["customer"].queryset = Customer.objects.all()
        self.fields["event"].empty_label = _("Todos los eventos")
        self.fields["status"].choices = [("", _("Todos los estados")), *statuses]

    def filters(self) -> dict:
        """The valid filters, by name; an empty dict when nothing was asked."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
