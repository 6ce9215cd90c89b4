from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ticketing.core.identifiers import normalize_rif

from .models import Organization


class OrganizationForm(forms.ModelForm):
    owner_name = forms.CharField(label=_("Nombre del propietario"), max_length=150)
    owner_email = forms.EmailField(label=_("Correo del propietario"))

    class Meta:
        model = Organization
        fields = ["name", "slug", "rif", "fiscal_address", "is_special_taxpayer"]
        widgets = {"fiscal_address": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "slug": _("El sitio de la organización será <subdominio>.<dominio de la plataforma>."),
            "rif": _("Con o sin guiones, p. ej. J-31294846-9."),
        }

    def clean_slug(self):
        return self.cleaned_data["slug"].strip().lower()

    def clean_rif(self):
        try:
            return normalize_rif(self.cleaned_data["rif"])
        except ValidationError as e:
            raise forms.ValidationError(e.messages[0]) from None


class OrganizationEditForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "rif", "fiscal_address", "is_special_taxpayer"]
        widgets = {"fiscal_address": forms.Textarea(attrs={"rows": 2})}

    def clean_rif(self):
        try:
            return normalize_rif(self.cleaned_data["rif"])
        except ValidationError as e:
            raise forms.ValidationError(e.messages[0]) from None
