"""The seat map: one server-rendered SVG of a whole event, reused by every page that shows seats.

Managers' event screen, box office, online purchase and the heat map all draw the same map; what
changes between them is passed in: `seat_class` (a callable adding a CSS class per seat, e.g. a
heat-map bucket or "mine" for seats this seller holds), `legend` (the legend for that coloring)
and `interactive` (seats as buttons, or as images).

In a view, one call gives the include everything it needs::

    from ticketing.events.seatmap import seat_map_context

    context = {"event": event, **seat_map_context(event)}

In the page template::

    {% block extra_head %}
      <link rel="stylesheet" href="{% static 'css/seatmap.css' %}">
      <script src="{% static 'js/seatmap.js' %}" defer></script>
    {% endblock %}
    ...
    {% include "events/_seat_map.html" with seat_map=seat_map svg=svg %}

The CSS and JS go in the page's `extra_head` block (base.html has it), never in the include, so a
page with several maps, or one that swaps the map with htmx, loads them once.

Browser side (static/js/seatmap.js): zoom with the buttons, Ctrl/⌘ + wheel, pinch, or the +, −
and 0 keys; pan by dragging. While the map itself has focus, the plain wheel zooms and the arrow
keys pan. A click, tap, Enter or Space on a seat dispatches a bubbling `seatmap:seat` CustomEvent
on the seat (`event.detail.seatId`, `.status`, `.zoneId`, `.row`, `.number`, `.seat`); on a
general-admission area, `seatmap:zone` (`event.detail.zoneId`). A drag never counts as a click.
Pages that let people pick seats mark the picked ones `aria-pressed="true"` (styled).

Live updates: every seat is `<circle id="seat-<pk>">` and every general-admission area
`<g id="ga-<zone pk>">`, so a websocket message can replace them out of band;
`render_seat_map_updates` renders those fragments (wrapped in `<template><svg>`, which htmx
needs to parse SVG out of band) from a map built with `seat_ids=[...]`.

Speed: `build_seat_map` runs a fixed number of queries whatever the size (SEAT_MAP_QUERIES);
seats are plain tuples, labels and prices are computed once per (zone, row, status), and the
thousands of seat elements are f-strings joined once, not a template loop. benchmarks/seatmap.py
measures a 10,000-seat map.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from math import pi, sin
from operator import itemgetter
from typing import NamedTuple

from django.db import connection
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ticketing.core.money import format_money
from ticketing.pricing.services import PriceQuote, price_table

from . import layout
from .models import Event, Seat, Table, Zone

# SELECTs of build_seat_map at most: zones, tables, seats, and price_table's three (stages, tickets
# sold, row pricing; tickets sold only when a stage has a quantity limit). Tests assert it is the
# same for 100 seats and for 10,000.
SEAT_MAP_QUERIES = 6

SEAT_RADIUS = 5.0  # seats are SEAT_SPACING (12) apart in a row and ROW_SPACING (14) between rows
MARGIN = 40.0  # around the zones, for zone names and row labels
STAGE_HEIGHT = 26.0
STAGE_GAP = 30.0  # between the stage and the first zone (room for that zone's name)
STATUSES = [status.value for status in Seat.Status]

_NUMBER = "\x00"  # placeholder that splits a translated label around the seat number


class SeatRow(NamedTuple):
    """One seat or chair as the map loads it, no model instance. `SeatMap.seats` holds plain
    tuples in this order (naming 10,000 of them costs milliseconds); `seat_class` receives
    them named."""

    id: int
    zone_id: int
    table_id: int | None
    row_index: int
    row_label: str
    number: int
    x: float
    y: float
    status: str


class TableRow(NamedTuple):
    id: int
    zone_id: int
    number: int
    chairs: int
    sold_whole: bool
    x: float
    y: float


@dataclass(frozen=True)
class LegendItem:
    """A legend entry: a swatch drawn with `css_class` (the same class the seats get), a label,
    and optionally a count."""

    css_class: str
    label: str
    count: int | None = None

    @property
    def count_text(self) -> str:
        return "" if self.count is None else _count(self.count)


@dataclass
class SeatMap:
    event: Event
    zones: list[Zone]
    tables: list[TableRow]
    seats: list[tuple]  # SeatRow fields, by zone, row and number
    prices: dict[tuple[int, int | None], PriceQuote]
    seat_class: Callable[[SeatRow], str | None] | None = None
    custom_legend: list[LegendItem] | None = None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def dom_id(self) -> str:
        return f"seat-map-{self.event.pk}"

    @property
    def legend(self) -> list[LegendItem]:
        """The custom legend if one was passed in (its coloring replaces the status colors),
        otherwise the four statuses with how many seats are in each."""
        if self.custom_legend is not None:
            return self.custom_legend
        return [
            LegendItem(f"seat-{status.value}", capfirst(str(status.label)), self.counts.get(status.value, 0))
            for status in Seat.Status
        ]

    @property
    def seat_total(self) -> int:
        return len(self.seats)

    @property
    def view_box(self) -> tuple[float, float, float, float]:
        """(x, y, width, height) of the whole map: the zones, a margin, and the stage above."""
        return _view_box(self.zones)

    @property
    def aspect_ratio(self) -> str:
        """For CSS `aspect-ratio`, so the map's frame is as wide and tall as the map."""
        _x, _y, width, height = self.view_box
        return f"{_num(width)} / {_num(height)}"

    def price_of(self, zone_id: int, row_index: int | None) -> PriceQuote:
        return self.prices.get((zone_id, row_index)) or self.prices[(zone_id, None)]


