"""The box office on a touchscreen tablet: taps, not clicks; a finger, not a mouse pointer; the
page scrolled by a swipe; an on-screen keyboard. Rows B, C, D, M and O of the demo map are this
file's (no other browser test uses them)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_box_office_browser import (
    cancel_any_sale_in_progress,
    open_box_office,
    settled,
    sign_in,
)
from tests.browser.test_box_office_by_hand import second_seller

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PORTRAIT = {"width": 810, "height": 1080}  # a 10" tablet held upright
LANDSCAPE = {"width": 1024, "height": 768}


@pytest.fixture
def tablet(browser):
    """A page in a touch browser (coarse pointer, taps), upright; `tablet.context` for more."""
    context = browser.new_context(viewport=PORTRAIT, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("dialog", lambda dialog: dialog.accept())
    yield page
    context.close()


def fresh_box_office(page, asgi_server, email="owner@demo.test"):
    """Signed in, on the demo event's box office with no sale left over from another test."""
    sign_in(page, asgi_server, email)
    open_box_office(page)
    cancel_any_sale_in_progress(page)


def snap(page, name: str) -> None:
    """tests/artifacts/<name>.png: what the tablet's screen shows."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def seat(page, label):
    return page.locator(f"circle.seat[aria-label^='{label},']")


def seat_size(page, label) -> float:
    box = seat(page, label).bounding_box()
    return max(box["width"], box["height"])


def within_reach(page, label):
    """The seat on screen and big enough for a finger: a tap on a seat too small zooms in around
    it first (seatmap.js), as a person does before choosing."""
    target = seat(page, label)
    target.scroll_into_view_if_needed()
    if seat_size(page, label) < 20:
        target.tap()
        page.wait_for_function(
            "(id) => document.getElementById(id).getBoundingClientRect().width >= 20",
            arg=target.get_attribute("id"),
        )
    target.scroll_into_view_if_needed()
    return target


def scroll_y(page) -> float:
    return page.evaluate("window.scrollY")


def test_a_tapped_seat_keeps_the_map_where_the_finger_is(tablet, asgi_server):
    page = tablet
    fresh_box_office(page, asgi_server)
    first = within_reach(page, "Fila M, Asiento 5")
    before = scroll_y(page)

    first.tap()
    expect(page.get_by_test_id("cart-lines")).to_contain_text("Fila M, Asiento 5")
    settled(page)
    page.wait_for_timeout(300)  # the cart settles, htmx would focus its autofocus now

    # The customer search (the cart's autofocus) did not take the focus and scroll the map away.
    expect(page.locator("#customer-q")).not_to_be_focused()
    assert scroll_y(page) == before
    second = within_reach(page, "Fila M, Asiento 7")
    before = scroll_y(page)
    second.tap()
    expect(page.get_by_test_id("cart-lines")).to_contain_text("Fila M, Asiento 7")
    settled(page)
    page.wait_for_timeout(300)
    assert scroll_y(page) == before
    snap(page, "tablet-two-seats-tapped")

    # A tap on one's own seat releases it, and the cart that comes back leaves the page put too.
    page.wait_for_timeout(700)  # not the second tap of a double tap
    first.tap()
    expect(page.get_by_test_id("cart-lines")).not_to_contain_text("Fila M, Asiento 5")
    settled(page)
    page.wait_for_timeout(300)
    assert scroll_y(page) == before


def test_a_double_tap_on_a_seat_holds_it_once(tablet, asgi_server):
    page = tablet
    fresh_box_office(page, asgi_server)
    target = within_reach(page, "Fila M, Asiento 9")

    target.tap()
    target.tap()  # the finger's second tap, a moment later
    lines = page.get_by_test_id("cart-lines")
    expect(lines).to_contain_text("Fila M, Asiento 9")
    settled(page)
    page.wait_for_timeout(800)
    settled(page)
    expect(page.get_by_test_id("cart-error")).to_have_count(0)
    expect(page.locator("#cart tr[data-seat-id]")).to_have_count(1)
    expect(target).to_have_class(re.compile(r"\bmine\b"))

    # Once the cart shows it, a quick second tap does not release it either.
    other = within_reach(page, "Fila M, Asiento 11")
    other.tap()
    expect(lines).to_contain_text("Fila M, Asiento 11")
    other.tap()
    page.wait_for_timeout(800)
    settled(page)
    expect(page.locator("#cart tr[data-seat-id]")).to_have_count(2)
    # A tap on one's own seat later on still releases it.
    other.tap()
    expect(lines).not_to_contain_text("Fila M, Asiento 11")


def test_on_a_tablet_the_box_office_opens_at_the_stage_not_at_the_row_field(tablet, asgi_server):
    page = tablet
    fresh_box_office(page, asgi_server)
    for _ in range(3):  # the browser's own autofocus comes at a moment of its choosing
        page.reload()
        expect(page.locator("[data-live-status]")).to_have_attribute("data-live-status", "open")
        page.wait_for_timeout(300)
        assert scroll_y(page) == 0
        expect(page.get_by_test_id("seat-by-number").get_by_label("Fila")).not_to_be_focused()
        expect(page.locator(".stage")).to_be_in_viewport()


def fingers(page):
    """`touch(kind, *points)`: touch events through the browser's input pipeline (CDP), one
    finger at each point (as Playwright's tap cannot: a move, two fingers)."""
    cdp = page.context.new_cdp_session(page)

    def touch(kind: str, *points: tuple[float, float]) -> None:
        touch_points = [{"x": x, "y": y, "id": n} for n, (x, y) in enumerate(points)]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": touch_points})

    return touch


def centre(locator) -> tuple[float, float]:
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_a_tap_whose_finger_slides_a_few_pixels_still_holds_the_seat(tablet, asgi_server):
    page = tablet
    fresh_box_office(page, asgi_server)
    target = within_reach(page, "Fila M, Asiento 13")
    x, y = centre(target)
    touch = fingers(page)

    touch("touchStart", (x, y))
    touch("touchMove", (x + 4, y + 1))
    touch("touchMove", (x + 8, y + 2))  # a finger is no mouse: 8 px is still a tap
    touch("touchEnd")

    expect(page.get_by_test_id("cart-lines")).to_contain_text("Fila M, Asiento 13")


def view_width(page) -> float:
    return float(page.locator("svg.seat-map-svg").get_attribute("viewBox").split()[2])


def whole_width(page) -> float:
    return float(page.locator("svg.seat-map-svg").get_attribute("data-view-box").split()[2])


def test_a_swipe_over_the_whole_map_scrolls_the_page_and_two_fingers_still_zoom(tablet, asgi_server):
    page = tablet
    fresh_box_office(page, asgi_server)
    page.evaluate("window.scrollTo(0, 0)")
    viewport = page.locator(".seat-map-viewport")
    x, y = centre(viewport)
    assert view_width(page) == whole_width(page)

    touch = fingers(page)
    touch("touchStart", (x, y + 150))
    for step in range(1, 11):
        touch("touchMove", (x, y + 150 - 30 * step))
    touch("touchEnd")
    page.wait_for_timeout(300)
    assert scroll_y(page) > 100  # the page moved up under the finger
    assert view_width(page) == whole_width(page)  # the map did not zoom
    expect(page.locator(".seat-map")).not_to_have_class(re.compile(r"\bis-zoomed\b"))

    page.evaluate("window.scrollTo(0, 0)")
    x, y = centre(viewport)
    touch("touchStart", (x - 30, y - 20), (x + 30, y + 20))
    for step in range(1, 11):
        touch("touchMove", (x - 30 - 12 * step, y - 20 - 8 * step), (x + 30 + 12 * step, y + 20 + 8 * step))
    touch("touchEnd")
    page.wait_for_timeout(300)
    assert view_width(page) < whole_width(page) * 0.6  # the map zoomed in under the fingers
    expect(page.locator(".seat-map")).to_have_class(re.compile(r"\bis-zoomed\b"))


def test_a_live_update_counts_the_legend_in_thousands_as_the_server_does(page, asgi_server):
    page.set_viewport_size({"width": 1366, "height": 900})
    fresh_box_office(page, asgi_server)
    available = page.locator('.seat-map-legend [data-legend="seat-available"] small')
    # As if the map had 2,001 seats free (the demo's has some 600).
    page.evaluate(
        """() => document.querySelector('.seat-map-legend [data-legend="seat-available"]')
             .dataset.count = "2001" """
    )

    seat(page, "Fila D, Asiento 2").click()

    expect(available).to_have_text("2.000")  # as Django prints it, not "2000"


def test_the_customer_picked_survives_a_reload(tablet, asgi_server):
    page = tablet
    fresh_box_office(page, asgi_server)
    within_reach(page, "Fila O, Asiento 3").tap()
    cart = page.locator("#cart")
    expect(cart.get_by_test_id("cart-lines")).to_contain_text("Fila O, Asiento 3")
    settled(page)
    page.locator("#customer-q").tap()
    page.locator("#customer-q").fill("V-10000000")

    attached = []
    page.on("request", lambda r: attached.append(r.post_data) if r.url.endswith("/customer/") else None)
    with page.expect_response(lambda r: r.url.endswith("/customer/") and r.request.method == "POST") as sent:
        cart.locator(".customer-result").first.tap()
    assert sent.value.status == 204
    expect(cart.locator("#customer-picker")).to_contain_text("Cliente Demo")
    settled(page)
    assert len(attached) == 1 and re.search(r"\bcustomer=\d+", attached[0])  # once, with the customer

    # The tablet drops the page while the seller checks the bank app; it loads again.
    page.reload()
    expect(cart.locator("#customer-picker")).to_contain_text("Cliente Demo")
    cart.get_by_label("Forma de pago").select_option("pago_movil")
    expect(cart.get_by_label("Celular del pagador")).to_have_value("0414-1234567")


def test_while_the_map_is_in_sight_the_sale_shows_at_the_foot_of_the_screen(tablet, page, asgi_server):
    fresh_box_office(tablet, asgi_server)
    bar = tablet.get_by_test_id("sale-bar")
    expect(bar).to_have_count(0)  # no sale yet
    within_reach(tablet, "Fila O, Asiento 5").tap()
    expect(tablet.get_by_test_id("cart-lines")).to_contain_text("Fila O, Asiento 5")
    settled(tablet)
    # Upright, the cart is below the map: the seats chosen and the balance show where the finger is.
    expect(bar).to_be_in_viewport()
    expect(bar).to_contain_text(re.compile(r"\b1 entrada · Saldo Bs\. [\d.]+,\d\d"))
    within_reach(tablet, "Fila O, Asiento 7").tap()
    expect(bar).to_contain_text("2 entradas")
    expect(bar.locator(".countdown")).to_have_text(re.compile(r"^\d\d:\d\d$"))  # the hold's time left
    snap(tablet, "tablet-sale-at-the-foot")

    bar.locator("a").tap()  # down to the customer and the payment, and the bar gives way to the cart itself
    expect(tablet.locator("#customer-q")).to_be_in_viewport()
    expect(tablet.get_by_role("button", name="Cobrar y emitir factura")).to_be_in_viewport()
    expect(bar).to_be_hidden()
    tablet.evaluate("window.scrollTo(0, 0)")
    expect(bar).to_be_visible()

    # At a desk the cart is beside the map: no bar over it.
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, asgi_server, "owner@demo.test")
    open_box_office(page)  # the same sale in progress
    expect(page.get_by_test_id("cart-lines")).to_contain_text("Fila O, Asiento 7")
    expect(page.get_by_test_id("sale-bar")).to_be_hidden()


