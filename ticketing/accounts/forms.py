from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User
from .roles import Role


class InviteStaffForm(forms.Form):
    full_name = forms.CharField(label=_("Nombre completo"), max_length=150)
    email = forms.EmailField(label=_("Correo electrónico"))
    role = forms.ChoiceField(label=_("Rol"), choices=Role.choices, initial=Role.SELLER)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Ya existe una cuenta con este correo."))
        return email


class ChangeRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rol"), choices=Role.choices)