ZONE_FIELDS = (
    "id",
    "event_id",
    "name",
    "kind",
    "base_price",
    "capacity",
    "rows",
    "numbering",
    "sold_count",
    "held_count",
    "x",
    "y",
    "width",
    "height",
    "shape",
    "color",
    "position",
)


def build_seat_map(
    event: Event,
    *,
    at: datetime | None = None,
    seat_class: Callable[[SeatRow], str | None] | None = None,
    legend: list[LegendItem] | None = None,
    seat_ids: Iterable[int] | None = None,
) -> SeatMap:
    """Load everything the map draws in SEAT_MAP_QUERIES queries, whatever the event's size.

    `at` prices the seats at that moment (default now). `seat_ids` loads only those seats (for
    live updates of a few seats); zones, tables and prices are loaded whole either way.
    """
    zones = list(Zone.objects.filter(event=event).only(*ZONE_FIELDS).order_by("position", "id"))
    zone_ids = [zone.id for zone in zones]
    tables = [
        TableRow._make(row)
        for row in Table.objects.filter(zone_id__in=zone_ids)
        .order_by("zone_id", "number")
        .values_list(*TableRow._fields)
    ]
    seats_query = Seat.objects.filter(event=event)
    if seat_ids is not None:
        seats_query = seats_query.filter(pk__in=list(seat_ids))
    # One fetchall instead of the ORM's chunks of 100 (no field here needs a converter), and
    # sorted here rather than by PostgreSQL: its sort of 10,000 rows costs more than the fetch,
    # while rows come back nearly in order (created row by row) and Python sorts those in ~3 ms.
    sql, params = seats_query.order_by().values_list(*SeatRow._fields).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    rows.sort(key=itemgetter(1, 3, 5))  # zone, row, number
    counts = dict.fromkeys(STATUSES, 0)
    counts.update(Counter(map(itemgetter(8), rows)))
    prices = price_table(event=event, zones=zones, at=at)
    return SeatMap(
        event=event,
        zones=zones,
        tables=tables,
        seats=rows,
        prices=prices,
        seat_class=seat_class,
        custom_legend=legend,
        counts=counts,
    )


