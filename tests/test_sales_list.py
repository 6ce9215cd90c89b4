"""The list of sales: a manager finds yesterday's sale to void it, a seller finds a returning
customer's sale to print the tickets again."""

import re
import uuid
from datetime import datetime

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from tests.catalog import make_event, make_numbered_zone
from tests.sales_helpers import a_customer, cash_usd, cash_ves, on_sale_event, set_todays_rate
from tests.test_online_review import enable_online_payments, in_review
from ticketing.accounts.roles import Role
from ticketing.events.models import Event, Seat, Zone
from ticketing.fiscal import documents
from ticketing.payments.services import CARACAS
from ticketing.sales import services
from ticketing.sales.models import Order
from ticketing.sales.selectors import SALES_PAGE_SIZE

SALES_URL = "/panel/sales/orders/"


@pytest.fixture
def event(in_acme):
    set_todays_rate("100")
    return on_sale_event(name="Serenata Guayanesa")


@pytest.fixture
def seller(acme, staff_in, client_for):
    return client_for(acme, staff_in(acme, Role.SELLER))


def seat_ids(event, row, *numbers) -> list[int]:
    return [Seat.objects.get(event=event, row_label=row, number=n, table__isnull=True).pk for n in numbers]


def sold(event, seats, customer=None, *, usd="100", seller=None) -> Order:
    order = services.hold(event=event, channel=Order.Channel.BOX_OFFICE, seat_ids=seats, seller=seller)
    services.add_payment(order=order, payment=cash_usd(usd))
    return services.complete_sale(order=order, completion_key=uuid.uuid4(), customer=customer or a_customer())


def rows_of(html: str) -> int:
    links = html.count('href="/panel/sales/orders/')
    return links - html.count('href="/panel/sales/orders/"') - html.count('href="/panel/sales/orders/?')


def test_sales_are_listed_newest_first_with_invoice_customer_places_and_totals(event, seller):
    first = sold(event, seat_ids(event, "A", 1, 2), a_customer("V-11111111", first_name="Luis"))
    second = sold(event, seat_ids(event, "B", 5), a_customer("V-22222222", first_name="Carla"))
    services.hold(event=event, channel=Order.Channel.BOX_OFFICE, seat_ids=seat_ids(event, "C", 1))

    html = seller.get(SALES_URL).content.decode()

    rows = html[html.index('data-testid="order-list"') :]  # not the seller's own (random) name above
    assert rows.index("Carla Pérez") < rows.index("Luis Pérez")
    assert second.invoice.display_number in html and first.invoice.display_number in html
    assert "V-22222222" in html and "Serenata Guayanesa" in html
    assert "USD 58,00" in html and "Bs. 5.800,00" in html  # two seats of USD 25 plus IVA
    assert f'href="/panel/sales/orders/{first.public_id}/"' in html
    assert rows_of(html) == 4  # two sales, two links each; the open hold is not a sale
    assert "Pagada" in html and "Reservada" not in html


def test_a_place_taken_off_the_cart_before_payment_is_not_counted_in_the_list(event, seller):
    order = services.hold(
        event=event, channel=Order.Channel.BOX_OFFICE, seat_ids=seat_ids(event, "C", 1, 2, 3)
    )
    services.release_ticket(order=order, ticket_id=order.tickets.order_by("pk").first().pk)
    services.add_payment(order=order, payment=cash_usd("100"))
    services.complete_sale(order=order, completion_key=uuid.uuid4(), customer=a_customer())

    html = seller.get(SALES_URL).content.decode()

    assert re.search(r"<td>\s*2\s*</td>", html)  # Fila C 2 and 3
    assert not re.search(r"<td>\s*3\s*</td>", html)


def test_a_sale_is_listed_and_found_as_its_invoice_named_the_buyer_after_the_customer_changed(event, seller):
    from ticketing.customers.services import update_customer

    company = a_customer("J-31294846-9", first_name="Empresa Ejemplo C.A.", last_name="")
    sale = sold(event, seat_ids(event, "A", 3), company)
    update_customer(customer=company, first_name="Empresa Renombrada S.A.", id_document="J-40913703-1")

    listed = seller.get(SALES_URL).content.decode()
    by_old_rif = seller.get(SALES_URL, {"q": "J312948469"}).content.decode()
    by_old_name = seller.get(SALES_URL, {"q": "empresa ejemplo"}).content.decode()
    by_new_rif = seller.get(SALES_URL, {"q": "J-40913703-1"}).content.decode()
    page = seller.get(f"/panel/sales/orders/{sale.public_id}/").content.decode()

    assert "Empresa Ejemplo C.A." in listed and "J-31294846-9" in listed  # as the paper invoice says
    assert "Empresa Renombrada" not in listed
    for found in (by_old_rif, by_old_name, by_new_rif):
        assert rows_of(found) == 2 and sale.invoice.display_number in found
    assert "Empresa Renombrada S.A." in page  # the customer as they are now, linked
    assert "Facturada a Empresa Ejemplo C.A. · J-31294846-9" in page


