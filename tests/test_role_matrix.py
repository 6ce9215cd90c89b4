"""Every URL of ours, with every role: the permission table in accounts/roles.py is the truth."""

import re
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from tests.catalog import make_event, make_numbered_zone, make_tables_zone, make_venue
from ticketing.accounts.decorators import PLATFORM_ADMIN
from ticketing.accounts.models import User
from ticketing.accounts.roles import PERMISSIONS, Role
from ticketing.events.models import Seat, Table
from ticketing.sales.models import Order

SAMPLE_PK = 900001  # an object id that exists only in the organization under test
SAMPLE_UUID = "0f0f0f0f-0000-4000-8000-000000000001"


def our_url_patterns(urlconf: str):
    """(path with converters, callback) for every view defined in ticketing/."""

    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                callback = entry.callback
                if callback.__module__.startswith("ticketing."):
                    yield prefix + str(entry.pattern), callback

    return list(walk(get_resolver(urlconf).url_patterns))


def concrete_path(route: str) -> str:
    route = re.sub(r"<uuid:\w+>", SAMPLE_UUID, route)
    return "/" + re.sub(r"<(?:\w+:)?\w+>", str(SAMPLE_PK), route)


TENANT_ROUTES = our_url_patterns("project.urls_tenant")
PUBLIC_ROUTES = our_url_patterns("project.urls_public")


def test_every_view_of_ours_declares_who_may_open_it():
    routes = TENANT_ROUTES + PUBLIC_ROUTES
    undeclared = [route for route, view in routes if not hasattr(view, "required_permission")]
    assert undeclared == []
    assert len(TENANT_ROUTES) >= 8 and len(PUBLIC_ROUTES) >= 6


@pytest.fixture
def sample_objects(acme, staff_in):
    """One object of each kind whose id is SAMPLE_PK, so every URL with ids answers for real."""
    member = staff_in(acme, Role.SELLER, pk=SAMPLE_PK, email="sample@acme.test")
    venue = make_venue(pk=SAMPLE_PK)
    event = make_event(venue=venue, pk=SAMPLE_PK)
    make_numbered_zone(event, pk=SAMPLE_PK)
    tables = make_tables_zone(event)
    table = Table.objects.get(zone=tables, number=1)
    Table.objects.filter(pk=table.pk).update(id=SAMPLE_PK)
    Seat.objects.filter(table_id=table.pk).update(table_id=SAMPLE_PK)
    Order.objects.create(
        public_id=SAMPLE_UUID,
        event=event,
        channel=Order.Channel.BOX_OFFICE,
        expires_at=timezone.now() + timedelta(minutes=10),
    )
    return member


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("route", "view"), TENANT_ROUTES, ids=[r for r, _ in TENANT_ROUTES])
def test_each_role_gets_exactly_what_the_permission_table_grants(
    route, view, role, acme, staff_in, client_for, sample_objects
):
    user = staff_in(acme, role)
    response = client_for(acme, user).get(concrete_path(route))

    permission = view.required_permission
    allowed = permission is None or role in PERMISSIONS[permission]
    if allowed:
        # Allowed: the view itself answers (a page, a redirect, 405 for POST-only, 404 when the
        # sample object is not in the state the view wants), never 403 and never an error.
        assert response.status_code in (200, 302, 404, 405), (route, response.status_code)
    else:
        assert response.status_code == 403
        assert "Acceso denegado" in response.content.decode()


@pytest.mark.parametrize(("route", "view"), TENANT_ROUTES, ids=[r for r, _ in TENANT_ROUTES])
def test_anonymous_visitors_are_sent_to_login_except_on_public_pages(route, view, acme, client_for):
    response = client_for(acme).get(concrete_path(route))

    if view.required_permission is None:
        # after-login sends anonymous visitors to login; the storefront's event page is a 404
        # for the sample event, a draft; a visitor's POST-only actions (hold, cancel, the
        # gateway's webhook) answer a GET with 405
        assert response.status_code in (200, 302, 404, 405)
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


GUARDED_ROUTES = [(route, view) for route, view in TENANT_ROUTES if view.required_permission is not None]


@pytest.mark.parametrize(("route", "view"), GUARDED_ROUTES, ids=[r for r, _ in GUARDED_ROUTES])
def test_an_htmx_request_after_the_session_ended_takes_the_whole_page_to_sign_in(
    route, view, acme, client_for
):
    page = "/panel/sales/events/1/"
    response = client_for(acme).post(
        concrete_path(route), HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=f"http://acme.localhost{page}"
    )

    # Not a redirect the browser follows inside the request, which would draw the sign-in page
    # where the fragment goes (inside the cart): htmx takes the whole page there, and back.
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/login/?next=/panel/sales/events/1/"


def test_a_page_address_that_is_no_url_sends_the_sign_in_back_to_the_panel(acme, client_for):
    response = client_for(acme).post(
        "/panel/sales/events/1/hold/", HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://[::1"
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/login/?next=/"


@pytest.mark.parametrize(("route", "view"), PUBLIC_ROUTES, ids=[r for r, _ in PUBLIC_ROUTES])
@pytest.mark.parametrize("who", ["anonymous", "platform_user", "superuser"])
def test_platform_pages_are_for_platform_superusers_only(route, view, who, client, db):
    from django.db import connection

    connection.set_schema_to_public()
    if who != "anonymous":
        user = User.objects.create_user(f"{who}@plataforma.test", "clave-larga-2026")
        user.is_superuser = who == "superuser"
        user.save()
        client.force_login(user)

    response = client.get(concrete_path(route), HTTP_HOST="localhost")

    if view.required_permission is None:
        assert response.status_code in (200, 302)
    elif who == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    elif who == "platform_user":
        assert view.required_permission == PLATFORM_ADMIN
        assert response.status_code == 403
    else:
        assert response.status_code in (200, 404, 405)  # 404: no organization has the sample id


ROUTES_WITH_IDS = [(route, view) for route, view in TENANT_ROUTES if "<" in route]


@pytest.mark.parametrize(("route", "view"), ROUTES_WITH_IDS, ids=[r for r, _ in ROUTES_WITH_IDS])
def test_another_organizations_objects_are_a_404_on_every_url_that_takes_an_id(
    route, view, acme, globex, staff_in, client_for, sample_objects
):
    """The sample objects exist in acme only; globex's owner asks for them by id."""
    client = client_for(globex, staff_in(globex, Role.OWNER))

    get = client.get(concrete_path(route))
    post = client.post(concrete_path(route), {"status": "cancelled", "reason": "x", "role": "owner"})

    # Whichever method the view accepts answers 404; the other one is refused (405).
    assert {get.status_code, post.status_code} <= {404, 405}
    assert 404 in (get.status_code, post.status_code)
