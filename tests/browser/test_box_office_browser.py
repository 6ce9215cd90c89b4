"""Two sellers on one event: what one holds and sells, the other sees within seconds."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from ticketing.organizations.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def sign_in(page, asgi_server, email):
    page.goto(asgi_server("demo.localhost", "/accounts/login/"))
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("heading", name=re.compile("^Hola"))).to_be_visible()


def settled(page):
    """Wait until htmx has finished swapping and settling: new elements get their handlers then,
    and a change made earlier would send nothing (a person is never that fast; a test is)."""
    page.wait_for_function(
        "!document.querySelector('.htmx-added, .htmx-settling, .htmx-swapping, .htmx-request')"
    )


def open_box_office(page):
    page.get_by_role("link", name="Taquilla").first.click()
    page.get_by_role("button", name="Vender").first.click()
    expect(page.locator("[data-seat-map]")).to_be_visible()
    expect(page.locator("[data-live-status]")).to_have_attribute("data-live-status", "open")


def cancel_any_sale_in_progress(page):
    """The server commits for real, so a seller's sale in progress outlives a test: cancel it (the
    page accepts the confirmation) and load the map again from the server, since the freed seats'
    live update may not have arrived yet and a click on a seat still drawn held would hold nothing."""
    cancel = page.locator("#cart").get_by_role("button", name="Cancelar venta")
    if cancel.count():
        cancel.click()
        expect(page.locator("#cart .empty-state")).to_be_visible()
        page.reload()
        expect(page.locator("[data-live-status]")).to_have_attribute("data-live-status", "open")
    settled(page)


def test_two_sellers_see_each_others_holds_and_sales_live(browser, asgi_server, screenshot, page):
    seller_a = page
    seller_a.set_viewport_size({"width": 1366, "height": 900})
    context_b = browser.new_context(viewport={"width": 1366, "height": 900})
    seller_b = context_b.new_page()
    seller_b.set_default_timeout(10_000)
    sign_in(seller_a, asgi_server, "seller@demo.test")
    sign_in(seller_b, asgi_server, "manager@demo.test")
    open_box_office(seller_a)
    open_box_office(seller_b)

    row = "Q" if uuid.uuid4().int % 2 else "R"  # not the rows other tests use
    first = seller_a.locator(f"circle.seat[aria-label^='Fila {row}, Asiento 1,']")
    second = seller_a.locator(f"circle.seat[aria-label^='Fila {row}, Asiento 3,']")
    seat_ids = [first.get_attribute("data-seat"), second.get_attribute("data-seat")]
    first.click()
    expect(seller_a.get_by_test_id("cart-lines")).to_contain_text(f"Fila {row}, Asiento 1")
    second.click()
    expect(seller_a.get_by_test_id("cart-lines")).to_contain_text(f"Fila {row}, Asiento 3")

    for seat_id in seat_ids:
        expect(seller_b.locator(f"#seat-{seat_id}")).to_have_class(re.compile(r"\bseat-held\b"), timeout=2000)
    screenshot("box-office-seller-b-sees-held")

    cart = seller_a.locator("#cart")
    cart.get_by_text("Nuevo cliente").click()
    cart.get_by_label("Nombre o razón social").fill("Carlos")
    cart.get_by_label("Apellido").fill("Rodríguez")
    cart.get_by_label("Cédula o RIF", exact=True).fill("V-" + str(20_000_000 + uuid.uuid4().int % 9_000_000))
    cart.get_by_label("Teléfono celular").fill("0414-1234567")
    cart.get_by_role("button", name="Crear cliente").click()
    expect(cart.locator("#customer-picker")).to_contain_text("Carlos Rodríguez")
    settled(seller_a)

    expect(cart.get_by_label("Forma de pago")).to_have_value("cash_usd")  # the default at the counter
    cart.locator("input[name=payment-amount]").fill("40")
    cart.get_by_role("button", name="Agregar pago").click()
    expect(cart.get_by_test_id("payments")).to_contain_text("Efectivo USD")
    settled(seller_a)
    balance = cart.get_by_test_id("balance").inner_text()
    fill_pago_movil(
        cart, balance.replace("Bs.", "").strip().replace(".", "").replace(",", "."), reference="12345678"
    )
    cart.get_by_role("button", name="Agregar pago").click()
    expect(cart.get_by_test_id("balance")).to_have_text("Bs. 0,00")
    settled(seller_a)
    screenshot("box-office-cart-paid")
    cart.get_by_role("button", name="Cobrar y emitir factura").click()

    expect(seller_a.get_by_role("heading", name=re.compile("Venta"))).to_contain_text("Pagada")
    for seat_id in seat_ids:
        expect(seller_b.locator(f"#seat-{seat_id}")).to_have_class(re.compile(r"\bseat-sold\b"), timeout=2000)
    screenshot("box-office-sale-done")
    seller_b.screenshot(
        path=str(screenshot.__self__ if False else "tests/artifacts/box-office-seller-b-sees-sold.png")
    )

    href = seller_a.get_by_test_id("invoice-pdf").get_attribute("href")
    content_type, magic = seller_a.evaluate(
        """async (url) => {
            const response = await fetch(url);
            const bytes = new Uint8Array(await response.arrayBuffer());
            return [response.headers.get("content-type"), String.fromCharCode(...bytes.slice(0, 4))];
        }""",
        href,
    )
    assert content_type == "application/pdf" and magic == "%PDF"
    context_b.close()


def test_after_choosing_seats_the_whole_sale_is_done_from_the_keyboard(page, asgi_server, screenshot):
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, asgi_server, "seller@demo.test")
    open_box_office(page)
    seat = page.locator("circle.seat[aria-label^='Fila S, Asiento 9,']")
    seat.click()

    search = page.locator("#customer-q")
    expect(search).to_be_focused()  # the hold hands the keyboard to the customer search
    # The seller's own hold comes back over the live connection too (coalesced, a moment later).
    expect(seat).to_have_attribute("aria-label", re.compile("reservado"))
    settled(page)
    page.keyboard.type("V-10000000")
    expect(page.locator("#customer-results")).to_contain_text("Cliente Demo")
    page.keyboard.press("Tab")
    # A later answer to the search replaces the list under the focused result (a slow network,
    # a pause in typing): the focus stays on the same customer, and Enter still picks it.
    page.locator("#customer-q").dispatch_event("search")
    settled(page)
    expect(page.locator(".customer-result").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#customer-picker")).to_contain_text("Cliente Demo")
    settled(page)

    expect(page.locator("select[name=method]")).to_be_focused()  # picked: on to the payment
    tab_until(page, "input[name=payment-amount]")
    page.keyboard.type("100")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("payments")).to_contain_text("Efectivo USD")
    expect(page.get_by_test_id("change")).to_be_visible()
    settled(page)

    expect(page.locator("button.complete")).to_be_focused()  # paid: Enter now completes the sale
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("Venta"))).to_contain_text("Pagada")
    expect(page.get_by_test_id("tickets-pdf")).to_be_focused()  # Enter prints the tickets next
    screenshot("box-office-keyboard-sale")


def test_shift_click_holds_the_run_of_the_row_from_the_last_seat(page, asgi_server):
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, asgi_server, "seller@demo.test")
    open_box_office(page)
    first = page.locator("circle.seat[aria-label^='Fila P, Asiento 3,']")
    first.click()
    # The seller's own hold comes back over the live connection and replaces the seat's element:
    # the run must still start from that seat.
    expect(first).to_have_attribute("aria-label", re.compile("reservado"))
    settled(page)

    # Odd numbers left of the centre, even to the right (9 7 5 3 1 2 4 6 8): the run from 3 to 4
    # is the seats between them on the map, 1 and 2 included.
    page.locator("circle.seat[aria-label^='Fila P, Asiento 4,']").click(modifiers=["Shift"])
    lines = page.get_by_test_id("cart-lines")
    for number in (1, 2, 3, 4):
        expect(lines).to_contain_text(re.compile(rf"Fila P, Asiento {number}\b"))
    expect(page.locator("#cart tr[data-seat-id]")).to_have_count(4)


def test_cobrar_in_the_payment_form_takes_an_exact_pago_movil_and_issues_the_invoice(
    page, asgi_server, screenshot
):
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, asgi_server, "seller@demo.test")
    open_box_office(page)
    page.locator("circle.seat[aria-label^='Fila T, Asiento 4,']").click()
    cart = page.locator("#cart")
    expect(cart.get_by_test_id("cart-lines")).to_contain_text("Fila T, Asiento 4")
    settled(page)
    page.keyboard.type("V-10000000")
    cart.locator(".customer-result").first.click()
    expect(cart.locator("#customer-picker")).to_contain_text("Cliente Demo")
    settled(page)

    fill_pago_movil(cart, "1", reference="87654321")  # short of the balance
    cart.get_by_role("button", name="Cobrar y emitir factura").click()
    expect(page.get_by_test_id("cart-error")).to_contain_text("Falta cobrar")
    expect(cart.get_by_label("Referencia")).to_have_value("87654321")  # nothing to type again
    expect(cart.get_by_test_id("payments")).to_have_count(0)  # and nothing was kept
    settled(page)
    screenshot("box-office-cobrar-short")

    balance = cart.get_by_test_id("balance").inner_text()
    amount = cart.locator("input[name=payment-amount]")
    amount.fill(balance.replace("Bs.", "").strip().replace(".", ""))
    amount.press("Control+Enter")  # the shortcut the form's hint gives
    expect(page.get_by_role("heading", name=re.compile("Venta"))).to_contain_text("Pagada")
    expect(page.get_by_text(re.compile("^Pago Móvil: Bs"))).to_have_count(1)  # paid once, not also by Enter
    screenshot("box-office-cobrar-done")


def fill_pago_movil(cart, amount: str, *, reference: str) -> None:
    cart.get_by_label("Forma de pago").select_option("pago_movil")
    expect(cart.get_by_label("Celular del pagador")).to_be_visible()
    cart.locator("input[name=payment-amount]").fill(amount)
    cart.get_by_label("Banco").select_option("0134")
    cart.get_by_label("Celular del pagador").fill("0424-7654321")
    cart.get_by_label("Cédula o RIF del pagador").fill("V-12345678")
    cart.get_by_label("Referencia").fill(reference)


def tab_until(page, selector: str, presses: int = 15) -> None:
    for _ in range(presses):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")
