"""One organization's data, logins, cache and live updates are invisible from another's domain."""

from django.core.cache import cache
from django.db import connection

from tests.conftest import OWNER_PASSWORD
from ticketing.accounts.models import User
from ticketing.accounts.roles import Role


def test_an_account_of_one_organization_cannot_sign_in_on_another(acme, globex, client_for):
    client = client_for(globex)

    response = client.post("/accounts/login/", {"login": "owner@acme.test", "password": OWNER_PASSWORD})

    assert response.status_code == 200
    assert "no son correctas" in response.content.decode()
    assert client.get("/panel/").status_code == 302


def test_a_session_from_one_organization_is_worthless_on_another(acme, globex, client_for):
    connection.set_tenant(acme)
    owner = User.objects.get(email="owner@acme.test")
    client = client_for(acme, owner)
    assert client.get("/panel/", HTTP_HOST="acme.localhost").status_code == 200

    response = client.get("/panel/", HTTP_HOST="globex.localhost")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_another_organizations_staff_member_is_a_404_and_stays_untouched(acme, globex, staff_in, client_for):
    acme_seller = staff_in(acme, Role.SELLER, pk=900002, email="solo-acme@acme.test")
    connection.set_tenant(globex)
    globex_owner = User.objects.get(email="owner@globex.test")
    client = client_for(globex, globex_owner)

    for action in ("deactivate", "reactivate", "resend"):
        assert client.post(f"/panel/staff/{acme_seller.pk}/{action}/").status_code == 404
    assert client.post(f"/panel/staff/{acme_seller.pk}/role/", {"role": "owner"}).status_code == 404

    staff_page = client.get("/panel/staff/").content.decode()
    assert "solo-acme@acme.test" not in staff_page and "owner@acme.test" not in staff_page
    connection.set_tenant(acme)
    acme_seller.refresh_from_db()
    assert acme_seller.is_active and acme_seller.role == Role.SELLER


def test_cache_keys_are_per_organization(acme, globex):
    connection.set_tenant(acme)
    cache.set("next-invoice-hint", "acme")
    connection.set_tenant(globex)
    assert cache.get("next-invoice-hint") is None
    cache.set("next-invoice-hint", "globex")
    connection.set_tenant(acme)
    assert cache.get("next-invoice-hint") == "acme"
