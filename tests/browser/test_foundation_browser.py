"""The demo owner signs in, switches language, invites a seller; the seller accepts in a browser."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.test_box_office_browser import settled
from ticketing.organizations.demo import DEMO_PASSWORD

# django_db: makes pytest-django create the test database even when only browser tests run.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _sign_in(page, asgi_server, email, password):
    page.goto(asgi_server("demo.localhost", "/accounts/login/"))
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Entrar").click()


def test_owner_switches_language_and_invites_a_seller_who_then_signs_in(
    page, asgi_server, mail_dir, screenshot, browser
):
    _sign_in(page, asgi_server, "owner@demo.test", DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Hola, Olga Propietaria")).to_be_visible()

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Hello, Olga Propietaria")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Español").click()
    expect(page.get_by_role("heading", name="Hola, Olga Propietaria")).to_be_visible()

    page.get_by_role("link", name="Personal").first.click()
    email = f"vendedora-{uuid.uuid4().hex[:8]}@demo.test"
    invite = page.locator("#invite-form")
    invite.get_by_label("Nombre completo").fill("Valeria Vendedora")
    invite.get_by_label("Correo electrónico").fill("no-es-un-correo")
    invite.get_by_role("button", name="Enviar invitación").click()
    expect(page.locator("#id_email_error")).to_be_visible()

    invite = page.locator("#invite-form")  # the form was swapped with its errors
    invite.get_by_label("Correo electrónico").fill(email)
    invite.locator("select[name=role]").select_option("seller")
    invite.get_by_role("button", name="Enviar invitación").click()
    row = page.locator("#staff-table tr", has_text=email)
    expect(row).to_contain_text("Invitación pendiente")
    expect(page.get_by_text(f"Invitación enviada a {email}")).to_be_visible()
    screenshot("foundation-staff-invited")

    link = _invitation_link(mail_dir, email)
    seller_context = browser.new_context()
    seller_page = seller_context.new_page()
    seller_page.goto(link)
    seller_page.locator("input[name=password1]").fill("clave-de-valeria-2026")
    seller_page.locator("input[name=password2]").fill("clave-de-valeria-2026")
    seller_page.get_by_role("button", name="Cambiar la contraseña").click()
    # Signed in at once with the password just chosen, on the panel.
    expect(seller_page.get_by_role("heading", name="Hola, Valeria Vendedora")).to_be_visible()
    expect(seller_page.get_by_text("Su rol: Taquilla")).to_be_visible()
    expect(seller_page.get_by_role("link", name="Personal")).to_have_count(0)
    seller_context.close()


def test_a_failed_htmx_request_shows_a_visible_error(page, asgi_server, screenshot):
    _sign_in(page, asgi_server, "owner@demo.test", DEMO_PASSWORD)
    page.goto(asgi_server("demo.localhost", "/panel/staff/"))
    page.route("**/panel/staff/invite/", lambda route: route.fulfill(status=500, body="boom"))

    invite = page.locator("#invite-form")
    invite.get_by_label("Nombre completo").fill("Quien Sea")
    invite.get_by_label("Correo electrónico").fill("quien@demo.test")
    invite.get_by_role("button", name="Enviar invitación").click()

    banner = page.locator("#request-error")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("error en el servidor (500)")
    screenshot("foundation-htmx-error")


def _invitation_link(mail_dir, email) -> str:
    for message in sorted(mail_dir.glob("*.log")):
        text = message.read_text()
        if f"To: {email}" in text:
            match = re.search(r"http://demo\.localhost:\d+/accounts/password/reset/key/\S+", text)
            if match:
                return match.group(0)
    raise AssertionError(f"no invitation e-mail to {email} in {mail_dir}")


def test_the_keyboard_stays_on_the_row_after_a_staff_action(page, asgi_server):
    _sign_in(page, asgi_server, "owner@demo.test", DEMO_PASSWORD)
    page.goto(asgi_server("demo.localhost", "/panel/staff/"))
    email = f"teclado-{uuid.uuid4().hex[:8]}@demo.test"
    invite = page.locator("#invite-form")
    invite.get_by_label("Nombre completo").fill("Tomás Teclado")
    invite.get_by_label("Correo electrónico").fill(email)
    invite.get_by_role("button", name="Enviar invitación").click()
    row = page.locator("#staff-table tr", has_text=email)
    expect(row).to_contain_text("Invitación pendiente")
    # Pressed before htmx binds the new row, Enter would post the form without htmx (a page reload).
    settled(page)
    page.on("dialog", lambda dialog: dialog.accept())

    row.get_by_label("Rol de Tomás Teclado").select_option("manager")
    row.get_by_role("button", name="Cambiar rol").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Tomás Teclado ahora tiene el rol Gerente")).to_be_visible()
    # The row came back whole: the keyboard is on its "Cambiar rol" again, not at the page's top.
    expect(row.get_by_role("button", name="Cambiar rol")).to_be_focused()

    page.keyboard.press("Tab")
    expect(row.get_by_role("button", name="Desactivar")).to_be_focused()
    page.keyboard.press("Enter")
    expect(row).to_contain_text("Desactivada")
    # "Desactivar" became "Reactivar", in the same place.
    expect(row.get_by_role("button", name="Reactivar")).to_be_focused()
