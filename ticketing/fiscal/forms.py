from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

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