def build_seat_map_update(
    event: Event, *, seat_ids: Iterable[int] = (), zone_ids: Iterable[int] = (), at: datetime | None = None
) -> SeatMap:
    """A map holding only what `render_seat_map_updates` draws for these seats and
    general-admission areas: the seats, their zones (and those areas'), the tables of those
    zones and their prices."""
    seats_query = Seat.objects.filter(event=event, pk__in=list(seat_ids)).order_by()
    rows = [tuple(row) for row in seats_query.values_list(*SeatRow._fields)]
    rows.sort(key=itemgetter(1, 3, 5))  # zone, row, number: as build_seat_map
    wanted = {row[1] for row in rows} | set(zone_ids)
    concerned = sorted(
        Zone.objects.filter(event=event, pk__in=wanted).only(*ZONE_FIELDS),
        key=lambda zone: (zone.position, zone.id),
    )
    tables = []
    table_zones = [zone.id for zone in concerned if zone.kind == Zone.Kind.TABLES]
    if table_zones:
        tables = [
            TableRow._make(row)
            for row in Table.objects.filter(zone_id__in=table_zones)
            .order_by("zone_id", "number")
            .values_list(*TableRow._fields)
        ]
    prices = price_table(event=event, zones=concerned, at=at)
    return SeatMap(event=event, zones=concerned, tables=tables, seats=rows, prices=prices)


def seat_map_context(
    event: Event,
    *,
    at: datetime | None = None,
    seat_class: Callable[[SeatRow], str | None] | None = None,
    legend: list[LegendItem] | None = None,
    interactive: bool = True,
) -> dict:
    """What `events/_seat_map.html` needs: `{"seat_map": ..., "svg": ...}`."""
    seat_map = build_seat_map(event, at=at, seat_class=seat_class, legend=legend)
    return {"seat_map": seat_map, "svg": render_seat_map_svg(seat_map, interactive=interactive)}


# --- Rendering ----------------------------------------------------------------------------------


def _num(value: float) -> str:
    """Coordinates without a useless `.0`, so 10,000 seats weigh less."""
    return str(int(value)) if value == int(value) else str(round(value, 1))


def _money(quote: PriceQuote) -> str:
    return format_money(quote.total.amount, quote.total.currency)


def _count(value: int) -> str:
    return number_format(value, 0, use_l10n=True, force_grouping=True)


class _SeatRenderer:
    """Renders seat elements. Everything but the id, number and x of a seat depends only on its
    zone, row (or table) and status, so those strings are built once per row and status."""

    def __init__(self, seat_map: SeatMap, *, interactive: bool, oob: bool = False):
        self.seat_map = seat_map
        self.role = ' tabindex="0" role="button"' if interactive else ' tabindex="0" role="img"'
        if oob:
            self.role += ' hx-swap-oob="outerHTML"'
        self.status_words = {status.value: str(status.label) for status in Seat.Status}
        self.zones = {zone.id: zone for zone in seat_map.zones}
        self.tables = {table.id: table for table in seat_map.tables}
        self.seat_label = _("Fila %(row)s, Asiento %(number)s")
        self.chair_label = _("Mesa %(table)s, Silla %(number)s")
        self.full_label = _("%(place)s, %(status)s, %(price)s")
        self.money: dict[tuple, str] = {}  # (amount, currency) → "USD 30,00"
        # (zone, row, table) → (attributes up to data-number, place, price, {status: strings})
        self.rows: dict[tuple[int, int, int | None], tuple[str, str, str, dict]] = {}
        self.coords: dict[float, str] = {}  # seats share columns: format each x once

    def price(self, zone_id: int, row_index: int | None) -> str:
        total = self.seat_map.price_of(zone_id, row_index).total
        key = (total.amount, total.currency)
        text = self.money.get(key)
        if text is None:
            text = self.money[key] = format_money(total.amount, total.currency)
        return text

    def _row(self, seat: tuple) -> tuple[str, str, str, dict]:
        _pk, zone_id, table_id, row_index, row_label, *_rest = seat
        zone = self.zones[zone_id]
        if table_id is not None:
            table = self.tables.get(table_id)
            place = self.chair_label % {"table": table.number if table else row_label, "number": _NUMBER}
            price = self.price(zone_id, None)
        else:
            place = self.seat_label % {"row": row_label, "number": _NUMBER}
            price = self.price(zone_id, row_index if zone.kind == Zone.Kind.NUMBERED else None)
        attrs = f' data-zone="{zone_id}" data-row="{escape(row_label)}" data-number="'
        return attrs, place, price, {}

    def _status(self, place: str, price: str, status: str) -> tuple[str, str, str]:
        """(class, attributes up to the number in the label, the label's end)."""
        word = self.status_words.get(status, status)
        label = self.full_label % {"place": place, "status": word, "price": price}
        before, _sep, after = escape(label).partition(_NUMBER)
        return f"seat seat-{escape(status)}", f'"{self.role} aria-label="{before}', f'{after}"'

    def render(
        self, seats: Iterable[tuple], radius: float, out: list[str], row_starts: list | None = None
    ) -> None:
        """Append one `<circle>` per seat to `out`: the hot loop of a 10,000-seat map. Seats
        come sorted by zone and row; `row_starts` collects (row label, y) of each row."""
        rows, coords = self.rows, self.coords
        seat_class = self.seat_map.seat_class
        r = _num(radius)
        append = out.append
        row = last_zone = last_table = last_y = None
        attrs, place, price, statuses = "", "", "", {}
        cy = ""
        for seat in seats:
            pk, zone_id, table_id, row_index, row_label, number, x, y, status = seat
            if row_index != row or zone_id != last_zone or table_id != last_table:
                row, last_zone, last_table = row_index, zone_id, table_id
                key = (zone_id, row_index, table_id)
                cached_row = rows.get(key)
                if cached_row is None:
                    cached_row = rows[key] = self._row(seat)
                attrs, place, price, statuses = cached_row
                if row_starts is not None:
                    row_starts.append((row_label, y))
            cached = statuses.get(status)
            if cached is None:
                cached = statuses[status] = self._status(place, price, status)
            css, middle, tail = cached
            if seat_class is not None:
                extra = seat_class(SeatRow._make(seat))
                if extra:
                    css = f"{css} {escape(extra)}"
            if y != last_y:
                cy, last_y = _num(y), y
            cx = coords.get(x)
            if cx is None:
                cx = coords[x] = _num(x)
            append(
                f'<circle id="seat-{pk}" cx="{cx}" cy="{cy}" r="{r}" data-seat="{pk}" class="{css}"'
                f"{attrs}{number}{middle}{number}{tail}/>"
            )


