"""The box office under a person's hands: focus after a refusal, a slow live connection, the
countdown running out, and a console free of errors."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.test_box_office_browser import (
    cancel_any_sale_in_progress,
    fill_pago_movil,
    open_box_office,
    settled,
    sign_in,
)
from tests.servers import commit_sql
from ticketing.payments.services import today_in_caracas

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def fresh_box_office(page, asgi_server, email):
    """Signed in, on the demo event's box office, with no sale left over from another test
    (the server commits for real, so a seller's sale in progress outlives a test)."""
    page.set_viewport_size({"width": 1366, "height": 900})
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, asgi_server, email)
    open_box_office(page)
    cancel_any_sale_in_progress(page)


def pick_demo_customer(page):
    cart = page.locator("#cart")
    page.locator("#customer-q").fill("V-10000000")
    cart.locator(".customer-result").first.click()
    expect(cart.locator("#customer-picker")).to_contain_text("Cliente Demo")
    settled(page)


def seat_held_for_the_demo_customer(page, asgi_server, seat_label):
    """The seller's cart with `seat_label` held and the demo customer picked."""
    fresh_box_office(page, asgi_server, "seller@demo.test")
    cart = page.locator("#cart")
    page.locator(f"circle.seat[aria-label^='{seat_label},']").click()
    expect(cart.get_by_test_id("cart-lines")).to_contain_text(seat_label)
    settled(page)
    pick_demo_customer(page)
    return cart


def test_a_refused_cobrar_leaves_the_keyboard_in_the_payment_form(page, asgi_server):
    cart = seat_held_for_the_demo_customer(page, asgi_server, "Fila H, Asiento 4")

    fill_pago_movil(cart, "1", reference="87654321")  # short of the balance
    cart.locator("input[name=payment-amount]").press("Control+Enter")
    expect(page.get_by_test_id("cart-error")).to_contain_text("Falta cobrar")
    settled(page)
    # The seller corrects the amount and tries again without the mouse: the focus must still be
    # in the payment form, not on the customer's "Cambiar" button.
    assert page.evaluate("!!document.activeElement.closest('#payment-form')"), page.evaluate(
        "document.activeElement.outerHTML.slice(0, 120)"
    )
    page.keyboard.press("Enter")
    settled(page)
    expect(cart.locator("#customer-picker")).to_contain_text("Cliente Demo")  # Enter dropped it


def test_a_payment_refused_by_a_click_puts_the_keyboard_on_the_wrong_field(page, asgi_server):
    cart = seat_held_for_the_demo_customer(page, asgi_server, "Fila L, Asiento 3")
    page.set_viewport_size({"width": 1024, "height": 768})  # a laptop: the cart scrolls
    amount = cart.locator("input[name=payment-amount]")

    amount.fill("-5")
    cart.get_by_role("button", name="Agregar pago").click()

    expect(cart.locator("#id_payment-amount_error")).to_be_in_viewport()  # the cart scrolls to it
    expect(amount).to_be_focused()
    expect(cart.locator("#payment-form")).to_contain_text("Para saldar: USD")  # the hint stays


def test_an_exact_payment_is_the_method_and_ctrl_enter(page, asgi_server, screenshot):
    cart = seat_held_for_the_demo_customer(page, asgi_server, "Fila H, Asiento 6")
    amount = cart.locator("input[name=payment-amount]")
    expect(amount).not_to_have_value("")  # what settles the sale, in dollars
    expect(cart.get_by_text(re.compile(r"^Para saldar: USD"))).to_be_visible()

    cart.get_by_label("Forma de pago").select_option("pago_movil")
    expect(cart.get_by_text(re.compile(r"^Para saldar: Bs\."))).to_be_visible()  # in bolívares now
    balance = cart.get_by_test_id("balance").inner_text()
    assert amount.input_value() == balance.replace("Bs.", "").strip().replace(".", "")
    cart.get_by_label("Banco").select_option("0134")
    # The customer pays from their own phone, as most do: their details are already there.
    expect(cart.get_by_label("Celular del pagador")).to_have_value("0414-1234567")
    expect(cart.get_by_label("Cédula o RIF del pagador")).to_have_value("V-10000000")
    cart.get_by_label("Referencia").fill("11223344")
    screenshot("box-office-amount-to-settle")
    page.keyboard.press("Control+Enter")

    expect(page.get_by_role("heading", name=re.compile("Venta"))).to_contain_text("Pagada")
    expect(page.get_by_text(re.compile("^Pago Móvil: Bs"))).to_have_count(1)


