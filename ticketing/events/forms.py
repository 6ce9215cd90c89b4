import re

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ticketing.core.forms import year_near_today

from . import layout
from .models import Event, EventFee, Zone

DATETIME_INPUT = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(forms.DateTimeField):
    """A datetime-local input, read and shown in Caracas time."""

    widget = forms.DateTimeInput(format=DATETIME_INPUT, attrs={"type": "datetime-local"})
    default_validators = [year_near_today]

    def __init__(self, **kwargs):
        super().__init__(input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"], **kwargs)


class EventForm(forms.ModelForm):
    starts_at = LocalDateTimeField(label=_("Inicio"))
    ends_at = LocalDateTimeField(label=_("Fin"))

    class Meta:
        model = Event
        fields = [
            "venue",
            "name",
            "description",
            "image",
            "starts_at",
            "ends_at",
            "currency",
            "iva_rate",
            "iva_exempt",
            "hold_minutes",
            "max_seats_per_order",
            "review_minutes",
            "box_office_enabled",
            "online_enabled",
            # Not the partial-payment fields (deposit, installments): no sale takes a deposit
            # yet, and a manager would expect the ones set here to be honoured.
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, buyers_to_tell: int = 0, **kwargs):
        """`buyers_to_tell`: paid orders with an e-mail, which a new start is sent to."""
        super().__init__(*args, **kwargs)
        if buyers_to_tell:
            self.fields["starts_at"].help_text = ngettext(
                "Este evento tiene ventas: si cambia el inicio, avisamos por correo a %(count)s comprador.",
                "Este evento tiene ventas: si cambia el inicio, avisamos por correo a %(count)s compradores.",
                buyers_to_tell,
            ) % {"count": buyers_to_tell}

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("El fin debe ser posterior al inicio."))
        return cleaned


MAX_EVENT_FEES = 10

EventFeeFormSet = forms.inlineformset_factory(
    Event,
    EventFee,
    fields=["name", "rate_percent"],
    extra=1,
    can_delete=True,
    labels={"name": _("Impuesto o cargo"), "rate_percent": _("Tasa (%)")},
    # An event has a few extra taxes; a forged TOTAL_FORMS must not build thousands of forms.
    max_num=MAX_EVENT_FEES,
    validate_max=True,
    absolute_max=MAX_EVENT_FEES,
)


