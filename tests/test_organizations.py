"""Creating organizations (service and management command), suspending them, unknown hosts.

Creating a schema is slow (~1 s), so this file creates only three organizations; every one of
them lives inside the test's transaction and is rolled back with it (PostgreSQL DDL is
transactional).
"""

from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from tests.conftest import ORGANIZATIONS, OWNER_PASSWORD
from ticketing.accounts.models import User
from ticketing.accounts.roles import Role
from ticketing.organizations import services
from ticketing.organizations.models import Domain, Organization

FIRST_LOGIN_PATH = "/accounts/password/reset/key/"


def schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS(SELECT 1 FROM pg_namespace WHERE nspname = %s)", [name])
        in_pg_namespace = cursor.fetchone()[0]
        cursor.execute(
            "SELECT EXISTS(SELECT 1 FROM information_schema.schemata WHERE schema_name = %s)", [name]
        )
        in_information_schema = cursor.fetchone()[0]
    assert in_pg_namespace == in_information_schema
    return in_pg_namespace


def new_organization(**overrides):
    fields = {
        "name": "Teatro Caracas",
        "slug": "teatro-caracas",
        "rif": "J-50123456-6",
        "fiscal_address": "Av. Urdaneta, Caracas",
        "owner_email": "duena@teatro.test",
        "owner_name": "Dueña del Teatro",
    }
    return services.create_organization(**{**fields, **overrides})


def html(response) -> str:
    return response.content.decode()


# --- Creating an organization -------------------------------------------------------------------


def test_create_organization_makes_schema_domain_and_an_owner_who_can_sign_in(db):
    assert not schema_exists("teatro_caracas")

    created = new_organization(
        rif="v 15100580-9", owner_email="  Duena@Teatro.TEST ", owner_password="clave-del-teatro-1"
    )

    organization = Organization.objects.get(slug="teatro-caracas")
    assert created.organization == organization
    assert organization.name == "Teatro Caracas"
    assert organization.rif == "V-15100580-9"
    assert organization.is_active
    assert organization.schema_name == "teatro_caracas"
    assert schema_exists("teatro_caracas")
    domain = Domain.objects.get(tenant=organization)
    assert domain.domain == "teatro-caracas.localhost"
    assert domain.is_primary

    with tenant_context(organization):
        owner = User.objects.get()
    assert owner == created.owner
    assert owner.email == "duena@teatro.test"
    assert owner.full_name == "Dueña del Teatro"
    assert owner.role == Role.OWNER
    assert not User.objects.filter(email="duena@teatro.test").exists()  # not a platform account

    assert created.first_login_url.startswith(f"http://teatro-caracas.localhost:8000{FIRST_LOGIN_PATH}")

    client = Client(HTTP_HOST="teatro-caracas.localhost")
    response = client.post(
        "/accounts/login/", {"login": "duena@teatro.test", "password": "clave-del-teatro-1"}
    )
    assert response.status_code == 302
    response = client.get("/panel/")
    assert response.status_code == 200
    assert "Hola, Dueña del Teatro" in html(response)
    assert "Su rol: Propietario" in html(response)


@pytest.mark.parametrize("slug", ["admin", "www", "public", "Platform", " api "])
def test_a_reserved_subdomain_is_refused_on_the_slug_field(db, slug):
    with pytest.raises(ValidationError) as excinfo:
        new_organization(slug=slug)

    reserved = slug.strip().lower()
    assert excinfo.value.message_dict == {"slug": [f"El subdominio «{reserved}» está reservado."]}
    assert not Organization.objects.filter(name="Teatro Caracas").exists()


def test_a_taken_subdomain_is_refused_on_the_slug_field(acme):
    with pytest.raises(ValidationError) as excinfo:
        new_organization(slug="ACME")

    assert excinfo.value.message_dict == {"slug": ["Ya existe una organización con el subdominio «acme»."]}
    assert Organization.objects.filter(slug="acme").count() == 1


def test_a_taken_rif_is_refused_on_the_rif_field_whatever_its_spelling(acme):
    with pytest.raises(ValidationError) as excinfo:
        new_organization(rif="j 411971910")

    assert excinfo.value.message_dict == {"rif": ["Ya existe una organización con el RIF J-41197191-0."]}
    assert not Organization.objects.filter(slug="teatro-caracas").exists()