def test_a_click_on_a_tables_top_holds_its_chairs(page, asgi_server):
    fresh_box_office(page, asgi_server, "seller@demo.test")
    page.locator("[data-table-row='5']").click()  # the top or its number

    lines = page.get_by_test_id("cart-lines")
    for chair in range(1, 7):
        expect(lines).to_contain_text(f"Mesa 5, Silla {chair}")
    expect(page.locator("#cart tr[data-seat-id]")).to_have_count(6)
    expect(page.locator("circle.seat[aria-label^='Mesa 5, Silla 1,']")).to_have_attribute(
        "aria-label", re.compile("reservado")
    )


def test_seats_typed_by_row_and_number_are_held_without_the_map(page, asgi_server, screenshot):
    errors = []  # but the browser's own line for the refusal's 409, which is expected
    page.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" and "status of 409" not in m.text else None,
    )
    fresh_box_office(page, asgi_server, "seller@demo.test")
    typed = page.get_by_test_id("seat-by-number")
    expect(typed.get_by_label("Fila")).to_be_focused()  # no sale in progress: the keyboard starts here
    page.keyboard.type("g")
    page.keyboard.press("Tab")
    page.keyboard.type("40")  # row G has 30 seats
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("cart-error")).to_contain_text("no tiene el asiento 40")
    settled(page)
    expect(typed.get_by_label("Fila")).to_be_focused()  # as typed, to be corrected
    expect(typed.get_by_label("Fila")).to_have_value("g")

    page.keyboard.press("Tab")
    page.keyboard.type("7, 9")
    page.keyboard.press("Enter")

    lines = page.get_by_test_id("cart-lines")
    expect(lines).to_contain_text("Fila G, Asiento 7")
    expect(lines).to_contain_text("Fila G, Asiento 9")
    expect(page.locator("#customer-q")).to_be_focused()  # on with the sale, as after a click
    expect(page.locator("circle.seat[aria-label^='Fila G, Asiento 9,']")).to_have_attribute(
        "aria-label", re.compile("reservado")
    )
    screenshot("box-office-seats-typed")
    assert errors == []  # an empty cart has no customer to include: htmx must not complain


def test_a_new_customer_starts_from_the_cedula_the_search_did_not_find(page, asgi_server):
    fresh_box_office(page, asgi_server, "seller@demo.test")
    page.keyboard.type("H")
    page.keyboard.press("Tab")
    page.keyboard.type("8")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("cart-lines")).to_contain_text("Fila H, Asiento 8")
    settled(page)
    cedula = "V-27654321"  # nobody has it: no other test creates customers in the demo

    page.keyboard.type(cedula.lower().replace("-", ""))
    offer = page.get_by_role("button", name=f"Nuevo cliente con {cedula}")
    expect(offer).to_be_visible()
    page.keyboard.press("Tab")
    expect(offer).to_be_focused()
    page.keyboard.press("Enter")

    picker = page.locator("#customer-picker")
    expect(picker.get_by_label("Nombre o razón social")).to_be_focused()
    expect(picker.get_by_label("Cédula o RIF")).to_have_value(cedula)
    page.keyboard.type("Rosa")
    page.keyboard.press("Tab")
    page.keyboard.type("Linares")
    page.keyboard.press("Enter")  # creates the customer (picker.js), the sale form is not sent
    expect(picker).to_contain_text(f"Rosa Linares · {cedula}")


