"""A customer on a phone buys two seats while a seller's map shows them held, then sold."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.test_box_office_browser import (
    cancel_any_sale_in_progress,
    open_box_office,
    settled,
    sign_in,
)
from tests.servers import commit_sql

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}


def tap_seat(seat) -> None:
    """A finger on a phone: seats drawn too small to aim at zoom in on the first tap (bigger
    than a fingertip then), and the tap after that picks the seat."""
    if seat.bounding_box()["width"] < 20:
        seat.tap()
        assert seat.bounding_box()["width"] >= 20, "the tap should have zoomed in on the seat"
    seat.tap()


def phone_shot(page, name: str) -> None:
    page.screenshot(path=f"tests/artifacts/{name}.png", full_page=True)


def test_a_customer_on_a_phone_buys_two_seats_live_against_the_box_office(browser, asgi_server, page):
    seller = page
    seller.set_viewport_size({"width": 1366, "height": 900})
    sign_in(seller, asgi_server, "seller@demo.test")
    open_box_office(seller)

    context = browser.new_context(**PHONE)
    customer = context.new_page()
    customer.set_default_timeout(10_000)
    customer.goto(asgi_server("demo.localhost", "/"))
    phone_shot(customer, "storefront-1-events")
    customer.locator(".event-card-link").first.click()
    expect(customer.locator("[data-live-status]")).to_have_attribute("data-live-status", "open")
    phone_shot(customer, "storefront-2-event-map")

    row = "N" if uuid.uuid4().int % 2 else "P"  # rows no other test uses
    held_legend = customer.locator('.seat-map-legend [data-legend="seat-held"]')
    held_before = int(held_legend.get_attribute("data-count"))
    # The other way round: what the box office holds shows on the customer's phone at once.
    counter_seat = seller.locator(f"circle.seat[aria-label^='Fila {row}, Asiento 12,']")
    counter_seat.click()
    expect(seller.get_by_test_id("cart-lines")).to_contain_text(f"Fila {row}, Asiento 12")
    expect(customer.locator(f"#seat-{counter_seat.get_attribute('data-seat')}")).to_have_class(
        re.compile(r"\bseat-held\b"), timeout=1500
    )
    chosen = [customer.locator(f"circle.seat[aria-label^='Fila {row}, Asiento {n},']") for n in (5, 6)]
    seat_ids = [seat.get_attribute("data-seat") for seat in chosen]
    for seat, number in zip(chosen, (5, 6), strict=True):
        tap_seat(seat)
        expect(customer.get_by_test_id("basket-lines")).to_contain_text(f"Fila {row}, Asiento {number}")
        settled(customer)
    # The legend counts follow the live updates: the box office's seat and the customer's two.
    expect(held_legend).to_have_attribute("data-count", str(held_before + 3))
    expect(held_legend.locator("small")).to_have_text(str(held_before + 3))
    expect(customer.locator(".basket-bar .countdown")).to_have_text(re.compile(r"^\d\d:\d\d$"))
    for seat_id in seat_ids:
        expect(seller.locator(f"#seat-{seat_id}")).to_have_class(re.compile(r"\bseat-held\b"), timeout=2000)
    phone_shot(customer, "storefront-3-basket")
    seller.screenshot(path="tests/artifacts/storefront-seller-sees-held.png")

    customer.locator(".basket-bar a").tap()  # the bar that stays at the bottom of a phone screen
    form = customer.get_by_test_id("buyer-form")
    form.get_by_label("Nombre o razón social").fill("María")
    form.get_by_label("Apellido").fill("González")
    form.get_by_label("Cédula o RIF").fill("V-" + str(21_000_000 + uuid.uuid4().int % 8_000_000))
    form.get_by_label("Celular").fill("0412-3456789")
    form.get_by_label("Correo electrónico").fill("maria@example.com")
    form.get_by_label("Tarjeta en línea").check()
    form.get_by_label("Acepto los términos y condiciones").check()
    phone_shot(customer, "storefront-4-details")
    form.get_by_role("button", name="Continuar").tap()

    card = customer.get_by_test_id("card-form")
    expect(customer.get_by_test_id("amount-due")).to_contain_text("Bs.")
    card.get_by_label("Número de la tarjeta").fill("4111 1111 1111 1111")
    card.get_by_label("Titular").fill("María González")
    card.get_by_label("Vence (MM/AA)").fill("12/30")
    card.get_by_label("Código de seguridad").fill("123")
    phone_shot(customer, "storefront-5-card")
    card.get_by_role("button", name=re.compile("^Pagar")).tap()

    expect(customer.get_by_role("heading", level=1)).to_contain_text(re.compile("pedido|compra", re.I))
    expect(customer.locator("svg").first).to_be_visible()
    expect(customer.get_by_text(f"Fila {row}, Asiento 5").first).to_be_visible()
    for seat_id in seat_ids:
        expect(seller.locator(f"#seat-{seat_id}")).to_have_class(re.compile(r"\bseat-sold\b"), timeout=2000)
    phone_shot(customer, "storefront-6-my-order")
    seller.screenshot(path="tests/artifacts/storefront-seller-sees-sold.png")
    context.close()


def test_a_seat_taken_before_the_phone_heard_of_it_says_why_at_the_foot_of_the_screen(
    browser, asgi_server, page
):
    seller = page
    seller.on("dialog", lambda dialog: dialog.accept())  # «¿Cancelar la venta…?» at the end
    seller.set_viewport_size({"width": 1366, "height": 900})
    sign_in(seller, asgi_server, "seller@demo.test")
    open_box_office(seller)
    cancel_any_sale_in_progress(seller)
    context = browser.new_context(**PHONE)
    customer = context.new_page()
    customer.set_default_timeout(10_000)

    def late_live_updates(ws):  # a slow network: the map still draws free a seat just taken
        ws.connect_to_server().on_message(lambda message: None)

    customer.route_web_socket(re.compile(r"/ws/live/"), late_live_updates)
    customer.goto(asgi_server("demo.localhost", "/"))
    customer.locator(".event-card-link").first.click()
    expect(customer.locator("[data-live-status]")).to_have_attribute("data-live-status", "open")
    tap_seat(customer.locator("circle.seat[aria-label^='Fila I, Asiento 5,']"))
    expect(customer.get_by_test_id("basket-lines")).to_contain_text("Fila I, Asiento 5")
    settled(customer)
    seller.locator("circle.seat[aria-label^='Fila I, Asiento 7,']").click()
    expect(seller.get_by_test_id("cart-lines")).to_contain_text("Fila I, Asiento 7")

    tap_seat(customer.locator("circle.seat[aria-label^='Fila I, Asiento 7,']"))

    # The basket says it at its top, under the map and not wholly in sight; the foot of the screen too.
    refusal = re.compile("no están disponibles: Fila I, Asiento 7")
    expect(customer.get_by_test_id("basket-error")).to_contain_text(refusal)
    expect(customer.get_by_test_id("basket-error")).not_to_be_in_viewport(ratio=1)
    banner = customer.locator("#request-error")
    expect(banner).to_contain_text(refusal)
    expect(banner).to_be_in_viewport()
    customer.screenshot(path="tests/artifacts/storefront-refused-tap.png")
    cancel_any_sale_in_progress(seller)
    context.close()


def test_at_checkout_a_hold_that_runs_out_sends_the_customer_back_to_the_event(browser, asgi_server):
    context = browser.new_context(**PHONE)
    customer = context.new_page()
    customer.set_default_timeout(10_000)
    customer.clock.install()
    customer.goto(asgi_server("demo.localhost", "/"))
    customer.locator(".event-card-link").first.click()
    expect(customer.locator("[data-live-status]")).to_have_attribute("data-live-status", "open")
    seat = customer.locator("circle.seat[aria-label^='Fila Q, Asiento 20,']")
    tap_seat(seat)
    expect(customer.get_by_test_id("basket-lines")).to_contain_text("Fila Q, Asiento 20")
    settled(customer)
    customer.get_by_test_id("checkout").tap()
    expect(customer.get_by_test_id("order-summary").locator(".countdown")).to_have_text(
        re.compile(r"^\d\d:\d\d$")
    )
    order_id = re.search(r"/compra/([0-9a-f-]{36})/", customer.url).group(1)

    expire_online_order(order_id)
    customer.clock.fast_forward("30:00")

    expect(customer.get_by_text("Su reserva venció y los asientos se liberaron.")).to_be_visible()
    expect(customer).to_have_url(re.compile(r"/e/\d+/$"))
    expect(seat).to_have_class(re.compile(r"\bseat-available\b"))
    context.close()


def expire_online_order(public_id: str) -> None:
    """What the hold's minutes do on the server."""
    commit_sql(
        "UPDATE demo.sales_order SET expires_at = now() - interval '1 second' WHERE public_id = %s",
        [public_id],
    )