def test_a_bad_rif_is_refused_and_leaves_no_schema_behind(db):
    with pytest.raises(ValidationError) as excinfo:
        new_organization(rif="J-50123456-7")

    assert excinfo.value.message_dict == {"rif": ["El dígito verificador del RIF J-50123456-7 no es válido."]}
    assert not Organization.objects.filter(slug="teatro-caracas").exists()
    assert not Domain.objects.filter(domain="teatro-caracas.localhost").exists()
    assert not schema_exists("teatro_caracas")


def test_a_failure_after_the_schema_was_made_leaves_no_schema_behind(db):
    """The owner is created last, inside the new schema: a bad e-mail undoes everything."""
    with pytest.raises(ValidationError) as excinfo:
        new_organization(slug="sala-rota", rif="J-29876543-7", owner_email="esto-no-es-un-correo")

    assert "email" in excinfo.value.message_dict
    assert connection.schema_name == "public"
    assert not Organization.objects.filter(slug="sala-rota").exists()
    assert not Domain.objects.filter(domain="sala-rota.localhost").exists()
    assert not schema_exists("sala_rota")


# --- The management command ---------------------------------------------------------------------


def test_command_creates_the_organization_and_prints_its_site_and_first_login_link(
    db, django_capture_on_commit_callbacks
):
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "create_organization",
            "--slug=sala-maracaibo",
            "--name=Sala Maracaibo",
            "--rif=j298765437",
            "--owner-email=dueno@maracaibo.test",
            "--owner-name=Dueño de la Sala",
            "--fiscal-address=Av. 5 de Julio, Maracaibo",
            stdout=out,
        )

    output = out.getvalue()
    assert "Organización creada: Sala Maracaibo (J-29876543-7)" in output
    assert "Sitio: http://sala-maracaibo.localhost:8000/" in output
    assert "Propietario: dueno@maracaibo.test" in output
    link_lines = [line for line in output.splitlines() if line.startswith("Enlace de primer acceso: ")]
    assert len(link_lines) == 1
    link = link_lines[0].removeprefix("Enlace de primer acceso: ")
    assert link.startswith(f"http://sala-maracaibo.localhost:8000{FIRST_LOGIN_PATH}")

    organization = Organization.objects.get(slug="sala-maracaibo")
    assert schema_exists("sala_maracaibo")
    with tenant_context(organization):
        owner = User.objects.get(email="dueno@maracaibo.test")
    assert owner.role == Role.OWNER
    assert not owner.has_usable_password()
    assert [m.to for m in mail.outbox] == [["dueno@maracaibo.test"]]
    assert link.split(":8000")[1].rsplit("/", 2)[0] in mail.outbox[0].body

    # The printed link opens the page where the owner chooses a password.
    client = Client(HTTP_HOST="sala-maracaibo.localhost")
    response = client.get(link.removeprefix("http://sala-maracaibo.localhost:8000"), follow=True)
    assert response.status_code == 200
    assert 'name="password1"' in html(response)


def test_command_with_an_invalid_rif_fails_with_a_clear_message_and_creates_nothing(db):
    out = StringIO()

    with pytest.raises(CommandError) as excinfo:
        call_command(
            "create_organization",
            "--slug=sala-maracaibo",
            "--name=Sala Maracaibo",
            "--rif=J-29876543-1",
            "--owner-email=dueno@maracaibo.test",
            "--fiscal-address=Av. 5 de Julio, Maracaibo",
            stdout=out,
        )

    assert str(excinfo.value) == "rif: El dígito verificador del RIF J-29876543-1 no es válido."
    assert "Organización creada" not in out.getvalue()
    assert not Organization.objects.filter(slug="sala-maracaibo").exists()
    assert not schema_exists("sala_maracaibo")


# --- Suspension ---------------------------------------------------------------------------------


def assert_suspended_page(response):
    assert response.status_code == 403
    page = html(response)
    assert "Organización suspendida" in page
    assert "Este sitio está suspendido temporalmente." in page
    # Nothing of the organization's own site: no storefront, no login form.
    assert "Entradas para nuestros eventos." not in page
    assert 'name="password"' not in page
    assert "Acceso del personal de Acme Eventos" not in page


