"""Selling: holds, completion, cancellation and voids. One code path for box office and online.

Concurrency is designed in: seats are locked in id order (two sellers never deadlock), the
partial unique index on Ticket.seat refuses a second live ticket for a seat, general admission
counters are guarded by a check constraint, and the invoice number is taken in the same
transaction that commits the sale. Side effects (live map pushes) run after commit.
"""

from collections.abc import Iterable
from dataclasses import asdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import partial
from uuid import UUID, uuid4

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ticketing.core.live import publish_changes
from ticketing.core.money import Money, format_money, format_percent_change
from ticketing.core.sql import fetch_instances, select_list
from ticketing.customers.models import Customer
from ticketing.customers.selectors import customer_by_pk
from ticketing.events.models import Event, Seat, Table, Zone
from ticketing.events.seatmap import render_seat_changes
from ticketing.payments import services as money
from ticketing.payments.methods import PaymentMethod, spec_for
from ticketing.pricing.selectors import event_pricing
from ticketing.pricing.services import PriceQuote, price_table

from .models import AuditEntry, Order, Payment, Ticket
from .selectors import credit_note_number, order_with_event


class SeatsUnavailable(ValidationError):
    """Some chosen seats are held or sold by someone else; nothing was held."""

    SHOWN = 8  # names in the message; the rest are counted

    def __init__(self, seats: Iterable[Seat]):
        self.seats = list(seats)
        names = _unavailable_names(self.seats)
        listed = "; ".join(names[: self.SHOWN])  # a seat's name has a comma of its own
        if len(names) > self.SHOWN:
            more = len(names) - self.SHOWN
            listed += " " + ngettext("y %(count)s más", "y %(count)s más", more) % {"count": more}
        super().__init__(
            _("Estos asientos ya no están disponibles: %(seats)s. No se reservó nada.") % {"seats": listed},
            code="seats_unavailable",
        )


def _unavailable_names(seats: list[Seat]) -> list[str]:
    """The seats' names in the active language, a table sold whole once by its number."""
    names, whole_tables = [], set()
    for seat in seats:
        if seat.table_id and seat.table.sold_whole:
            if seat.table_id not in whole_tables:
                whole_tables.add(seat.table_id)
                names.append(_("Mesa %(table)s (se vende completa)") % {"table": seat.row_label})
            continue
        names.append(seat.display_label)
    return names


class SaleError(ValidationError):
    pass


# Orders whose seats are still held: being sold, or paid online and waiting for a check.
LIVE_HOLD_STATUSES = (Order.Status.HELD, Order.Status.REVIEW)


def event_topic(event_id: int) -> str:
    return f"event-{event_id}"


def broadcast_seats(*, event: Event, seat_ids: Iterable[int] = (), zone_ids: Iterable[int] = ()) -> None:
    """After commit, push the state of these seats / general-admission areas to every open map of
    the event (box office and online). Drawn later from the database, coalesced with the other
    changes of the moment (core.live.publish_changes)."""
    changes = [("seat", pk) for pk in seat_ids] + [("zone", pk) for pk in zone_ids]
    if changes:
        publish_changes(
            topic=event_topic(event.pk), changes=changes, render=partial(render_seat_changes, event.pk)
        )


def audit(*, action: str, order: Order | None, actor=None, **data) -> None:
    AuditEntry.objects.create(action=action, order=order, actor=actor, data=data)


def _breakdown(quote: PriceQuote) -> dict:
    return {
        "base": str(quote.base.amount),
        "stage": quote.stage.name if quote.stage else "",
        "stage_percent": str(quote.stage_percent),
        "stage_amount": str(quote.stage_amount.amount),
        "row_percent": str(quote.row_percent),
        "row_amount": str(quote.row_amount.amount),
        "total": str(quote.total.amount),
        "currency": quote.total.currency,
    }


def _locked_order(order: Order | UUID, *, channel: str | None = None, with_customer: bool = False) -> Order:
    """The order's row, locked until the transaction ends, with its event (and its customer):
    selectors.order_with_event(lock=True). `order` is an Order, or the public id a view has from
    its URL: then the order is read once, here, and an order of another `channel` is not found
    (Order.DoesNotExist)."""
    return order_with_event(order, channel=channel, with_customer=with_customer, lock=True)


def check_event_sellable(event: Event, channel: str) -> None:
    if event.status != Event.Status.ON_SALE:
        raise SaleError(_("Este evento no está a la venta."), code="not_on_sale")
    enabled = event.box_office_enabled if channel == Order.Channel.BOX_OFFICE else event.online_enabled
    if not enabled:
        raise SaleError(_("La venta por este canal está desactivada para este evento."), code="channel_off")


def _expand_whole_tables(seats: list[Seat]) -> list[int]:
    """A chair of a table sold whole brings all the table's chairs with it."""
    whole = {seat.table_id for seat in seats if seat.table_id}
    whole = set(Table.objects.filter(pk__in=whole, sold_whole=True).values_list("pk", flat=True))
    if not whole:
        return [seat.pk for seat in seats]
    extra = Seat.objects.filter(table_id__in=whole).values_list("pk", flat=True)
    return sorted({seat.pk for seat in seats} | set(extra))


