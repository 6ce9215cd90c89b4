from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from ticketing.customers.models import Customer


class HoldForm(forms.Form):
    """What a click, a shift-click run, a general-admission quantity or "best available" sends."""

    seat = forms.TypedMultipleChoiceField(coerce=int, required=False, label=_("Asientos"))
    zone = forms.IntegerField(required=False, label=_("Zona"))
    quantity = forms.IntegerField(required=False, min_value=1, max_value=500, label=_("Cantidad"))
    best = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any integer is a candidate; the service checks the seats belong to the event.
        self.fields["seat"].valid_value = lambda value: True

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("seat") and not (cleaned.get("zone") and cleaned.get("quantity")):
            raise forms.ValidationError(_("Elija asientos en el mapa o una cantidad."))
        return cleaned

    def first_error(self) -> str:
        """What the cart says about an invalid form: its own message, else the first field's."""
        name, errors = next(iter(self.errors.items()))
        return errors[0] if name == NON_FIELD_ERRORS else f"{self.fields[name].label}: {errors[0]}"


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Motivo de la anulación"), max_length=200)


class EmailTicketsForm(forms.Form):
    email = forms.EmailField(label=_("Correo electrónico"), max_length=254)


class SalesFilterForm(forms.Form):
    """The filters above the list of sales. A filter with a bad value is left out of the search
    and its error shown beside it, rather than the whole list refused."""

    q = forms.CharField(required=False, max_length=100, label=_("Buscar"))
    event = forms.ModelChoiceField(queryset=None, required=False, label=_("Evento"))
    status = forms.ChoiceField(required=False, label=_("Estado"))
    day = forms.DateField(required=False, label=_("Fecha"), widget=forms.DateInput(attrs={"type": "date"}))
    # Set by the link on a customer's page ("Ver sus compras"), not typed.
    customer = forms.ModelChoiceField(queryset=None, required=False, label=_("Cliente"))

    def __init__(self, *args, events, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events
        self.fields["customer"].queryset = Customer.objects.all()
        self.fields["event"].empty_label = _("Todos los eventos")
        self.fields["status"].choices = [("", _("Todos los estados")), *statuses]

    def filters(self) -> dict:
        """The valid filters, by name; an empty dict when nothing was asked."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
