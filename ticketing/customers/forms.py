from django import forms
from django.utils.translation import gettext_lazy as _

from ticketing.core.identifiers import normalize_id_document, normalize_ve_mobile

from .models import Customer
from .services import missing_surname


class SurnameUnlessCompany:
    """For a form with id_document (cleaned to its stored form) and last_name: a person needs a
    surname, a company (RIF J or G) does not. The service checks it again; here it shows with the
    form's other errors instead of after them."""

    def clean(self):
        cleaned = super().clean()
        document, surname = cleaned.get("id_document"), cleaned.get("last_name", "")
        if document and (error := missing_surname(id_document=document, last_name=surname)):
            self.add_error("last_name", error)
        return cleaned


class CustomerForm(SurnameUnlessCompany, forms.ModelForm):
    """A customer as the seller types it; values leave clean() in their stored form.

    The duplicate cédula/RIF check is the model's (Customer.unique_error_message), so the message
    names the document: "Ya existe un cliente con la cédula/RIF V-12345678."
    """

    # Wider than the stored form: people type dots, dashes and spaces.
    id_document = forms.CharField(
        label=_("Cédula o RIF"),
        max_length=30,
        help_text=_(
            "V-12345678, o el RIF con su dígito verificador: J-31294846-9. Un extranjero sin cédula: "
            "PAS y su pasaporte, PAS-AB1234567."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Teléfono celular"),
        max_length=25,
        required=False,
        # An example, not a hint: a refused number's error already gives it, with the operators.
        widget=forms.TextInput(
            attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off", "placeholder": "0414-1234567"}
        ),
    )

    class Meta:
        model = Customer
        fields = [
            "first_name",
            "last_name",
            "id_document",
            "phone",
            "email",
            "opt_in_email",
            "opt_in_sms",
            "opt_in_whatsapp",
        ]
        labels = {
            "first_name": _("Nombre o razón social"),
            "last_name": _("Apellido"),
            "email": _("Correo electrónico"),
            "opt_in_email": _("Acepta recibir correos"),
            "opt_in_sms": _("Acepta recibir SMS"),
            "opt_in_whatsapp": _("Acepta recibir WhatsApp"),
        }
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }

    def clean_id_document(self) -> str:
        return normalize_id_document(self.cleaned_data["id_document"])

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        return normalize_ve_mobile(phone) if phone else ""

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()
