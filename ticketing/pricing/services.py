"""The pricing engine: price of a seat at a moment = base + base × stage% + base × row%,
rounded half-up to 2 decimals in the event's currency.

The active stage follows from the clock and from completed sales, so it changes by itself: at
a stage's start time, or when the running total of tickets sold reaches its quantity limit.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ticketing.core.money import Money, percent_of, round_money
from ticketing.events import layout
from ticketing.events.models import Event, Seat, Zone

from .models import PriceStage, RowPricing
from .selectors import event_pricing, pricing_changed

ZERO = Decimal("0")
# The database's limits for a percentage (PriceStage.markup_percent, RowPricing.percent).
MIN_PERCENT = Decimal("-100")  # exclusive: -100 % would make the seat free
MAX_PERCENT = Decimal("1000")
NAME_MAX_LENGTH = PriceStage._meta.get_field("name").max_length


@dataclass(frozen=True)
class PriceQuote:
    """A price with its breakdown, as sellers and customers see it."""

    base: Money
    stage: PriceStage | None
    stage_percent: Decimal
    stage_amount: Money
    row_percent: Decimal
    row_amount: Money
    total: Money


def tickets_sold(event: Event) -> int:
    """Completed sales so far: sold seats and chairs plus general-admission tickets (one query)."""
    seats = (
        Seat.objects.filter(event=OuterRef("pk"), status=Seat.Status.SOLD)
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    general = (
        Zone.objects.filter(event=OuterRef("pk"), kind=Zone.Kind.GENERAL)
        .order_by()
        .values("event")
        .annotate(n=Sum("sold_count"))
        .values("n")
    )
    counts = (
        Event.objects.filter(pk=event.pk)
        .annotate(
            sold_seats=Coalesce(Subquery(seats, output_field=IntegerField()), 0),
            sold_general=Coalesce(Subquery(general, output_field=IntegerField()), 0),
        )
        .values_list("sold_seats", "sold_general")
        .first()
    )
    return sum(counts) if counts else 0


def _stage_over(stage: PriceStage, *, at: datetime, sold: int) -> bool:
    """Ended by its own end time or quantity limit."""
    if stage.ends_at is not None and at >= stage.ends_at:
        return True
    return stage.quantity_limit is not None and sold >= stage.quantity_limit


def active_stage(stages: list[PriceStage], *, at: datetime, sold: int) -> PriceStage | None:
    """The stage in force at `at` with `sold` tickets sold, or None (the base price applies).

    Stages are sequential. A stage with a start time starts then, and ends every earlier stage;
    one without starts when the previous stage ends (the first one: from the beginning). A
    stage ends at its end time or when the running total of sales reaches its quantity limit;
    if the next stage has not started by then, no stage is active.
    """
    current = None
    previous_over = True  # nothing comes before the first stage
    for stage in sorted(stages, key=lambda s: s.sequence):
        started = at >= stage.starts_at if stage.starts_at is not None else previous_over
        if started:
            current = stage
        previous_over = started and _stage_over(stage, at=at, sold=sold)
    if current is None or _stage_over(current, at=at, sold=sold):
        return None
    return current


def current_stage(event: Event, at: datetime | None = None) -> PriceStage | None:
    """The event's stage in force now (or at `at`), from its clock and its completed sales."""
    stages = event_pricing(event).stages
    # Sales only matter to a stage with a quantity limit; counting them is the costly query of
    # every price table (each hold and each sale's map update), so count only when one has it.
    limited = any(stage.quantity_limit is not None for stage in stages)
    return active_stage(stages, at=at or timezone.now(), sold=tickets_sold(event) if limited else 0)


def row_percent(row_prices: list[RowPricing], row_index: int | None) -> Decimal:
    if row_index is None:
        return ZERO
    return sum((r.percent for r in row_prices if r.first_row <= row_index <= r.last_row), ZERO)


def build_quote(*, zone: Zone, currency: str, stage: PriceStage | None, row_pct: Decimal) -> PriceQuote:
    base = zone.base_price
    stage_pct = stage.markup_percent if stage else ZERO
    total = max(round_money(base + percent_of(base, stage_pct) + percent_of(base, row_pct)), ZERO)
    # The total is rounded once; the parts shown must add up to it, so the row's part takes
    # the rounding difference (10.05 + 5 % + 5 %: 10.05 + 0.50 + 0.51 = 11.06).
    stage_amount = round_money(percent_of(base, stage_pct))
    row_amount = total - round_money(base) - stage_amount
    return PriceQuote(
        base=Money(round_money(base), currency),
        stage=stage,
        stage_percent=stage_pct,
        stage_amount=Money(stage_amount, currency),
        row_percent=row_pct,
        row_amount=Money(row_amount, currency),
        total=Money(total, currency),
    )


def quote_price(*, zone: Zone, row_index: int | None = None, at: datetime | None = None) -> PriceQuote:
    """The price of a seat in `row_index` of `zone` (None for general admission) at `at`."""
    event = zone.event
    stage = current_stage(event, at)
    row_pct = row_percent(list(zone.row_prices.all()), row_index) if zone.kind == Zone.Kind.NUMBERED else ZERO
    return build_quote(zone=zone, currency=event.currency, stage=stage, row_pct=row_pct)