@transaction.atomic
def hold(
    *,
    event: Event,
    channel: str,
    seat_ids: Iterable[int] = (),
    general: dict[int, int] | None = None,
    order: Order | None = None,
    seller=None,
    customer=None,
    buyer_session: str = "",
    now: datetime | None = None,
) -> Order:
    """Hold seats and/or general-admission places, all or nothing, adding to `order` if given.
    `customer`, when given, is attached to the order (as attach_customer does).

    Raises SeatsUnavailable naming the taken seats, or SaleError (limits, capacity, event).
    """
    now = now or timezone.now()
    check_event_sellable(event, channel)  # as the view loaded it, a moment ago
    seat_ids = sorted(set(seat_ids))
    general = {int(z): int(q) for z, q in (general or {}).items() if int(q) > 0}
    if order is not None:
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status != Order.Status.HELD or order.expires_at <= now:
            raise SaleError(_("La reserva venció. Elija los asientos de nuevo."), code="hold_expired")

    # The event's zones as its view loaded them (prefetched: the cart shows them next), else read.
    zones = {zone.pk: zone for zone in event.zones.all()}
    # Only chairs of tables can bring a whole table along: no tables, nothing to expand.
    if seat_ids and any(zone.kind == Zone.Kind.TABLES for zone in zones.values()):
        seat_ids = _expand_whole_tables(list(Seat.objects.filter(event=event, pk__in=seat_ids)))
    already = order.tickets.filter(status=Ticket.Status.HELD).count() if order else 0
    wanted = len(seat_ids) + sum(general.values())
    if wanted == 0:
        raise SaleError(_("Elija al menos un asiento o una entrada."), code="empty")
    if already + wanted > event.max_seats_per_order:
        raise SaleError(
            _("Máximo %(max)s entradas por compra.") % {"max": event.max_seats_per_order}, code="too_many"
        )

    seats = _hold_seats(event, seat_ids)

    new_order = order is None
    if new_order:
        order = Order.objects.create(
            event=event,
            channel=channel,
            seller=seller,
            customer=customer,
            buyer_session=buyer_session,
            expires_at=now + timedelta(minutes=event.hold_minutes),
        )
    elif customer is not None and order.customer_id != customer.pk:
        order.customer = customer
        order.save(update_fields=["customer"])
    # The prices of these seats only, in a few queries whatever the size of the venue.
    wanted_prices = {
        (seat.zone_id, seat.row_index if zones[seat.zone_id].kind == Zone.Kind.NUMBERED else None)
        for seat in seats
    } | {(zone_id, None) for zone_id in general}
    prices = price_table(event=event, zones=list(zones.values()), at=now, only=wanted_prices)
    tickets = []
    # Created in the order of the places, as every list of a sale shows them.
    for seat in sorted(
        seats, key=lambda seat: (zones[seat.zone_id].position, seat.zone_id, seat.row_index, seat.number)
    ):
        zone = zones[seat.zone_id]
        row = seat.row_index if zone.kind == Zone.Kind.NUMBERED else None
        quote = prices[(zone.pk, row)]
        tickets.append(
            Ticket(
                order=order,
                event=event,
                zone=zone,
                seat=seat,
                table_id=seat.table_id,
                label=f"{zone.name} · {seat.label}",
                price=quote.total.amount,
                price_breakdown=_breakdown(quote),
            )
        )
    for zone_id, quantity in sorted(general.items()):
        zone = Zone.objects.select_for_update().get(pk=zone_id, event=event, kind=Zone.Kind.GENERAL)
        available = zone.capacity - zone.sold_count - zone.held_count
        if quantity > available:
            if available <= 0:
                raise SaleError(_("No quedan entradas en %(zone)s.") % {"zone": zone.name}, code="capacity")
            raise SaleError(
                ngettext(
                    "En %(zone)s queda %(count)s entrada.",
                    "En %(zone)s quedan %(count)s entradas.",
                    available,
                )
                % {"zone": zone.name, "count": available},
                code="capacity",
            )
        Zone.objects.filter(pk=zone.pk).update(held_count=F("held_count") + quantity)
        zones[zone.pk].held_count = zone.held_count + quantity  # what the caller shows next
        quote = prices[(zone.pk, None)]
        tickets += [
            Ticket(
                order=order,
                event=event,
                zone=zone,
                label=zone.name,
                price=quote.total.amount,
                price_breakdown=_breakdown(quote),
            )
            for _ in range(quantity)
        ]
    try:
        # No savepoint: on this error the whole hold rolls back, nothing else runs in it.
        Ticket.objects.bulk_create(tickets)
    except IntegrityError:  # the partial unique index: someone got there through another path
        raise SeatsUnavailable(seats) from None
    audit(action="hold", order=order, actor=seller, seats=[s.pk for s in seats], general=general)
    broadcast_seats(event=event, seat_ids=[s.pk for s in seats], zone_ids=general.keys())
    if new_order:
        # A new order's tickets are exactly these: the cart shown next needs no read of them.
        order._live_tickets = tickets
    return order


