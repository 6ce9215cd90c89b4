"""Bad input never crashes a page: every URL of ours, sent garbage in every field name our forms
and views read, answers with a page, a redirect or a 4xx, never a server error.

The test client re-raises a view's exception, so a crash fails here with its traceback."""

import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from django import forms

import ticketing
from tests.sales_helpers import set_todays_rate
from tests.test_role_matrix import (  # noqa: F401
    PUBLIC_ROUTES,
    SAMPLE_PK,
    TENANT_ROUTES,
    concrete_path,
    sample_objects,
)
from ticketing.accounts.models import User
from ticketing.accounts.roles import Role
from ticketing.events.models import Event

# Names the views read by hand (request.POST/GET) besides their forms' fields, and the prefixes
# the views give their forms.
HAND_READ = [
    "completion_key",
    "customer",
    "method",
    "page",
    "payment_key",
    "q",
    "quote",
    "seat",
    "shown_rates",
    "shown_tickets",
    "sold_whole",
    "status",
    "then",
]
FORM_PREFIXES = ["", "payment-", "customer-", "report-"]
FORMSET_FIELDS = ["fees-TOTAL_FORMS", "fees-INITIAL_FORMS", "fees-0-name", "fees-0-rate_percent", "fees-0-id"]

GARBAGE = [
    "",
    "-1",
    "9" * 300,  # past every integer column and every max_length
    "NaN",
    "nul\x00byte",
    "2026-02-31T25:61",
    "²",  # a digit to str.isdigit(), not to int()
]


def form_field_names() -> list[str]:
    for module in pkgutil.walk_packages(ticketing.__path__, "ticketing."):
        if module.name.endswith((".forms", ".views")):
            importlib.import_module(module.name)
    names = set()
    pending = [forms.BaseForm]
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        if cls.__module__.startswith("ticketing."):
            names.update(getattr(cls, "base_fields", {}))
    return sorted(names)


FIELD_NAMES = [prefix + name for prefix in FORM_PREFIXES for name in form_field_names()] + HAND_READ
FIELD_NAMES += FORMSET_FIELDS


# What reads its forms only once the event is on sale: the box office and the storefront.
SELLING_ROUTES = [
    (route, view) for route, view in TENANT_ROUTES if route.startswith(("panel/sales/", "e/", "compra/"))
]


def test_every_name_a_view_reads_by_hand_gets_garbage():
    """A name a view reads straight from request.POST or request.GET (not through a form) and not
    in HAND_READ would never be sent garbage below."""
    read_by_hand = set()
    for path in Path(ticketing.__file__).parent.rglob("*views.py"):
        read_by_hand.update(READ_BY_HAND.findall(path.read_text()))
    assert read_by_hand - set(HAND_READ) == set()


READ_BY_HAND = re.compile(r"request\.(?:POST|GET)(?:\.get|\.getlist)?[(\[]\s*\"([\w-]+)\"")


def garbage(value: str) -> dict:
    return dict.fromkeys(FIELD_NAMES, value)


def test_every_organization_url_answers_garbage_without_a_server_error(
    acme,
    staff_in,
    client_for,
    sample_objects,  # noqa: F811
):
    """All routes in one test: the sample objects are built once. With the sample event on sale
    too, so the box office's and the storefront's forms get read."""
    set_todays_rate("100")
    client = client_for(acme, staff_in(acme, Role.OWNER))
    server_errors = []
    for event_status, routes in ((Event.Status.DRAFT, TENANT_ROUTES), (Event.Status.ON_SALE, SELLING_ROUTES)):
        Event.objects.filter(pk=SAMPLE_PK).update(status=event_status)
        for route, _view in routes:
            path = concrete_path(route)
            for value in GARBAGE:
                for method, headers in (("get", {}), ("post", {}), ("post", {"HTTP_HX_REQUEST": "true"})):
                    response = getattr(client, method)(path, garbage(value), **headers)
                    if response.status_code >= 500:
                        server_errors.append((event_status, route, method, value, response.status_code))

    assert server_errors == []


@pytest.mark.parametrize(("route", "view"), PUBLIC_ROUTES, ids=[r for r, _ in PUBLIC_ROUTES])
def test_every_platform_url_answers_garbage_without_a_server_error(route, view, client, db):
    from django.db import connection

    connection.set_schema_to_public()
    admin = User.objects.create_user("garbage@plataforma.test", "clave-larga-2026", is_superuser=True)
    client.force_login(admin)
    path = concrete_path(route)

    for value in GARBAGE:
        for response in (
            client.get(path, garbage(value), HTTP_HOST="localhost"),
            client.post(path, garbage(value), HTTP_HOST="localhost"),
        ):
            assert response.status_code < 500, (route, value, response.status_code)


def test_a_nul_byte_in_a_search_is_refused_with_a_clear_400(acme, staff_in, client_for):
    client = client_for(acme, staff_in(acme, Role.SELLER))

    response = client.get("/panel/customers/search/", {"q": "Ana\x00"})

    assert response.status_code == 400
    assert response.content.decode() == "La solicitud contiene caracteres no válidos."
