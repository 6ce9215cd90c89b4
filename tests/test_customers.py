"""Customers: cédula/RIF and phone validation, the service, the search sellers type into, the
picker fragments, who may open them, and isolation between organizations."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from ticketing.accounts.roles import Role
from ticketing.core.identifiers import normalize_cedula, normalize_id_document, normalize_ve_mobile
from ticketing.customers.models import Customer
from ticketing.customers.selectors import search_customers
from ticketing.customers.services import create_customer, update_customer


def make_customer(**fields) -> Customer:
    fields = {
        "first_name": "Ana",
        "last_name": "Pérez",
        "id_document": "V-12345678",
        "phone": "0414-1234567",
        "email": "ana@example.com",
        **fields,
    }
    return create_customer(**fields)


# --- Identifiers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("V-12345678", "V-12345678"),
        ("v12345678", "V-12345678"),
        ("V-12.345.678", "V-12345678"),
        ("12345678", "V-12345678"),  # no letter: venezolano
        ("12.345.678", "V-12345678"),
        ("e-8.123.456", "E-8123456"),
        (" E 81234567 ", "E-81234567"),
        ("V-1", "V-1"),
        ("V-01234567", "V-1234567"),  # the same person as V-1234567
    ],
)
def test_a_cedula_typed_any_way_is_normalized(typed, expected):
    assert normalize_cedula(typed) == expected
    assert normalize_id_document(typed) == expected


@pytest.mark.parametrize(
    "typed",
    ["J-12345678", "V-123456789", "X-1234567", "V-12a45678", "V-0", "V-", "VV-1234567", "12-34-56-78+"],
)
def test_a_malformed_cedula_is_rejected_with_a_hint(typed):
    with pytest.raises(ValidationError) as excinfo:
        normalize_cedula(typed)

    assert excinfo.value.code == "cedula_format"
    assert excinfo.value.messages == ["Cédula no válida: use V o E y hasta 8 dígitos, p. ej. V-12345678."]


@pytest.mark.parametrize("typed", ["", "  ", None])
def test_an_empty_cedula_or_id_document_asks_for_one(typed):
    with pytest.raises(ValidationError) as cedula:
        normalize_cedula(typed)
    with pytest.raises(ValidationError) as document:
        normalize_id_document(typed)

    assert cedula.value.code == document.value.code == "required"
    assert document.value.messages == ["Indique la cédula o el RIF."]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("j312948469", "J-31294846-9"),  # J, P, G: always a RIF
        ("J-41197191-0", "J-41197191-0"),
        ("V114702834", "V-11470283-4"),  # 9 digits after V: a natural person's RIF
        ("v-15100580-9", "V-15100580-9"),
        ("V-11470283", "V-11470283"),  # 8 digits after V: a cédula
    ],
)
def test_an_id_document_is_a_rif_when_it_carries_a_check_digit_or_a_company_letter(typed, expected):
    assert normalize_id_document(typed) == expected


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("J-31294846-8", "rif_checksum"),  # wrong check digit
        ("V-114702835", "rif_checksum"),
        ("G-20000000-0", "rif_checksum"),
        ("J-31294846", "rif_format"),  # a company without its check digit
        ("X-12345678", "id_document_format"),
        ("V-1234567890", "id_document_format"),
        ("Pérez", "id_document_format"),
    ],
)
def test_a_wrong_rif_or_unknown_document_is_rejected(typed, code):
    with pytest.raises(ValidationError) as excinfo:
        normalize_id_document(typed)

    assert excinfo.value.code == code
    if code == "rif_checksum":
        assert excinfo.value.messages[0].startswith(f"El dígito verificador del RIF {typed} no es válido.")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("V-012345678", "V-12345678"),  # a leading zero, not a RIF (its check digit would be 0)
        ("V-012345670", "V-01234567-0"),  # the same digits with the right check digit: the RIF
        ("012345678", "V-12345678"),
    ],
)
def test_nine_digits_are_a_rif_only_with_its_check_digit_else_a_cedula_with_a_leading_zero(typed, expected):
    assert normalize_id_document(typed) == expected


def test_a_cedula_with_a_digit_too_many_says_so():
    with pytest.raises(ValidationError) as excinfo:
        normalize_id_document("V-123456789")

    assert excinfo.value.messages == [
        "El dígito verificador del RIF V-123456789 no es válido. Si es una cédula, tiene un dígito de más."
    ]


def test_a_person_is_one_customer_whether_by_cedula_or_by_rif(in_acme):
    pedro = make_customer(first_name="Pedro", id_document="V-11470283", phone="", email="")

    with pytest.raises(ValidationError) as by_rif:
        make_customer(first_name="Pedro", id_document="V-11470283-4", phone="", email="")
    found = search_customers("V114702834")
    update_customer(customer=pedro, id_document="V-11470283-4")  # his invoices will carry the RIF
    with pytest.raises(ValidationError) as by_cedula:
        make_customer(first_name="Pedro", id_document="v 11.470.283", phone="", email="")

    assert by_rif.value.message_dict == {
        "id_document": ["Ya existe un cliente con la cédula/RIF V-11470283: es la misma persona."]
    }
    assert found == [pedro]
    assert by_cedula.value.message_dict["id_document"] == [
        "Ya existe un cliente con la cédula/RIF V-11470283-4: es la misma persona."
    ]
    assert search_customers("V-11470283") == [pedro]
    make_customer(first_name="Otra", id_document="V-1147028", phone="", email="")  # another person


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("PAS AB1234567", "PAS-AB1234567"),
        ("pasaporte ab 123.456.7", "PAS-AB1234567"),
        ("pas-123456789", "PAS-123456789"),  # not the RIF P-12345678-9: "PAS" says which
    ],
)
def test_a_foreigners_passport_is_typed_after_pas(typed, expected):
    assert normalize_id_document(typed) == expected


def test_a_passport_without_pas_is_refused_with_how_to_type_it():
    with pytest.raises(ValidationError) as excinfo:
        normalize_id_document("AB1234567")

    assert "para un extranjero, el pasaporte con PAS delante (PAS-AB1234567)" in excinfo.value.messages[0]


def test_a_foreigner_is_a_customer_by_passport_found_by_its_number(in_acme):
    john = make_customer(first_name="John", last_name="Smith", id_document="pas ab1234567", phone="")

    assert john.id_document == "PAS-AB1234567"
    assert search_customers("AB1234") == [john] and search_customers("pas-ab1234567") == [john]
    with pytest.raises(ValidationError) as twice:
        make_customer(first_name="J.", last_name="Smith", id_document="PAS-AB1234567", phone="", email="")
    assert "PAS-AB1234567" in twice.value.messages[0]
    with pytest.raises(ValidationError):  # a person: the surname is not optional
        make_customer(first_name="Jane", last_name="", id_document="PAS-XY9876543", phone="")
    with pytest.raises(IntegrityError), transaction.atomic():  # the database keeps the stored form
        Customer.objects.filter(pk=john.pk).update(id_document="PAS-ab12")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0414-1234567", "+584141234567"),
        ("+58 424 123 45 67", "+584241234567"),
        ("0422-1234567", "+584221234567"),  # Digitel's 422, missing from phonenumbers' data
        ("(0412) 123.45.67", "+584121234567"),
        ("0416 1234567", "+584161234567"),
        ("584261234567", "+584261234567"),
        ("4141234567", "+584141234567"),
        ("+584141234567", "+584141234567"),
    ],
)
def test_a_mobile_number_typed_any_way_is_stored_in_e164(typed, expected):
    assert normalize_ve_mobile(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "0212-1234567",  # a Caracas landline
        "0414-123456",  # too short
        "0414-12345678",  # too long
        "0415-1234567",  # no such operator
        "+1 305 123 4567",  # not Venezuelan
        "0414-123456a",
        "414",
    ],
)
def test_a_landline_short_or_foreign_number_is_rejected(typed):
    with pytest.raises(ValidationError) as excinfo:
        normalize_ve_mobile(typed)

    assert excinfo.value.code == "phone_format"
    assert excinfo.value.messages[0].startswith("Teléfono celular no válido")


# --- Service ---------------------------------------------------------------------------------


def test_create_customer_stores_normalized_values(in_acme):
    customer = create_customer(
        first_name=" Ana ",
        last_name="Pérez",
        id_document="v-12.345.678",
        phone="0414 123.45.67",
        email=" Ana@Example.COM ",
        opt_in_whatsapp=True,
    )

    customer.refresh_from_db()
    assert (customer.first_name, customer.id_document, customer.phone, customer.email) == (
        "Ana",
        "V-12345678",
        "+584141234567",
        "ana@example.com",
    )
    assert (customer.opt_in_email, customer.opt_in_sms, customer.opt_in_whatsapp) == (False, False, True)
    assert str(customer) == "Ana Pérez (V-12345678)" and customer.full_name == "Ana Pérez"
    assert customer.phone_local == "0414-1234567"


def test_phone_and_email_are_optional(in_acme):
    customer = create_customer(first_name="Luis", last_name="Rojas", id_document="J-31294846-9")

    assert (customer.phone, customer.email) == ("", "")


@pytest.mark.parametrize("rif", ["J-31294846-9", "g200000007"])
def test_a_company_or_agency_goes_by_its_name_alone(in_acme, rif):
    company = create_customer(first_name="Inversiones Caribe, C.A.", last_name="", id_document=rif)

    assert company.full_name == "Inversiones Caribe, C.A." and str(company).startswith(
        "Inversiones Caribe, C.A. ("
    )


@pytest.mark.parametrize("document", ["V-12345678", "E-8123456", "V-12345678-1"])
def test_a_person_needs_a_surname(in_acme, document):
    with pytest.raises(ValidationError) as excinfo:
        create_customer(first_name="Ana", last_name=" ", id_document=document)

    assert excinfo.value.message_dict["last_name"] == [
        "Indique el apellido (solo una empresa u organización, RIF J, G o C, va sin él)."
    ]
    assert not Customer.objects.exists()


def test_a_cedula_is_unique_however_it_is_typed(in_acme):
    make_customer(id_document="12345678")

    with pytest.raises(ValidationError) as excinfo:
        make_customer(first_name="Otra", id_document="V-12.345.678")

    assert excinfo.value.message_dict == {
        "id_document": ["Ya existe un cliente con la cédula/RIF V-12345678."]
    }
    assert Customer.objects.count() == 1


def test_errors_come_back_keyed_by_field(in_acme):
    with pytest.raises(ValidationError) as excinfo:
        create_customer(
            first_name="", last_name="Pérez", id_document="J-31294846-8", phone="0212-1234567", email="ana@"
        )

    errors = excinfo.value.message_dict
    assert set(errors) == {"first_name", "id_document", "phone", "email"}
    assert errors["id_document"] == ["El dígito verificador del RIF J-31294846-8 no es válido."]
    assert not Customer.objects.exists()


def test_update_customer_normalizes_and_refuses_a_taken_document(in_acme):
    ana = make_customer()
    luis = make_customer(first_name="Luis", id_document="E-8123456", phone="", email="")

    update_customer(customer=luis, phone="+58 424 765 43 21", opt_in_sms=True)
    luis.refresh_from_db()
    assert luis.phone == "+584247654321" and luis.opt_in_sms

    with pytest.raises(ValidationError) as excinfo:
        update_customer(customer=luis, id_document=" v12345678")
    assert excinfo.value.message_dict["id_document"] == [
        f"Ya existe un cliente con la cédula/RIF {ana.id_document}."
    ]
    assert luis.id_document == "E-8123456"  # reloaded, not left half-changed
    with pytest.raises(TypeError):
        update_customer(customer=luis, created_at=None)


def test_the_database_refuses_a_document_or_phone_that_is_not_normalized(in_acme):
    with pytest.raises(IntegrityError), transaction.atomic():
        Customer.objects.create(first_name="A", last_name="B", id_document="12345678")
    with pytest.raises(IntegrityError), transaction.atomic():
        Customer.objects.create(first_name="A", last_name="B", id_document="V-12345678", phone="04141234567")


def test_a_consejo_comunal_buys_with_its_rif_c_without_a_surname_and_is_found_by_it(in_acme):
    consejo = create_customer(first_name="Consejo Comunal La Pastora", last_name="", id_document="c123456783")

    consejo.refresh_from_db()
    assert consejo.id_document == "C-12345678-3"  # stored as the database accepts it
    assert list(search_customers("C-1234")) == [consejo]
    assert list(search_customers("123456783")) == [consejo]  # the RIF typed without its letter


def test_the_same_cedula_may_exist_in_two_organizations(acme, globex):
    connection.set_tenant(acme)
    make_customer()
    connection.set_tenant(globex)
    make_customer()

    assert Customer.objects.get().id_document == "V-12345678"


# --- Search ----------------------------------------------------------------------------------


@pytest.fixture
def customers(in_acme):
    return {
        "ana": make_customer(),
        "empresa": make_customer(
            first_name="Distribuidora",
            last_name="Caracas",
            id_document="J-31294846-9",
            phone="0424-1112233",
            email="compras@distribuidora.com.ve",
        ),
        "luis": make_customer(
            first_name="Luis",
            last_name="Rodríguez",
            id_document="E-12340999",
            phone="0422-7654321",
            email="",
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("1234", {"ana", "luis"}),  # partial cédula: V-12345678, E-12340999
        ("12345", {"ana"}),
        ("V-1234", {"ana"}),
        ("v 12.345", {"ana"}),
        ("E-1234", {"luis"}),
        ("12340", {"luis"}),
        ("j3129", {"empresa"}),
        ("J-31294846-9", {"empresa"}),
        ("0414 123", {"ana"}),  # phone typed the local way
        ("0414-1234567", {"ana"}),
        ("+58 422 765", {"luis"}),
        ("7654321", {"luis"}),
        ("ana@exa", {"ana"}),
        ("DISTRIBUIDORA.COM", {"empresa"}),
        ("pérez", {"ana"}),
        ("perez", {"ana"}),  # typed without the accent
        ("luis rod", {"luis"}),
        ("RODRIGUEZ", {"luis"}),
        ("caracas", {"empresa"}),
        ("nadie", set()),
    ],
)
def test_search_finds_customers_by_each_key(customers, query, expected):
    found = {name for name, customer in customers.items() if customer in search_customers(query)}

    assert found == expected


@pytest.mark.parametrize("query", ["", "  ", "12", "an", " a "])
def test_a_short_query_finds_nothing(customers, query):
    assert search_customers(query) == []


def test_an_exact_document_comes_first_and_results_are_limited(in_acme):
    make_customer(first_name="Alberto", last_name="Álvarez", id_document="V-12345678", phone="", email="")
    exact = make_customer(
        first_name="Zoila", last_name="Zambrano", id_document="V-1234567", phone="", email=""
    )
    for n in range(10):
        make_customer(
            first_name=f"Cliente{n}", last_name="Aaa", id_document=f"E-1234567{n}", phone="", email=""
        )

    results = search_customers("1.234.567")

    assert results[0] == exact
    assert len(results) == 8
    assert len(search_customers("1234567", limit=20)) == 12


# --- Views -----------------------------------------------------------------------------------


@pytest.fixture
def seller_client(acme, staff_in, client_for):
    return client_for(acme, staff_in(acme, Role.SELLER))


NEW_CUSTOMER = {
    "customer-first_name": "María",
    "customer-last_name": "González",
    "customer-id_document": "v-20.123.456",
    "customer-phone": "0416 555 44 33",
    "customer-email": "maria@example.com",
    "customer-opt_in_email": "on",
}


def test_the_search_fragment_lists_buttons_that_pick_the_customer(seller_client, customers):
    ana = customers["ana"]

    response = seller_client.get("/panel/customers/search/?q=0414 123", HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        f'<button type="button" class="customer-result" id="customer-result-{ana.pk}" '
        f'data-customer-id="{ana.pk}" '
        f'data-customer-label="Ana Pérez (V-12345678)" hx-get="/panel/customers/{ana.pk}/picked/" '
        'hx-target="#customer-picker" hx-swap="outerHTML">'
    ) in html
    assert "Distribuidora" not in html
    empty = seller_client.get("/panel/customers/search/?q=nadie", HTTP_HX_REQUEST="true")
    assert "Sin resultados: cree el cliente abajo." in empty.content.decode()
    short = seller_client.get("/panel/customers/search/?q=an", HTTP_HX_REQUEST="true").content.decode()
    assert "customer-result" not in short and "Sin resultados" not in short


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("v20.123.456", ("id_document", "V-20123456")),
        ("j312948469", ("id_document", "J-31294846-9")),
        ("0416 555 44 33", ("phone", "0416-5554433")),
        ("Luisa@Example.com", ("email", "luisa@example.com")),
        ("12345", None),  # the first digits of a cédula, not a whole one
        ("j312948460", None),  # a RIF with a wrong check digit
        ("González", None),
    ],
)
def test_a_search_that_finds_nobody_offers_a_new_customer_with_what_was_typed(
    seller_client, in_acme, query, field
):
    html = seller_client.get(
        "/panel/customers/search/", {"q": query}, HTTP_HX_REQUEST="true"
    ).content.decode()

    if field:
        name, value = field
        assert f'data-field="{name}" data-value="{value}"' in html
        assert f"Nuevo cliente con {value}" in html
    else:
        assert "customer-new-from-search" not in html and "Sin resultados: cree el cliente abajo." in html


def test_a_search_that_finds_someone_offers_no_new_customer(seller_client, customers):
    html = seller_client.get("/panel/customers/search/?q=V-12345678", HTTP_HX_REQUEST="true").content.decode()

    assert "customer-result" in html and "customer-new-from-search" not in html


def test_the_empty_picker_has_the_search_box_and_the_new_customer_form(seller_client, in_acme):
    response = seller_client.get("/panel/customers/picker/", HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().find('<div id="customer-picker"') >= 0
    assert 'name="q"' in html and 'hx-trigger="input changed delay:250ms, search"' in html
    assert 'hx-target="#customer-results"' in html and 'id="customer-results"' in html
    assert "Nuevo cliente" in html and 'hx-post="/panel/customers/new/"' in html
    assert 'name="customer-id_document"' in html and "Cédula o RIF" in html
    assert '<input type="hidden" name="customer" value="">' in html  # nobody picked yet
    assert "<form" not in html  # it may sit inside the sale form
    assert json.loads(response["HX-Trigger"]) == {"customerCleared": {}}


def test_creating_inline_answers_201_with_the_customer_picked(seller_client, in_acme):
    response = seller_client.post("/panel/customers/new/", NEW_CUSTOMER, HTTP_HX_REQUEST="true")

    customer = Customer.objects.get(id_document="V-20123456")
    html = response.content.decode()
    assert response.status_code == 201
    assert f'<input type="hidden" name="customer" value="{customer.pk}">' in html
    assert "María González" in html and "Cambiar" in html and 'hx-get="/panel/customers/picker/"' in html
    assert (customer.phone, customer.opt_in_email, customer.opt_in_sms) == ("+584165554433", True, False)
    assert json.loads(response["HX-Trigger"]) == {
        "customerPicked": {"id": customer.pk, "label": "María González (V-20123456)"}
    }


def test_creating_inline_with_errors_answers_422_with_them_next_to_the_fields(seller_client, in_acme):
    data = {**NEW_CUSTOMER, "customer-id_document": "J-31294846-8", "customer-phone": "0212-1234567"}

    response = seller_client.post("/panel/customers/new/", data, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_customer-id_document_error"' in html and 'id="id_customer-phone_error"' in html
    assert "El dígito verificador del RIF J-31294846-8 no es válido." in html
    assert "Teléfono celular no válido" in html
    assert 'value="María"' in html  # what was typed stays
    assert '<input type="hidden" name="customer" value="">' in html  # still nobody picked
    assert not Customer.objects.exists()


def test_a_company_is_created_inline_by_its_name_and_a_person_is_asked_for_a_surname(seller_client, in_acme):
    company = {**NEW_CUSTOMER, "customer-first_name": "Inversiones Caribe, C.A.", "customer-last_name": ""}
    person = {
        **NEW_CUSTOMER,
        "customer-last_name": "",
        "customer-id_document": "V-20111222",
        "customer-phone": "123",
    }

    created = seller_client.post(
        "/panel/customers/new/", {**company, "customer-id_document": "J-31294846-9"}, HTTP_HX_REQUEST="true"
    )
    refused = seller_client.post("/panel/customers/new/", person, HTTP_HX_REQUEST="true")

    assert created.status_code == 201 and "Inversiones Caribe, C.A." in created.content.decode()
    html = refused.content.decode()
    assert refused.status_code == 422 and 'id="id_customer-last_name_error"' in html
    assert "Indique el apellido (solo una empresa u organización, RIF J, G o C, va sin él)." in html
    assert "Teléfono celular no válido" in html  # told at once, not after the surname is fixed
    assert list(Customer.objects.values_list("id_document", flat=True)) == ["J-31294846-9"]


def test_creating_a_duplicate_lists_the_existing_customer_to_pick(seller_client, customers):
    data = {**NEW_CUSTOMER, "customer-id_document": "12.345.678"}

    response = seller_client.post("/panel/customers/new/", data, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 422
    assert "Ya existe un cliente con la cédula/RIF V-12345678." in html
    assert f'data-customer-id="{customers["ana"].pk}"' in html
    assert Customer.objects.count() == 3


def test_picking_a_customer_shows_it_with_the_hidden_input(seller_client, customers):
    empresa = customers["empresa"]

    response = seller_client.get(f"/panel/customers/{empresa.pk}/picked/", HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<div id="customer-picker"' in html
    assert f'<input type="hidden" name="customer" value="{empresa.pk}">' in html
    assert "Distribuidora Caracas" in html and "J-31294846-9" in html and "0424-1112233" in html
    assert 'name="q"' not in html
    assert json.loads(response["HX-Trigger"])["customerPicked"]["id"] == empresa.pk


def test_the_customer_list_paginates_searches_and_has_empty_states(seller_client, in_acme):
    assert "Todavía no hay clientes" in seller_client.get("/panel/customers/").content.decode()
    for n in range(26):
        make_customer(first_name=f"Cliente {n:02}", id_document=f"V-{n + 1}", phone="", email="")

    first = seller_client.get("/panel/customers/").content.decode()
    assert "Cliente 00" in first and "Cliente 25" not in first and "Página 1 de 2" in first
    assert "Cliente 25" in seller_client.get("/panel/customers/?page=2").content.decode()
    found = seller_client.get("/panel/customers/?q=cliente 07", HTTP_HX_REQUEST="true").content.decode()
    assert found.lstrip().startswith('<div id="customer-table">')
    assert "Cliente 07" in found and "Cliente 08" not in found
    nothing = seller_client.get("/panel/customers/?q=zzz").content.decode()
    assert "Ningún cliente coincide con la búsqueda." in nothing


def test_the_customer_list_puts_companies_among_people_by_name(seller_client, in_acme):
    make_customer(first_name="Zoila", last_name="Alvarez", id_document="V-20111222")
    make_customer(first_name="Inversiones Caribe, C.A.", last_name="", id_document="J-31294846-9")
    make_customer(first_name="Ana", last_name="Pérez", id_document="V-12345678")

    html = seller_client.get("/panel/customers/").content.decode()

    # Alvarez, Caribe (the company, by its name), Pérez: not the company first for lack of a surname.
    # (In the list, not the page: the signed-in seller's random name may well be an "Ana".)
    rows = html[html.index('id="customer-table"') :]
    assert rows.index("Zoila") < rows.index("Inversiones Caribe") < rows.index("Ana")


@pytest.mark.parametrize("role", [Role.SELLER, Role.MANAGER, Role.OWNER, Role.DOOR])
def test_sellers_managers_and_owners_use_customers_door_staff_cannot(role, acme, staff_in, client_for):
    client = client_for(acme, staff_in(acme, role))
    customer = make_customer()
    expected = 403 if role == Role.DOOR else 200

    for path in ("", "search/?q=1234", "picker/", f"{customer.pk}/picked/", f"{customer.pk}/"):
        assert client.get(f"/panel/customers/{path}").status_code == expected, path
    created = client.post("/panel/customers/new/", NEW_CUSTOMER)
    assert created.status_code == (403 if role == Role.DOOR else 201)


def test_another_organizations_customers_are_invisible(acme, globex, staff_in, client_for):
    connection.set_tenant(acme)
    customer = make_customer(first_name="Cliente exclusivo de Acme")
    Customer.objects.filter(pk=customer.pk).update(id=900010)
    client = client_for(globex, staff_in(globex, Role.SELLER))

    for query in ("1234", "0414", "exclusivo", "ana@example.com"):
        html = client.get(f"/panel/customers/search/?q={query}", HTTP_HX_REQUEST="true").content.decode()
        # Nobody found (the query itself is echoed: picker.js tells whose results these are).
        assert "Cliente exclusivo" not in html and 'class="customer-result"' not in html
    assert client.get("/panel/customers/900010/picked/").status_code == 404
    assert client.get("/panel/customers/900010/").status_code == 404
    renamed = {"first_name": "Intruso", "last_name": "X", "id_document": "V-1"}
    assert client.post("/panel/customers/900010/", renamed).status_code == 404
    assert "exclusivo" not in client.get("/panel/customers/").content.decode()
    connection.set_tenant(acme)
    assert Customer.objects.get(pk=900010).first_name == "Cliente exclusivo de Acme"
    connection.set_tenant(globex)
    # globex may register the same person: documents are unique per organization.
    assert (
        client.post(
            "/panel/customers/new/", {**NEW_CUSTOMER, "customer-id_document": "V-12345678"}
        ).status_code
        == 201
    )


def edit_form(customer: Customer, **changes) -> dict:
    data = {
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "id_document": customer.id_document,
        "phone": customer.phone_local,
        "email": customer.email,
        **changes,
    }
    return {name: value for name, value in data.items() if value is not None}


def test_a_customers_page_shows_the_details_as_typed_and_saves_corrections(seller_client, in_acme):
    customer = make_customer(email="ana@exmaple.com")
    page = seller_client.get(f"/panel/customers/{customer.pk}/").content.decode()
    assert 'value="0414-1234567"' in page  # as people write it, not +58…
    assert 'value="ana@exmaple.com"' in page and "Todavía no ha comprado." in page

    response = seller_client.post(
        f"/panel/customers/{customer.pk}/",
        edit_form(customer, email=" Ana@Example.com ", phone="0424 765 43 21", opt_in_sms="on"),
        follow=True,
    )

    assert "Datos de Ana Pérez guardados." in response.content.decode()
    customer.refresh_from_db()
    assert (customer.email, customer.phone) == ("ana@example.com", "+584247654321")
    assert customer.opt_in_sms and not customer.opt_in_email


def test_a_wrong_correction_is_refused_next_to_the_field_and_nothing_changes(seller_client, in_acme):
    make_customer(first_name="Luis", id_document="V-20123456", phone="", email="")
    customer = make_customer()

    taken = seller_client.post(
        f"/panel/customers/{customer.pk}/", edit_form(customer, id_document="20.123.456")
    )
    bad_rif = seller_client.post(
        f"/panel/customers/{customer.pk}/", edit_form(customer, id_document="J-31294846-0", phone="0212")
    )

    assert taken.status_code == 422
    assert "Ya existe un cliente con la cédula/RIF V-20123456." in taken.content.decode()
    assert bad_rif.status_code == 422
    html = bad_rif.content.decode()
    assert 'id="id_id_document_error"' in html and 'id="id_phone_error"' in html
    customer.refresh_from_db()
    assert (customer.id_document, customer.phone) == ("V-12345678", "+584141234567")


def test_lists_and_searches_sort_names_as_a_spanish_reader_does(seller_client, in_acme):
    make_customer(first_name="Zoe", last_name="Zambrano", id_document="V-20111223")
    make_customer(first_name="Ángel", last_name="Álvarez", id_document="V-20111224")
    make_customer(first_name="Ñeri", last_name="Ñáñez", id_document="V-20111225")
    make_customer(first_name="Nora", last_name="Núñez", id_document="V-20111226")
    make_customer(first_name="Bea", last_name="Báez", id_document="V-20111227")
    # In the database's C order: Báez, Núñez, Zambrano, Álvarez, Ñáñez.
    expected = ["Álvarez", "Báez", "Núñez", "Ñáñez", "Zambrano"]

    listed = seller_client.get("/panel/customers/").content.decode()
    searched = seller_client.get("/panel/customers/search/?q=2011122", HTTP_HX_REQUEST="true")
    searched = searched.content.decode()

    for html in (listed, searched):
        positions = [html.index(name) for name in expected]
        assert positions == sorted(positions), html