def test_shift_click_before_the_live_update_arrives_still_holds_the_run(page, asgi_server):
    """The live update of the seller's own hold comes late (a slow or dropped connection, a busy
    server): the first seat is already in the cart and drawn as .mine, but still .seat-available."""
    withheld = []

    def slow_socket(ws):
        server = ws.connect_to_server()
        server.on_message(lambda message: withheld.append(message))  # delivered later, or never

    page.route_web_socket(re.compile(r"/ws/live/"), slow_socket)
    fresh_box_office(page, asgi_server, "manager@demo.test")
    cart = page.locator("#cart")
    first = page.locator("circle.seat[aria-label^='Fila G, Asiento 3,']")
    first.click()
    expect(cart.get_by_test_id("cart-lines")).to_contain_text("Fila G, Asiento 3")
    settled(page)
    expect(first).to_have_class(re.compile(r"\bmine\b"))

    page.locator("circle.seat[aria-label^='Fila G, Asiento 4,']").click(modifiers=["Shift"])
    settled(page)
    expect(page.get_by_test_id("cart-error")).to_have_count(0)
    for number in (1, 2, 3, 4):
        expect(cart.get_by_test_id("cart-lines")).to_contain_text(re.compile(rf"Fila G, Asiento {number}\b"))


def expire_sales_in_progress_of(email):
    """What ten minutes do on the server: the seller's hold is past its expiry."""
    commit_sql(
        "UPDATE demo.sales_order SET expires_at = now() - interval '1 second' WHERE status = 'held' "
        "AND seller_id = (SELECT id FROM demo.accounts_user WHERE email = %s)",
        [email],
    )


def test_when_the_countdown_reaches_zero_the_hold_goes_and_the_cart_says_so(page, asgi_server):
    page.clock.install()
    cart = seat_held_for_the_demo_customer(page, asgi_server, "Fila H, Asiento 8")
    expect(cart.locator(".cart-head .countdown")).to_have_text(re.compile(r"^\d\d:\d\d$"))
    # A minute before the end, the warning shows (and is read out) once.
    seconds_left = int(cart.locator(".cart-head .countdown").get_attribute("data-expires-in"))
    page.clock.fast_forward((seconds_left - 30) * 1000)
    warning = page.locator("#countdown-announcer")
    expect(warning).to_have_text(
        "Queda un minuto de reserva: después los asientos se liberan. «Más tiempo» la extiende."
    )
    expect(warning).to_be_in_viewport()

    expire_sales_in_progress_of("seller@demo.test")
    page.clock.fast_forward("30:00")
    # Nothing left to charge, and the seat is for sale again at once, not at the next sweep.
    expect(page.get_by_test_id("cart-error")).to_contain_text("La reserva venció")
    expect(cart.locator(".empty-state")).to_be_visible()
    expect(cart.locator("button.complete")).to_have_count(0)
    seat = page.locator("circle.seat[aria-label^='Fila H, Asiento 8,']")
    expect(seat).to_have_class(re.compile(r"\bseat-available\b"))
    expect(warning).to_have_text("")  # gone with the hold


def test_holding_a_seat_and_changing_the_method_log_no_console_error(page, asgi_server):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    fresh_box_office(page, asgi_server, "manager@demo.test")
    page.locator("circle.seat[aria-label^='Fila J, Asiento 9,']").click()
    expect(page.get_by_test_id("cart-lines")).to_contain_text("Fila J, Asiento 9")
    settled(page)
    page.locator("#payment-form select[name=method]").select_option("pago_movil")  # the fields swap
    expect(page.locator("#payment-fields")).to_contain_text("Banco")
    settled(page)
    assert errors == []