@pytest.mark.parametrize(
    "query",
    ["V-22222222", "22222222", "0412 555 1234", "carla@example.test", "carla perez", "TICKET", "INVOICE"],
)
def test_a_sale_is_found_by_customer_invoice_number_or_ticket_code(event, seller, query):
    sold(event, seat_ids(event, "A", 1), a_customer("V-11111111", first_name="Luis"))
    wanted = sold(
        event,
        seat_ids(event, "B", 5),
        a_customer("V-22222222", first_name="Carla", phone="04125551234", email="carla@example.test"),
    )
    query = {"TICKET": wanted.tickets.get().code, "INVOICE": f"A-{wanted.invoice.number}"}.get(query, query)

    html = seller.get(SALES_URL, {"q": query}, HTTP_HX_REQUEST="true").content.decode()

    assert html.lstrip().startswith('<div id="order-table">')  # the table only, for htmx
    assert f"/panel/sales/orders/{wanted.public_id}/" in html
    assert "Luis Pérez" not in html


def test_the_invoice_number_alone_finds_the_sale_whatever_its_zeros(event, seller):
    wanted = sold(event, seat_ids(event, "A", 1))
    # Another customer's cédula starts with the same digits: typed from a paper invoice, the
    # number must not bring that customer's sales too.
    sold(event, seat_ids(event, "A", 2), a_customer(f"V-{wanted.invoice.number}765432"))

    for query in (str(wanted.invoice.number), f"{wanted.invoice.number:08d}", wanted.invoice.display_number):
        html = seller.get(SALES_URL, {"q": query}).content.decode()
        assert rows_of(html) == 2, query  # the sale's date and invoice links
        assert f"/panel/sales/orders/{wanted.public_id}/" in html


def test_filters_by_event_status_and_caracas_day(event, seller, acme, staff_in):
    other = on_sale_event(name="Gaita Zuliana")
    manager = staff_in(acme, Role.MANAGER)
    # 22:30 in Caracas on 3 December is already 4 December in UTC: the list goes by Caracas days.
    with time_machine.travel(datetime(2026, 12, 3, 22, 30, tzinfo=CARACAS), tick=False):
        set_todays_rate("100")
        late = sold(event, seat_ids(event, "A", 1))
    voided = sold(event, seat_ids(event, "A", 2), a_customer("V-33333333"))
    services.void_sale(order=voided, reason="Cliente enfermo", actor=manager)
    elsewhere = sold(other, seat_ids(other, "A", 1), a_customer("V-44444444"))

    def listed(**filters) -> set:
        html = seller.get(SALES_URL, filters).content.decode()
        sales = (late, voided, elsewhere)
        return {sale.public_id for sale in sales if f"/panel/sales/orders/{sale.public_id}/" in html}

    assert listed() == {late.public_id, voided.public_id, elsewhere.public_id}
    assert listed(event=other.pk) == {elsewhere.public_id}
    assert listed(status="voided") == {voided.public_id}
    assert listed(status="completed", event=event.pk) == {late.public_id}
    assert listed(day="2026-12-03") == {late.public_id}
    assert listed(day="2026-12-04") == set()


