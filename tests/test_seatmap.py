"""The seat map: one SVG of the whole event, with labels a screen reader can read, status colors,
general-admission capacity, tables, a legend, and a fixed number of queries whatever the size."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection, connections
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from ticketing.events.models import Event, Seat, Table, Zone
from ticketing.events.seatmap import (
    SEAT_MAP_QUERIES,
    LegendItem,
    build_seat_map,
    render_seat_changes,
    render_seat_map_svg,
    render_seat_map_updates,
    seat_map_context,
)
from ticketing.events.services import save_zone
from ticketing.pricing.models import PriceStage, RowPricing
from ticketing.venues.models import Venue

SVG = "{http://www.w3.org/2000/svg}"
REPO = Path(__file__).resolve().parent.parent


def make_event(name="Concierto de Aniversario") -> Event:
    venue, _ = Venue.objects.get_or_create(
        name="Teatro Municipal", city="Valencia", defaults={"address": "Av. Bolívar", "capacity": 12000}
    )
    starts = timezone.now() + timedelta(days=30)
    return Event.objects.create(
        venue=venue, name=name, starts_at=starts, ends_at=starts + timedelta(hours=3), status="on_sale"
    )


def numbered_zone(event, *, name="Platea", rows=5, seats_per_row=20, base="25.00", **fields) -> Zone:
    return save_zone(
        zone=Zone(
            event=event,
            name=name,
            kind=Zone.Kind.NUMBERED,
            base_price=Decimal(base),
            rows=rows,
            seats_per_row=seats_per_row,
            **fields,
        )
    )


@pytest.fixture
def event(in_acme):
    """Platea (5 rows × 20 seats, rows A–C +10%), General (500, 20 sold), Mesas VIP (4 × 6
    chairs), and a +10% price stage: Fila C costs 25 + 2,50 + 2,50 = USD 30,00."""
    event = make_event()
    platea = numbered_zone(event)
    RowPricing.objects.create(zone=platea, first_row=1, last_row=3, percent=Decimal("10"))
    save_zone(
        zone=Zone(
            event=event,
            name="General",
            kind=Zone.Kind.GENERAL,
            base_price=Decimal("20.00"),
            capacity=500,
            sold_count=20,
            shape=Zone.Shape.ELLIPSE,
            color="#f97316",
        )
    )
    save_zone(
        zone=Zone(
            event=event,
            name="Mesas VIP",
            kind=Zone.Kind.TABLES,
            base_price=Decimal("50.00"),
            tables_count=4,
            chairs_per_table=6,
            color="#a855f7",
        )
    )
    PriceStage.objects.create(event=event, name="Regular", sequence=1, markup_percent=Decimal("10"))
    return event


def zone_named(event, name) -> Zone:
    return Zone.objects.get(event=event, name=name)


def parse(svg) -> ET.Element:
    return ET.fromstring(str(svg))


def seat_elements(root) -> dict[str, ET.Element]:
    return {c.get("id"): c for c in root.iter(f"{SVG}circle") if "seat" in (c.get("class") or "").split()}


def seat(event, row_label, number) -> Seat:
    return Seat.objects.get(event=event, table__isnull=True, row_label=row_label, number=number)


def test_every_seat_appears_once_with_its_id_data_and_label(event):
    svg = render_seat_map_svg(build_seat_map(event))
    root = parse(svg)
    circles = seat_elements(root)

    seats = list(Seat.objects.filter(event=event))
    assert len(seats) == 100 + 4 * 6
    assert set(circles) == {f"seat-{s.pk}" for s in seats}
    for s in seats:
        assert str(svg).count(f'id="seat-{s.pk}"') == 1

    c14 = seat(event, "C", 14)
    circle = circles[f"seat-{c14.pk}"]
    assert circle.get("aria-label") == "Fila C, Asiento 14, disponible, USD 30,00"
    assert circle.get("data-seat") == str(c14.pk)
    assert circle.get("data-zone") == str(c14.zone_id)
    assert (circle.get("data-row"), circle.get("data-number")) == ("C", "14")
    assert (circle.get("tabindex"), circle.get("role")) == ("0", "button")
    assert circle.get("class") == "seat seat-available"
    assert (float(circle.get("cx")), float(circle.get("cy"))) == (c14.x, c14.y)
    # Row D has no row pricing: base + stage only.
    d1 = circles[f"seat-{seat(event, 'D', 1).pk}"]
    assert d1.get("aria-label") == "Fila D, Asiento 1, disponible, USD 27,50"


def test_zones_are_groups_with_an_outline_a_name_and_a_stage_above(event):
    root = parse(render_seat_map_svg(build_seat_map(event)))
    platea = zone_named(event, "Platea")
    group = root.find(f".//{SVG}g[@id='zone-{platea.pk}']")
    assert group.get("aria-label") == "Platea"
    assert group.find(f"{SVG}rect").get("style") == f"--zone-color:{platea.color}"
    assert [t.text for t in group.iter(f"{SVG}text") if t.get("class") == "zone-name"] == ["Platea"]
    row_labels = [t.text for t in group.find(f"{SVG}g[@class='row-labels']")]
    assert row_labels == ["A", "A", "B", "B", "C", "C", "D", "D", "E", "E"]  # both sides of each row
    general = zone_named(event, "General")
    assert root.find(f".//{SVG}g[@id='zone-{general.pk}']//{SVG}ellipse") is not None

    stage = root.find(f"{SVG}g[@class='stage']")
    assert stage.find(f"{SVG}text").text == "ESCENARIO"
    x, y, width, height = map(float, root.get("viewBox").split())
    stage_y = float(stage.find(f"{SVG}rect").get("y"))
    assert y < stage_y < min(z.y for z in event.zones.all())
    for zone in event.zones.all():
        assert x < zone.x and zone.x + zone.width < x + width
        assert y < zone.y and zone.y + zone.height < y + height


def test_seat_status_classes_and_words(event):
    held, sold, blocked = seat(event, "A", 1), seat(event, "A", 2), seat(event, "A", 3)
    Seat.objects.filter(pk=held.pk).update(status=Seat.Status.HELD)
    Seat.objects.filter(pk=sold.pk).update(status=Seat.Status.SOLD)
    Seat.objects.filter(pk=blocked.pk).update(status=Seat.Status.BLOCKED, block_reason="Cámara")

    seat_map = build_seat_map(event)
    circles = seat_elements(parse(render_seat_map_svg(seat_map)))

    assert circles[f"seat-{held.pk}"].get("class") == "seat seat-held"
    assert circles[f"seat-{held.pk}"].get("aria-label") == "Fila A, Asiento 1, reservado, USD 30,00"
    assert circles[f"seat-{sold.pk}"].get("class") == "seat seat-sold"
    assert circles[f"seat-{sold.pk}"].get("aria-label") == "Fila A, Asiento 2, vendido, USD 30,00"
    assert circles[f"seat-{blocked.pk}"].get("class") == "seat seat-blocked"
    assert circles[f"seat-{blocked.pk}"].get("aria-label") == "Fila A, Asiento 3, bloqueado, USD 30,00"
    assert circles[f"seat-{seat(event, 'A', 4).pk}"].get("class") == "seat seat-available"
    assert seat_map.counts == {"available": 121, "held": 1, "sold": 1, "blocked": 1}


def test_general_admission_shows_what_is_neither_sold_nor_held_and_the_price(event):
    general = zone_named(event, "General")
    root = parse(render_seat_map_svg(build_seat_map(event)))

    area = root.find(f".//{SVG}g[@id='ga-{general.pk}']")
    assert area.get("aria-label") == "General · 480 disponibles · USD 22,00"
    assert area.get("data-ga-zone") == str(general.pk)
    assert [t.text for t in area.iter(f"{SVG}text")] == ["General", "480 disponibles · USD 22,00"]

    Zone.objects.filter(pk=general.pk).update(held_count=15)  # in somebody's cart: not available
    area = parse(render_seat_map_svg(build_seat_map(event))).find(f".//{SVG}g[@id='ga-{general.pk}']")
    assert area.get("aria-label") == "General · 465 disponibles · USD 22,00"

    Zone.objects.filter(pk=general.pk).update(sold_count=499, held_count=0)
    area = parse(render_seat_map_svg(build_seat_map(event))).find(f".//{SVG}g[@id='ga-{general.pk}']")
    assert area.get("aria-label") == "General · 1 disponible · USD 22,00"

    Zone.objects.filter(pk=general.pk).update(sold_count=499, held_count=1)
    area = parse(render_seat_map_svg(build_seat_map(event))).find(f".//{SVG}g[@id='ga-{general.pk}']")
    assert area.get("aria-label") == "General · agotado · USD 22,00"
    assert area.get("class") == "ga ga-sold-out"


def test_tables_are_drawn_with_their_number_and_labelled_chairs(event):
    zone = zone_named(event, "Mesas VIP")
    root = parse(render_seat_map_svg(build_seat_map(event)))
    group = root.find(f".//{SVG}g[@id='zone-{zone.pk}']")

    tables = list(Table.objects.filter(zone=zone))
    assert len(tables) == 4
    for table in tables:
        drawn = group.find(f"{SVG}g[@id='table-{table.pk}']")
        assert drawn.find(f"{SVG}text").text == str(table.number)
        assert float(drawn.find(f"{SVG}circle").get("cx")) == table.x

    chair = Seat.objects.get(zone=zone, table__number=3, number=2)
    circle = seat_elements(group)[f"seat-{chair.pk}"]
    assert circle.get("aria-label") == "Mesa 3, Silla 2, disponible, USD 55,00"
    assert (circle.get("data-row"), circle.get("data-number")) == ("3", "2")
    assert len(seat_elements(group)) == 24


def test_the_component_has_zoom_buttons_the_svg_a_legend_and_a_tooltip(event):
    Seat.objects.filter(pk=seat(event, "A", 1).pk).update(status=Seat.Status.SOLD)
    html = render_to_string("events/_seat_map.html", seat_map_context(event))

    assert f'<div class="seat-map" id="seat-map-{event.pk}" data-seat-map>' in html
    for action, label in (("in", "Acercar"), ("out", "Alejar"), ("reset", "Ver todo el mapa")):
        assert re.search(rf'data-zoom="{action}" aria-label="{label}"', html)
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="seat-map-svg"' in html
    assert 'class="seat-map-tooltip" role="tooltip" hidden' in html
    legend = re.search(r'<ul class="seat-map-legend".*?</ul>', html, re.S).group(0)
    items = re.findall(r'class="seat (seat-\w+)".*?</svg>(\w+) <small>(\d+)</small>', legend)
    assert items == [
        ("seat-available", "Disponible", "123"),
        ("seat-held", "Reservado", "0"),
        ("seat-sold", "Vendido", "1"),
        ("seat-blocked", "Bloqueado", "0"),
    ]


def test_an_event_without_zones_shows_an_empty_map(in_acme):
    html = render_to_string("events/_seat_map.html", seat_map_context(make_event()))
    assert "Este evento todavía no tiene zonas en el mapa." in html
    assert "<svg xmlns" not in html


def test_english_follows_the_language_for_words_and_numbers(event):
    with translation.override("en"):
        circles = seat_elements(parse(render_seat_map_svg(build_seat_map(event))))
        label = circles[f"seat-{seat(event, 'C', 14).pk}"].get("aria-label")
        assert label.endswith(", USD 30.00")
        assert ", available, USD 30.00" in label
        assert "disponible" not in label


def test_a_seat_class_callable_adds_its_class_and_a_custom_legend_replaces_the_statuses(event):
    front = set(
        Seat.objects.filter(event=event, table__isnull=True, row_index=1).values_list("pk", flat=True)
    )
    seen = []

    def heat(row):
        seen.append(row)
        return "heat-high" if row.id in front else None

    legend = [LegendItem("heat-high", "Muy vendida"), LegendItem("heat-low", "Poco vendida")]
    context = seat_map_context(event, seat_class=heat, legend=legend)
    circles = seat_elements(parse(context["svg"]))

    assert len(seen) == 124 and {row.status for row in seen} == {"available"}
    assert seen[0]._fields == (
        "id",
        "zone_id",
        "table_id",
        "row_index",
        "row_label",
        "number",
        "x",
        "y",
        "status",
    )
    for pk in front:
        assert circles[f"seat-{pk}"].get("class") == "seat seat-available heat-high"
    assert circles[f"seat-{seat(event, 'B', 1).pk}"].get("class") == "seat seat-available"

    html = render_to_string("events/_seat_map.html", context)
    legend_html = re.search(r'<ul class="seat-map-legend".*?</ul>', html, re.S).group(0)
    assert re.findall(r'class="seat ([\w-]+)".*?</svg>([^<]+)</li>', legend_html) == [
        ("heat-high", "Muy vendida"),
        ("heat-low", "Poco vendida"),
    ]


def test_a_map_that_is_not_interactive_shows_seats_as_images(event):
    circles = seat_elements(parse(render_seat_map_svg(build_seat_map(event), interactive=False)))
    assert {c.get("role") for c in circles.values()} == {"img"}
    assert {c.get("tabindex") for c in circles.values()} == {"0"}


def test_user_text_is_escaped(in_acme):
    event = make_event(name='Gala "Noche" <b>&</b>')
    numbered_zone(event, name="Palco <script>alert(1)</script> & Co", rows=1, seats_per_row=2)
    svg = str(render_seat_map_svg(build_seat_map(event)))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    root = parse(svg)  # still well-formed XML
    assert root.get("aria-label") == 'Mapa de asientos de Gala "Noche" <b>&</b>'


def test_odd_even_rows_are_in_visual_order_for_the_keyboard(in_acme):
    event = make_event()
    numbered_zone(event, rows=1, seats_per_row=6, numbering=Zone.Numbering.ODD_EVEN)
    circles = list(seat_elements(parse(render_seat_map_svg(build_seat_map(event)))).values())
    assert [c.get("data-number") for c in circles] == ["5", "3", "1", "2", "4", "6"]
    assert [float(c.get("cx")) for c in circles] == sorted(float(c.get("cx")) for c in circles)


def test_a_live_update_draws_the_changed_seats_as_the_database_has_them_now(event):
    a1, a2 = seat(event, "A", 1), seat(event, "A", 2)
    Seat.objects.filter(pk=a1.pk).update(status=Seat.Status.HELD)
    general = zone_named(event, "General")

    update = str(render_seat_changes(event.pk, {("seat", a1.pk), ("seat", a2.pk), ("zone", general.pk)}))

    circles = seat_elements(ET.fromstring(update[len("<template>") : -len("</template>")]))
    assert circles[f"seat-{a1.pk}"].get("aria-label") == "Fila A, Asiento 1, reservado, USD 30,00"
    assert circles[f"seat-{a2.pk}"].get("aria-label") == "Fila A, Asiento 2, disponible, USD 30,00"
    area = ET.fromstring(update[len("<template>") : -len("</template>")]).find(f".//*[@id='ga-{general.pk}']")
    # What the box office's quantity form for the area copies (static/js/seatmap.js).
    remaining = general.capacity - general.sold_count - general.held_count
    assert area.get("data-remaining") == str(remaining)
    assert area.get("data-available") == f"{remaining} disponibles"
    Zone.objects.filter(pk=general.pk).update(held_count=general.capacity - general.sold_count)
    sold_out = str(render_seat_changes(event.pk, {("zone", general.pk)}))
    assert 'data-remaining="0" data-available="agotado"' in sold_out


def test_live_updates_render_the_same_seats_out_of_band(event):
    a1, a2 = seat(event, "A", 1), seat(event, "A", 2)
    Seat.objects.filter(pk=a1.pk).update(status=Seat.Status.SOLD)
    general = zone_named(event, "General")

    update = str(
        render_seat_map_updates(build_seat_map(event, seat_ids=[a1.pk, a2.pk]), zone_ids=[general.pk])
    )

    assert update.startswith('<template><svg xmlns="http://www.w3.org/2000/svg">')
    assert update.endswith("</svg></template>")
    circles = seat_elements(ET.fromstring(update[len("<template>") : -len("</template>")]))
    assert set(circles) == {f"seat-{a1.pk}", f"seat-{a2.pk}"}
    assert circles[f"seat-{a1.pk}"].get("hx-swap-oob") == "outerHTML"
    assert circles[f"seat-{a1.pk}"].get("aria-label") == "Fila A, Asiento 1, vendido, USD 30,00"
    full = str(render_seat_map_svg(build_seat_map(event)))
    same = re.search(rf'<circle id="seat-{a2.pk}"[^>]*/>', full).group(0)
    assert same in update.replace(' hx-swap-oob="outerHTML"', "")  # the very element the map has
    assert f'id="ga-{general.pk}"' in update


def _queries_for_map(event) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        seat_map = build_seat_map(event)
        render_seat_map_svg(seat_map)
    return [query["sql"] for query in queries.captured_queries]


def test_the_query_count_is_fixed_from_100_to_10000_seats(in_acme, django_assert_max_num_queries):
    small = make_event("Pequeño")
    numbered_zone(small, rows=10, seats_per_row=10)
    big = make_event("Grande")
    numbered_zone(big, rows=100, seats_per_row=100)
    save_zone(
        zone=Zone(event=big, name="Pista", kind=Zone.Kind.GENERAL, base_price=Decimal("10"), capacity=2000)
    )
    assert Seat.objects.filter(event=big).count() == 10_000

    # SEAT_MAP_QUERIES selects; django-tenants sends a `SET search_path` before each one.
    with django_assert_max_num_queries(2 * SEAT_MAP_QUERIES):
        render_seat_map_svg(build_seat_map(small))
    with django_assert_max_num_queries(2 * SEAT_MAP_QUERIES):
        svg = render_seat_map_svg(build_seat_map(big))
    small_queries, big_queries = _queries_for_map(small), _queries_for_map(big)
    assert len(small_queries) == len(big_queries)
    assert len([sql for sql in big_queries if sql.startswith("SELECT")]) <= SEAT_MAP_QUERIES
    assert str(svg).count('class="seat seat-available"') == 10_000


# --- In a browser: zoom, pan, tooltip, selection events, out-of-band swaps ----------------------


def _load_component(page, html):
    css = "\n".join(
        (REPO / path).read_text()
        for path in ("static/vendor/pico/pico-2.1.1.min.css", "static/css/app.css", "static/css/seatmap.css")
    )
    page.set_viewport_size({"width": 1366, "height": 768})
    page.set_content(
        f'<!DOCTYPE html><html lang="es"><head><style>{css}</style></head>'
        f'<body><main class="container">{html}</main></body></html>'
    )
    page.add_script_tag(path=str(REPO / "static/vendor/htmx/htmx-2.0.11.min.js"))
    page.add_script_tag(path=str(REPO / "static/js/seatmap.js"))
    page.evaluate(
        """() => { window.chosen = [];
        document.addEventListener('seatmap:seat', e => window.chosen.push(e.detail.seatId)); }"""
    )


@pytest.fixture
def page_first(page):
    """The page before the database: with Playwright's event loop running, Django hands out
    another connection, so the test transaction must begin (and end) under that loop too; the
    connection is closed afterwards so the test database can be dropped."""
    yield page
    connections.close_all()


@pytest.mark.browser
def test_in_a_browser_clicks_choose_seats_drags_pan_and_swaps_keep_working(page_first, event):
    page = page_first
    c14 = seat(event, "C", 14)
    html = render_to_string("events/_seat_map.html", seat_map_context(event))
    Seat.objects.filter(pk=c14.pk).update(status=Seat.Status.SOLD)
    update = str(render_seat_map_updates(build_seat_map(event, seat_ids=[c14.pk])))
    _load_component(page, html)
    svg = page.locator("svg.seat-map-svg")
    home = svg.get_attribute("viewBox")

    seat_el = page.locator(f"#seat-{c14.pk}")
    seat_el.click()
    assert page.evaluate("window.chosen") == [c14.pk]

    page.locator("[data-zoom=in]").click()
    page.locator("[data-zoom=in]").click()
    zoomed = svg.get_attribute("viewBox")
    assert float(zoomed.split()[2]) < float(home.split()[2])

    view = page.locator(".seat-map-viewport").bounding_box()
    middle = (view["x"] + view["width"] / 2, view["y"] + view["height"] / 2)
    page.mouse.move(*middle)
    page.mouse.down()
    page.mouse.move(middle[0] + 80, middle[1] + 50, steps=5)
    page.mouse.up()
    assert page.evaluate("window.chosen") == [c14.pk]  # a drag is not a click
    assert svg.get_attribute("viewBox") != zoomed

    page.locator("[data-zoom=reset]").click()
    assert svg.get_attribute("viewBox") == home

    seat_el.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("window.chosen") == [c14.pk, c14.pk]
    tooltip = page.locator(".seat-map-tooltip")
    assert tooltip.is_visible()
    assert tooltip.inner_text().split("\n") == ["Platea", "Fila C, Asiento 14, disponible, USD 30,00"]

    # Keys while focus is in the map: + zooms, 0 resets; arrows pan only the focused map itself.
    page.keyboard.press("+")
    assert float(svg.get_attribute("viewBox").split()[2]) < float(home.split()[2])
    page.keyboard.press("0")
    assert svg.get_attribute("viewBox") == home
    page.locator(".seat-map-viewport").focus()
    page.keyboard.press("+")
    zoomed = svg.get_attribute("viewBox")
    page.keyboard.press("ArrowRight")
    assert float(svg.get_attribute("viewBox").split()[0]) > float(zoomed.split()[0])

    # The wheel zooms with Ctrl (or a trackpad pinch); without it, it scrolls the page.
    page.locator("[data-zoom=reset]").click()
    page.mouse.move(*middle)
    page.mouse.wheel(0, 300)
    assert svg.get_attribute("viewBox") == home
    page.keyboard.down("Control")
    page.mouse.wheel(0, -300)
    page.keyboard.up("Control")
    assert float(svg.get_attribute("viewBox").split()[2]) < float(home.split()[2])

    # A live update swaps the seat out of band; it is still SVG and still chosen by a click.
    page.locator("[data-zoom=reset]").click()
    page.evaluate("html => htmx.swap(document.body, html, {swapStyle: 'none'})", update)
    assert seat_el.get_attribute("class") == "seat seat-sold"
    namespace = page.evaluate(f"document.getElementById('seat-{c14.pk}').namespaceURI")
    assert namespace == "http://www.w3.org/2000/svg"
    seat_el.click()
    assert page.evaluate("window.chosen") == [c14.pk] * 3

    # The whole map swapped in again (as events/_blocks.html does) works and keeps its zoom.
    page.locator("[data-zoom=in]").click()
    zoomed = svg.get_attribute("viewBox")
    page.evaluate(
        "html => htmx.swap(document.body, html, {swapStyle: 'none'})",
        f'<div hx-swap-oob="outerHTML:#seat-map-{event.pk}">{html}</div>',
    )
    assert page.locator("[data-seat-map]").count() == 1
    assert seat_el.get_attribute("class") == "seat seat-available"  # the page's first render again
    assert svg.get_attribute("viewBox") == zoomed
    page.locator("[data-zoom=reset]").click()
    assert svg.get_attribute("viewBox") == home
    seat_el.click()
    assert page.evaluate("window.chosen") == [c14.pk] * 4


def test_the_stage_is_labelled_in_the_active_language(event):
    with translation.override("en"):
        assert ">STAGE</text>" in render_seat_map_svg(build_seat_map(event))


# --- What a manager changes shows on open maps -------------------------------------------------


def live_update_of(event, change, django_capture_on_commit_callbacks) -> str:
    """The live update open maps of `event` receive when `change()` commits."""
    from tests.test_live_coalescing import Listener

    listener = Listener("acme", f"event-{event.pk}")
    with django_capture_on_commit_callbacks(execute=True):
        change()
    return listener.next_html(timeout=2)


def test_blocking_and_unblocking_seats_redraws_them_on_open_maps(event, django_capture_on_commit_callbacks):
    from ticketing.events.services import block_seats, unblock_seats

    a1 = seat(event, "A", 1)

    blocked = live_update_of(
        event,
        lambda: block_seats(event=event, seat_ids=[a1.pk], reason="Consola"),
        django_capture_on_commit_callbacks,
    )
    freed = live_update_of(
        event, lambda: unblock_seats(event=event, seat_ids=[a1.pk]), django_capture_on_commit_callbacks
    )

    assert f'id="seat-{a1.pk}"' in blocked and "seat-blocked" in blocked
    assert f'id="seat-{a1.pk}"' in freed and "seat-available" in freed


def test_a_new_general_admission_capacity_shows_on_open_maps(event, django_capture_on_commit_callbacks):
    from ticketing.events.services import save_zone

    general = zone_named(event, "General")  # 500 places, 20 sold
    general.capacity = 1000

    update = live_update_of(event, lambda: save_zone(zone=general), django_capture_on_commit_callbacks)

    assert f'id="ga-{general.pk}"' in update and "980 disponibles" in update