def price_table(
    *,
    event: Event,
    zones: list[Zone],
    at: datetime | None = None,
    only: set[tuple[int, int | None]] | None = None,
) -> dict[tuple[int, int | None], PriceQuote]:
    """Every distinct price of the event at once, keyed by (zone id, row index or None), or
    only the keys in `only` (a hold prices its few seats, not every row of the venue).

    Prices depend only on zone and row, so a 10,000-seat map needs a few hundred quotes, not
    10,000, and four queries whatever its size.
    """
    stage = current_stage(event, at)
    row_prices = event_pricing(event).row_prices
    table = {}
    for zone in zones:
        if only is not None and not any(key[0] == zone.id for key in only):
            continue
        table[(zone.id, None)] = build_quote(zone=zone, currency=event.currency, stage=stage, row_pct=ZERO)
        if zone.kind == Zone.Kind.NUMBERED:
            rows = range(1, (zone.rows or 0) + 1)
            if only is not None:
                rows = sorted(row for zone_id, row in only if zone_id == zone.id and row is not None)
            for row_index in rows:
                pct = row_percent(row_prices.get(zone.id, []), row_index)
                table[(zone.id, row_index)] = build_quote(
                    zone=zone, currency=event.currency, stage=stage, row_pct=pct
                )
    return table


# --- Editing the price stages ---------------------------------------------------------------------


@dataclass(frozen=True)
class StageInput:
    name: str
    starts_at: datetime | None
    ends_at: datetime | None
    quantity_limit: int | None
    markup_percent: Decimal


def _percent_errors(value: Decimal, subject: str) -> list[str]:
    """`subject` completes "El recargo de …" / "El modificador de …"."""
    if value <= MIN_PERCENT:
        return [_("%(subject)s debe ser mayor que -100 %%.") % {"subject": subject}]
    if value > MAX_PERCENT:
        return [_("%(subject)s no puede pasar de 1000 %%.") % {"subject": subject}]
    if value.as_tuple().exponent < -2:
        return [_("%(subject)s admite hasta 2 decimales.") % {"subject": subject}]
    return []


def validate_stages(stages: list[StageInput]) -> None:
    """Reject a schedule that is not a sequence: every problem found, each naming its stages."""
    errors: list[str] = []
    names = [
        stage.name.strip() or _("n.º %(position)s") % {"position": i} for i, stage in enumerate(stages, 1)
    ]
    seen: set[str] = set()
    latest_start: tuple[datetime, str] | None = None  # of the stages so far
    latest_end: tuple[datetime, str] | None = None
    last_limit: tuple[int, str] | None = None
    previous: tuple[StageInput, str] | None = None
    for position, (stage, name) in enumerate(zip(stages, names, strict=True), 1):
        if not stage.name.strip():
            errors.append(_("La etapa %(position)s no tiene nombre.") % {"position": position})
        elif len(name) > NAME_MAX_LENGTH:
            errors.append(
                _("El nombre de la etapa %(position)s es muy largo (máximo %(max)s caracteres).")
                % {"position": position, "max": NAME_MAX_LENGTH}
            )
        elif name.casefold() in seen:
            errors.append(_("Hay dos etapas llamadas «%(name)s».") % {"name": name})
        seen.add(name.casefold())
        errors += _percent_errors(stage.markup_percent, _("El recargo de «%(name)s»") % {"name": name})
        if stage.quantity_limit is not None and stage.quantity_limit < 1:
            errors.append(_("La cantidad de «%(name)s» debe ser al menos 1.") % {"name": name})
        if stage.starts_at and stage.ends_at and stage.ends_at <= stage.starts_at:
            errors.append(_("La etapa «%(name)s» termina antes de empezar.") % {"name": name})
        if stage.starts_at and latest_start and stage.starts_at < latest_start[0]:
            errors.append(
                _("La etapa «%(name)s» empieza antes que «%(other)s».")
                % {"name": name, "other": latest_start[1]}
            )
        elif stage.starts_at and latest_end and stage.starts_at < latest_end[0]:
            errors.append(
                _("La etapa «%(name)s» empieza antes de que termine «%(other)s».")
                % {"name": name, "other": latest_end[1]}
            )
        if not stage.starts_at and stage.ends_at and latest_start and stage.ends_at <= latest_start[0]:
            errors.append(
                _("La etapa «%(name)s» termina antes de que empiece «%(other)s».")
                % {"name": name, "other": latest_start[1]}
            )
        elif not stage.starts_at and stage.ends_at and latest_end and stage.ends_at <= latest_end[0]:
            # It would start when the stages before it end: already over by then.
            errors.append(
                _("La etapa «%(name)s» termina antes que «%(other)s»: nunca se aplicaría.")
                % {"name": name, "other": latest_end[1]}
            )
        if stage.quantity_limit is not None:
            if last_limit and stage.quantity_limit <= last_limit[0]:
                errors.append(
                    _("La cantidad de «%(name)s» (%(limit)s) debe superar la de «%(other)s» (%(prev)s).")
                    % {
                        "name": name,
                        "limit": stage.quantity_limit,
                        "other": last_limit[1],
                        "prev": last_limit[0],
                    }
                )
            last_limit = (stage.quantity_limit, name)
        if previous and not stage.starts_at:
            before, before_name = previous
            if before.ends_at is None and before.quantity_limit is None:
                errors.append(
                    _("La etapa «%(name)s» nunca empezaría: «%(other)s» no tiene fecha de fin ni cantidad.")
                    % {"name": name, "other": before_name}
                )
        if stage.starts_at and (latest_start is None or stage.starts_at >= latest_start[0]):
            latest_start = (stage.starts_at, name)
        if stage.ends_at and (latest_end is None or stage.ends_at >= latest_end[0]):
            latest_end = (stage.ends_at, name)
        previous = (stage, name)
    if errors:
        raise ValidationError(errors, code="invalid_stages")