def test_a_tap_the_server_refuses_says_why_at_the_foot_of_the_screen(tablet, browser, asgi_server):
    page = tablet

    def late_live_updates(ws):  # a slow network: the map still draws free a seat just taken
        ws.connect_to_server().on_message(lambda message: None)

    page.route_web_socket(re.compile(r"/ws/live/"), late_live_updates)
    fresh_box_office(page, asgi_server)
    within_reach(page, "Fila O, Asiento 9").tap()
    expect(page.get_by_test_id("cart-lines")).to_contain_text("Fila O, Asiento 9")
    settled(page)
    other = second_seller(browser, asgi_server)
    other.locator("circle.seat[aria-label^='Fila O, Asiento 11,']").click()
    expect(other.get_by_test_id("cart-lines")).to_contain_text("Fila O, Asiento 11")

    within_reach(page, "Fila O, Asiento 11").tap()

    # The cart says it at its top, under the map and out of sight; the foot of the screen says it too.
    refusal = "Estos asientos ya no están disponibles: Fila O, Asiento 11. No se reservó nada."
    expect(page.get_by_test_id("cart-error")).to_contain_text(refusal)
    expect(page.get_by_test_id("cart-error")).not_to_be_in_viewport()
    banner = page.locator("#request-error")
    expect(banner).to_contain_text(refusal)
    expect(banner).to_be_in_viewport()
    snap(page, "tablet-refused-tap")
    within_reach(page, "Fila O, Asiento 13").tap()  # the next tap clears it
    expect(banner).to_be_hidden()
    cancel_any_sale_in_progress(other)
    other.context.close()


