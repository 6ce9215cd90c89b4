"""Creating, suspending and reactivating organizations (platform side, public schema)."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context, schema_exists, tenant_context

from ticketing.accounts import services as account_services
from ticketing.accounts.models import User
from ticketing.accounts.roles import Role
from ticketing.core.identifiers import normalize_rif
from ticketing.core.sites import organization_domain, organization_url

from .models import RESERVED_SLUGS, Domain, Organization


@dataclass(frozen=True)
class OrganizationCreated:
    organization: Organization
    owner: User
    first_login_url: str


def ensure_public_tenant() -> Organization:
    """The platform's own schema and domain; created once, idempotently."""
    public, _created = Organization.objects.get_or_create(
        schema_name=get_public_schema_name(),
        defaults={"name": "Plataforma", "slug": "public", "rif": "", "fiscal_address": ""},
    )
    Domain.objects.get_or_create(domain=settings.BASE_DOMAIN, defaults={"tenant": public, "is_primary": True})
    return public


def schema_name_for(slug: str) -> str:
    return slug.replace("-", "_")


def validate_new_organization(*, slug: str, rif: str) -> str:
    """Check what a form cannot know alone; return the normalized RIF."""
    errors = {}
    if slug in RESERVED_SLUGS:
        errors["slug"] = _("El subdominio «%(slug)s» está reservado.") % {"slug": slug}
    elif Organization.objects.filter(slug=slug).exists():
        errors["slug"] = _("Ya existe una organización con el subdominio «%(slug)s».") % {"slug": slug}
    elif schema_exists(schema_name_for(slug)):
        # A schema that already exists (information_schema, one left by hand) must never be
        # adopted: django-tenants would skip creating it and write into someone else's tables.
        errors["slug"] = _("El subdominio «%(slug)s» está reservado.") % {"slug": slug}
    try:
        rif = normalize_rif(rif)
    except ValidationError as e:
        errors["rif"] = e.messages[0]
    else:
        if Organization.objects.filter(rif=rif).exists():
            errors["rif"] = _("Ya existe una organización con el RIF %(rif)s.") % {"rif": rif}
    if errors:
        raise ValidationError(errors)
    return rif


@transaction.atomic
def create_organization(
    *,
    name: str,
    slug: str,
    rif: str,
    fiscal_address: str,
    owner_email: str,
    owner_name: str = "",
    is_special_taxpayer: bool = False,
    owner_password: str | None = None,
) -> OrganizationCreated:
    """Create the organization's schema, its domain and its first owner.

    PostgreSQL DDL is transactional, so a failure anywhere (a taken slug found by the unique
    constraint, a bad owner e-mail) leaves no half-made schema behind.
    """
    slug = slug.strip().lower()
    rif = validate_new_organization(slug=slug, rif=rif)
    organization = Organization(
        schema_name=schema_name_for(slug),
        name=name.strip(),
        slug=slug,
        rif=rif,
        fiscal_address=fiscal_address.strip(),
        is_special_taxpayer=is_special_taxpayer,
    )
    organization.full_clean(exclude=["schema_name"])
    with schema_context(get_public_schema_name()):
        organization.save()
        Domain.objects.create(domain=organization_domain(slug), tenant=organization, is_primary=True)
    with tenant_context(organization):
        owner = account_services.create_staff_account(
            email=owner_email, full_name=owner_name, role=Role.OWNER, password=owner_password
        )
        if not owner_password:
            account_services.resend_invitation(member=owner, invited_by=None)
        first_login_url = organization_url(organization, account_services.first_login_path(owner))
    return OrganizationCreated(organization=organization, owner=owner, first_login_url=first_login_url)


def suspend_organization(*, organization: Organization) -> Organization:
    if organization.is_public:
        raise ValidationError(_("La plataforma no se puede suspender."))
    organization.is_active = False
    organization.suspended_at = timezone.now()
    organization.save(update_fields=["is_active", "suspended_at"])
    return organization


def reactivate_organization(*, organization: Organization) -> Organization:
    organization.is_active = True
    organization.suspended_at = None
    organization.save(update_fields=["is_active", "suspended_at"])
    return organization


@transaction.atomic
def update_fiscal_data(
    *, organization: Organization, name: str, rif: str, fiscal_address: str, is_special_taxpayer: bool
) -> Organization:
    """The issuer's data every new invoice and credit note prints: name, RIF, fiscal address,
    and whether it collects IGTF. Documents already issued keep what they were issued with
    (fiscal.Invoice freezes it). Raises ValidationError keyed by field."""
    stored = Organization.objects.select_for_update().get(pk=organization.pk)
    errors = {}
    try:
        rif = normalize_rif(rif)
    except ValidationError as e:
        errors["rif"] = e.messages[0]
    else:
        if Organization.objects.filter(rif=rif).exclude(pk=organization.pk).exists():
            errors["rif"] = _("Ya existe una organización con el RIF %(rif)s.") % {"rif": rif}
    if is_special_taxpayer != stored.is_special_taxpayer and _payments_in_review(stored):
        # Customers who reported a Zelle paid the IGTF we asked (or none): with the other rule
        # the sale would no longer add up and staff could not confirm it.
        errors["is_special_taxpayer"] = _(
            "Hay pagos en línea esperando verificación, calculados con el IGTF actual: confírmelos o "
            "rechácelos en «Pagos por verificar» antes de cambiar esta condición."
        )
    if errors:
        raise ValidationError(errors)
    stored.name, stored.rif, stored.fiscal_address = name.strip(), rif, fiscal_address.strip()
    stored.is_special_taxpayer = is_special_taxpayer
    stored.save(update_fields=["name", "rif", "fiscal_address", "is_special_taxpayer"])
    return stored


def _payments_in_review(organization: Organization) -> bool:
    from ticketing.sales.models import Order

    with tenant_context(organization):
        return Order.objects.filter(status=Order.Status.REVIEW).exists()


@transaction.atomic
def new_owner_access(*, organization: Organization) -> str:
    """A new first-access link for the organization's (first active) owner, also e-mailed: the
    link shown when the organization was created is shown once, and an owner who lost it (or whose
    e-mail never arrived) had no way in. Returns the link. Raises ValidationError without an owner."""
    with tenant_context(organization):
        owner = User.objects.filter(role=Role.OWNER, is_active=True).order_by("pk").first()
        if owner is None:
            raise ValidationError(_("La organización no tiene un propietario activo."), code="no_owner")
        account_services.resend_invitation(member=owner, invited_by=None)
        return organization_url(organization, account_services.first_login_path(owner))
