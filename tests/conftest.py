"""Test fixtures. Organizations (schemas) are created once per session; each test runs in a
transaction that is rolled back, so data never leaks between tests."""

import os

# Playwright's sync API keeps an event loop running in this thread; the ORM must still work.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django_tenants.utils import tenant_context  # noqa: E402

from tests.factories import StaffFactory  # noqa: E402
from ticketing.accounts.roles import Role  # noqa: E402
from ticketing.fiscal.models import CONTROL_NUMBER_MAX, ControlNumberProviderKind  # noqa: E402
from ticketing.fiscal.services import save_control_settings  # noqa: E402
from ticketing.organizations.demo import ensure_demo_organization  # noqa: E402
from ticketing.organizations.models import Organization  # noqa: E402
from ticketing.organizations.services import create_organization, ensure_public_tenant  # noqa: E402

OWNER_PASSWORD = "owner-pass-2026"
ORGANIZATIONS = {
    "acme": {"name": "Acme Eventos", "rif": "J-41197191-0"},
    "globex": {"name": "Globex Espectáculos", "rif": "J-40913703-1"},
    # Race tests commit real data from several threads; they get an organization of their own.
    "carrera": {"name": "Carrera de Taquillas", "rif": "J-31294845-0"},
}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        # Never write test organizations into a real database (it happens when no collected test
        # asks for the database, so pytest-django creates none).
        assert connection.settings_dict["NAME"].startswith("test_"), "no test database was created"
        ensure_public_tenant()
        for slug, data in ORGANIZATIONS.items():
            create_organization(
                name=data["name"],
                slug=slug,
                rif=data["rif"],
                fiscal_address="Caracas",
                owner_email=f"owner@{slug}.test",
                owner_name=f"Dueño {slug}",
                owner_password=OWNER_PASSWORD,
            )
            # Configured for real invoices, as an organization at work is (the fiscal series "A"
            # and "NC"); tests of the sandbox printer's test documents switch to it. The demo
            # organization keeps the sandbox, as a new one has.
            with tenant_context(Organization.objects.get(slug=slug)):
                save_control_settings(
                    provider=ControlNumberProviderKind.RANGE,
                    prefix="01",  # tests that set up a range of their own use "00"
                    range_start=1,
                    range_end=CONTROL_NUMBER_MAX,
                )
        ensure_demo_organization()
        connection.set_schema_to_public()


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """Debian's Chromium, for tests that print or draw a page set inline (no server): the seat
    map, the receipt. tests/browser has its own, for the live server's tests."""
    return {
        "executable_path": "/usr/bin/chromium",
        "headless": True,
        "args": ["--no-sandbox", "--disable-gpu"],
    }


@pytest.fixture(autouse=True)
def _fresh_cache_and_public_schema():
    cache.clear()
    yield
    connection.set_schema_to_public()


@pytest.fixture
def acme(db) -> Organization:
    return Organization.objects.get(slug="acme")


@pytest.fixture
def globex(db) -> Organization:
    return Organization.objects.get(slug="globex")


@pytest.fixture
def carrera(django_db_setup, django_db_blocker):
    """The race tests' own organization, with committed data: threads cannot see a test's
    transaction, so these tests commit for real, in a schema no other test reads."""
    with django_db_blocker.unblock():
        organization = Organization.objects.get(slug="carrera")
        connection.set_tenant(organization)
        yield organization
        connection.set_schema_to_public()


@pytest.fixture
def in_acme(acme):
    """Run the test body inside acme's schema (as a request to acme.localhost would)."""
    connection.set_tenant(acme)
    yield acme
    connection.set_schema_to_public()


def host_of(organization: Organization) -> str:
    return f"{organization.slug}.localhost"


@pytest.fixture
def client_for():
    """`client_for(org, user=None)`: a client talking to the organization's domain, signed in as
    `user` (whose session is stored in that organization's schema)."""

    def make(organization, user=None) -> Client:
        client = Client(HTTP_HOST=host_of(organization))
        if user is not None:
            connection.set_tenant(organization)
            client.force_login(user)
        return client

    return make


@pytest.fixture
def staff_in():
    """`staff_in(org, role, **fields)`: a staff account created in that organization's schema."""

    def make(organization, role=Role.SELLER, **fields):
        connection.set_tenant(organization)
        return StaffFactory(role=role, **fields)

    return make


def pytest_collection_modifyitems(config, items):
    """Browser tests last: they are the slowest, and Playwright's sync API leaves an event loop
    running in the main thread, which the async websocket tests cannot share."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