def _hold_seats(event: Event, seat_ids: list[int]) -> list[Seat]:
    """Lock the event's available seats among `seat_ids` in id order and mark them held, in one
    statement; all of them or none (SeatsUnavailable names the taken ones, and the caller's
    transaction rolls back whatever was marked).

    Locking in id order makes two sellers holding overlapping seats queue up instead of
    deadlocking. A seat another transaction is holding right now is waited for, then seen as it
    is after that transaction: held, it is left out. The seats come back as they were read, with
    the status they have now."""
    if not seat_ids:
        return []
    table = Seat._meta.db_table
    held = fetch_instances(
        f"UPDATE {table} SET status = %s WHERE id IN (SELECT id FROM {table} "
        "WHERE event_id = %s AND id = ANY(%s) AND status = %s ORDER BY id FOR UPDATE) "
        f"RETURNING {select_list(Seat, table)}",
        [Seat.Status.HELD, event.pk, list(seat_ids), Seat.Status.AVAILABLE],
        (Seat, table),
    )
    seats = sorted((seat for (seat,) in held), key=lambda seat: seat.pk)
    if len(seats) == len(seat_ids):
        return seats
    others = Seat.objects.filter(event=event, pk__in=seat_ids).exclude(pk__in=[seat.pk for seat in seats])
    taken = list(
        others.select_related("table").order_by("zone__position", "zone_id", "row_index", "number")
    )  # as they read
    if len(seats) + len(taken) != len(seat_ids):
        raise SaleError(_("Algunos asientos no pertenecen a este evento."), code="foreign_seat")
    raise SeatsUnavailable(taken)


def _set_seat_status(seat_ids: list[int], status: str) -> None:
    """Lock the seats in id order and set their status, in one statement. The order matters: a
    hold locks seats in id order too, so two transactions touching the same seats queue instead of
    deadlocking. (The ORM cannot lock in order inside an UPDATE: an `__in` subquery loses its
    ORDER BY.)"""
    if not seat_ids:
        return
    table = Seat._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s WHERE id IN "
            f"(SELECT id FROM {table} WHERE id = ANY(%s) ORDER BY id FOR UPDATE)",
            [status, list(seat_ids)],
        )


def _release_tickets(order: Order, tickets: list[Ticket], *, new_status: str) -> None:
    seat_ids = [t.seat_id for t in tickets if t.seat_id]
    general: dict[int, int] = {}
    for ticket in tickets:
        if not ticket.seat_id:
            general[ticket.zone_id] = general.get(ticket.zone_id, 0) + 1
    was_sold = any(t.status == Ticket.Status.VALID for t in tickets)
    Ticket.objects.filter(pk__in=[t.pk for t in tickets]).update(status=new_status)
    _set_seat_status(seat_ids, Seat.Status.AVAILABLE)
    counter = "sold_count" if was_sold else "held_count"
    for zone_id, quantity in sorted(general.items()):
        Zone.objects.filter(pk=zone_id).update(**{counter: F(counter) - quantity})
    broadcast_seats(event=order.event, seat_ids=seat_ids, zone_ids=general.keys())


@transaction.atomic
def release_ticket(*, order: Order, ticket_id: int, actor=None) -> Order:
    """Take one seat (or place) out of a held order; a chair of a whole table takes the table."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != Order.Status.HELD:
        raise SaleError(_("Esta venta ya no está en curso."), code="not_held")
    ticket = order.tickets.filter(pk=ticket_id, status=Ticket.Status.HELD).first()
    if ticket is None:  # released a moment ago (a double click), or never in this order
        raise SaleError(_("Esa entrada ya no está en la venta."), code="not_in_cart")
    tickets = [ticket]
    if ticket.table_id and ticket.table.sold_whole:
        tickets = list(order.tickets.filter(table_id=ticket.table_id, status=Ticket.Status.HELD))
    _release_tickets(order, tickets, new_status=Ticket.Status.RELEASED)
    audit(action="release", order=order, actor=actor, tickets=[t.pk for t in tickets])
    return order


@transaction.atomic
def cancel_order(*, order: Order, actor=None, status: str = Order.Status.CANCELLED) -> Order:
    """Before completion (held, or waiting for a payment check): let everything go."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status not in LIVE_HOLD_STATUSES:
        return order
    _release_tickets(
        order, list(order.tickets.filter(status=Ticket.Status.HELD)), new_status=Ticket.Status.RELEASED
    )
    order.status, order.closed_at = status, timezone.now()
    order.save(update_fields=["status", "closed_at"])
    audit(action="expire" if status == Order.Status.EXPIRED else "cancel", order=order, actor=actor)
    return order