def _view_box(zones: list[Zone]) -> tuple[float, float, float, float]:
    xs, ys = [], []
    for zone in zones:
        xs += [zone.x, zone.x + zone.width]
        ys += [zone.y, zone.y + zone.height]
    if not xs:
        xs, ys = [0, 400], [0, 200]
    left, right, top, bottom = min(xs), max(xs), min(ys), max(ys)
    top -= STAGE_GAP + STAGE_HEIGHT
    return left - MARGIN, top - MARGIN / 2, right - left + 2 * MARGIN, bottom - top + MARGIN * 1.5


def _outline(zone: Zone, css_class: str) -> str:
    color = escape(zone.color)
    style = f'style="--zone-color:{color}"'
    if zone.shape == Zone.Shape.ELLIPSE:
        return (
            f'<ellipse class="{css_class}" cx="{_num(zone.x + zone.width / 2)}" '
            f'cy="{_num(zone.y + zone.height / 2)}" rx="{_num(zone.width / 2)}" '
            f'ry="{_num(zone.height / 2)}" {style}/>'
        )
    return (
        f'<rect class="{css_class}" x="{zone.x}" y="{zone.y}" width="{zone.width}" '
        f'height="{zone.height}" rx="8" {style}/>'
    )


def _ga_remaining(zone: Zone) -> int:
    """Places nobody has bought or is holding: what a hold can still take (sales.services.hold)."""
    return max((zone.capacity or 0) - zone.sold_count - zone.held_count, 0)


def ga_availability(remaining: int) -> str:
    """ "480 disponibles", or "agotado": said on the map's area and beside the box office's
    quantity form (static/js/seatmap.js copies it there on a live update)."""
    if remaining:
        return ngettext("%(count)s disponible", "%(count)s disponibles", remaining) % {
            "count": _count(remaining)
        }
    return _("agotado")


def _ga_text(seat_map: SeatMap, zone: Zone) -> tuple[str, str]:
    """("480 disponibles · USD 20,00", "<name> · 480 disponibles · USD 20,00")."""
    available = ga_availability(_ga_remaining(zone))
    info = f"{available} · {_money(seat_map.price_of(zone.id, None))}"
    return info, f"{zone.name} · {info}"