def test_staff_reject_a_reported_pago_movil_and_the_customer_reads_why(browser, asgi_server, page):
    context = browser.new_context(**PHONE)
    customer = context.new_page()
    customer.set_default_timeout(10_000)
    customer.goto(asgi_server("demo.localhost", "/"))
    customer.locator(".event-card-link").first.click()
    expect(customer.locator("[data-live-status]")).to_have_attribute("data-live-status", "open")
    tap_seat(customer.locator("circle.seat[aria-label^='Fila R, Asiento 30,']"))  # a row no other test uses
    expect(customer.get_by_test_id("basket-lines")).to_contain_text("Fila R, Asiento 30")
    settled(customer)
    customer.locator(".basket-bar a").tap()
    form = customer.get_by_test_id("buyer-form")
    form.get_by_label("Nombre o razón social").fill("Rosa")
    form.get_by_label("Apellido").fill("Rechazo")
    document = "V-" + str(21_000_000 + uuid.uuid4().int % 8_000_000)
    form.get_by_label("Cédula o RIF").fill(document)
    form.get_by_label("Celular").fill("0414-7654321")
    form.get_by_label("Correo electrónico").fill("rosa@example.com")
    form.get_by_label("Pago Móvil").check()
    form.get_by_label("Acepto los términos y condiciones").check()
    form.get_by_role("button", name="Continuar").tap()

    report = customer.get_by_test_id("report-form")
    # The phone and cédula typed at checkout come along.
    expect(report.get_by_label("Celular del pagador")).to_have_value("0414-7654321")
    report.get_by_label("Banco").select_option("0105")
    reference = str(uuid.uuid4().int % 10**8).zfill(8)
    report.get_by_label("Referencia").fill(reference)
    report.get_by_role("button", name="Reportar pago").tap()
    expect(customer.get_by_text("Estamos verificando su pago").first).to_be_visible()

    sign_in(page, asgi_server, "seller@demo.test")
    page.goto(asgi_server("demo.localhost", "/panel/online/"))
    row = page.get_by_test_id("review-row").filter(has_text=document)
    expect(row).to_contain_text(reference)
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    row.get_by_text("Rechazar", exact=True).click()
    row.get_by_role("button", name="Rechazar pago").click()
    # Nothing to confirm yet: the reason is missing, and the keyboard is on it.
    reason = row.get_by_label("Motivo del rechazo")
    expect(row).to_contain_text("Indique el motivo del rechazo.")
    expect(reason).to_be_focused()
    assert asked == []

    reason.fill("No recibimos el Pago Móvil con esa referencia")
    page.keyboard.press("Enter")
    status = page.locator("#messages [role=status]")
    expect(status).to_contain_text("Pago rechazado")
    expect(row).to_have_count(0)
    assert len(asked) == 1 and asked[0].startswith("¿Rechazar el pago?")
    # The row is gone: the keyboard is on the message that says what happened.
    expect(status).to_be_focused()

    customer.reload()
    expect(customer.get_by_text("No recibimos el Pago Móvil con esa referencia")).to_be_visible()
    context.close()
