from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ticketing.core.identifiers import normalize_rif

from .models import Organization


class RifField(forms.CharField):
    """Accepts what people type (spaces, dots, dashes) and leaves the length to normalize_rif."""

    def __init__(self, **kwargs):
        super().__init__(max_length=24, label=_("RIF"), **kwargs)

    def clean(self, value):
        try:
            return normalize_rif(super().clean(value))
        except ValidationError as e:
            raise forms.ValidationError(e.messages[0]) from None


class OrganizationForm(forms.ModelForm):
    rif = RifField(help_text=_("Con o sin guiones, p. ej. J-31294846-9."))
    owner_name = forms.CharField(label=_("Nombre del propietario"), max_length=150)
    owner_email = forms.EmailField(label=_("Correo del propietario"))

    class Meta:
        model = Organization
        fields = ["name", "slug", "rif", "fiscal_address", "is_special_taxpayer"]
        widgets = {"fiscal_address": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "slug": _("El sitio de la organización será <subdominio>.<dominio de la plataforma>."),
        }

    def clean_slug(self):
        return self.cleaned_data["slug"].strip().lower()


class OrganizationEditForm(forms.ModelForm):
    rif = RifField()

    class Meta:
        model = Organization
        fields = ["name", "rif", "fiscal_address", "is_special_taxpayer"]
        widgets = {"fiscal_address": forms.Textarea(attrs={"rows": 2})}