def _render_ga(seat_map: SeatMap, zone: Zone, *, interactive: bool, oob: bool = False) -> str:
    info, label = _ga_text(seat_map, zone)
    remaining = _ga_remaining(zone)
    role = 'tabindex="0" role="button"' if interactive else 'tabindex="0" role="img"'
    state = "ga" if remaining else "ga ga-sold-out"
    cx, cy = _num(zone.x + zone.width / 2), zone.y + zone.height / 2
    swap = ' hx-swap-oob="outerHTML"' if oob else ""
    return (
        f'<g id="ga-{zone.id}" class="{state}" data-ga-zone="{zone.id}" data-remaining="{remaining}" '
        f'data-available="{escape(ga_availability(remaining))}" {role} aria-label="{escape(label)}"{swap}>'
        + _outline(zone, "zone-outline ga-area")
        + f'<text class="ga-name" x="{cx}" y="{_num(cy - 4)}" text-anchor="middle">{escape(zone.name)}</text>'
        f'<text class="ga-info" x="{cx}" y="{_num(cy + 14)}" text-anchor="middle">{escape(info)}</text>'
        "</g>"
    )


def _row_labels(row_starts: list[tuple[str, float]], zone: Zone, out: list[str]) -> None:
    """Row names on both sides of a numbered zone, where the box office looks for "Fila C"."""
    left, right = _num(zone.x - 3), _num(zone.x + zone.width + 3)
    out.append('<g class="row-labels" aria-hidden="true">')
    for label, y in row_starts:
        text, ty = escape(label), _num(y + 2.5)
        out.append(f'<text x="{left}" y="{ty}" text-anchor="end">{text}</text>')
        out.append(f'<text x="{right}" y="{ty}">{text}</text>')
    out.append("</g>")


def _chair_radius(chairs: int) -> float:
    """Chairs sit on a circle CHAIR_DISTANCE from the table's centre: keep them from touching."""
    gap = layout.CHAIR_DISTANCE * sin(pi / max(chairs, 1))
    return max(2.0, min(SEAT_RADIUS, gap - 0.8))


def render_seat_map_svg(seat_map: SeatMap, *, interactive: bool = True) -> SafeString:
    """The whole map as one `<svg>`; labels and prices in the active language."""
    renderer = _SeatRenderer(seat_map, interactive=interactive)
    seats_by_zone = {zone_id: list(seats) for zone_id, seats in groupby(seat_map.seats, itemgetter(1))}
    tables_by_zone: dict[int, list[TableRow]] = {}
    for table in seat_map.tables:
        tables_by_zone.setdefault(table.zone_id, []).append(table)

    x, y, width, height = seat_map.view_box
    view_box = f"{_num(x)} {_num(y)} {_num(width)} {_num(height)}"
    title = _("Mapa de asientos de %(event)s") % {"event": seat_map.event.name}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="seat-map-svg" viewBox="{view_box}" '
        f'data-view-box="{view_box}" preserveAspectRatio="xMidYMid meet" role="group" '
        f'aria-label="{escape(title)}">',
        '<defs><pattern id="seat-map-hatch" width="3" height="3" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="3" height="3" fill="#27272a"/>'
        '<rect width="1" height="3" fill="#a1a1aa"/></pattern></defs>',
    ]
    # The stage, centred over the zones.
    zones_left, zones_width = x + MARGIN, width - 2 * MARGIN
    stage_width = max(min(zones_width * 0.6, 600.0), min(zones_width, 160.0))
    stage_x = zones_left + (zones_width - stage_width) / 2
    stage_y = y + MARGIN / 2
    stage_label = escape(_("ESCENARIO"))  # outside the f-string, where makemessages sees it
    out.append(
        f'<g class="stage" aria-hidden="true"><rect x="{_num(stage_x)}" y="{_num(stage_y)}" '
        f'width="{_num(stage_width)}" height="{_num(STAGE_HEIGHT)}" rx="4"/>'
        f'<text x="{_num(stage_x + stage_width / 2)}" y="{_num(stage_y + STAGE_HEIGHT / 2 + 4.5)}" '
        f'text-anchor="middle">{stage_label}</text></g>'
    )

    for zone in seat_map.zones:
        name = escape(zone.name)
        out.append(
            f'<g id="zone-{zone.id}" class="zone zone-{escape(zone.kind)}" data-zone="{zone.id}" '
            f'role="group" aria-label="{name}">'
        )
        if zone.kind == Zone.Kind.GENERAL:
            out.append(_render_ga(seat_map, zone, interactive=interactive))
            out.append("</g>")
            continue
        out.append(_outline(zone, "zone-outline"))
        out.append(f'<text class="zone-name" x="{zone.x + 2}" y="{zone.y - 6}">{name}</text>')
        seats = seats_by_zone.get(zone.id, [])
        if zone.kind == Zone.Kind.NUMBERED:
            if zone.numbering == Zone.Numbering.ODD_EVEN:
                seats.sort(key=itemgetter(3, 6))  # row, x: focus order follows the eye
            row_starts: list[tuple[str, float]] = []
            renderer.render(seats, SEAT_RADIUS, out, row_starts)
            _row_labels(row_starts, zone, out)
        else:
            tables = tables_by_zone.get(zone.id, [])
            for table in tables:
                whole = " table-whole" if table.sold_whole else ""
                # Its chairs share the zone and the row label (the table's number): a click on
                # the top chooses them all (static/js/seatmap.js, "seatmap:table").
                out.append(
                    f'<g id="table-{table.id}" class="table{whole}" aria-hidden="true" '
                    f'data-table-zone="{zone.id}" data-table-row="{table.number}">'
                    f'<circle class="table-top" cx="{_num(table.x)}" cy="{_num(table.y)}" '
                    f'r="{_num(layout.TABLE_RADIUS)}"/>'
                    f'<text x="{_num(table.x)}" y="{_num(table.y + 4)}" text-anchor="middle">'
                    f"{table.number}</text></g>"
                )
            chairs = max((table.chairs for table in tables), default=1)
            renderer.render(seats, _chair_radius(chairs), out)
        out.append("</g>")
    out.append("</svg>")
    return mark_safe("".join(out))  # every piece of user text above went through escape()