def test_a_manager_finds_yesterdays_sale_in_ventas_and_voids_it(page, asgi_server, screenshot):
    cart = seat_held_for_the_demo_customer(page, asgi_server, "Fila K, Asiento 6")
    cart.locator("input[name=payment-amount]").fill("100")
    cart.get_by_role("button", name="Cobrar y emitir factura").click()
    expect(page.get_by_role("heading", name=re.compile("Venta"))).to_contain_text("Pagada")
    sale_url = page.url
    invoice = page.get_by_text(re.compile(r"^Factura Serie \w+ N° \d+")).inner_text()
    invoice_number = re.search(r"N° (\d+)", invoice).group(1)

    # Another day, the manager: the sale is found by its invoice number, not by its address.
    page.context.clear_cookies()
    sign_in(page, asgi_server, "manager@demo.test")
    page.locator(".site-header").get_by_role("link", name="Ventas").click()
    expect(page.get_by_role("heading", name="Ventas")).to_be_visible()
    page.get_by_role("searchbox").fill(invoice_number)
    table = page.get_by_test_id("order-list")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text(f"N° {invoice_number}")
    expect(table).to_contain_text("Cliente Demo")
    expect(page).to_have_url(re.compile(rf"\?q={invoice_number}\b"))  # the search survives a reload
    screenshot("sales-list-found")
    table.locator("tbody tr a").first.click()
    assert page.url == sale_url
    # Back to the list: the whole page with the search typed, not the bare table the search
    # fetched for that address.
    page.go_back()
    expect(page.get_by_role("heading", name="Ventas")).to_be_visible()
    expect(page.get_by_role("searchbox")).to_have_value(invoice_number)
    expect(page.locator(".site-header")).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(1)
    page.go_forward()
    assert page.url == sale_url

    page.get_by_text("Anular esta venta").click()
    page.get_by_label("Motivo de la anulación").fill("El cliente no pudo asistir")
    page.get_by_role("button", name="Anular y emitir nota de crédito").click()
    expect(page.get_by_role("heading", name=re.compile("Venta"))).to_contain_text("Anulada")
    # The page opens on its message: a screen reader reads what happened.
    expect(page.locator("#messages .flash").first).to_contain_text("Venta anulada")
    expect(page.locator("#messages .flash").first).to_contain_text("«Devolver»")
    expect(page.locator("#messages .flash").first).to_be_focused()
    # What to give back, and how, right under the message.
    expect(page.get_by_role("heading", name="Devolver")).to_be_visible()
    expect(page.get_by_test_id("refund")).to_contain_text("En total Bs.")
    screenshot("sale-voided-refund")
    page.locator(".site-header").get_by_role("link", name="Ventas").click()
    page.get_by_role("searchbox").fill(invoice_number)
    found = page.get_by_test_id("order-list").locator("tbody tr")
    expect(found).to_have_count(1)
    expect(found).to_contain_text("Anulada")

    # On a phone the row stays a couple of lines tall (the list scrolls sideways instead).
    page.set_viewport_size({"width": 390, "height": 844})
    assert found.bounding_box()["height"] < 90


def test_a_mistyped_rate_keeps_the_keyboard_on_it_and_asks_to_confirm(page, asgi_server, screenshot):
    # Dates of last week, in EUR: today's USD rate is what the other tests sell with.
    day = today_in_caracas() - timedelta(days=6)
    sign_in(page, asgi_server, "manager@demo.test")
    page.goto(asgi_server("demo.localhost", "/panel/rates/"))
    form = page.locator("#rate-form")

    def save(on, rate):
        form.get_by_label("Fecha (Caracas)").fill(on.isoformat())
        form.get_by_label("Moneda").select_option("EUR")
        form.get_by_label("Bolívares por unidad").fill(rate)
        form.get_by_role("button", name="Guardar tasa").click()
        settled(page)

    rate_field = form.get_by_label("Bolívares por unidad")
    confirm = form.get_by_label("Confirmo esta tasa")
    # The first euro rate has nothing to be compared with: it says what it means and asks.
    save(day, "270,5")
    expect(form.locator("#id_ves_per_unit_error")).to_contain_text(
        "Es la única tasa de EUR: no hay otra con qué compararla. Con ella, EUR 100 son Bs. 27.050,00."
    )
    confirm.check()
    rate_field.press("Enter")
    expect(page.locator("#messages")).to_contain_text("guardada: Bs. 270,50 por EUR")

    save(day + timedelta(days=1), "2705")  # one digit too many
    expect(form.locator("#id_ves_per_unit_error")).to_contain_text("Difiere en más de 20 %")
    expect(rate_field).to_be_focused()  # not the top of the page (the button was replaced)
    screenshot("rate-jump-refused")
    confirm.check()
    rate_field.press("Enter")
    expect(page.locator("#messages")).to_contain_text("guardada: Bs. 2.705,00 por EUR")
    expect(confirm).to_have_count(0)


