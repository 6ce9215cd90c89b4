import secrets

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from ticketing.core.identifiers import validate_rif

SLUG_PATTERN = r"^(?!pg-)[a-z][a-z0-9-]{1,29}[a-z0-9]$"  # PostgreSQL reserves pg_ schemas
# Subdomains the platform keeps for itself.
RESERVED_SLUGS = frozenset(
    {"public", "www", "admin", "platform", "api", "static", "media", "mail", "app", "information-schema"}
)


def new_signing_key() -> str:
    return secrets.token_hex(32)


class Organization(TenantMixin):
    """An event organizer: one PostgreSQL schema and one subdomain."""

    name = models.CharField(_("nombre"), max_length=150)
    slug = models.CharField(
        _("subdominio"),
        max_length=31,
        unique=True,
        validators=[
            RegexValidator(
                SLUG_PATTERN,
                _("Use de 3 a 31 letras minúsculas, números o guiones; empiece con una letra."),
            )
        ],
    )
    rif = models.CharField(_("RIF"), max_length=12, unique=True, validators=[validate_rif])
    fiscal_address = models.TextField(_("domicilio fiscal"))
    is_special_taxpayer = models.BooleanField(
        _("contribuyente especial"),
        default=False,
        help_text=_("Los contribuyentes especiales cobran IGTF sobre los pagos en divisas."),
    )
    is_active = models.BooleanField(_("activa"), default=True)
    suspended_at = models.DateTimeField(_("suspendida el"), null=True, blank=True)
    created_at = models.DateTimeField(_("creada el"), auto_now_add=True)
    # Signs ticket QR codes (HMAC), so a door scanner can verify them without the database.
    ticket_signing_key = models.CharField(max_length=64, default=new_signing_key, editable=False)

    auto_create_schema = True
    auto_drop_schema = False

    class Meta:
        verbose_name = _("organización")
        verbose_name_plural = _("organizaciones")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.schema_name == "public"


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("dominio")
        verbose_name_plural = _("dominios")