def render_seat_changes(event_id: int, changes: set[tuple[str, int]]) -> SafeString:
    """The live update for `changes` ({("seat", id), ("zone", id)}), drawn from the database as
    it is now (core.live.publish_changes calls it after the changes committed)."""
    event = Event.objects.get(pk=event_id)
    seat_ids = [pk for kind, pk in changes if kind == "seat"]
    zone_ids = [pk for kind, pk in changes if kind == "zone"]
    return render_seat_map_updates(
        build_seat_map_update(event, seat_ids=seat_ids, zone_ids=zone_ids), zone_ids=zone_ids
    )


def render_seat_map_updates(
    seat_map: SeatMap, *, zone_ids: Iterable[int] = (), interactive: bool = True
) -> SafeString:
    """Out-of-band fragments for live updates: every seat loaded in `seat_map` (build it with
    `seat_ids=`) and the general-admission areas of `zone_ids`, each marked `hx-swap-oob` and
    wrapped in `<template><svg>` so htmx parses them as SVG."""
    out = ['<template><svg xmlns="http://www.w3.org/2000/svg">']
    renderer = _SeatRenderer(seat_map, interactive=interactive, oob=True)
    radius_by_zone: dict[int, float] = {}
    chairs_by_zone: dict[int, int] = {}
    for table in seat_map.tables:
        chairs_by_zone[table.zone_id] = max(chairs_by_zone.get(table.zone_id, 1), table.chairs)
    for zone in seat_map.zones:
        radius_by_zone[zone.id] = (
            _chair_radius(chairs_by_zone.get(zone.id, 1)) if zone.kind == Zone.Kind.TABLES else SEAT_RADIUS
        )
    for seat in seat_map.seats:
        renderer.render([seat], radius_by_zone[seat[1]], out)
    wanted = set(zone_ids)
    for zone in seat_map.zones:
        if zone.id in wanted and zone.kind == Zone.Kind.GENERAL:
            out.append(_render_ga(seat_map, zone, interactive=interactive, oob=True))
    out.append("</svg></template>")
    return mark_safe("".join(out))  # built by the escaping renderers above