def test_a_whole_sale_from_the_keyboard_keeps_the_focus_where_the_seller_works(page, asgi_server):
    fresh_box_office(page, asgi_server, "seller@demo.test")
    cart = page.locator("#cart")
    first = page.locator("circle.seat[aria-label^='Fila F, Asiento 1,']")
    second = page.locator("circle.seat[aria-label^='Fila F, Asiento 2,']")

    # Seats chosen with Enter on the map: the keyboard stays on the map for the next one.
    first.focus()
    page.keyboard.press("Enter")
    expect(cart.get_by_test_id("cart-lines")).to_contain_text("Fila F, Asiento 1")
    settled(page)
    expect(first).to_be_focused()
    expect(first).to_have_attribute("aria-pressed", "true")  # this sale's, to a screen reader
    second.focus()
    page.keyboard.press("Enter")
    expect(cart.get_by_test_id("cart-lines")).to_contain_text("Fila F, Asiento 2")
    settled(page)
    expect(second).to_be_focused()

    pick_demo_customer(page)
    cart.get_by_label("Forma de pago").select_option("zelle")
    sender = cart.get_by_label("Nombre o correo de quien envía")
    expect(sender).to_be_visible()
    # Enter in the amount with the Zelle details missing: the keyboard goes to what is missing.
    cart.locator("input[name=payment-amount]").press("Enter")
    expect(sender).to_be_focused()
    expect(sender).to_have_attribute("aria-invalid", "true")

    sender.fill("Cliente Demo")
    cart.get_by_label("Código de confirmación").fill("ZL-778899")
    page.keyboard.press("Enter")
    expect(cart.get_by_role("button", name=re.compile(r"^Quitar el pago Zelle: USD"))).to_be_visible()
    expect(page.locator("#cart-status")).to_contain_text("saldo Bs. 0,00")  # read out, not only drawn
    complete = cart.locator("#complete-form").get_by_role("button", name="Cobrar y emitir factura")
    expect(complete).to_be_focused()
    page.keyboard.press("Control+Enter")

    expect(page.get_by_role("heading", name=re.compile("Venta"))).to_contain_text("Pagada")
    # The sale's page starts on its tickets, which a screen reader introduces with the message.
    tickets = page.get_by_test_id("tickets-pdf")
    expect(tickets).to_be_focused()
    expect(tickets).to_have_accessible_description("Venta completada. Factura emitida.")


def test_seats_clicked_faster_than_the_server_answers_all_reach_the_cart(page, asgi_server):
    fresh_box_office(page, asgi_server, "seller@demo.test")
    seats = [page.locator(f"circle.seat[aria-label^='Fila E, Asiento {n},']") for n in (1, 2, 3)]
    ids = [seat.get_attribute("id") for seat in seats]

    # Three clicks in one moment: the second and third arrive while the first hold is on its way.
    page.evaluate(
        """(ids) => ids.forEach((id) => document.getElementById(id)
             .dispatchEvent(new MouseEvent("click", { bubbles: true })))""",
        ids,
    )

    lines = page.get_by_test_id("cart-lines")
    for number in (1, 2, 3):
        expect(lines).to_contain_text(f"Fila E, Asiento {number}")
    settled(page)
    for seat in seats:
        expect(seat).to_have_class(re.compile(r"\bmine\b"))


def test_signing_in_again_in_another_tab_does_not_break_this_tabs_box_office(page, asgi_server):
    fresh_box_office(page, asgi_server, "seller@demo.test")
    other_tab = page.context.new_page()
    other_tab.goto(asgi_server("demo.localhost", "/panel/"))
    other_tab.locator(".site-header details.dropdown summary").click()
    other_tab.get_by_role("button", name="Cerrar sesión").click()
    sign_in(other_tab, asgi_server, "seller@demo.test")  # a new session, a new security token
    other_tab.close()

    page.locator("circle.seat[aria-label^='Fila E, Asiento 9,']").click()

    expect(page.get_by_test_id("cart-lines")).to_contain_text("Fila E, Asiento 9")
    expect(page.locator("#request-error")).to_be_hidden()


def second_seller(browser, asgi_server, email="manager@demo.test"):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    other = context.new_page()
    other.set_default_timeout(10_000)
    other.on("dialog", lambda dialog: dialog.accept())
    sign_in(other, asgi_server, email)
    open_box_office(other)
    cancel_any_sale_in_progress(other)
    return other


