from django import forms
from django.utils.translation import gettext_lazy as _

from ticketing.events import layout
from ticketing.events.forms import LocalDateTimeField


class StageForm(forms.Form):
    name = forms.CharField(label=_("Etapa"), max_length=100)
    starts_at = LocalDateTimeField(label=_("Empieza"), required=False)
    ends_at = LocalDateTimeField(label=_("Termina"), required=False)
    quantity_limit = forms.IntegerField(label=_("Termina al vender"), required=False, min_value=1)
    markup_percent = forms.DecimalField(label=_("Recargo (%)"), max_digits=6, decimal_places=2)


StageFormSet = forms.formset_factory(StageForm, extra=2, can_delete=True)


class RowRangeForm(forms.Form):
    first_row = forms.CharField(label=_("Desde la fila"), max_length=8)
    last_row = forms.CharField(label=_("Hasta la fila"), max_length=8)
    percent = forms.DecimalField(label=_("Modificador (%)"), max_digits=6, decimal_places=2)

    def __init__(self, *args, zone, **kwargs):
        self.zone = zone
        super().__init__(*args, **kwargs)

    def _row(self, name):
        index = layout.row_index_from_label(self.cleaned_data[name], self.zone.row_labels)
        if index is None or not 1 <= index <= (self.zone.rows or 0):
            raise forms.ValidationError(
                _("Esta zona no tiene la fila «%(row)s».") % {"row": self.cleaned_data[name]}
            )
        return index

    def clean_first_row(self):
        return self._row("first_row")

    def clean_last_row(self):
        return self._row("last_row")


RowRangeFormSet = forms.formset_factory(RowRangeForm, extra=1, can_delete=True)
