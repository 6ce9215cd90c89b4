"""The owner keeps the issuer's data (name, RIF, fiscal address, IGTF condition) that new invoices
print; documents already issued keep theirs."""

import pytest
from django.db import connection

from tests.sales_helpers import a_customer, on_sale_event, set_todays_rate
from tests.test_online_review import enable_online_payments, in_review, seat
from tests.test_sales_list import seat_ids, sold
from ticketing.accounts.roles import Role
from ticketing.organizations.models import Organization

URL = "/panel/fiscal/settings/issuer/"

NEW_DATA = {
    "name": "Acme Producciones, C.A.",
    "rif": "j300000001",
    "fiscal_address": "Av. Francisco de Miranda, Torre Europa, piso 4, Caracas",
    "is_special_taxpayer": "on",
}


@pytest.fixture
def owner(acme, staff_in, client_for):
    return client_for(acme, staff_in(acme, Role.OWNER))


def test_the_owner_changes_the_issuer_and_only_new_invoices_print_it(owner, acme, in_acme):
    set_todays_rate("100")
    event, customer = on_sale_event(), a_customer()
    before = sold(event, seat_ids(event, "A", 1), customer)
    page = owner.get("/panel/fiscal/settings/").content.decode()
    assert "Datos del emisor" in page and 'value="J-41197191-0"' in page  # as it stands

    response = owner.post(URL, NEW_DATA, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "Datos del emisor guardados." in response.content.decode()
    acme.refresh_from_db()
    assert (acme.name, acme.rif, acme.is_special_taxpayer) == (
        "Acme Producciones, C.A.",
        "J-30000000-1",
        True,
    )
    connection.set_tenant(acme)  # as the next request finds it
    after = sold(event, seat_ids(event, "A", 2), customer)
    assert (after.invoice.seller_name, after.invoice.seller_rif) == (
        "Acme Producciones, C.A.",
        "J-30000000-1",
    )
    before.invoice.refresh_from_db()
    assert (before.invoice.seller_name, before.invoice.seller_rif) == ("Acme Eventos", "J-41197191-0")


def test_a_bad_or_taken_rif_and_missing_fields_are_refused_next_to_the_field(owner, acme, globex):
    bad = owner.post(URL, {**NEW_DATA, "rif": "J-30000000-2"}, HTTP_HX_REQUEST="true")
    taken = owner.post(URL, {**NEW_DATA, "rif": globex.rif}, HTTP_HX_REQUEST="true")
    empty = owner.post(URL, {"rif": NEW_DATA["rif"]}, HTTP_HX_REQUEST="true")

    assert bad.status_code == taken.status_code == empty.status_code == 422
    assert 'id="id_rif_error"' in bad.content.decode()
    assert f"Ya existe una organización con el RIF {globex.rif}." in taken.content.decode()
    assert "Indique el nombre o la razón social." in empty.content.decode()
    assert "Indique el domicilio fiscal." in empty.content.decode()
    assert Organization.objects.get(pk=acme.pk).rif == "J-41197191-0"  # nothing changed


def test_the_igtf_condition_waits_for_payments_in_review(owner, acme, in_acme):
    set_todays_rate("100")
    enable_online_payments()
    event = on_sale_event()
    in_review(event, [seat(event, "B", 1)], method="zelle")
    keeps_it = {**NEW_DATA, "is_special_taxpayer": "on" if acme.is_special_taxpayer else ""}
    flips_it = {**NEW_DATA, "is_special_taxpayer": "" if acme.is_special_taxpayer else "on"}

    refused = owner.post(URL, flips_it, HTTP_HX_REQUEST="true")
    saved = owner.post(URL, keeps_it, HTTP_HX_REQUEST="true")

    assert refused.status_code == 422
    assert "Hay pagos en línea esperando verificación" in refused.content.decode()
    assert 'id="id_is_special_taxpayer_error"' in refused.content.decode()
    assert saved.status_code == 200  # the name and address may change meanwhile
    assert Organization.objects.get(pk=acme.pk).name == NEW_DATA["name"]


@pytest.mark.parametrize("role", [Role.MANAGER, Role.SELLER, Role.DOOR])
def test_only_the_owner_changes_the_issuer(role, acme, staff_in, client_for):
    client = client_for(acme, staff_in(acme, role))

    assert client.post(URL, NEW_DATA).status_code == 403
    assert Organization.objects.get(pk=acme.pk).name == "Acme Eventos"


def test_a_form_post_without_htmx_redirects_with_a_message_or_shows_the_page_with_errors(owner):
    saved = owner.post(URL, NEW_DATA)
    refused = owner.post(URL, {**NEW_DATA, "fiscal_address": ""})

    assert saved.status_code == 302 and saved["Location"] == "/panel/fiscal/settings/"
    assert refused.status_code == 422
    html = refused.content.decode()
    assert "<html" in html and "Indique el domicilio fiscal." in html and 'id="fiscal-settings"' in html