def expire_if_due(*, order: Order, actor=None) -> bool:
    """A countdown on a seller's or a customer's screen reached the end of the hold: let it go
    now rather than at the next sweep (expire_holds), if its time is up by the server's clock.
    True if it was let go."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status != Order.Status.HELD or order.expires_at > timezone.now():
            return False
        cancel_order(order=order, actor=actor, status=Order.Status.EXPIRED)
    return True


# Online orders in review that only staff may settle: a Pago Móvil or a Zelle the customer says
# they made, or a card the bank charged for a sale that could not complete. Money may have moved
# for them, so no clock lets them go (expire_holds); staff confirm or reject each one from
# "Pagos por verificar" (storefront.services.orders_in_review).
REPORTED_METHODS = (PaymentMethod.PAGO_MOVIL, PaymentMethod.ZELLE)
STAFF_DECIDES = Q(draft_payments__0__method__in=list(REPORTED_METHODS)) | Q(
    draft_payments__0__details__charged=True
)


def staff_decides(order: Order) -> bool:
    """STAFF_DECIDES, of an order already loaded."""
    payment = order.draft_payments[0] if order.draft_payments else {}
    charged = bool((payment.get("details") or {}).get("charged"))
    return order.status == Order.Status.REVIEW and (payment.get("method") in REPORTED_METHODS or charged)


def expire_holds(*, now: datetime | None = None) -> int:
    """Release every hold past its time, and every online card charge the gateway did not decide
    on within the review window. Runs every 30 seconds from Celery beat, per organization.

    An order staff must decide on (STAFF_DECIDES) is left alone past its review deadline: its
    customer paid, or says so, and releasing the seats would sell them to someone else while the
    money sits in the bank. It stays in review, its seats held, overdue and first in the queue,
    until staff confirm it (the sale completes) or reject it (the seats go back on sale)."""
    now = now or timezone.now()
    expired = 0
    # (Not excluded in SQL: a JSON key missing from the payment is NULL there, and NOT NULL
    # would exclude the card charges the gateway left undecided too.)
    due = Order.objects.filter(status__in=LIVE_HOLD_STATUSES, expires_at__lte=now)
    for order_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            order = Order.objects.select_for_update(skip_locked=True).filter(pk=order_id).first()
            if order is None or order.status not in LIVE_HOLD_STATUSES or order.expires_at > now:
                continue  # a seller is completing it right now, or it changed meanwhile
            if staff_decides(order):
                continue  # paid, or said to be: staff decide
            cancel_order(order=order, status=Order.Status.EXPIRED)
            expired += 1
    return expired


# --- Payments and completion ----------------------------------------------------------------------


def sale_totals(order: Order, *, on=None, tickets: Iterable[Ticket] | None = None) -> money.SaleTotals:
    """The order's totals in its event currency and in bolívares at the BCV rate of `on`, by
    default the day that prices the order (priced_on: today, or the day an online payment under
    review was quoted). `tickets`: the order's held and valid tickets, when the caller has them
    loaded already.

    Raises MissingExchangeRate when the day's rate is needed and missing.

    Without `tickets`, the result is kept on the loaded order for that day, like its prices
    (_live_prices): adding a payment checks the totals and then shows them."""
    on = on or priced_on(order)
    if tickets is None:
        known = order.__dict__.setdefault("_totals_by_day", {})
        if on not in known:
            known[on] = _calculate_totals(order, _live_prices(order), on=on)
        return known[on]
    return _calculate_totals(order, [t.price for t in tickets], on=on)


def _calculate_totals(order: Order, prices: list[Decimal], *, on) -> money.SaleTotals:
    event = order.event
    rate = _day_rates(order, on).get(event.currency)
    if rate is None:  # missing: rate_for raises the clear message (or finds it, set just now)
        rate = money.rate_for(currency=event.currency, on=on)
    return money.calculate_totals(
        prices=prices,
        currency=event.currency,
        rate=rate,
        iva_rate=event.iva_rate,
        iva_exempt=event.iva_exempt,
        fees=event_fees(event),
    )


def _live_prices(order: Order) -> list[Decimal]:
    """The prices of the order's held and valid tickets, read once per loaded order: adding a
    payment checks the totals and then shows them. Every service that changes an order's tickets
    loads the order again, so a loaded order's prices do not change under it."""
    if not hasattr(order, "_live_prices"):
        if hasattr(order, "_live_tickets"):
            order._live_prices = [ticket.price for ticket in order._live_tickets]
        else:
            live = order.tickets.filter(status__in=[Ticket.Status.HELD, Ticket.Status.VALID])
            order._live_prices = list(live.values_list("price", flat=True))
    return order._live_prices


def event_fees(event: Event) -> list[tuple[str, Decimal]]:
    """The event's extra taxes as (name, percent), cached with its pricing
    (pricing.selectors.event_pricing)."""
    return event_pricing(event).fees


def _day_rates(order: Order, on) -> dict[str, Decimal]:
    """The BCV rates of day `on` that are known, bolívares included, read once per loaded order
    and day: its totals and its payments both need them."""
    known = order.__dict__.setdefault("_rates_by_day", {})
    if on not in known:
        known[on] = {"VES": Decimal("1"), **money.known_rates(currencies=("USD", "EUR"), on=on)}
    return known[on]


def other_currency_rates(settled: money.Settlement, *, priced_in: str) -> list[tuple[str, Decimal]]:
    """(currency, rate) of each foreign currency paid in besides the one the sale is priced in:
    the invoice prints them all, so the cart shows them too."""
    return sorted(
        {
            (paid.payment.currency, paid.rate)
            for paid in settled.payments
            if paid.payment.currency not in (money.Currency.VES, priced_in)
        }
    )


def rates_token(order: Order, *, on=None) -> str:
    """The BCV rates that price the order's figures, as the cart sends them back: "EUR=…;USD=…"."""
    rates = _day_rates(order, on or priced_on(order))
    return ";".join(f"{currency}={rates[currency]}" for currency in sorted(rates) if currency != "VES")