def test_a_tap_on_a_seat_that_cannot_be_chosen_says_why(tablet, asgi_server):
    page = tablet
    fresh_box_office(page, asgi_server)
    blocked = page.locator("circle.seat.seat-blocked").first
    label = blocked.get_attribute("aria-label")
    within_reach(page, label.split(",")[0] + "," + label.split(",")[1])  # "Fila K, Asiento 1"
    blocked.tap()

    tooltip = page.locator(".seat-map-tooltip")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text(label)
    snap(page, "tablet-blocked-seat-tapped")
    expect(page.locator("#cart .empty-state")).to_be_visible()  # and nothing was held
    expect(tooltip).to_be_hidden(timeout=4000)  # gone after a moment


def numbers(page):
    return page.locator("svg.seat-map-svg g.seat-numbers text")


def test_zoomed_in_the_seats_show_their_numbers_and_rows(tablet, asgi_server):
    page = tablet
    fresh_box_office(page, asgi_server)
    expect(numbers(page)).to_have_count(0)  # the whole map: seats too small for numbers

    within_reach(page, "Fila B, Asiento 5")  # zoomed in: seats some 32 px across
    expect(numbers(page).first).to_be_attached()
    texts = numbers(page).all_text_contents()
    assert "5" in texts or "B5" in texts
    assert any(re.fullmatch(r"B\d+", text) for text in texts)  # the row, on its first seat in view
    assert len(texts) < 400  # the seats in view only
    snap(page, "tablet-seat-numbers")

    # A live update (the seat held) redraws seats by id: the numbers stay.
    seat(page, "Fila B, Asiento 5").tap()
    expect(seat(page, "Fila B, Asiento 5")).to_have_attribute("aria-label", re.compile("reservado"))
    expect(numbers(page).first).to_be_attached()

    # The whole map drawn again (as after the live connection comes back): numbers again.
    page.evaluate(
        """() => htmx.ajax("GET", document.querySelector("[data-seat-selection]").dataset.mapUrl, {
             target: "#" + document.querySelector("[data-seat-map]").id, swap: "outerHTML" })"""
    )
    settled(page)
    expect(numbers(page).first).to_be_attached()

    page.get_by_role("button", name="Ver todo el mapa").tap()
    expect(numbers(page)).to_have_count(0)


