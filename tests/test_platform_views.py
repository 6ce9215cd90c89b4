"""The platform-admin area at the bare domain (public schema): list, search, create, suspend."""

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from tests.conftest import ORGANIZATIONS
from ticketing.accounts.models import User
from ticketing.organizations.models import Domain, Organization

PLATFORM_HOST = "localhost"


def html(response) -> str:
    return response.content.decode()


def schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS(SELECT 1 FROM pg_namespace WHERE nspname = %s)", [name])
        return cursor.fetchone()[0]


@pytest.fixture
def platform_admin(db) -> User:
    connection.set_schema_to_public()
    return User.objects.create_superuser("root@plataforma.test", "clave-plataforma-1")


@pytest.fixture
def admin_client(platform_admin) -> Client:
    client = Client(HTTP_HOST=PLATFORM_HOST)
    connection.set_schema_to_public()
    client.force_login(platform_admin)
    return client


def new_organization_data(**overrides) -> dict:
    data = {
        "name": "Teatro Municipal de Valencia",
        "slug": "teatro-valencia",
        "rif": "g200000015",
        "fiscal_address": "Av. Bolívar, Valencia, Carabobo",
        "owner_name": "Valentina Dueña",
        "owner_email": "valentina@teatro-valencia.test",
    }
    return {**data, **overrides}


# --- Who may enter ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/platform/", "/platform/new/"])
def test_anonymous_visitors_are_sent_to_the_login_page(db, path):
    response = Client(HTTP_HOST=PLATFORM_HOST).get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


def test_the_login_page_of_the_platform_is_the_platform_admin_login(db):
    response = Client(HTTP_HOST=PLATFORM_HOST).get("/accounts/login/?next=/platform/")

    assert response.status_code == 200
    assert "Acceso de administración de la plataforma." in html(response)


def test_a_platform_user_who_is_not_a_superuser_is_refused(db):
    connection.set_schema_to_public()
    user = User.objects.create_user("curioso@plataforma.test", "clave-curioso-1", is_staff=True)
    client = Client(HTTP_HOST=PLATFORM_HOST)
    client.force_login(user)

    for path in ["/platform/", "/platform/new/"]:
        response = client.get(path)
        assert response.status_code == 403
        assert "Acceso denegado" in html(response)
        assert "Acme Eventos" not in html(response)


def test_a_platform_superuser_signs_in_and_lands_on_the_organization_list(platform_admin):
    client = Client(HTTP_HOST=PLATFORM_HOST)

    response = client.post(
        "/accounts/login/",
        {"login": "root@plataforma.test", "password": "clave-plataforma-1"},
        follow=True,
    )

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/platform/"
    assert "<h1>Organizaciones</h1>" in html(response)