def currencies_without_rate(order: Order) -> set[str]:
    """The currencies the sale's day has no BCV rate for: methods in them cannot be taken."""
    known = _day_rates(order, priced_on(order))
    return {currency for currency in ("USD", "EUR") if currency not in known}


def igtf_applies() -> bool:
    from ticketing.organizations.selectors import current_organization

    return current_organization().is_special_taxpayer


def _inputs(order: Order) -> list[money.PaymentInput]:
    return [
        money.PaymentInput(
            method=p["method"],
            currency=p["currency"],
            amount=Decimal(p["amount"]),
            details=p.get("details", {}),
        )
        for p in order.draft_payments
    ]


def settlement(
    order: Order, *, extra: money.PaymentInput | None = None, on=None, totals: money.SaleTotals | None = None
) -> money.Settlement:
    on = on or priced_on(order)
    payments = _inputs(order) + ([extra] if extra else [])
    rates = _day_rates(order, on)
    missing = {p.currency for p in payments} - set(rates)
    if missing:
        money.rate_for(currency=sorted(missing)[0], on=on)  # raises the clear message
    return money.settle(
        totals=totals or sale_totals(order, on=on),
        payments=payments,
        rates=rates,
        igtf_applies=igtf_applies(),
    )


def amount_to_settle(order: Order, *, method: str, settlement: money.Settlement) -> money.AmountDue | None:
    """What one more payment by `method` must be, in its own currency, to pay what is still due
    (IGTF included when it applies): the counter's payment form starts with it, so an exact
    payment is only the method and Ctrl+Enter. None when nothing is due (or the sale is no
    longer in progress); MissingExchangeRate when the sale's day has no rate for the method's
    currency."""
    if settlement.is_settled or order.status != Order.Status.HELD:
        return None
    spec = spec_for(method)
    on = priced_on(order)
    rate = _day_rates(order, on).get(spec.currency)
    if rate is None:
        raise money.MissingExchangeRate(currency=spec.currency, on=on)
    amount = money.amount_to_cover(
        balance_ves=settlement.balance_ves, method=method, rate=rate, igtf_applies=settlement.igtf_applies
    )
    return money.AmountDue(
        method=method,
        amount=Money(amount, spec.currency),
        rate=None if spec.currency == "VES" else rate,
        igtf=settlement.igtf_applies and spec.is_foreign,
    )


@transaction.atomic
def attach_customer(*, order: Order, customer) -> Order:
    updated = Order.objects.filter(pk=order.pk, status=Order.Status.HELD).update(customer=customer)
    if updated:
        order.customer = customer
    return order


@transaction.atomic
def add_payment(
    *,
    order: Order | UUID,
    payment: money.PaymentInput,
    actor=None,
    channel: str | None = None,
    payment_key: str | None = None,
) -> Order:
    """Add a payment to the held order (`order` or its public id, see _locked_order).
    `payment_key`, the payment form's own: a retry of a request whose answer was lost (the
    seller presses "Agregar pago" again) finds its payment already there and adds nothing."""
    order = _locked_order(order, channel=channel)
    if payment_key and any(taken.get("id") == payment_key for taken in order.draft_payments):
        return order
    _require_in_progress(order)
    settlement(order, extra=payment)  # validates: rate present, no overpayment by non-cash
    record = payment_record(payment, key=payment_key)
    order.draft_payments = [*order.draft_payments, record]
    order.save(update_fields=["draft_payments"])
    # Money in the drawer before the sale is done: the history says it, whatever happens next.
    audit(action="payment_added", order=order, actor=actor, method=record["method"], amount=record["amount"])
    return order


def _require_in_progress(order: Order) -> None:
    """Refuse to take money for an order that is not a hold in its time (the seller's screen can
    be a second behind the server, or another tab finished the sale)."""
    if order.status == Order.Status.COMPLETED:
        raise SaleError(
            _("Esta venta ya se cobró y se facturó (en otra pestaña o ventana): no cobre de nuevo."),
            code="already_completed",
        )
    if order.status != Order.Status.HELD:
        raise SaleError(_("Esta venta ya no está en curso."), code="not_held")
    if order.expires_at <= timezone.now():
        raise SaleError(
            _("La reserva venció: los asientos se liberaron. Elija de nuevo."), code="hold_expired"
        )


@transaction.atomic
def extend_hold(*, order: Order, actor=None) -> Order:
    """Another full hold time from now, for a sale still in its time: the customer is paying (a
    Pago Móvil on its way) and the seats must not go back on sale meanwhile. Said in the history."""
    order = Order.objects.select_related("event").select_for_update(of=("self",)).get(pk=order.pk)
    _require_in_progress(order)
    order.expires_at = timezone.now() + timedelta(minutes=order.event.hold_minutes)
    order.save(update_fields=["expires_at"])
    audit(action="extend", order=order, actor=actor)
    return order