def test_a_suspended_organization_shows_only_the_suspension_page(acme, client_for):
    client = client_for(acme)
    assert client.get("/").status_code == 200

    services.suspend_organization(organization=acme)

    acme.refresh_from_db()
    assert not acme.is_active
    assert acme.suspended_at is not None
    assert_suspended_page(client.get("/"))
    assert_suspended_page(client.get("/accounts/login/"))
    response = client.post("/accounts/login/", {"login": "owner@acme.test", "password": OWNER_PASSWORD})
    assert_suspended_page(response)
    assert "_auth_user_id" not in client.session


def test_a_signed_in_owner_of_a_suspended_organization_loses_the_panel(acme, client_for):
    connection.set_tenant(acme)
    owner = User.objects.get(email="owner@acme.test")
    client = client_for(acme, owner)
    assert client.get("/panel/").status_code == 200

    connection.set_schema_to_public()
    services.suspend_organization(organization=acme)

    assert_suspended_page(client.get("/panel/"))
    assert_suspended_page(client.get("/panel/staff/"))


def test_suspending_one_organization_leaves_the_others_open(acme, globex, client_for):
    services.suspend_organization(organization=acme)

    response = client_for(globex).get("/")
    assert response.status_code == 200
    assert "Globex Espectáculos" in html(response)


def test_reactivating_restores_the_site_and_the_login(acme, client_for):
    services.suspend_organization(organization=acme)
    client = client_for(acme)
    assert client.get("/").status_code == 403

    services.reactivate_organization(organization=acme)

    acme.refresh_from_db()
    assert acme.is_active
    assert acme.suspended_at is None
    response = client.get("/")
    assert response.status_code == 200
    assert "Entradas para nuestros eventos." in html(response)
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert 'name="password"' in html(response)
    assert "Acceso del personal de Acme Eventos." in html(response)
    response = client.post("/accounts/login/", {"login": "owner@acme.test", "password": OWNER_PASSWORD})
    assert response.status_code == 302
    assert client.get("/panel/").status_code == 200


def test_the_platform_itself_cannot_be_suspended(db):
    public = Organization.objects.get(schema_name="public")

    with pytest.raises(ValidationError) as excinfo:
        services.suspend_organization(organization=public)

    assert excinfo.value.messages == ["La plataforma no se puede suspender."]
    public.refresh_from_db()
    assert public.is_active
    assert Client(HTTP_HOST="localhost").get("/").status_code == 200


# --- The host → organization cache ----------------------------------------------------------------


def test_a_known_host_is_routed_without_looking_up_its_domain_again(acme, client_for):
    client = client_for(acme)
    assert client.get("/").status_code == 200

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200

    assert not [q for q in queries if "organizations_domain" in q["sql"]]
    assert not [q for q in queries if q["sql"] == 'SET search_path = "public"']


def test_a_new_domain_and_a_removed_one_take_effect_at_once(acme, client_for):
    assert Client(HTTP_HOST="entradas-acme.localhost").get("/").status_code == 404
    assert client_for(acme).get("/").status_code == 200

    domain = Domain.objects.create(domain="entradas-acme.localhost", tenant=acme)
    assert Client(HTTP_HOST="entradas-acme.localhost").get("/").status_code == 200

    domain.delete()
    assert Client(HTTP_HOST="entradas-acme.localhost").get("/").status_code == 404


def test_a_renamed_organization_shows_its_new_name_at_once(acme, client_for):
    client = client_for(acme)
    assert "Acme Eventos" in html(client.get("/"))

    acme.name = "Acme Conciertos"
    acme.save(update_fields=["name"])

    assert "Acme Conciertos" in html(client.get("/"))


# --- Unknown hosts ------------------------------------------------------------------------------


def test_an_unknown_subdomain_says_so_and_shows_no_organization(acme, client_for):
    # A request to a real organization first, on the same connection, must not leak into the next.
    assert client_for(acme).get("/").status_code == 200

    response = Client(HTTP_HOST="nope.localhost").get("/")

    assert response.status_code == 404
    page = html(response)
    assert "Sitio no encontrado" in page
    assert "No hay ninguna organización en esta dirección." in page
    for organization in ORGANIZATIONS.values():
        assert organization["name"] not in page
    assert "Producciones Demo" not in page


def test_an_unknown_subdomain_answers_404_on_any_path(db):
    for path in ["/accounts/login/", "/panel/", "/platform/"]:
        response = Client(HTTP_HOST="nope.localhost").get(path)
        assert response.status_code == 404
        assert "Sitio no encontrado" in html(response)
        assert 'name="password"' not in html(response)