def test_an_organization_owner_cannot_reach_the_platform_from_the_organization_site(acme, client_for):
    connection.set_tenant(acme)
    owner = User.objects.get(email="owner@acme.test")
    client = client_for(acme, owner)

    assert client.get("/platform/").status_code == 404
    # ...and the owner's session means nothing on the platform's own domain.
    platform = Client(HTTP_HOST=PLATFORM_HOST)
    platform.cookies = client.cookies
    response = platform.get("/platform/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- List and search ----------------------------------------------------------------------------


def test_the_list_shows_every_organization_but_not_the_platform(admin_client):
    response = admin_client.get("/platform/")

    assert response.status_code == 200
    page = html(response)
    for slug, data in ORGANIZATIONS.items():
        assert data["name"] in page
        assert f"<td>{slug}</td>" in page
        assert f"<td>{data['rif']}</td>" in page
    assert "Producciones Demo" in page
    assert "Plataforma" not in page.split('id="organization-table"')[1]
    assert page.count('<span class="status-badge">Activa</span>') == len(ORGANIZATIONS) + 1  # + demo


@pytest.mark.parametrize(
    ("query", "found", "absent"),
    [
        ("acme", "Acme Eventos", "Globex Espectáculos"),  # name, any case
        ("ESPECTÁCULOS", "Globex Espectáculos", "Acme Eventos"),
        ("globex", "Globex Espectáculos", "Acme Eventos"),  # slug
        ("J-40913703", "Globex Espectáculos", "Acme Eventos"),  # RIF
        ("41197191", "Acme Eventos", "Globex Espectáculos"),
    ],
)
def test_searching_by_name_slug_or_rif_filters_the_table(admin_client, query, found, absent):
    response = admin_client.get("/platform/", {"q": query})

    assert response.status_code == 200
    table = html(response).split('id="organization-table"')[1]
    assert found in table
    assert absent not in table
    assert f'value="{query}"' in html(response)  # the search box keeps what was typed


def test_a_search_from_htmx_answers_only_the_table(admin_client):
    response = admin_client.get("/platform/", {"q": "globex"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    page = html(response)
    assert page.lstrip().startswith('<div id="organization-table">')
    assert "<html" not in page
    assert "Globex Espectáculos" in page
    assert "Acme Eventos" not in page


def test_a_search_without_results_says_so(admin_client):
    response = admin_client.get("/platform/", {"q": "zzz-inexistente"})

    assert response.status_code == 200
    assert "Ninguna organización coincide con «zzz-inexistente»." in html(response)
    assert "<table" not in html(response)


def test_with_no_organizations_the_list_invites_to_create_the_first(admin_client):
    Organization.objects.exclude(schema_name="public").delete()  # rolled back after the test

    response = admin_client.get("/platform/")

    assert response.status_code == 200
    assert "Todavía no hay organizaciones. Cree la primera con «Nueva organización»." in html(response)
    assert "<table" not in html(response)


# --- Creating an organization through the form ----------------------------------------------------


def test_the_new_organization_form_shows_its_fields(admin_client):
    response = admin_client.get("/platform/new/")

    assert response.status_code == 200
    page = html(response)
    assert "<h1>Nueva organización</h1>" in page
    for field in [
        "name",
        "slug",
        "rif",
        "fiscal_address",
        "is_special_taxpayer",
        "owner_name",
        "owner_email",
    ]:
        assert f'name="{field}"' in page
    assert "Crear organización" in page


def test_creating_an_organization_leads_to_its_page_with_the_first_login_link(
    admin_client, django_capture_on_commit_callbacks
):
    response = admin_client.post("/platform/new/", new_organization_data())

    organization = Organization.objects.get(slug="teatro-valencia")
    assert response.status_code == 302
    assert response["Location"] == f"/platform/{organization.pk}/"
    assert organization.rif == "G-20000001-5"
    assert schema_exists("teatro_valencia")
    assert Domain.objects.get(tenant=organization).domain == "teatro-valencia.localhost"

    response = admin_client.get(response["Location"])
    assert response.status_code == 200
    page = html(response)
    assert "<h1>Teatro Municipal de Valencia</h1>" in page
    assert "Organización «Teatro Municipal de Valencia» creada." in page
    assert "Enlace de primer acceso del propietario" in page
    assert 'value="http://teatro-valencia.localhost:8000/accounts/password/reset/key/' in page
    assert 'href="http://teatro-valencia.localhost:8000/"' in page

    # The link is shown once: reloading the page does not show it again.
    page = html(admin_client.get(f"/platform/{organization.pk}/"))
    assert "Enlace de primer acceso del propietario" not in page
    assert "Teatro Municipal de Valencia" in page
    # An owner who lost it gets a new one, e-mailed and shown once more.
    assert "valentina@teatro-valencia.test · <small>todavía no ha entrado</small>" in page
    with django_capture_on_commit_callbacks(execute=True):
        again = admin_client.post(f"/platform/{organization.pk}/owner-access/")
    assert again.status_code == 302
    page = html(admin_client.get(again["Location"]))
    assert "Nuevo enlace de acceso creado y enviado por correo al propietario." in page
    assert 'value="http://teatro-valencia.localhost:8000/accounts/password/reset/key/' in page
    assert [m.to for m in mail.outbox][-1] == ["valentina@teatro-valencia.test"]


def test_an_invalid_rif_is_shown_next_to_the_field_and_nothing_is_created(admin_client):
    response = admin_client.post("/platform/new/", new_organization_data(rif="G-20000001-4"))

    assert response.status_code == 422
    page = html(response)
    assert (
        '<small class="field-error" id="id_rif_error">'
        "El dígito verificador del RIF G-20000001-4 no es válido.</small>"
    ) in page
    assert 'value="Teatro Municipal de Valencia"' in page  # what was typed is kept
    assert not Organization.objects.filter(slug="teatro-valencia").exists()
    assert not schema_exists("teatro_valencia")


def test_a_malformed_rif_explains_the_expected_format(admin_client):
    response = admin_client.post("/platform/new/", new_organization_data(rif="X-123"))

    assert response.status_code == 422
    assert '<small class="field-error" id="id_rif_error">RIF no válido' in html(response)
    assert not Organization.objects.filter(slug="teatro-valencia").exists()


def test_a_reserved_subdomain_is_shown_next_to_the_field(admin_client):
    response = admin_client.post("/platform/new/", new_organization_data(slug="admin"))

    assert response.status_code == 422
    assert (
        '<small class="field-error" id="id_slug_error">El subdominio «admin» está reservado.</small>'
    ) in html(response)
    assert not Organization.objects.filter(slug="admin").exists()


def test_a_taken_rif_is_shown_next_to_the_field(admin_client):
    response = admin_client.post("/platform/new/", new_organization_data(rif="J-41197191-0"))

    assert response.status_code == 422
    assert 'id="id_rif_error"' in html(response)
    assert not Organization.objects.filter(slug="teatro-valencia").exists()


# --- Suspending and reactivating ----------------------------------------------------------------


def test_suspending_and_reactivating_from_the_organization_page(admin_client, acme):
    page = html(admin_client.get(f"/platform/{acme.pk}/"))
    assert "Suspender organización" in page
    assert Client(HTTP_HOST="acme.localhost").get("/").status_code == 200

    response = admin_client.post(f"/platform/{acme.pk}/suspend/", follow=True)

    assert response.redirect_chain == [(f"/platform/{acme.pk}/", 302)]
    page = html(response)
    assert "«Acme Eventos» quedó suspendida." in page
    assert "Suspendida desde" in page
    assert "Reactivar organización" in page
    acme.refresh_from_db()
    assert not acme.is_active
    suspended = Client(HTTP_HOST="acme.localhost").get("/")
    assert suspended.status_code == 403
    assert "Organización suspendida" in html(suspended)
    listing = html(admin_client.get("/platform/", {"q": "acme"}))
    assert '<span class="status-badge inactive">Suspendida</span>' in listing

    response = admin_client.post(f"/platform/{acme.pk}/reactivate/", follow=True)

    assert response.redirect_chain == [(f"/platform/{acme.pk}/", 302)]
    page = html(response)
    assert "«Acme Eventos» está activa de nuevo." in page
    assert "Suspender organización" in page
    acme.refresh_from_db()
    assert acme.is_active
    assert Client(HTTP_HOST="acme.localhost").get("/").status_code == 200


def test_suspending_needs_a_post(admin_client, acme):
    assert admin_client.get(f"/platform/{acme.pk}/suspend/").status_code == 405
    acme.refresh_from_db()
    assert acme.is_active


def test_the_platform_does_not_appear_as_an_organization_to_suspend(admin_client):
    public = Organization.objects.get(schema_name="public")

    assert admin_client.get(f"/platform/{public.pk}/").status_code == 404
    assert admin_client.post(f"/platform/{public.pk}/suspend/").status_code == 404
    public.refresh_from_db()
    assert public.is_active


def test_a_non_superuser_cannot_suspend(db, acme):
    connection.set_schema_to_public()
    user = User.objects.create_user("curioso@plataforma.test", "clave-curioso-1")
    client = Client(HTTP_HOST=PLATFORM_HOST)
    client.force_login(user)

    assert client.post(f"/platform/{acme.pk}/suspend/").status_code == 403
    acme.refresh_from_db()
    assert acme.is_active