@transaction.atomic
def pay_and_complete(
    *,
    order: Order | UUID,
    payment: money.PaymentInput,
    completion_key,
    customer,
    seller=None,
    now: datetime | None = None,
    channel: str | None = None,
    shown_tickets=None,
    shown_rates: str | None = None,
) -> Order:
    """The last payment and the completion in one transaction: "Cobrar y emitir factura" pressed
    with the payment form filled in. The payment is kept only with the sale: if anything refuses
    (the payment itself, a balance still due, no customer, an expired hold), nothing changes.
    Idempotent like complete_sale: a retry with the same key returns the sale, paid once."""
    now = now or timezone.now()
    order = _locked_order(order, channel=channel, with_customer=True)
    taken = order.draft_payments
    taking_it = order.status == Order.Status.HELD
    if taking_it:
        # Completion's settlement validates it together with the payments already taken.
        order.draft_payments = [*taken, payment_record(payment)]
    try:
        return _complete_locked(
            order,
            completion_key=completion_key,
            customer=customer,
            seller=seller,
            now=now,
            shown_tickets=shown_tickets,
            shown_rates=shown_rates,
            last_payment=payment if taking_it else None,
        )
    except SaleError as e:
        if e.code == "no_customer":
            raise SaleError(
                _("Indique el cliente antes de cobrar: el pago no se registró."), code="no_customer"
            ) from None
        if e.code != "balance_due":
            raise
        # "Falta cobrar" would count a payment that is not kept: say both balances.
        with_it = settlement(order).balance_ves
        order.draft_payments = taken
        raise SaleError(
            _(
                "Este pago no salda la venta (con él faltarían %(with_it)s), así que no se registró. "
                "Falta cobrar %(balance)s: para cobrar con varias formas de pago, agregue este pago "
                "con «Agregar pago» y cobre el resto."
            )
            % {
                "with_it": format_money(with_it, "VES"),
                "balance": format_money(settlement(order).balance_ves, "VES"),
            },
            code="balance_due",
        ) from None


def payment_record(payment: money.PaymentInput, *, key: str | None = None) -> dict:
    """A payment as the order's draft keeps it, with an id of its own (`key`, the form's, when
    given): removing one names it, so a second click on its × cannot remove the payment that took
    its place, and adding one twice with the same key adds it once."""
    data = {"id": key or uuid4().hex, **asdict(payment)}
    data["amount"] = str(payment.amount)
    if data.get("rate") is not None:
        data["rate"] = str(data["rate"])
    data["method_label"] = str(dict(PaymentMethod.choices).get(payment.method, payment.method))
    return data