@transaction.atomic
def replace_price_stages(*, event: Event, stages: list[StageInput]) -> list[PriceStage]:
    """The event's whole schedule at once: all of it is saved, or (on any error) none of it.

    Prices of tickets already sold do not change: a sale keeps the price it was made at.
    """
    validate_stages(stages)
    pricing_changed(event=event)  # bulk_create sends no signals
    event = Event.objects.select_for_update().get(pk=event.pk)
    PriceStage.objects.filter(event=event).delete()
    return PriceStage.objects.bulk_create(
        PriceStage(
            event=event,
            name=stage.name.strip(),
            sequence=sequence,
            starts_at=stage.starts_at,
            ends_at=stage.ends_at,
            quantity_limit=stage.quantity_limit,
            markup_percent=stage.markup_percent,
        )
        for sequence, stage in enumerate(stages, 1)
    )


# --- Editing the row pricing ----------------------------------------------------------------------


@dataclass(frozen=True)
class RowRangeInput:
    first_row: int  # 1-based row indexes, inclusive
    last_row: int
    percent: Decimal


def _rows_label(zone: Zone, first: int, last: int) -> str:
    def label(index: int) -> str:
        return layout.row_label(index, zone.row_labels) if index >= 1 else str(index)

    return label(first) if first == last else f"{label(first)}–{label(last)}"


def validate_row_ranges(zone: Zone, ranges: list[RowRangeInput]) -> None:
    """Ranges of existing rows of a numbered zone, not overlapping, each above -100 %."""
    if zone.kind != Zone.Kind.NUMBERED:
        raise ValidationError(
            _("Los precios por fila son solo para zonas de asientos numerados."), code="invalid_row_ranges"
        )
    rows = zone.rows or 0
    errors: list[str] = []
    valid: list[RowRangeInput] = []
    for item in ranges:
        single = item.first_row == item.last_row
        label = _rows_label(zone, item.first_row, item.last_row)
        if item.first_row > item.last_row:
            errors.append(
                _("Las filas %(rows)s están al revés: la primera debe ir antes que la última.")
                % {"rows": label}
            )
        elif item.first_row < 1 or item.last_row > rows:
            missing = (_("La fila %(rows)s no existe") if single else _("Las filas %(rows)s no existen")) % {
                "rows": label
            }
            errors.append(
                _("%(missing)s: la zona «%(zone)s» tiene las filas %(all)s.")
                % {"missing": missing, "zone": zone.name, "all": _rows_label(zone, 1, rows)}
            )
        else:
            valid.append(item)
        subject = (
            _("El modificador de la fila %(rows)s") if single else _("El modificador de las filas %(rows)s")
        ) % {"rows": label}
        errors += _percent_errors(item.percent, subject)
    reach: RowRangeInput | None = None  # of the ranges so far, the one ending last
    for item in sorted(valid, key=lambda r: (r.first_row, r.last_row)):
        if reach and item.first_row <= reach.last_row:
            errors.append(
                _("Las filas %(first)s y %(second)s se superponen.")
                % {
                    "first": _rows_label(zone, reach.first_row, reach.last_row),
                    "second": _rows_label(zone, item.first_row, item.last_row),
                }
            )
        if reach is None or item.last_row > reach.last_row:
            reach = item
    if errors:
        raise ValidationError(errors, code="invalid_row_ranges")


@transaction.atomic
def replace_row_pricing(*, zone: Zone, ranges: list[RowRangeInput]) -> list[RowPricing]:
    """A zone's whole row pricing at once; the event row is locked as layout edits lock it."""
    Event.objects.select_for_update().filter(pk=zone.event_id).first()
    zone = Zone.objects.get(pk=zone.pk)
    validate_row_ranges(zone, ranges)
    pricing_changed()  # bulk_create sends no signals
    RowPricing.objects.filter(zone=zone).delete()
    return RowPricing.objects.bulk_create(
        RowPricing(zone=zone, first_row=r.first_row, last_row=r.last_row, percent=r.percent)
        for r in sorted(ranges, key=lambda r: r.first_row)
    )
