"""A manager sets up a sellable event in the browser and sees its map."""

import uuid

import pytest
from playwright.sync_api import expect

from ticketing.organizations.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_manager_builds_an_event_with_three_zones_prices_and_a_block(page, asgi_server, screenshot):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(asgi_server("demo.localhost", "/accounts/login/"))
    page.get_by_label("Correo electrónico").fill("manager@demo.test")
    page.get_by_label("Contraseña").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Entrar").click()

    page.get_by_role("link", name="Eventos").first.click()
    page.get_by_role("button", name="Nuevo evento").click()
    name = f"Festival Llanero {uuid.uuid4().hex[:6]}"
    page.get_by_label("Nombre", exact=True).fill(name)
    page.get_by_label("Recinto").select_option(label="Teatro Municipal Demo (Caracas)")
    page.get_by_label("Inicio").fill("2027-03-20T19:00")
    page.get_by_label("Fin").fill("2027-03-20T23:00")
    page.get_by_role("button", name="Guardar evento").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()

    page.get_by_role("button", name="Nueva zona").click()
    page.get_by_label("Nombre", exact=True).fill("Platea")
    page.get_by_label("Tipo").select_option("numbered")
    page.get_by_label("Precio base").fill("30")
    page.get_by_label("Filas", exact=True).fill("20")
    page.get_by_label("Asientos por fila").fill("30")
    expect(page.get_by_test_id("preview-summary")).to_contain_text("600 asientos en 20 filas (A–T).")
    screenshot("catalog-zone-preview")
    page.get_by_role("button", name="Guardar zona").click()

    page.get_by_role("button", name="Nueva zona").click()
    page.get_by_label("Nombre", exact=True).fill("Pista")
    page.get_by_label("Tipo").select_option("general")
    page.get_by_label("Precio base").fill("15")
    page.get_by_label("Capacidad").fill("200")
    page.get_by_role("button", name="Guardar zona").click()

    page.get_by_role("button", name="Nueva zona").click()
    page.get_by_label("Nombre", exact=True).fill("Mesas VIP")
    page.get_by_label("Tipo").select_option("tables")
    page.get_by_label("Precio base").fill("60")
    page.get_by_label("Mesas", exact=True).fill("5")
    page.get_by_label("Sillas por mesa").fill("4")
    page.get_by_role("button", name="Guardar zona").click()
    zones = page.locator("#zone-table")
    expect(zones).to_contain_text("Platea")
    expect(zones).to_contain_text("Pista")
    expect(zones).to_contain_text("Mesas VIP")

    page.get_by_role("button", name="Editar etapas").click()
    rows = page.get_by_test_id("stage-row")
    rows.nth(0).get_by_label("Etapa").fill("Preventa")
    rows.nth(0).get_by_label("Termina", exact=True).fill("2027-02-01T00:00")
    rows.nth(0).get_by_label("Recargo (%)").fill("-20")
    rows.nth(1).get_by_label("Etapa").fill("Regular")
    rows.nth(1).get_by_label("Empieza").fill("2027-02-01T00:00")
    rows.nth(1).get_by_label("Recargo (%)").fill("0")
    page.get_by_role("button", name="Guardar etapas").click()
    expect(page.locator(".stage-list")).to_contain_text("Preventa")
    expect(page.locator(".stage-list")).to_contain_text("Regular")

    page.locator("#zone-table tr", has_text="Platea").get_by_role("link", name="Precios por fila").click()
    page.get_by_label("Desde la fila").fill("A")
    page.get_by_label("Hasta la fila").fill("C")
    page.get_by_label("Modificador (%)").fill("20")
    page.get_by_role("button", name="Guardar").click()
    expect(page.locator("#zone-table")).to_contain_text("filas A–C: 20")  # as typed, as the seats say

    seat = page.locator("circle.seat[aria-label^='Fila A, Asiento 1,']")
    expect(seat).to_have_attribute("aria-label", "Fila A, Asiento 1, disponible, USD 30,00")
    seat.click()
    expect(page.locator("#picked-seats")).to_contain_text("Fila A, Asiento 1")
    page.locator("#block-form").get_by_label("Motivo").fill("Cámara de televisión")
    page.locator("#block-form").get_by_role("button", name="Bloquear").click()
    expect(page.locator("#blocked-seats")).to_contain_text("Cámara de televisión")
    # The section came back whole; the keyboard is still on its button, not at the page's top.
    expect(page.locator("#block-form").get_by_role("button", name="Bloquear")).to_be_focused()
    expect(page.locator("circle.seat[aria-label^='Fila A, Asiento 1,']")).to_have_class(
        "seat seat-blocked", timeout=5000
    )
    page.locator("#seat-map-" + page.url.rstrip("/").rsplit("/", 1)[-1]).scroll_into_view_if_needed()
    screenshot("catalog-event-map")