@transaction.atomic
def remove_payment(*, order: Order, payment_id: str, actor=None) -> Order:
    """Take the draft payment `payment_id` out; one already gone leaves the order as it is."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    # Drafts added before payments had ids are named by their position.
    removed = [p for i, p in enumerate(order.draft_payments) if p.get("id", str(i)) == payment_id]
    if order.status == Order.Status.HELD and removed:
        order.draft_payments = [p for p in order.draft_payments if p not in removed]
        order.save(update_fields=["draft_payments"])
        audit(
            action="payment_removed",
            order=order,
            actor=actor,
            method=removed[0].get("method"),
            amount=removed[0].get("amount"),
        )
    return order


# What completion writes on the order (the rest of the row is as the hold left it).
COMPLETION_FIELDS = [
    "customer",
    "status",
    "completed_at",
    "completion_key",
    "currency",
    "exchange_rate",
    "subtotal",
    "total",
    "total_ves",
    "igtf_ves",
    "change_ves",
    "totals",
    "draft_payments",
]


@transaction.atomic
def complete_sale(
    *,
    order: Order | UUID,
    completion_key,
    customer,
    seller=None,
    now: datetime | None = None,
    channel: str | None = None,
    shown_tickets=None,
    shown_rates: str | None = None,
) -> Order:
    """Turn the hold into sold tickets, record payments, issue the invoice: all or nothing.
    `order`: the order or its public id (see _locked_order). `customer`: a Customer, or the id
    the seller's form sent (usually the order's own customer, read with the order).

    Idempotent: a retry with the same completion key (double click, reload) returns the sale.
    """
    now = now or timezone.now()
    order = _locked_order(order, channel=channel, with_customer=True)
    return _complete_locked(
        order,
        completion_key=completion_key,
        customer=customer,
        seller=seller,
        now=now,
        shown_tickets=shown_tickets,
        shown_rates=shown_rates,
    )


def _complete_locked(
    order: Order,
    *,
    completion_key,
    customer,
    seller,
    now: datetime,
    shown_tickets=None,
    shown_rates: str | None = None,
    last_payment: money.PaymentInput | None = None,
) -> Order:
    """complete_sale's work on an order its caller has locked (with its event and customer).
    `last_payment`: the payment taken with the completion (pay_and_complete), which no
    "payment added" entry records: the completion's entry in the history names it.
    `shown_tickets`: the ids of the tickets the seller's screen listed, when it says; a sale
    changed meanwhile in another tab or window is refused rather than invoiced unseen.
    `shown_rates`: the day's rates the screen's figures used (rates_token), when it says; a rate
    corrected meanwhile is refused too, rather than invoiced at figures nobody saw."""
    from ticketing.fiscal.services import issue_new_invoice

    if order.status == Order.Status.COMPLETED:
        if str(order.completion_key) == str(completion_key):
            return order
        raise SaleError(_("Esta venta ya se completó."), code="already_completed")
    # A payment in review keeps its seats past the review deadline until staff decide or the
    # sweep lets a card the gateway never decided on go (expire_holds): its status says whether
    # the seats are still held, not the clock.
    overdue_hold = order.status == Order.Status.HELD and order.expires_at <= now
    if order.status not in LIVE_HOLD_STATUSES or overdue_hold:
        raise SaleError(
            _("La reserva venció: los asientos se liberaron. Elija de nuevo."), code="hold_expired"
        )
    if order.status == Order.Status.HELD:
        # Cancelled or closed while the cart was open. (A payment under review was taken while
        # the event was on sale: staff confirm or reject it.)
        check_event_sellable(order.event, order.channel)
    customer = _given_customer(order, customer)
    if customer is None:
        raise SaleError(_("Indique el cliente."), code="no_customer")
    # Sold from here on: any check below that fails rolls the whole sale back, this included.
    tickets = _mark_tickets(order, Ticket.Status.HELD, Ticket.Status.VALID)
    if not tickets:
        raise SaleError(_("La venta no tiene entradas."), code="empty")
    if shown_tickets is not None and {t.pk for t in tickets} != set(shown_tickets):
        raise SaleError(
            _(
                "Esta venta cambió en otra pestaña o ventana: revise sus entradas aquí y vuelva a "
                "cobrar. No se cobró nada."
            ),
            code="cart_changed",
        )

    on = priced_on(order)
    if shown_rates is not None and shown_rates != rates_token(order, on=on):
        raise SaleError(
            _(
                "La tasa BCV de hoy se corrigió mientras cobraba: revise los montos aquí y vuelva a "
                "cobrar. No se cobró nada."
            ),
            code="rate_changed",
        )
    totals = sale_totals(order, on=on, tickets=tickets)
    settled = settlement(order, on=on, totals=totals)
    if not settled.is_settled:
        raise SaleError(
            _("Falta cobrar %(balance)s.") % {"balance": format_money(settled.balance_ves, "VES")},
            code="balance_due",
        )

    seat_ids = sorted(t.seat_id for t in tickets if t.seat_id)
    _set_seat_status(seat_ids, Seat.Status.SOLD)
    general: dict[int, int] = {}
    for ticket in tickets:
        if not ticket.seat_id:
            general[ticket.zone_id] = general.get(ticket.zone_id, 0) + 1
    for zone_id, quantity in sorted(general.items()):
        Zone.objects.filter(pk=zone_id).update(
            held_count=F("held_count") - quantity, sold_count=F("sold_count") + quantity
        )
    for settled_payment in settled.payments:
        payment = settled_payment.payment
        Payment.objects.create(
            order=order,
            method=payment.method,
            currency=payment.currency,
            amount=payment.amount,
            exchange_rate=settled_payment.rate,
            amount_ves=settled_payment.amount_ves,
            details=payment.details,
        )
    order.customer = customer
    order.status, order.completed_at, order.completion_key = Order.Status.COMPLETED, now, completion_key
    order.currency, order.exchange_rate = totals.currency, totals.rate
    order.subtotal, order.total, order.total_ves = totals.subtotal, totals.total, totals.total_ves
    order.igtf_ves, order.change_ves = settled.igtf_ves, settled.change_ves
    order.totals = totals_document(totals, settled, order=order, tickets=tickets)
    order.draft_payments = []
    order.save(update_fields=COMPLETION_FIELDS)
    charged = {"total_ves": str(totals.total_ves)}
    if settled.igtf_ves:  # paid by the customer on top of the total, so the history says it
        charged["igtf_ves"] = str(settled.igtf_ves)
    if last_payment is not None:
        charged.update(method=last_payment.method, amount=str(last_payment.amount))
    audit(action="complete", order=order, actor=seller, **charged)
    # Last: the series row it takes stays locked until commit, and every sale waits for it. The
    # order was held a moment ago (a completed one returned above), so it has no invoice yet.
    issue_new_invoice(order=order)
    broadcast_seats(event=order.event, seat_ids=seat_ids, zone_ids=general.keys())
    return order


def priced_on(order: Order) -> date:
    """The day whose BCV rate prices the sale: today, or, for an online payment under review, the
    day the customer was told the amount (storefront.services._put_in_review): they paid that,
    whatever the rate is when staff confirm it."""
    quoted = (
        order.status == Order.Status.REVIEW
        and order.draft_payments
        and order.draft_payments[0].get("quoted_on")
    )
    return date.fromisoformat(quoted) if quoted else money.today_in_caracas()


def _given_customer(order: Order, customer: Customer | int | None) -> Customer | None:
    if customer is None or isinstance(customer, Customer):
        return customer
    if customer == order.customer_id:
        return order.customer
    return customer_by_pk(customer)


def _mark_tickets(order: Order, old_status: str, new_status: str) -> list[Ticket]:
    """The order's tickets in `old_status`, given `new_status` in one statement and returned in
    the order of their places (selectors.in_place_order's: zone, row, number), which the invoice's
    lines follow: seats clicked one by one, or added by a later hold, still read A1, A2, B1. The
    caller holds the order's lock: every path that changes an order's tickets takes it first, so
    nothing else touches these rows meanwhile."""
    ticket_table, seat_table, zone_table = Ticket._meta.db_table, Seat._meta.db_table, Zone._meta.db_table
    marked = fetch_instances(
        f"WITH marked AS (UPDATE {ticket_table} SET status = %s WHERE order_id = %s AND status = %s "
        f"RETURNING *) "
        f"SELECT {select_list(Ticket, 'marked')} FROM marked "
        f"JOIN {zone_table} zone ON zone.id = marked.zone_id "
        f"LEFT JOIN {seat_table} seat ON seat.id = marked.seat_id "
        f"ORDER BY zone.position, zone.id, seat.id IS NULL, seat.row_index, seat.number, marked.id",
        [new_status, order.pk, old_status],
        (Ticket, "marked"),
    )
    return [ticket for (ticket,) in marked]


def totals_document(totals: money.SaleTotals, settled: money.Settlement, *, order: Order, tickets) -> dict:
    """The frozen breakdown printed on the invoice (amounts as strings of Decimals), in the
    invoice's language whatever the seller's: the invoice can never be edited afterwards."""
    from ticketing.fiscal.documents import FISCAL_LANGUAGE

    with translation.override(FISCAL_LANGUAGE):
        labels = {method: str(label) for method, label in PaymentMethod.choices}
        lines = [
            {"label": t.label, "price": str(t.price), "price_ves": str(v), "detail": _price_detail(t)}
            for t, v in zip(tickets, totals.lines_ves, strict=True)
        ]
    return {
        "currency": totals.currency,
        "rate": str(totals.rate),
        "lines": lines,
        "subtotal": str(totals.subtotal),
        "iva_rate": str(totals.iva_rate),
        "iva": str(totals.iva),
        "exempt": totals.exempt,
        "fees": [
            {"name": f.name, "rate": str(f.rate), "amount": str(f.amount), "amount_ves": str(f_ves.amount)}
            for f, f_ves in zip(totals.fees, totals.fees_ves, strict=True)
        ],
        "total": str(totals.total),
        "subtotal_ves": str(totals.subtotal_ves),
        "iva_ves": str(totals.iva_ves),
        "fees_ves": str(sum((f.amount for f in totals.fees_ves), Decimal("0"))),
        "total_ves": str(totals.total_ves),
        "igtf_rate": str(settled.igtf_rate),
        "igtf_ves": str(settled.igtf_ves),
        "due_ves": str(settled.due_ves),
        "paid_ves": str(settled.paid_ves),
        "change_ves": str(settled.change_ves),
        "payments": [
            {
                "method": sp.payment.method,
                "method_label": str(labels.get(sp.payment.method, sp.payment.method)),
                "currency": sp.payment.currency,
                "amount": str(sp.payment.amount),
                "amount_ves": str(sp.amount_ves),
                "rate": str(sp.rate),  # the invoice states every rate it converted with
            }
            for sp in settled.payments
        ],
    }


def _price_detail(ticket: Ticket) -> str:
    """How a line's price came about, when a price stage or the row changed the base: the invoice
    shows discounts and surcharges ("Precio base USD 50,00; Preventa -20 % (-USD 10,00)")."""
    breakdown = ticket.price_breakdown or {}
    currency = breakdown.get("currency") or ""
    parts = []
    for name, percent_key, amount_key in (
        (breakdown.get("stage") or "", "stage_percent", "stage_amount"),
        (_("fila"), "row_percent", "row_amount"),
    ):
        amount = Decimal(str(breakdown.get(amount_key) or "0"))
        if amount:
            signed = ("-" if amount < 0 else "+") + format_money(abs(amount), currency)
            parts.append(f"{name} {format_percent_change(breakdown.get(percent_key))} ({signed})")
    if not parts or not breakdown.get("base"):
        return ""
    base = format_money(Decimal(str(breakdown["base"])), currency)
    return "; ".join([_("Precio base %(base)s") % {"base": base}, *parts])


@transaction.atomic
def void_sale(*, order: Order, reason: str, actor) -> Order:
    """After completion: tickets become invalid, seats return to sale, a credit note is issued."""
    from ticketing.fiscal.services import issue_credit_note

    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indique el motivo de la anulación.")})
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status == Order.Status.VOIDED:
        # Voided a moment ago by another manager or another tab: say by which credit note.
        raise SaleError(
            _("Esta venta ya fue anulada (nota de crédito %(number)s).")
            % {"number": credit_note_number(order) or "—"},
            code="already_voided",
        )
    if order.status != Order.Status.COMPLETED:
        raise SaleError(_("Solo se anulan ventas pagadas."), code="not_completed")
    tickets = list(order.tickets.filter(status=Ticket.Status.VALID))
    _release_tickets(order, tickets, new_status=Ticket.Status.VOID)
    order.status, order.closed_at = Order.Status.VOIDED, timezone.now()
    order.save(update_fields=["status", "closed_at"])
    issue_credit_note(invoice=order.invoice, reason=reason)
    audit(action="void", order=order, actor=actor, reason=reason)
    return order


def current_schema() -> str:
    return connection.schema_name