def test_a_shift_run_over_a_seat_someone_else_holds_is_refused_whole(browser, page, asgi_server):
    fresh_box_office(page, asgi_server, "seller@demo.test")
    other = second_seller(browser, asgi_server)
    taken = page.locator("circle.seat[aria-label^='Fila A, Asiento 1,']")
    other.locator("circle.seat[aria-label^='Fila A, Asiento 1,']").click()
    expect(other.get_by_test_id("cart-lines")).to_contain_text("Fila A, Asiento 1")
    expect(taken).to_have_class(re.compile(r"\bseat-held\b"), timeout=2000)

    page.locator("circle.seat[aria-label^='Fila A, Asiento 3,']").click()
    lines = page.get_by_test_id("cart-lines")
    expect(lines).to_contain_text("Fila A, Asiento 3")
    settled(page)
    # 3 1 2 4 on the map (odd numbers left of the centre): the group would sit around a stranger.
    page.locator("circle.seat[aria-label^='Fila A, Asiento 4,']").click(modifiers=["Shift"])

    expect(page.get_by_test_id("cart-error")).to_contain_text(
        "Estos asientos ya no están disponibles: Fila A, Asiento 1. No se reservó nada."
    )
    expect(page.locator("#cart tr[data-seat-id]")).to_have_count(1)  # U3 alone, as before
    cancel_any_sale_in_progress(other)
    other.context.close()


def test_the_general_admission_form_follows_the_live_map(browser, page, asgi_server, screenshot):
    fresh_box_office(page, asgi_server, "seller@demo.test")
    other = second_seller(browser, asgi_server)
    form = other.locator("[data-zone-form]", has_text="Pista")
    count = form.locator("[data-ga-available]")
    before = int(re.sub(r"\D", "", count.inner_text()))

    mine = page.locator("[data-zone-form]", has_text="Pista")
    mine.get_by_label(re.compile("Pista")).fill("2")
    mine.get_by_role("button", name="Agregar").click()
    expect(page.get_by_test_id("cart-lines")).to_contain_text("Pista")

    # Within a second, without a reload, as the map beside it.
    expect(count).to_have_text(f"{before - 2} disponibles", timeout=2000)
    cancel_any_sale_in_progress(page)
    expect(count).to_have_text(f"{before} disponibles", timeout=2000)

    # Sold out and back (as a live message says it: the demo has 500 places to take first).
    zone = form.get_attribute("data-zone-form")

    def live_message(remaining, available):
        other.evaluate(
            """([zone, remaining, available]) => {
                const message = `<template><svg xmlns="http://www.w3.org/2000/svg"><g id="ga-${zone}"
                  class="ga" data-ga-zone="${zone}" data-remaining="${remaining}"
                  data-available="${available}" hx-swap-oob="outerHTML"></g></svg></template>`;
                document.body.dispatchEvent(new CustomEvent("htmx:wsBeforeMessage",
                  {bubbles: true, cancelable: true, detail: {message}}));
            }""",
            [zone, remaining, available],
        )

    live_message(0, "agotado")
    expect(count).to_have_text("agotado")
    expect(form.get_by_role("button", name="Agregar")).to_be_disabled()
    screenshot("box-office-general-admission-sold-out")
    live_message(3, "3 disponibles")
    expect(count).to_have_text("3 disponibles")
    expect(form.get_by_role("button", name="Agregar")).to_be_enabled()
    other.context.close()


def test_tab_and_enter_typed_before_the_results_come_pick_the_customer_found(page, asgi_server):
    fresh_box_office(page, asgi_server, "seller@demo.test")
    page.locator("circle.seat[aria-label^='Fila A, Asiento 5,']").click()
    cart = page.locator("#cart")
    expect(cart.get_by_test_id("cart-lines")).to_contain_text("Fila A, Asiento 5")
    settled(page)
    search = page.locator("#customer-q")
    expect(search).to_be_focused()

    # A fast hand: the cédula, Tab and Enter before the search (sent 250 ms after the last key) answers.
    page.keyboard.type("10000000")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    expect(cart.locator("#customer-picker .customer-picked")).to_contain_text("Cliente Demo")
    expect(cart.locator("details.customer-new")).to_have_count(0)  # not "Nuevo cliente"
    cancel_any_sale_in_progress(page)