def test_a_day_at_the_calendars_end_is_refused_beside_the_filter_not_a_server_error(event, seller):
    sale = sold(event, seat_ids(event, "A", 1))

    response = seller.get(SALES_URL, {"day": "9999-12-31"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="filter-errors"' in html and "Fecha: Revise el año: debe estar entre" in html
    assert f"/panel/sales/orders/{sale.public_id}/" in html  # the list, without that filter


def test_a_seller_finds_their_own_sales_of_today_at_the_end_of_the_shift(event, acme, staff_in, client_for):
    sofia = staff_in(acme, Role.SELLER, full_name="Sofía Taquilla")
    pedro = staff_in(acme, Role.SELLER, full_name="Pedro Taquilla")

    customer = a_customer()

    def sold_by(user, seats):
        order = services.hold(event=event, channel=Order.Channel.BOX_OFFICE, seat_ids=seats, seller=user)
        services.add_payment(order=order, payment=cash_usd("100"))
        return services.complete_sale(
            order=order, completion_key=uuid.uuid4(), customer=customer, seller=user
        )

    with time_machine.travel(datetime(2026, 12, 3, 15, 0, tzinfo=CARACAS), tick=False):
        set_todays_rate("100")
        yesterday = sold_by(sofia, seat_ids(event, "A", 1))
    today = sold_by(sofia, seat_ids(event, "A", 2))
    pedros = sold_by(pedro, seat_ids(event, "A", 3))
    client = client_for(acme, sofia)

    page = client.get(SALES_URL).content.decode()
    mine = re.search(r'href="([^"]+)"[^>]*data-testid="my-sales-today"', page).group(1).replace("&amp;", "&")
    html = client.get(mine).content.decode()

    assert '<option value="">Todos los vendedores</option>' in page
    assert "Sofía Taquilla</option>" in page and "Pedro Taquilla</option>" in page
    assert str(today.public_id) in html
    assert str(yesterday.public_id) not in html and str(pedros.public_id) not in html
    assert f'<option value="{sofia.pk}" selected>Sofía Taquilla</option>' in html  # the filter shows
    by_seller = client.get(SALES_URL, {"seller": pedro.pk}).content.decode()
    assert str(pedros.public_id) in by_seller and str(today.public_id) not in by_seller


def test_my_sales_of_today_before_the_first_sale_is_an_empty_list_not_an_error(
    event, acme, staff_in, client_for
):
    veteran = staff_in(acme, Role.SELLER, full_name="Sofía Taquilla")
    newcomer = staff_in(acme, Role.SELLER, full_name="Ana Nueva")
    theirs = sold(event, seat_ids(event, "A", 1), seller=veteran)
    client = client_for(acme, newcomer)

    page = client.get(SALES_URL).content.decode()
    mine = re.search(r'href="([^"]+)"[^>]*data-testid="my-sales-today"', page).group(1).replace("&amp;", "&")
    html = client.get(mine).content.decode()

    assert "Escoja una opción válida" not in html
    assert f'<option value="{newcomer.pk}" selected>Ana Nueva</option>' in html
    assert str(theirs.public_id) not in html
    assert "Ninguna venta coincide" in html


def test_a_bad_filter_is_named_and_left_out_instead_of_breaking_the_list(event, seller):
    sale = sold(event, seat_ids(event, "A", 1))

    response = seller.get(SALES_URL, {"day": "31/02/2026", "status": "held", "event": "abc"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Fecha: Introduzca una fecha válida." in html
    assert "Estado: Escoja una opción válida." in html
    assert f"/panel/sales/orders/{sale.public_id}/" in html


def test_online_sales_waiting_for_a_payment_check_are_listed_by_their_buyer(event, seller):
    enable_online_payments()
    waiting = in_review(event, seat_ids(event, "C", 3), email="rosa@example.test", first_name="Rosa")

    html = seller.get(SALES_URL, {"status": "review"}).content.decode()

    assert f"/panel/sales/orders/{waiting.public_id}/" in html
    assert "Rosa Pérez" in html and "Pago en verificación" in html and "En línea" in html
    found = seller.get(SALES_URL, {"q": "rosa@example.test"}).content.decode()
    assert f"/panel/sales/orders/{waiting.public_id}/" in found


def test_empty_states_say_whether_nothing_was_sold_or_nothing_matched(event, seller):
    assert "Todavía no hay ventas" in seller.get(SALES_URL).content.decode()
    sold(event, seat_ids(event, "A", 1))
    assert "Ninguna venta coincide" in seller.get(SALES_URL, {"q": "nadie"}).content.decode()


def test_pages_keep_the_filters_and_the_list_costs_the_same_queries_at_any_size(
    event, seller, django_assert_max_num_queries
):
    customer = a_customer("V-55555555")
    for number in range(1, SALES_PAGE_SIZE + 2):
        row, seat = divmod(number - 1, 10)
        sold(event, seat_ids(event, "ABC"[row], seat + 1), customer)

    with django_assert_max_num_queries(12):  # 11, and the sellers to filter by
        html = seller.get(SALES_URL, {"q": "V-55555555", "event": event.pk}).content.decode()

    assert "Página 1 de 2" in html and f"{SALES_PAGE_SIZE + 1} ventas" in html
    assert f"?q=V-55555555&amp;event={event.pk}&amp;page=2" in html
    second = seller.get(SALES_URL, {"q": "V-55555555", "event": event.pk, "page": 2}).content.decode()
    assert "Página 2 de 2" in second and rows_of(second) == 2


def test_the_sale_page_leads_back_to_the_list(event, seller):
    sale = sold(event, seat_ids(event, "A", 1))

    html = seller.get(f"/panel/sales/orders/{sale.public_id}/").content.decode()

    assert f'href="{SALES_URL}?event={event.pk}"' in html
    assert f'href="{SALES_URL}"' in seller.get("/panel/sales/").content.decode()
    panel = seller.get("/panel/").content.decode()
    assert "Encontrar una venta por su factura" in panel and "corregir sus datos" in panel


def test_door_staff_cannot_list_sales_and_other_organizations_see_none(
    event, acme, globex, staff_in, client_for
):
    sale = sold(event, seat_ids(event, "A", 1), a_customer("V-66666666"))
    assert client_for(acme, staff_in(acme, Role.DOOR)).get(SALES_URL).status_code == 403

    connection.set_tenant(globex)
    stranger = client_for(globex, staff_in(globex, Role.MANAGER))
    html = stranger.get(SALES_URL, {"q": "V-66666666"}).content.decode()

    assert str(sale.public_id) not in html and "Ana Pérez" not in html
    assert "Ninguna venta coincide" in html
    assert stranger.get(f"/panel/sales/orders/{sale.public_id}/").status_code == 404
    assert stranger.get(SALES_URL, {"event": event.pk}).status_code == 200  # an unknown event: ignored


def test_a_customers_page_leads_to_their_purchases_only(event, seller):
    luis = a_customer("V-11111111", first_name="Luis")
    first, second = sold(event, seat_ids(event, "A", 1), luis), sold(event, seat_ids(event, "A", 2), luis)
    someone_else = sold(event, seat_ids(event, "A", 3), a_customer("V-22222222"))

    page = seller.get(f"/panel/customers/{luis.pk}/").content.decode()
    assert f'href="{SALES_URL}?customer={luis.pk}"' in page and "Ver sus compras (2)" in page
    html = seller.get(SALES_URL, {"customer": luis.pk}).content.decode()

    assert "Compras de Luis Pérez (V-11111111)" in html
    # kept while searching
    assert f'<input type="hidden" name="customer" value="{luis.pk}" form="sales-filters">' in html
    listed = {sale.public_id for sale in (first, second, someone_else) if str(sale.public_id) in html}
    assert listed == {first.public_id, second.public_id}


def test_the_sale_page_tells_who_held_charged_and_voided_it_and_why(event, acme, staff_in, client_for):
    seller = staff_in(acme, Role.SELLER, full_name="Sofía Taquilla")
    manager = staff_in(acme, Role.MANAGER, full_name="Manuel Gerente")
    order = services.hold(
        event=event, channel=Order.Channel.BOX_OFFICE, seat_ids=seat_ids(event, "A", 1, 2), seller=seller
    )
    services.add_payment(order=order, payment=cash_usd("100"))
    sale = services.complete_sale(
        order=order, completion_key=uuid.uuid4(), customer=a_customer(), seller=seller
    )
    services.void_sale(order=sale, reason="Función suspendida por lluvia", actor=manager)

    html = client_for(acme, manager).get(f"/panel/sales/orders/{sale.public_id}/").content.decode()

    assert html.count('data-testid="order-history"') == 1
    assert "<title>Venta · Serenata Guayanesa · " in html
    history = html[html.index('data-testid="order-history"') :]
    assert history.index("Reservó") < history.index("Cobró y emitió la factura") < history.index("Anuló")
    assert "2 lugares" in history and "Bs. 5.800,00" in history
    assert "Sofía Taquilla" in history and "Manuel Gerente" in history
    assert "«Función suspendida por lluvia»" in history
    # The voided invoice stays printable beside its credit note; the tickets do not.
    invoice, note = sale.invoice, sale.invoice.credit_notes.get()
    assert f'href="{reverse("fiscal:invoice_pdf", args=[invoice.pk])}"' in html
    assert f'href="{reverse("fiscal:credit_note_pdf", args=[note.pk])}"' in html
    assert 'data-testid="tickets-pdf"' not in html


def test_the_history_of_a_sale_paid_in_dollars_by_a_special_taxpayer_shows_the_igtf_charged(
    event, seller, in_acme
):
    in_acme.is_special_taxpayer = True
    in_acme.save()
    sale = sold(event, seat_ids(event, "A", 3))  # Bs. 2.900,00; USD 100 in cash: IGTF 3 % of all of it

    html = seller.get(f"/panel/sales/orders/{sale.public_id}/").content.decode()

    history = html[html.index('data-testid="order-history"') :]
    assert "Bs. 2.900,00 + IGTF Bs. 87,00" in history


def test_the_history_names_the_payment_taken_with_cobrar_y_emitir_factura(event, seller):
    order = services.hold(event=event, channel=Order.Channel.BOX_OFFICE, seat_ids=seat_ids(event, "A", 4))
    services.add_payment(order=order, payment=cash_usd("10"))
    sale = services.pay_and_complete(  # the rest, typed in the form, and the sale in one step
        order=order, payment=cash_ves("1900"), completion_key=uuid.uuid4(), customer=a_customer()
    )

    html = seller.get(f"/panel/sales/orders/{sale.public_id}/").content.decode()

    history = html[html.index('data-testid="order-history"') :]
    assert "Efectivo USD: USD 10,00" in history  # "Registró un pago"
    charged = history[history.index("Cobró y emitió la factura") :]
    assert "Bs. 2.900,00 · Efectivo Bs.: Bs. 1.900,00" in charged


def test_an_online_sales_history_shows_the_reported_payment(event, seller):
    enable_online_payments()
    waiting = in_review(event, seat_ids(event, "C", 3))

    html = seller.get(f"/panel/sales/orders/{waiting.public_id}/").content.decode()

    history = html[html.index('data-testid="order-history"') :]
    assert "Tienda en línea" in history and "El cliente reportó su pago" in history
    assert "Pago Móvil: Bs. 2.900,00" in history
    assert f'href="/panel/online/#review-{waiting.public_id}"' in html  # where the payment is checked


# --- Sending a sale's tickets by e-mail from its page ---------------------------------------------


def test_the_tickets_and_invoice_go_by_email_to_the_address_the_seller_confirms(
    event, seller, acme, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    sale = sold(event, seat_ids(event, "A", 1), a_customer(email="ana@correo.test"))
    page = seller.get(f"/panel/sales/orders/{sale.public_id}/").content.decode()
    assert 'value="ana@correo.test"' in page  # the customer's address, ready to confirm

    with django_capture_on_commit_callbacks(execute=True):
        response = seller.post(
            f"/panel/sales/orders/{sale.public_id}/email/", {"email": " ana.perez@otro.test "}, follow=True
        )

    html = response.content.decode()
    assert "Las entradas van en camino a ana.perez@otro.test." in html
    assert "Envió las entradas por correo" in html  # in the sale's history
    [message] = mailoutbox
    assert message.to == ["ana.perez@otro.test"]
    assert "Serenata Guayanesa" in message.subject
    assert [name.split("-")[0] for name, _content, _type in message.attachments] == ["entradas", "factura"]
    # The "my order" link in the e-mail opens the box-office sale's tickets too, without a login.
    link = re.search(r"https?://\S+(/mi-pedido/\S+/)", message.body).group(1)
    my_order = client_for(acme).get(link).content.decode()
    assert "Platea · Fila A, Asiento 1" in my_order


def test_a_bad_address_or_a_voided_sale_sends_nothing_and_says_why(
    event, seller, acme, staff_in, mailoutbox, django_capture_on_commit_callbacks
):
    sale = sold(event, seat_ids(event, "A", 1))

    with django_capture_on_commit_callbacks(execute=True):
        bad = seller.post(f"/panel/sales/orders/{sale.public_id}/email/", {"email": "ana@correo"})

    assert bad.status_code == 422
    assert 'id="id_email_error"' in bad.content.decode()
    services.void_sale(order=sale, reason="Cliente enfermo", actor=staff_in(acme, Role.MANAGER))
    with django_capture_on_commit_callbacks(execute=True):
        url = f"/panel/sales/orders/{sale.public_id}/email/"
        voided = seller.post(url, {"email": "ana@correo.test"}, follow=True)
    html = voided.content.decode()
    assert "Solo se envían las entradas de una venta pagada." in html
    assert 'data-testid="email-tickets"' not in html
    assert mailoutbox == []


def test_another_organization_cannot_email_a_sales_tickets(
    event, globex, staff_in, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    sale = sold(event, seat_ids(event, "A", 1))

    connection.set_tenant(globex)
    stranger = client_for(globex, staff_in(globex, Role.MANAGER))
    with django_capture_on_commit_callbacks(execute=True):
        url = f"/panel/sales/orders/{sale.public_id}/email/"
        response = stranger.post(url, {"email": "robo@correo.test"})

    assert response.status_code == 404
    assert mailoutbox == []


def test_going_back_to_a_filtered_list_gets_the_whole_page_not_the_table(event, seller):
    sale = sold(event, seat_ids(event, "A", 1))

    fragment = seller.get(SALES_URL, {"status": "completed"}, HTTP_HX_REQUEST="true")
    restored = seller.get(
        SALES_URL, {"status": "completed"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )

    assert "<html" not in fragment.content.decode()
    # Told apart from the page at the same address, so the browser's Back never shows it alone.
    assert "HX-Request" in fragment["Vary"]
    html = restored.content.decode()
    assert "<html" in html and 'class="site-header' in html
    assert '<option value="completed" selected>' in html and str(sale.public_id) in html


def test_the_sale_page_invoice_and_tickets_list_the_places_as_the_cart_does(in_acme, seller):
    set_todays_rate("100")
    event = make_event(status=Event.Status.ON_SALE)
    # Numbered from the centre, odd to the left: 5 3 1 2 4 6, so the seats' ids run 5, 3, 1, 2…
    make_numbered_zone(event, rows=2, seats_per_row=6, numbering=Zone.Numbering.ODD_EVEN)
    sale = sold(event, seat_ids(event, "A", 2, 5, 1), usd="200")

    page = seller.get(f"/panel/sales/orders/{sale.public_id}/").content.decode()

    places = ["Fila A, Asiento 1", "Fila A, Asiento 2", "Fila A, Asiento 5"]
    assert [line["label"].split(" · ")[1] for line in sale.invoice.totals["lines"]] == places
    tickets = documents.tickets_context(sale)["tickets"]
    assert [t["label"].split(" · ")[1] for t in tickets] == places
    assert page.index(places[0]) < page.index(places[1]) < page.index(places[2])


def test_seats_added_one_click_at_a_time_reach_the_invoice_in_place_order(in_acme, seller):
    set_todays_rate("100")
    event = make_event(status=Event.Status.ON_SALE)
    make_numbered_zone(event, rows=2, seats_per_row=6)
    # The customer points at B2, then A3, then A1: three holds of one sale, in that order.
    clicks = [seat_ids(event, "B", 2), seat_ids(event, "A", 3), seat_ids(event, "A", 1)]
    order = services.hold(event=event, channel=Order.Channel.BOX_OFFICE, seat_ids=clicks[0])
    for seats in clicks[1:]:
        order = services.hold(event=event, channel=Order.Channel.BOX_OFFICE, seat_ids=seats, order=order)
    services.add_payment(order=order, payment=cash_usd("300"))
    sale = services.complete_sale(order=order, completion_key=uuid.uuid4(), customer=a_customer())

    places = ["Fila A, Asiento 1", "Fila A, Asiento 3", "Fila B, Asiento 2"]
    assert [line["label"].split(" · ")[1] for line in sale.invoice.totals["lines"]] == places
    receipt = seller.get(reverse("fiscal:invoice_receipt", args=[sale.invoice.pk])).content.decode()
    assert receipt.index(places[0]) < receipt.index(places[1]) < receipt.index(places[2])


def test_a_void_sent_again_from_another_tab_names_the_credit_note_already_issued(
    event, acme, staff_in, client_for
):
    manager = client_for(acme, staff_in(acme, Role.MANAGER))
    sale = sold(event, seat_ids(event, "A", 1))
    url = f"/panel/sales/orders/{sale.public_id}/void/"
    assert manager.post(url, {"reason": "Cliente enfermo"}).status_code == 302

    response = manager.post(url, {"reason": "Cliente enfermo"})

    html = response.content.decode()
    number = sale.invoice.credit_notes.get().number
    assert response.status_code == 409
    assert f"Esta venta ya fue anulada (nota de crédito NC N° {number:08d})." in html
    assert "Solo se anulan ventas pagadas" not in html
    assert sale.invoice.credit_notes.count() == 1


def test_a_refused_void_keeps_the_reason_typed_and_an_empty_one_is_said_on_its_field(
    event, acme, staff_in, client_for
):
    from ticketing.fiscal.models import DocumentType, InvoiceSeries

    manager = client_for(acme, staff_in(acme, Role.MANAGER))
    sale = sold(event, seat_ids(event, "A", 1))
    url = f"/panel/sales/orders/{sale.public_id}/void/"

    empty = manager.post(url, {"reason": "  "})
    assert empty.status_code == 422
    assert 'id="id_reason_error">Indique el motivo de la anulación.' in empty.content.decode()

    # No credit-note series: the void is refused, and the reason is still there to send again.
    InvoiceSeries.objects.filter(document_type=DocumentType.CREDIT_NOTE).delete()
    refused = manager.post(url, {"reason": "Función suspendida por lluvia"})

    html = refused.content.decode()
    assert refused.status_code == 409
    assert 'value="Función suspendida por lluvia"' in html
    assert '<details open data-testid="void-sale">' in html
    assert Order.objects.get(pk=sale.pk).status == Order.Status.COMPLETED


def mixed_sale(event, *, seller=None) -> Order:
    """The audit's sale: Bs. 10.000 cash, USD 20 cash, EUR 10 cash, a Pago Móvil of Bs. 5.000 and
    the rest by card, for two seats of USD 60 at Bs. 250 (Bs. 34.800,00), by a special taxpayer."""
    from decimal import Decimal

    from tests.sales_helpers import cash_ves
    from ticketing.payments import services as money

    money.set_rate(
        on=money.today_in_caracas(), currency="EUR", ves_per_unit=Decimal("270"), by=None, confirmed=True
    )
    order = services.hold(
        event=event, channel=Order.Channel.BOX_OFFICE, seat_ids=seat_ids(event, "A", 1, 2), seller=seller
    )
    pago_movil = {
        "bank": "0134",
        "payer_phone": "+584141234567",
        "payer_id": "V-12345678",
        "reference": "00123456",
        "date": "2026-12-06",
    }
    for payment in (
        cash_ves("10000"),
        cash_usd("20"),
        money.PaymentInput(method="cash_eur", currency="EUR", amount=Decimal("10")),
        money.PaymentInput(method="pago_movil", currency="VES", amount=Decimal("5000"), details=pago_movil),
    ):
        order = services.add_payment(order=order, payment=payment)
    balance = services.settlement(order).balance_ves
    card = {"approval_code": "A1B2C3", "terminal": "T0012345", "last4": "4321"}
    order = services.add_payment(
        order=order, payment=money.PaymentInput(method="card", currency="VES", amount=balance, details=card)
    )
    return services.complete_sale(
        order=order, completion_key=uuid.uuid4(), customer=a_customer(), seller=seller
    )


def test_a_voided_sale_says_what_to_give_back_for_each_payment_in_its_currency_and_how(
    in_acme, acme, staff_in, client_for
):
    in_acme.is_special_taxpayer = True  # IGTF 3 % on the dollars and the euros
    in_acme.save()
    set_todays_rate("250")
    event = on_sale_event(name="Devolución", base_price="60.00")
    sale = mixed_sale(event)
    manager = client_for(acme, staff_in(acme, Role.MANAGER))
    page = f"/panel/sales/orders/{sale.public_id}/"

    paid = manager.get(page).content.decode()
    payments = paid[paid.index('data-testid="order-payments"') :]
    assert "Pago Móvil: Bs. 5.000,00" in payments
    assert (
        "Banco: 0134 Banesco · Celular del pagador: 0414-1234567 · Cédula o RIF del pagador: V-12345678"
        in payments
    )
    assert "Referencia: 00123456 · Fecha de la operación: 06/12/2026" in payments
    assert (
        "Código de aprobación: A1B2C3 · Terminal: T0012345 · Últimos 4 dígitos de la tarjeta: 4321"
        in payments
    )
    assert "Efectivo USD: USD 20,00 · Bs. 5.000,00" in payments
    assert 'data-testid="refund"' not in paid  # nothing to give back while the sale stands

    voided = manager.post(f"{page}void/", {"reason": "Función suspendida"}, follow=True).content.decode()

    note = sale.invoice.credit_notes.get()
    assert f"Venta anulada: nota de crédito NC N° {note.number:08d}." in voided
    assert "está en «Devolver», más abajo" in voided
    refund = voided[voided.index('data-testid="refund"') : voided.index("</section>")]
    # Due: Bs. 34.800,00 + IGTF Bs. 150,00 (USD 20) + Bs. 81,00 (EUR 10); the card paid the rest.
    assert "En total Bs. 35.031,00" in refund
    rows = refund.split("<tr>")[2:]
    assert len(rows) == 5
    assert "Bs. 10.000,00" in rows[0] and "En efectivo, en bolívares." in rows[0]
    assert "USD 20,00" in rows[1] and "En efectivo, en dólares." in rows[1]
    assert "Incluye el IGTF de Bs. 150,00 cobrado sobre este pago." in rows[1]
    assert "EUR 10,00" in rows[2] and "En efectivo, en euros." in rows[2] and "Bs. 81,00" in rows[2]
    assert "Bs. 5.000,00" in rows[3] and "Por Pago Móvil" in rows[3]
    assert "0134 Banesco" in rows[3] and "0414-1234567" in rows[3] and "V-12345678" in rows[3]
    assert "Referencia: 00123456" in rows[3]
    assert "Bs. 12.331,00" in rows[4] and "punto de venta" in rows[4]
    assert "A1B2C3" in rows[4] and "T0012345" in rows[4] and "4321" in rows[4]
    assert "se descuenta el vuelto" not in refund  # no change was given

    # A seller reads the same page, without the void form.
    seller_page = client_for(acme, staff_in(acme, Role.SELLER)).get(page).content.decode()
    assert "En total Bs. 35.031,00" in seller_page and "Anular esta venta" not in seller_page


def test_the_refund_of_a_sale_that_gave_change_is_net_of_it(in_acme, acme, staff_in, client_for):
    in_acme.is_special_taxpayer = True
    in_acme.save()
    set_todays_rate("100")
    event = on_sale_event(name="Vuelto")
    # Bs. 2.900,00 + IGTF Bs. 87,00, paid with USD 100 (Bs. 10.000,00): Bs. 7.013,00 of change.
    sale = sold(event, seat_ids(event, "A", 1), usd="100")
    services.void_sale(order=sale, reason="Cliente enfermo", actor=staff_in(acme, Role.MANAGER))

    html = client_for(acme, staff_in(acme, Role.MANAGER)).get(f"/panel/sales/orders/{sale.public_id}/")
    refund = html.content.decode()
    refund = refund[refund.index('data-testid="refund"') : refund.index("</section>")]

    assert "En total Bs. 2.987,00" in refund
    assert "<strong>USD 29,87</strong>" in refund
    assert "Pagó USD 100,00; se descuenta el vuelto que ya recibió: Bs. 7.013,00 (USD 70,13)." in refund
    assert "Incluye el IGTF de Bs. 87,00 cobrado sobre este pago." in refund


def test_the_tickets_link_of_a_voided_sale_says_when_and_by_which_credit_note(
    event, acme, staff_in, client_for
):
    from django.utils import timezone

    sale = sold(event, seat_ids(event, "A", 1))
    link = reverse("sales:tickets_pdf", args=[sale.public_id])
    seller = client_for(acme, staff_in(acme, Role.SELLER))
    assert seller.get(link)["Content-Type"] == "application/pdf"
    services.void_sale(order=sale, reason="Cliente enfermo", actor=staff_in(acme, Role.MANAGER))
    sale.refresh_from_db()

    response = seller.get(link)

    html = response.content.decode()
    number = sale.invoice.credit_notes.get().number
    day = timezone.localtime(sale.closed_at).strftime("%d/%m/%Y")
    assert response.status_code == 410
    assert f"Las entradas de esta venta se anularon el {day} (nota de crédito NC N° {number:08d})" in html
    assert f'href="/panel/sales/orders/{sale.public_id}/"' in html
    assert "No Order matches" not in html


@pytest.mark.parametrize("query", ["NC-{:08d}", "NC {}", "Serie NC N° {:08d}", "QR", "1001", "01-1001"])
def test_a_sale_is_found_by_its_credit_note_a_scanned_ticket_or_its_control_number_alone(
    event, acme, staff_in, seller, query, django_assert_max_num_queries
):
    from ticketing.fiscal.models import ControlNumberSettings
    from ticketing.sales.signing import ticket_qr_payload

    sold(event, seat_ids(event, "A", 1), a_customer("V-11111111", first_name="Luis"))
    # The printer's numbers run apart from the invoice's: "1001" is a control number only.
    ControlNumberSettings.objects.update(next_number=1001)  # the test organizations' range, prefix 01
    wanted = sold(event, seat_ids(event, "B", 5), a_customer("V-22222222", first_name="Carla"))
    assert wanted.invoice.control_number == "01-00001001"
    services.void_sale(order=wanted, reason="Cliente enfermo", actor=staff_in(acme, Role.MANAGER))
    note = wanted.invoice.credit_notes.get()
    if query == "QR":  # what a USB scanner types, reading the ticket's code
        query = ticket_qr_payload(wanted.tickets.get(), organization=acme)
    else:
        query = query.format(note.number)

    with django_assert_max_num_queries(12):
        html = seller.get(SALES_URL, {"q": query}).content.decode()

    assert f"/panel/sales/orders/{wanted.public_id}/" in html
    assert "Luis Pérez" not in html and "1 venta" in html


def test_a_ticket_code_signed_by_another_organization_finds_nothing(event, acme, globex, seller):
    from ticketing.sales.signing import ticket_qr_payload

    wanted = sold(event, seat_ids(event, "A", 1))
    forged = ticket_qr_payload(wanted.tickets.get(), organization=globex)  # not acme's key
    assert "Ninguna venta coincide" in seller.get(SALES_URL, {"q": forged}).content.decode()


def test_the_list_shows_what_was_collected_with_igtf_and_a_voided_sales_credit_note(
    event, acme, in_acme, staff_in, seller
):
    in_acme.is_special_taxpayer = True
    in_acme.save()
    # Bs. 2.900,00 paid in dollars: IGTF Bs. 87,00 on top.
    sale = sold(event, seat_ids(event, "A", 1), a_customer("V-11111111", first_name="Luis"))
    voided = sold(event, seat_ids(event, "A", 2), a_customer("V-22222222", first_name="Carla"))
    services.void_sale(order=voided, reason="Cliente enfermo", actor=staff_in(acme, Role.MANAGER))
    number = voided.invoice.credit_notes.get().number

    html = seller.get(SALES_URL).content.decode()

    row = html[html.index(f"/panel/sales/orders/{sale.public_id}/") :]
    row = row[: row.index("</tr>")]
    assert "USD 29,00" in row and "Cobrado Bs. 2.987,00 (con IGTF Bs. 87,00)" in row
    voided_row = html[html.index(f"/panel/sales/orders/{voided.public_id}/") :]
    voided_row = voided_row[: voided_row.index("</tr>")]
    assert f"Anulada · NC N° {number:08d}" in voided_row


def test_a_zelle_that_overshot_by_less_than_a_cent_goes_back_whole(in_acme, acme, staff_in, client_for):
    from decimal import Decimal

    from ticketing.payments.services import PaymentInput

    set_todays_rate("250")
    event = on_sale_event(name="Zelle", currency="VES", base_price="100.00")  # Bs. 116,00
    order = services.hold(event=event, channel=Order.Channel.BOX_OFFICE, seat_ids=seat_ids(event, "A", 1))
    # USD 0,47 is Bs. 117,50: Bs. 1,50 over, less than a cent of a dollar, which nobody hands back.
    zelle = PaymentInput(
        method="zelle",
        currency="USD",
        amount=Decimal("0.47"),
        details={"sender": "ana@correo.test", "confirmation_code": "ZL12345"},
    )
    services.add_payment(order=order, payment=zelle)
    sale = services.complete_sale(order=order, completion_key=uuid.uuid4(), customer=a_customer())
    assert sale.change_ves == Decimal("1.50")
    services.void_sale(order=sale, reason="Cliente enfermo", actor=staff_in(acme, Role.MANAGER))

    html = client_for(acme, staff_in(acme, Role.MANAGER)).get(f"/panel/sales/orders/{sale.public_id}/")
    refund = html.content.decode()
    refund = refund[refund.index('data-testid="refund"') : refund.index("</section>")]

    assert "<strong>USD 0,47</strong>" in refund and "Por Zelle, al remitente." in refund
    assert "Remitente: ana@correo.test · Código de confirmación: ZL12345" in refund
    assert "se descuenta el vuelto" not in refund and "En total Bs. 117,50" in refund