def test_a_run_of_a_row_without_a_shift_key(tablet, asgi_server):
    page = tablet
    fresh_box_office(page, asgi_server)
    # The hints speak of taps, not of Shift and the mouse.
    expect(page.get_by_text(re.compile("^Toque un asiento para reservarlo"))).to_be_visible()
    expect(page.get_by_text(re.compile("Mayús \\+ clic"))).to_be_hidden()
    within_reach(page, "Fila C, Asiento 3").tap()
    lines = page.get_by_test_id("cart-lines")
    expect(lines).to_contain_text("Fila C, Asiento 3")
    settled(page)
    expect(page.get_by_text("Enter agrega el pago; Ctrl+Enter cobra y emite la factura.")).to_be_hidden()

    run = page.get_by_role("button", name="Tramo de fila")
    run.tap()
    expect(run).to_have_attribute("aria-pressed", "true")
    within_reach(page, "Fila C, Asiento 4").tap()

    # Odd numbers left of the centre, even to the right: 3 1 2 4.
    for number in (1, 2, 3, 4):
        expect(lines).to_contain_text(re.compile(rf"Fila C, Asiento {number}\b"))
    expect(page.locator("#cart tr[data-seat-id]")).to_have_count(4)
    expect(run).to_have_attribute("aria-pressed", "false")  # one run per press


