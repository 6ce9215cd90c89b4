"""Writes for venues, events, zones and seats. Every function is atomic; sold or held seats are
never changed or deleted by a layout edit."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ticketing.venues.models import Venue

from . import layout
from .models import Event, EventFee, Seat, Table, Zone

TAKEN_STATUSES = (Seat.Status.SOLD, Seat.Status.HELD)

# Which status may follow which. Cancelling is final; a closed sale can be reopened.
STATUS_TRANSITIONS = {
    Event.Status.DRAFT: {Event.Status.ON_SALE, Event.Status.CANCELLED},
    Event.Status.ON_SALE: {Event.Status.CLOSED, Event.Status.DRAFT, Event.Status.CANCELLED},
    Event.Status.CLOSED: {Event.Status.ON_SALE, Event.Status.CANCELLED},
    Event.Status.CANCELLED: set(),
}


def _seat_names(seats: list[Seat]) -> str:
    names = ", ".join(seat.label for seat in seats[:10])
    more = len(seats) - 10
    if more > 0:
        names += _(" y %(count)s más") % {"count": more}
    return names


class SeatsTaken(ValidationError):
    """A change would alter seats that are sold or held; the message names them."""

    def __init__(self, seats):
        self.seats = list(seats)
        super().__init__(
            _("No se puede: estos asientos están vendidos o reservados: %(seats)s.")
            % {"seats": _seat_names(self.seats)},
            code="seats_taken",
        )


class SeatsWithHistory(ValidationError):
    """A change would delete seats that tickets of cancelled or expired orders still point to."""

    def __init__(self, seats):
        self.seats = list(seats)
        super().__init__(
            _(
                "No se pueden quitar estos asientos: tuvieron reservas o ventas, que quedan en el "
                "historial: %(seats)s. Puede bloquearlos."
            )
            % {"seats": _seat_names(self.seats)},
            code="seats_with_history",
        )


# --- Venues -------------------------------------------------------------------------------------


def save_venue(*, venue: Venue) -> Venue:
    venue.full_clean()
    venue.save()
    return venue


# --- Events -------------------------------------------------------------------------------------


@transaction.atomic
def save_event(*, event: Event, fees_changed: bool = False) -> Event:
    """Create or update an event. `fees_changed`: the caller is also changing its extra taxes.
    A new start for an event with sales is e-mailed to its buyers (after commit)."""
    from ticketing.storefront.services import tell_buyers_of_a_new_date

    event.full_clean()
    was = Event.objects.filter(pk=event.pk).values_list("starts_at", flat=True).first() if event.pk else None
    _ensure_a_new_date_is_ahead(event, was=was)
    if event.pk is not None:
        _ensure_currency_unchanged_under_tickets(event)
        _ensure_taxes_unchanged_under_reported_payments(event, fees_changed=fees_changed)
    event.save()
    if was is not None and moved(was, event.starts_at):
        tell_buyers_of_a_new_date(event=event, was=was)
    return event


def moved(was, starts_at) -> bool:
    """Whether a start changed, as the form shows it: to the minute (the form drops the seconds
    an event created elsewhere may have, and saving its other fields is no new date)."""
    return was.replace(second=0, microsecond=0) != starts_at.replace(second=0, microsecond=0)


def _ensure_a_new_date_is_ahead(event: Event, *, was) -> None:
    """A start typed in the past is a typo (a copied event keeps last year's date): refused when
    the date is new or changed; a past event keeps its date for its history."""
    if was != event.starts_at and event.starts_at < timezone.now():
        raise ValidationError(
            {"starts_at": _("Esa fecha ya pasó: indique cuándo será el evento.")}, code="past_date"
        )


def _ensure_taxes_unchanged_under_reported_payments(event: Event, *, fees_changed: bool) -> None:
    """A customer who reported an online payment paid the total we asked, taxes included; with
    other taxes the sale would no longer add up and staff could not confirm it."""
    from ticketing.sales.models import Order

    stored = Event.objects.filter(pk=event.pk).values("iva_rate", "iva_exempt").first()
    if stored is None:
        return
    changed = fees_changed or (stored["iva_rate"], stored["iva_exempt"]) != (event.iva_rate, event.iva_exempt)
    if changed and Order.objects.filter(event=event, status=Order.Status.REVIEW).exists():
        raise ValidationError(
            _(
                "Hay pagos en línea de este evento esperando verificación, calculados con los impuestos "
                "actuales: confírmelos o rechácelos en «Pagos por verificar» antes de cambiar el IVA o "
                "los impuestos adicionales."
            ),
            code="taxes_under_review",
        )


def _ensure_currency_unchanged_under_tickets(event: Event) -> None:
    """Held and sold tickets keep their price as a number in the event's currency: a new
    currency would turn a cart of USD 25 into one of Bs. 25."""
    from ticketing.sales.models import Ticket

    stored = Event.objects.filter(pk=event.pk).values_list("currency", flat=True).first()
    live = Ticket.objects.filter(event=event, status__in=[Ticket.Status.HELD, Ticket.Status.VALID])
    if stored is not None and stored != event.currency and live.exists():
        raise ValidationError(
            {
                "currency": _(
                    "Este evento ya tiene entradas reservadas o vendidas en %(currency)s: "
                    "la moneda no puede cambiar."
                )
                % {"currency": stored}
            }
        )


def event_has_sales(event: Event) -> bool:
    """Sold or held: a seat, or a general-admission place."""
    return (
        Seat.objects.filter(event=event, status__in=TAKEN_STATUSES).exists()
        or Zone.objects.filter(event=event, kind=Zone.Kind.GENERAL)
        .filter(Q(sold_count__gt=0) | Q(held_count__gt=0))
        .exists()
    )


@transaction.atomic
def change_event_status(*, event: Event, status: str) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    if status == event.status:
        return event
    if status not in Event.Status.values:
        raise ValidationError(_("Estado desconocido."), code="bad_status")
    if status not in STATUS_TRANSITIONS[event.status]:
        raise ValidationError(
            _("Un evento «%(current)s» no puede pasar a «%(new)s».")
            % {"current": event.get_status_display(), "new": Event.Status(status).label},
            code="bad_transition",
        )
    if status == Event.Status.ON_SALE:
        if event.ends_at <= timezone.now():
            raise ValidationError(
                _("Este evento ya terminó: corrija sus fechas antes de ponerlo a la venta."),
                code="past_event",
            )
        if not event.zones.exists():
            raise ValidationError(_("Agregue al menos una zona antes de poner el evento a la venta."))
        if not (event.box_office_enabled or event.online_enabled):
            raise ValidationError(
                _("Active la venta en taquilla o en línea antes de poner el evento a la venta.")
            )
    event.status = status
    event.save(update_fields=["status", "updated_at"])
    return event


@transaction.atomic
def delete_event(*, event: Event) -> None:
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event_has_sales(event):
        raise ValidationError(
            _("Este evento ya tiene ventas: no se puede eliminar, solo cancelar."), code="has_sales"
        )
    try:
        event.delete()
    except ProtectedError:  # tickets of orders cancelled or expired: the sales history keeps them
        raise ValidationError(
            _(
                "Este evento ya tuvo reservas o ventas, que quedan en el historial: "
                "no se puede eliminar, solo cancelar."
            ),
            code="has_history",
        ) from None


@transaction.atomic
def duplicate_event(*, event: Event, name: str, starts_at: datetime, ends_at: datetime) -> Event:
    """A new draft with the same zones, layout, blocks, fees and pricing; no sales."""
    from ticketing.pricing.models import PriceStage, RowPricing
    from ticketing.pricing.selectors import pricing_changed

    shift = starts_at - event.starts_at
    copy = Event.objects.get(pk=event.pk)
    copy.pk = None
    copy.name, copy.starts_at, copy.ends_at, copy.status = name, starts_at, ends_at, Event.Status.DRAFT
    save_event(event=copy)
    EventFee.objects.bulk_create(
        EventFee(event=copy, name=fee.name, rate_percent=fee.rate_percent) for fee in event.fees.all()
    )
    for zone in event.zones.prefetch_related("row_prices").all():
        blocked = {
            (seat.row_index, seat.number): seat.block_reason
            for seat in zone.seats.filter(status=Seat.Status.BLOCKED)
        }
        whole_tables = set(zone.tables.filter(sold_whole=True).values_list("number", flat=True))
        row_prices = list(zone.row_prices.all())
        zone.pk, zone.event, zone.sold_count, zone.held_count = None, copy, 0, 0
        zone.save()
        _generate_layout(zone)
        Table.objects.filter(zone=zone).update(sold_whole=False)
        Table.objects.filter(zone=zone, number__in=whole_tables).update(sold_whole=True)
        for (row_index, number), reason in blocked.items():
            Seat.objects.filter(zone=zone, row_index=row_index, number=number).update(
                status=Seat.Status.BLOCKED, block_reason=reason
            )
        RowPricing.objects.bulk_create(
            RowPricing(zone=zone, first_row=r.first_row, last_row=r.last_row, percent=r.percent)
            for r in row_prices
        )
    PriceStage.objects.bulk_create(
        PriceStage(
            event=copy,
            name=stage.name,
            sequence=stage.sequence,
            starts_at=stage.starts_at + shift if stage.starts_at else None,
            ends_at=stage.ends_at + shift if stage.ends_at else None,
            quantity_limit=stage.quantity_limit,
            markup_percent=stage.markup_percent,
        )
        for stage in event.price_stages.all()
    )
    pricing_changed()  # bulk_create sends no signals
    return copy


# --- Zones and their seats ----------------------------------------------------------------------


def _next_zone_origin(zone: Zone) -> tuple[int, int]:
    """New zones go below the lowest one, so the map never overlaps by default."""
    lowest = (
        Zone.objects.filter(event=zone.event)
        .exclude(pk=zone.pk)
        .aggregate(bottom=Max(F("y") + F("height")))["bottom"]
    )
    return 0, (lowest + 20) if lowest is not None else 0


@transaction.atomic
def save_zone(*, zone: Zone) -> Zone:
    """Create or edit a zone and bring its seats and tables in line with its settings.

    Seats are matched by (row, number): kept seats keep their id and status, missing ones are
    created, extra ones deleted. If a deleted seat is sold or held, nothing changes and the error
    names it. The event's row is locked so two managers editing one zone cannot interleave.
    """
    Event.objects.select_for_update().filter(pk=zone.event_id).first()
    is_new = zone._state.adding
    if is_new and not zone.x and not zone.y:
        zone.x, zone.y = _next_zone_origin(zone)
    if not is_new:
        # Locked: holds and sales change its counters meanwhile, and they are theirs. The form's
        # copy was read earlier in the request; saving it as it is would undo those changes.
        previous = Zone.objects.select_for_update().get(pk=zone.pk)
        zone.sold_count, zone.held_count = previous.sold_count, previous.held_count
        taken = previous.sold_count + previous.held_count
        if previous.kind != zone.kind:
            _ensure_untaken(Seat.objects.filter(zone=zone))
            if previous.kind == Zone.Kind.GENERAL and taken:
                raise ValidationError(
                    _("Esta zona ya tiene entradas vendidas o reservadas: no puede cambiar de tipo.")
                )
        if zone.kind == Zone.Kind.GENERAL and zone.capacity is not None and zone.capacity < taken:
            raise ValidationError(
                {
                    "capacity": _(
                        "Hay %(taken)s entradas vendidas o reservadas: la capacidad no puede ser menor."
                    )
                    % {"taken": taken}
                }
            )
    _size_zone(zone)
    zone.full_clean()
    zone.save()
    _generate_layout(zone)
    if not is_new:
        _fit_row_pricing(zone)
        # A new capacity or price shows on open maps; seats added or removed need the page's
        # re-sync (a live update redraws elements the page already has).
        general = [zone.pk] if zone.kind == Zone.Kind.GENERAL else []
        _show_on_open_maps(zone.event, seat_ids=zone.seats.values_list("pk", flat=True), zone_ids=general)
    return zone


def _fit_row_pricing(zone: Zone) -> None:
    """Row pricing follows the rows the zone still has: a range past its last row goes, a range
    running past it now ends there, and a zone no longer numbered keeps none. Otherwise the
    pricing form would refuse the leftovers, and rows added back later would silently take them."""
    from ticketing.pricing.models import RowPricing
    from ticketing.pricing.selectors import pricing_changed

    rows = (zone.rows or 0) if zone.kind == Zone.Kind.NUMBERED else 0
    ranges = RowPricing.objects.filter(zone=zone)
    changed = ranges.filter(first_row__gt=rows).delete()[0]
    changed += ranges.filter(last_row__gt=rows).update(last_row=rows)
    if changed:
        pricing_changed(event=zone.event)


def _size_zone(zone: Zone) -> None:
    if zone.kind == Zone.Kind.NUMBERED:
        zone.width, zone.height = layout.numbered_size(
            rows=zone.rows or 0,
            seats_per_row=zone.seats_per_row or 0,
            overrides=zone.row_seat_overrides or {},
        )
    elif zone.kind == Zone.Kind.TABLES:
        zone.width, zone.height = layout.tables_size(tables=zone.tables_count or 0)


def _ensure_untaken(seats) -> None:
    taken = list(seats.filter(status__in=TAKEN_STATUSES).order_by("row_index", "number"))
    if taken:
        raise SeatsTaken(taken)


def _generate_layout(zone: Zone) -> None:
    origin = (zone.x, zone.y)
    tables: list[layout.TableSpec] = []
    if zone.kind == Zone.Kind.NUMBERED:
        specs = layout.numbered_layout(
            rows=zone.rows,
            seats_per_row=zone.seats_per_row,
            row_labels=zone.row_labels,
            numbering=zone.numbering,
            overrides=zone.row_seat_overrides or {},
            origin=origin,
        )
    elif zone.kind == Zone.Kind.TABLES:
        tables, specs = layout.tables_layout(
            tables=zone.tables_count, chairs_per_table=zone.chairs_per_table, origin=origin
        )
    else:
        specs = []

    wanted = {(spec.row_index, spec.number): spec for spec in specs}
    existing = {
        (seat.row_index, seat.number): seat for seat in Seat.objects.filter(zone=zone).select_for_update()
    }
    removed = [seat for key, seat in existing.items() if key not in wanted]
    _ensure_untaken(Seat.objects.filter(pk__in=[seat.pk for seat in removed]))
    with_history = Seat.objects.filter(pk__in=[seat.pk for seat in removed], tickets__isnull=False)
    if with_history.exists():
        raise SeatsWithHistory(with_history.distinct().order_by("row_index", "number"))
    unwanted_tables = Table.objects.filter(zone=zone).exclude(number__in=[table.number for table in tables])
    tables_with_history = list(unwanted_tables.filter(tickets__isnull=False).distinct().order_by("number"))
    if tables_with_history:
        raise ValidationError(
            _(
                "No se pueden quitar estas mesas: tuvieron reservas o ventas, que quedan en el "
                "historial: %(tables)s."
            )
            % {"tables": ", ".join(str(table.number) for table in tables_with_history)},
            code="tables_with_history",
        )

    table_ids = _sync_tables(zone, tables)
    Seat.objects.filter(pk__in=[seat.pk for seat in removed]).delete()
    to_update, to_create = [], []
    for key, spec in wanted.items():
        table_id = table_ids.get(spec.table_number) if spec.table_number else None
        seat = existing.get(key)
        if seat is None:
            to_create.append(
                Seat(
                    event_id=zone.event_id,
                    zone=zone,
                    table_id=table_id,
                    row_index=spec.row_index,
                    row_label=spec.row_label,
                    number=spec.number,
                    x=spec.x,
                    y=spec.y,
                )
            )
        elif (seat.row_label, seat.x, seat.y, seat.table_id) != (spec.row_label, spec.x, spec.y, table_id):
            seat.row_label, seat.x, seat.y, seat.table_id = spec.row_label, spec.x, spec.y, table_id
            to_update.append(seat)
    Seat.objects.bulk_create(to_create, batch_size=2000)
    Seat.objects.bulk_update(to_update, ["row_label", "x", "y", "table"], batch_size=2000)
    # Last: deleting a table deletes the seats still on it, and the seats that stay (a tables zone
    # turned into rows keeps its chairs as seats) have only just left theirs.
    unwanted_tables.delete()


def _sync_tables(zone: Zone, specs: list[layout.TableSpec]) -> dict[int, int]:
    """Create and move the tables `specs` want; _generate_layout deletes the others."""
    existing = {table.number: table for table in Table.objects.filter(zone=zone)}
    wanted = {spec.number: spec for spec in specs}
    for number, spec in wanted.items():
        table = existing.get(number)
        if table is None:
            existing[number] = Table.objects.create(
                zone=zone,
                number=number,
                chairs=spec.chairs,
                x=spec.x,
                y=spec.y,
                sold_whole=zone.tables_sold_whole,
            )
        elif (table.chairs, table.x, table.y) != (spec.chairs, spec.x, spec.y):
            table.chairs, table.x, table.y = spec.chairs, spec.x, spec.y
            table.save(update_fields=["chairs", "x", "y"])
    return {number: table.pk for number, table in existing.items() if number in wanted}


@transaction.atomic
def delete_zone(*, zone: Zone) -> None:
    zone = Zone.objects.select_for_update().get(pk=zone.pk)
    _ensure_untaken(Seat.objects.filter(zone=zone))
    if zone.sold_count or zone.held_count:
        raise ValidationError(_("Esta zona ya tiene entradas vendidas o reservadas: no se puede eliminar."))
    try:
        zone.delete()
    except ProtectedError:  # tickets of orders cancelled or expired: the sales history keeps them
        raise ValidationError(
            _("Esta zona ya tuvo reservas o ventas, que quedan en el historial: no se puede eliminar.")
        ) from None


@transaction.atomic
def set_table_sale_mode(*, table: Table, sold_whole: bool) -> Table:
    table = Table.objects.select_for_update().get(pk=table.pk)
    if sold_whole and not table.sold_whole:
        # A whole table brings every chair into a hold: one chair sold or held would make the
        # others impossible to sell.
        _ensure_untaken(Seat.objects.select_for_update().filter(table=table))
    table.sold_whole = sold_whole
    table.save(update_fields=["sold_whole"])
    return table


# --- Blocking seats (production and house holds) ------------------------------------------------


@transaction.atomic
def block_seats(*, event: Event, seat_ids: list[int], reason: str) -> list[Seat]:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Indique el motivo del bloqueo.")})
    seats = list(Seat.objects.select_for_update().filter(event=event, pk__in=seat_ids).order_by("pk"))
    if len(seats) != len(set(seat_ids)):
        raise ValidationError(_("Algunos asientos no pertenecen a este evento."))
    taken = [seat for seat in seats if seat.status in TAKEN_STATUSES]
    if taken:
        raise SeatsTaken(taken)
    Seat.objects.filter(pk__in=[s.pk for s in seats]).update(status=Seat.Status.BLOCKED, block_reason=reason)
    _show_on_open_maps(event, seat_ids=[s.pk for s in seats])
    return seats


@transaction.atomic
def unblock_seats(*, event: Event, seat_ids: list[int]) -> int:
    blocked = Seat.objects.select_for_update().filter(
        event=event, pk__in=seat_ids, status=Seat.Status.BLOCKED
    )
    freed = list(blocked.values_list("pk", flat=True))
    Seat.objects.filter(pk__in=freed).update(status=Seat.Status.AVAILABLE, block_reason="")
    _show_on_open_maps(event, seat_ids=freed)
    return len(freed)


def _show_on_open_maps(event: Event, *, seat_ids=(), zone_ids=()) -> None:
    """Every open box office and storefront map of the event redraws these, after commit."""
    from ticketing.sales.services import broadcast_seats

    broadcast_seats(event=event, seat_ids=seat_ids, zone_ids=zone_ids)


def seats_in_range(*, zone: Zone, row_label: str, first: int, last: int) -> list[int]:
    """Ids of a row's seats numbered first..last (inclusive), for blocking by range."""
    row_index = layout.row_index_from_label(row_label, zone.row_labels)
    if row_index is None:
        raise ValidationError({"row": _("Fila «%(row)s» no válida.") % {"row": row_label}})
    low, high = sorted((first, last))
    ids = list(
        Seat.objects.filter(zone=zone, row_index=row_index, number__gte=low, number__lte=high)
        .filter(Q(table__isnull=True))
        .values_list("pk", flat=True)
    )
    if not ids:
        raise ValidationError(
            _("No hay asientos en la fila %(row)s entre %(low)s y %(high)s.")
            % {"row": row_label, "low": low, "high": high}
        )
    return ids
