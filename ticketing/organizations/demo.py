"""The demo organization that `make run` loads, so a newcomer can sign in at once."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django_tenants.utils import tenant_context

from ticketing.accounts import services as account_services
from ticketing.accounts.models import User
from ticketing.accounts.roles import Role
from ticketing.customers.models import Customer
from ticketing.customers.services import create_customer
from ticketing.events.demo import ensure_demo_event
from ticketing.payments import services as payment_services
from ticketing.payments.models import ExchangeRate

from .models import Organization
from .services import create_organization, ensure_public_tenant

DEMO_SLUG = "demo"
DEMO_RIF = "J-31294846-9"
DEMO_PASSWORD = "demo-taquilla-2026"
PLATFORM_ADMIN_EMAIL = "admin@plataforma.test"
PLATFORM_ADMIN_PASSWORD = "admin-plataforma-2026"

DEMO_STAFF = [
    ("owner@demo.test", "Olga Propietaria", Role.OWNER),
    ("manager@demo.test", "Manuel Gerente", Role.MANAGER),
    ("seller@demo.test", "Sofía Taquilla", Role.SELLER),
    ("door@demo.test", "Daniel Puerta", Role.DOOR),
]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    password: str


@transaction.atomic
def ensure_platform_admin() -> User:
    """In the public schema: the platform superuser who manages organizations."""
    user = User.objects.filter(email=PLATFORM_ADMIN_EMAIL).first()
    if user is None:
        user = User.objects.create_superuser(PLATFORM_ADMIN_EMAIL, PLATFORM_ADMIN_PASSWORD)
    else:
        user.set_password(PLATFORM_ADMIN_PASSWORD)
        user.is_active = user.is_superuser = user.is_staff = True
        user.save()
    user.full_name = "Administración de la plataforma"
    user.save(update_fields=["full_name"])
    return user


DEMO_USD_RATE = Decimal("250.00")


def ensure_demo_exchange_rate() -> None:
    """The demo can sell at once: today's BCV rate, when nobody has loaded it (demo value)."""
    today = payment_services.today_in_caracas()
    if not ExchangeRate.objects.filter(date=today, currency="USD").exists():
        # Not typed by anyone: however far from the last rate loaded, it is no typo.
        payment_services.set_rate(
            on=today, currency="USD", ves_per_unit=DEMO_USD_RATE, by=None, confirmed=True
        )


DEMO_CUSTOMER_DOCUMENT = "V-10000000"


def ensure_demo_customer() -> None:
    """A customer the demo seller can find by cédula at once."""
    if not Customer.objects.filter(id_document=DEMO_CUSTOMER_DOCUMENT).exists():
        create_customer(
            first_name="Cliente",
            last_name="Demo",
            id_document=DEMO_CUSTOMER_DOCUMENT,
            phone="0414-1234567",
            email="cliente@demo.test",
        )


def ensure_demo_online_sales() -> None:
    """The demo storefront offers every online method: card (sandbox), Pago Móvil and Zelle."""
    from ticketing.storefront.services import online_settings

    online = online_settings()
    if not online.pago_movil_bank:
        online.pago_movil_enabled, online.pago_movil_bank = True, "0134"
        online.pago_movil_phone, online.pago_movil_document = "+584141234567", DEMO_RIF
        online.zelle_enabled, online.zelle_email, online.zelle_holder = (
            True,
            "pagos@demo.test",
            "Producciones Demo",
        )
        online.save()


def ensure_demo_organization() -> tuple[Organization, list[DemoLogin]]:
    ensure_public_tenant()
    ensure_platform_admin()
    organization = Organization.objects.filter(slug=DEMO_SLUG).first()
    if organization is None:
        organization = create_organization(
            name="Producciones Demo",
            slug=DEMO_SLUG,
            rif=DEMO_RIF,
            fiscal_address="Av. Principal de Las Mercedes, Caracas 1060, Miranda",
            owner_email=DEMO_STAFF[0][0],
            owner_name=DEMO_STAFF[0][1],
            owner_password=DEMO_PASSWORD,
            is_special_taxpayer=True,
        ).organization
    elif not organization.is_active:
        organization.is_active = True
        organization.save(update_fields=["is_active"])
    with tenant_context(organization):
        for email, name, role in DEMO_STAFF:
            account_services.ensure_staff_account(
                email=email, full_name=name, role=role, password=DEMO_PASSWORD
            )
        ensure_demo_event()
        ensure_demo_exchange_rate()
        ensure_demo_customer()
        ensure_demo_online_sales()
    logins = [DemoLogin(email, role.label, DEMO_PASSWORD) for email, _name, role in DEMO_STAFF]
    return organization, logins
