from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from ticketing.core.identifiers import format_ve_mobile, validate_id_document, validate_ve_mobile
from ticketing.core.search import trigram_index

# The stored forms (see ticketing.core.identifiers): a cédula `V-12345678`, a RIF `J-31294846-9`,
# a passport `PAS-AB1234567`, a mobile phone in E.164 `+584141234567`. The database refuses
# anything else. A RIF's letter is any capital here: which letters are RIFs is a setting
# (settings.RIF_EXTRA_LETTERS adds C), checked where it is typed.
ID_DOCUMENT_PATTERN = r"^([VE]-[1-9][0-9]{0,7}|[A-Z]-[0-9]{8}-[0-9]|PAS-[A-Z0-9]{5,15})$"
PHONE_PATTERN = r"^\+584(12|14|16|22|24|26)[0-9]{7}$"


class Customer(models.Model):
    """A buyer at the box office. One per cédula/RIF in the organization (its schema)."""

    first_name = models.CharField(_("nombre"), max_length=100)
    # Empty for a company or an agency (RIF J- or G-): its name is all in first_name.
    last_name = models.CharField(_("apellido"), max_length=100, blank=True)
    id_document = models.CharField(_("cédula o RIF"), max_length=20, validators=[validate_id_document])
    phone = models.CharField(
        _("teléfono celular"), max_length=16, blank=True, validators=[validate_ve_mobile]
    )
    email = models.EmailField(_("correo electrónico"), blank=True)
    opt_in_email = models.BooleanField(_("acepta correos"), default=False)
    opt_in_sms = models.BooleanField(_("acepta SMS"), default=False)
    opt_in_whatsapp = models.BooleanField(_("acepta WhatsApp"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cliente")
        verbose_name_plural = _("clientes")
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["id_document"], name="customer_id_document_unique"),
            models.CheckConstraint(
                condition=models.Q(id_document__regex=ID_DOCUMENT_PATTERN),
                name="customer_id_document_normalized",
                violation_error_message=_("La cédula o el RIF no está normalizado."),
            ),
            models.CheckConstraint(
                condition=models.Q(phone="") | models.Q(phone__regex=PHONE_PATTERN),
                name="customer_phone_e164",
                violation_error_message=_("El teléfono no está en formato internacional (+58…)."),
            ),
        ]
        indexes = [
            # Prefix searches (`LIKE 'V-1234%'`, `LIKE '+58414%'`) whatever the database collation.
            models.Index(
                fields=["id_document"], name="customer_id_document_prefix", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["phone"], name="customer_phone_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(Lower("email"), name="customer_email_lower"),
            # The "contains" searches the seller types into (customers.selectors.matching_customers):
            # with these, every branch of its OR is indexed and no keystroke reads every customer.
            trigram_index("first_name", name="customer_first_name_trgm", unaccented=True),
            trigram_index("last_name", name="customer_last_name_trgm", unaccented=True),
            trigram_index("email", name="customer_email_trgm"),
            trigram_index("phone", name="customer_phone_trgm", upper=False),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.id_document})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def phone_local(self) -> str:
        """The phone as written in Venezuela: `0414-1234567`."""
        return format_ve_mobile(self.phone)

    def unique_error_message(self, model_class, unique_check):
        if tuple(unique_check) == ("id_document",):
            return ValidationError(
                _("Ya existe un cliente con la cédula/RIF %(id_document)s."),
                code="unique",
                params={"id_document": self.id_document},
            )
        return super().unique_error_message(model_class, unique_check)