def test_what_a_finger_taps_in_the_cart_is_big_enough(tablet, page, asgi_server):
    fresh_box_office(tablet, asgi_server)
    within_reach(tablet, "Fila D, Asiento 5").tap()
    cart = tablet.locator("#cart")
    expect(cart.get_by_test_id("cart-lines")).to_contain_text("Fila D, Asiento 5")
    settled(tablet)
    cart.get_by_role("button", name="Agregar pago").tap()
    expect(cart.get_by_test_id("payments")).to_contain_text("Efectivo USD")
    settled(tablet)

    targets = {
        "×, the seat": cart.locator("tr[data-seat-id] [data-release]").first,
        "×, the payment": cart.get_by_role("button", name=re.compile("^Quitar el pago")),
        "Nuevo cliente": cart.locator(".customer-new > summary"),
        "Cancelar venta": cart.get_by_role("button", name="Cancelar venta"),
        "Tramo de fila": tablet.get_by_role("button", name="Tramo de fila"),
    }
    small = {
        name: box
        for name, target in targets.items()
        if min((box := target.bounding_box())["width"], box["height"]) < 44
    }
    assert small == {}
    snap(tablet, "tablet-cart-targets")

    # At a desk with a mouse the cart keeps its compact look.
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, asgi_server, "owner@demo.test")
    open_box_office(page)  # the same sale in progress: it follows the seller
    remove = page.locator("#cart tr[data-seat-id] [data-release]").first
    assert remove.bounding_box()["height"] < 30


def test_with_the_on_screen_keyboard_up_the_customers_found_are_in_sight(browser, asgi_server):
    context = browser.new_context(viewport=LANDSCAPE, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("dialog", lambda dialog: dialog.accept())
    fresh_box_office(page, asgi_server)
    content = page.locator("meta[name=viewport]").get_attribute("content")
    assert "interactive-widget=resizes-content" in content  # the keyboard shrinks the page
    within_reach(page, "Fila D, Asiento 9").tap()
    cart = page.locator("#cart")
    expect(cart.get_by_test_id("cart-lines")).to_contain_text("Fila D, Asiento 9")
    settled(page)

    search = page.locator("#customer-q")
    search.tap()
    page.set_viewport_size({"width": 1024, "height": 400})  # the keyboard takes the rest
    search.press_sequentially("V-1000000", delay=20)

    expect(cart.locator(".customer-result").first).to_be_in_viewport()
    snap(page, "tablet-landscape-keyboard-results")
    context.close()
