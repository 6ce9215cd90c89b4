"""The signed-in user comes from the cache, and every change to an account takes effect on the
next request: deactivation, a new role, a new password (ticketing/accounts/backends.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import PASSWORD
from ticketing.accounts import services
from ticketing.accounts.backends import signed_in_users, user_changed
from ticketing.accounts.models import User
from ticketing.accounts.roles import Role


@pytest.fixture
def owner(in_acme):
    return User.objects.get(email="owner@acme.test")


def user_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, [q["sql"] for q in queries if '"accounts_user"' in q["sql"]]


def test_a_signed_in_seller_is_read_from_the_database_once(acme, staff_in, client_for):
    seller = client_for(acme, staff_in(acme, Role.SELLER))

    first, first_reads = user_queries(seller, "/panel/sales/")
    again, later_reads = user_queries(seller, "/panel/sales/")

    assert first.status_code == again.status_code == 200
    assert len(first_reads) == 1 and later_reads == []


def test_deactivation_signs_the_seller_out_at_once(owner, acme, staff_in, client_for):
    member = staff_in(acme, Role.SELLER)
    seller = client_for(acme, member)
    assert seller.get("/panel/sales/").status_code == 200  # now cached

    services.deactivate_staff(member=member, deactivated_by=owner)

    assert seller.get("/panel/sales/")["Location"].startswith("/accounts/login/")
    services.reactivate_staff(member=member)  # an update(), not a save()
    assert seller.get("/panel/sales/").status_code == 200


def test_a_new_role_applies_on_the_next_request(owner, acme, staff_in, client_for):
    member = staff_in(acme, Role.SELLER)
    seller = client_for(acme, member)
    assert seller.get("/panel/sales/").status_code == 200

    services.change_role(member=member, role=Role.DOOR, changed_by=owner)

    assert seller.get("/panel/sales/").status_code == 403


def test_a_new_password_ends_the_other_sessions(acme, staff_in, client_for):
    member = staff_in(acme, Role.SELLER)
    seller = client_for(acme, member)
    assert seller.get("/panel/sales/").status_code == 200

    member.set_password(PASSWORD + "-new")
    member.save()

    assert seller.get("/panel/sales/")["Location"].startswith("/accounts/login/")


def test_a_user_read_while_the_account_changed_is_not_kept(in_acme, staff_in, acme):
    member = staff_in(acme, Role.SELLER)

    def load_while_an_owner_deactivates(user_id):
        stale = User.objects.get(pk=user_id)  # read before the change commits
        user_changed()
        return stale

    assert signed_in_users.get(member.pk, load_while_an_owner_deactivates).is_active
    User.objects.filter(pk=member.pk).update(is_active=False)
    assert signed_in_users.get(member.pk, lambda user_id: User.objects.get(pk=user_id)).is_active is False


def test_each_organization_caches_its_own_users(acme, globex, staff_in, client_for):
    ours = staff_in(acme, Role.SELLER)
    assert client_for(acme, ours).get("/panel/sales/").status_code == 200  # cached in acme
    loaded_in_globex = []

    connection.set_tenant(globex)
    found = signed_in_users.get(ours.pk, lambda user_id: loaded_in_globex.append(user_id))
    connection.set_schema_to_public()

    assert loaded_in_globex == [ours.pk] and found is None  # acme's entry is not globex's