class DuplicateEventForm(forms.Form):
    name = forms.CharField(label=_("Nombre del nuevo evento"), max_length=200)
    starts_at = LocalDateTimeField(label=_("Inicio"))
    ends_at = LocalDateTimeField(label=_("Fin"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_at") and cleaned.get("ends_at") and cleaned["ends_at"] <= cleaned["starts_at"]:
            self.add_error("ends_at", _("El fin debe ser posterior al inicio."))
        return cleaned


OVERRIDE_ITEM = re.compile(r"^\s*([A-Za-z]+|\d+)\s*[=:]\s*(\d+)\s*$")


class ZoneForm(forms.ModelForm):
    row_overrides = forms.CharField(
        label=_("Filas irregulares"),
        required=False,
        help_text=_("Fila=asientos, separadas por comas, p. ej. «A=20, B=22»."),
    )

    class Meta:
        model = Zone
        fields = [
            "name",
            "kind",
            "base_price",
            "capacity",
            "rows",
            "seats_per_row",
            "row_labels",
            "numbering",
            "tables_count",
            "chairs_per_table",
            "tables_sold_whole",
            "color",
            "shape",
            "x",
            "y",
            "position",
        ]
        widgets = {"color": forms.TextInput(attrs={"type": "color"})}
        labels = {"x": _("Posición X en el mapa"), "y": _("Posición Y en el mapa")}

    REQUIRED_BY_KIND = {
        Zone.Kind.GENERAL: ["capacity"],
        Zone.Kind.NUMBERED: ["rows", "seats_per_row"],
        Zone.Kind.TABLES: ["tables_count", "chairs_per_table"],
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("x", "y", "position"):
            self.fields[name].required = False
        overrides = self.instance.row_seat_overrides or {}
        if overrides and not self.is_bound:
            self.initial["row_overrides"] = ", ".join(
                f"{layout.row_label(int(index), self.instance.row_labels)}={count}"
                for index, count in sorted(overrides.items(), key=lambda item: int(item[0]))
            )

    def clean_name(self):
        # Said on the field, in words: the database's own refusal reads "Zona con este Event y
        # Nombre ya existe." at the top of the form.
        name = self.cleaned_data["name"].strip()
        taken = Zone.objects.filter(event_id=self.instance.event_id, name__iexact=name).exclude(
            pk=self.instance.pk
        )
        if self.instance.event_id and taken.exists():
            raise forms.ValidationError(
                _("Este evento ya tiene una zona «%(name)s»: use otro nombre."), params={"name": name}
            )
        return name

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        for name in self.REQUIRED_BY_KIND.get(kind, []):
            if not cleaned.get(name):
                self.add_error(name, _("Obligatorio para este tipo de zona."))
        for name in ("x", "y", "position"):
            if cleaned.get(name) is None:
                cleaned[name] = getattr(self.instance, name) or 0
        if kind == Zone.Kind.NUMBERED and cleaned.get("rows"):
            cleaned["row_seat_overrides"] = self._parse_overrides(
                cleaned.get("row_overrides", ""), cleaned.get("row_labels") or "letters", cleaned["rows"]
            )
        else:
            cleaned["row_seat_overrides"] = {}
        return cleaned

    def _parse_overrides(self, text: str, style: str, rows: int) -> dict:
        overrides = {}
        for item in filter(None, (part.strip() for part in text.split(","))):
            match = OVERRIDE_ITEM.match(item)
            index = layout.row_index_from_label(match.group(1), style) if match else None
            if not match or index is None or not 1 <= index <= rows:
                self.add_error("row_overrides", _("«%(item)s» no es una fila de esta zona.") % {"item": item})
                continue
            count = int(match.group(2))
            if not 1 <= count <= 300:
                self.add_error(
                    "row_overrides", _("Entre 1 y 300 asientos por fila («%(item)s»).") % {"item": item}
                )
                continue
            overrides[str(index)] = count
        return overrides

    def _post_clean(self):
        super()._post_clean()
        if "row_seat_overrides" in self.cleaned_data:
            self.instance.row_seat_overrides = self.cleaned_data["row_seat_overrides"]


class BlockSeatsForm(forms.Form):
    seats = forms.CharField(required=False, widget=forms.HiddenInput)
    zone = forms.ModelChoiceField(queryset=Zone.objects.none(), required=False, label=_("Zona"))
    row = forms.CharField(required=False, max_length=8, label=_("Fila"))
    first = forms.IntegerField(required=False, min_value=1, label=_("Desde el asiento"))
    last = forms.IntegerField(required=False, min_value=1, label=_("Hasta el asiento"))
    reason = forms.CharField(required=False, max_length=200, label=_("Motivo"))

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = event.zones.filter(kind=Zone.Kind.NUMBERED)

    def clean_seats(self):
        raw = self.cleaned_data.get("seats") or ""
        try:
            return [int(value) for value in raw.replace(" ", "").split(",") if value]
        except ValueError:
            raise forms.ValidationError(_("Selección de asientos no válida.")) from None

    def clean(self):
        cleaned = super().clean()
        by_range = cleaned.get("zone") or cleaned.get("row") or cleaned.get("first") or cleaned.get("last")
        if not cleaned.get("seats") and not by_range:
            raise forms.ValidationError(_("Elija asientos en el mapa o indique zona, fila y rango."))
        if by_range and not cleaned.get("seats"):
            for name in ("zone", "row", "first", "last"):
                if not cleaned.get(name):
                    self.add_error(name, _("Obligatorio para bloquear por rango."))
        return cleaned
