from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from ticketing.organizations.forms import RifField

from .models import CONTROL_NUMBER_MAX, ControlNumberProviderKind, prefix_validator


class ControlNumberSettingsForm(forms.Form):
    provider = forms.ChoiceField(
        label=_("Origen de los números de control"),
        choices=ControlNumberProviderKind.choices,
        widget=forms.RadioSelect,
    )
    prefix = forms.CharField(
        label=_("Prefijo"),
        max_length=2,
        validators=[prefix_validator],
        help_text=_("Los 2 dígitos antes del guion, p. ej. 00 en 00-00000001."),
        error_messages={"required": _("Indique el prefijo de 2 dígitos.")},
    )
    range_start = forms.IntegerField(
        label=_("Desde N°"),
        required=False,
        validators=[MinValueValidator(1), MaxValueValidator(CONTROL_NUMBER_MAX)],
        error_messages={"invalid": _("Indique un número entero.")},
    )
    range_end = forms.IntegerField(
        label=_("Hasta N°"),
        required=False,
        validators=[MinValueValidator(1), MaxValueValidator(CONTROL_NUMBER_MAX)],
        error_messages={"invalid": _("Indique un número entero.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not getattr(settings, "DIGITAL_PRINTER_URL", ""):
            # Said before the owner picks it, not only after.
            self.fields["provider"].choices = [
                (value, _("%(provider)s: no configurada en este servidor") % {"provider": label})
                if value == ControlNumberProviderKind.DIGITAL_HTTP
                else (value, label)
                for value, label in ControlNumberProviderKind.choices
            ]

    def clean_provider(self):
        provider = self.cleaned_data["provider"]
        if provider == ControlNumberProviderKind.DIGITAL_HTTP and not getattr(
            settings, "DIGITAL_PRINTER_URL", ""
        ):
            raise forms.ValidationError(
                _("La conexión con la imprenta digital no está configurada en este servidor.")
            )
        return provider

    def clean(self):
        data = super().clean()
        start, end = data.get("range_start"), data.get("range_end")
        if data.get("provider") == ControlNumberProviderKind.RANGE:
            if start is None and "range_start" not in self.errors:
                self.add_error("range_start", _("Indique el primer número del rango asignado."))
            if end is None and "range_end" not in self.errors:
                self.add_error("range_end", _("Indique el último número del rango asignado."))
        if start is not None and end is not None and start > end:
            self.add_error("range_end", _("El final del rango debe ser mayor o igual que el inicio."))
        return data


class IssuerForm(forms.Form):
    """The organization's data as the invoices print it (organizations.services.update_fiscal_data)."""

    name = forms.CharField(
        label=_("Nombre o razón social"),
        max_length=150,
        help_text=_("Como figura en el RIF; también es el nombre que ven los clientes."),
        error_messages={"required": _("Indique el nombre o la razón social.")},
    )
    rif = RifField(help_text=_("Con o sin guiones, p. ej. J-31294846-9."))
    fiscal_address = forms.CharField(
        label=_("Domicilio fiscal"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        error_messages={"required": _("Indique el domicilio fiscal.")},
    )
    is_special_taxpayer = forms.BooleanField(
        label=_("Contribuyente especial"),
        required=False,
        help_text=_("Los contribuyentes especiales cobran IGTF sobre los pagos en divisas."),
    )
