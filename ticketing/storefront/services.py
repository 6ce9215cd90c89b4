"""Online sales: a customer holds seats on the organization's site, gives their details, and pays
by card (the gateway), or reports a Pago Móvil or a Zelle that staff check from a review queue.

Every path ends in `sales.services.complete_sale`, the same transaction the box office uses, so
invoice numbers, tickets and the live map behave the same whatever the channel. The completion key
of an online order is derived from the order, so a replayed webhook, a double click in the review
queue and a retried card payment all complete it at most once.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from ticketing.core.money import Money
from ticketing.customers.models import Customer
from ticketing.customers.services import create_customer
from ticketing.events.models import Event, Zone
from ticketing.fiscal import services as fiscal
from ticketing.payments import services as money
from ticketing.payments.gateways import ChargeResult, ChargeStatus, WebhookNotice, card_gateway
from ticketing.payments.methods import PaymentMethod, spec_for
from ticketing.sales import services as sales
from ticketing.sales.models import Order, Ticket

from .models import OnlineSalesSettings

# Completion keys of online orders: uuid5(this, order.public_id).
ONLINE_COMPLETION_NAMESPACE = uuid.UUID("6f1c2b1e-7d4a-4f0e-9a51-3c2d8e0b7a10")
REPORTED_METHODS = sales.REPORTED_METHODS


class OnlineSaleError(ValidationError):
    pass


def online_settings() -> OnlineSalesSettings:
    settings_row, _created = OnlineSalesSettings.objects.get_or_create(pk=1)
    return settings_row


# --- Holding seats --------------------------------------------------------------------------------


def active_holds(session_key: str, *, now: datetime | None = None) -> int:
    """How many orders this visitor has holding seats right now (in any event)."""
    if not session_key:
        return 0
    return Order.objects.filter(
        buyer_session=session_key,
        channel=Order.Channel.ONLINE,
        status__in=sales.LIVE_HOLD_STATUSES,
        expires_at__gt=now or timezone.now(),
    ).count()


def hold_online(
    *,
    event: Event,
    session_key: str,
    seat_ids=(),
    general: dict[int, int] | None = None,
    order: Order | None = None,
) -> Order:
    """Hold seats for a visitor of the storefront, with the limits that keep one visitor from
    holding a venue: the event's seats per order (checked by `sales.hold`) and
    ONLINE_MAX_ACTIVE_HOLDS orders at a time per browser session."""
    limit = settings.ONLINE_MAX_ACTIVE_HOLDS
    if order is None and active_holds(session_key) >= limit:
        raise OnlineSaleError(
            _("Ya tiene %(count)s reservas abiertas. Termine o cancele una antes de reservar otra.")
            % {"count": limit},
            code="too_many_holds",
        )
    return sales.hold(
        event=event,
        channel=Order.Channel.ONLINE,
        seat_ids=seat_ids,
        general=general,
        order=order,
        buyer_session=session_key,
    )


# --- The buyer's details --------------------------------------------------------------------------


@dataclass(frozen=True)
class Buyer:
    first_name: str
    last_name: str
    id_document: str
    phone: str
    email: str
    opt_in_email: bool = False
    opt_in_sms: bool = False
    opt_in_whatsapp: bool = False


def _customer_for(buyer: Buyer) -> Customer:
    """The organization's customer with this cédula/RIF, or a new one.

    Anyone can type any cédula on a public page, so an existing customer's name and contact data are
    never overwritten from here: only empty fields are filled, and the order keeps its own e-mail."""
    from ticketing.core.identifiers import normalize_id_document, same_person_documents

    document = normalize_id_document(buyer.id_document)
    customers = Customer.objects.select_for_update()
    customer = customers.filter(id_document=document).first()
    if customer is None and (forms := same_person_documents(document)):
        # Typed as their RIF, known by their cédula (or the other way round): the same person.
        cedula, rif_start = forms
        customer = customers.filter(Q(id_document=cedula) | Q(id_document__startswith=rif_start)).first()
    if customer is None:
        return create_customer(
            first_name=buyer.first_name,
            last_name=buyer.last_name,
            id_document=document,
            phone=buyer.phone,
            email=buyer.email,
            opt_in_email=buyer.opt_in_email,
            opt_in_sms=buyer.opt_in_sms,
            opt_in_whatsapp=buyer.opt_in_whatsapp,
        )
    missing = {name: getattr(buyer, name) for name in ("phone", "email") if not getattr(customer, name)}
    if missing:
        from ticketing.customers.services import update_customer

        update_customer(customer=customer, **missing)
    return customer


@transaction.atomic
def save_buyer(*, order: Order, buyer: Buyer) -> Order:
    """Attach the buyer to the held order. Raises ValidationError keyed by field."""
    order = Order.objects.select_for_update(of=("self",)).select_related("event").get(pk=order.pk)
    _require_held(order)
    customer = _customer_for(buyer)
    order.customer = customer
    order.contact_email = buyer.email.strip().lower()
    order.save(update_fields=["customer", "contact_email"])
    return order


def _require_held(order: Order, *, now: datetime | None = None) -> None:
    if order.status == Order.Status.REVIEW:
        raise OnlineSaleError(
            _("Ya reportó el pago de esta compra; la estamos verificando."), code="in_review"
        )
    if order.status != Order.Status.HELD or order.expires_at <= (now or timezone.now()):
        raise OnlineSaleError(
            _("Su reserva venció y los asientos se liberaron. Elíjalos de nuevo."), code="hold_expired"
        )


# --- What to pay ----------------------------------------------------------------------------------


def amount_due(order: Order, method: str, *, tickets=None, on: date | None = None) -> money.AmountDue:
    """What the customer must pay by `method` to settle the order at the BCV rate of day `on`,
    by default today (`tickets`: those of an order whose hold ran out, see late_tickets). Raises
    MissingExchangeRate."""
    spec = spec_for(method)
    on = on or money.today_in_caracas()
    totals = sales.sale_totals(order, on=on, tickets=tickets)
    igtf = sales.igtf_applies() and spec.is_foreign
    rate = None if spec.currency == "VES" else money.rate_for(currency=spec.currency, on=on)
    amount = money.amount_to_cover(
        balance_ves=totals.total_ves, method=method, rate=rate or Decimal("1"), igtf_applies=igtf
    )
    return money.AmountDue(method=method, amount=Money(amount, spec.currency), rate=rate, igtf=igtf)


_QUOTE_SALT = "storefront.payment-quote"


def quote_token(order: Order, on: date) -> str:
    """Sent back with a payment report: the Caracas day whose rate priced the amount the payment
    page showed, signed for this order."""
    return signing.Signer(salt=_QUOTE_SALT).sign(f"{order.public_id}|{on.isoformat()}")


def quoted_day(order: Order, token: str | None) -> date | None:
    """The day of a payment page's quote (quote_token), if the token is this order's and the day
    today or yesterday: a Pago Móvil sent at 23:58 and reported at 00:03 is what the customer was
    asked at yesterday's rate, and today's may not even be loaded yet. None otherwise."""
    try:
        public_id, day = signing.Signer(salt=_QUOTE_SALT).unsign(token or "").split("|")
        quoted = date.fromisoformat(day)
    except (signing.BadSignature, ValueError):
        return None
    today = money.today_in_caracas()
    if public_id != str(order.public_id) or not today - timedelta(days=1) <= quoted <= today:
        return None
    return quoted


# --- Paying ---------------------------------------------------------------------------------------


def completion_key_for(order: Order) -> uuid.UUID:
    return uuid.uuid5(ONLINE_COMPLETION_NAMESPACE, str(order.public_id))


def _after_commit_in_this_schema(send, *args) -> None:
    """A task runs in the schema current when it is sent: pin the organization's now."""
    schema = connection.schema_name

    def run():
        with schema_context(schema):
            send(*args)

    transaction.on_commit(run)


def tell_buyers_of_a_new_date(*, event, was) -> int:
    """E-mail every paid order of `event` whose buyer left an address that the event moved from
    `was` to its new start, once the change commits. Returns how many will be written to."""
    from ticketing.sales.selectors import paid_orders_with_email

    from .tasks import send_event_rescheduled

    order_ids = list(paid_orders_with_email(event).values_list("pk", flat=True))
    for order_id in order_ids:
        _after_commit_in_this_schema(send_event_rescheduled.delay, order_id, was.isoformat())
    return len(order_ids)


def complete_online(*, order: Order, actor=None) -> Order:
    """Complete an online order with the payment it carries (idempotent), then e-mail the buyer."""
    from .tasks import send_order_confirmation

    with transaction.atomic():
        locked = Order.objects.select_for_update(of=("self",)).get(pk=order.pk)
        was_completed = locked.status == Order.Status.COMPLETED
        order = sales.complete_sale(
            order=locked, completion_key=completion_key_for(locked), customer=locked.customer, seller=actor
        )
        if not was_completed and order.contact_email:
            _after_commit_in_this_schema(send_order_confirmation.delay, order.pk)
    return order


@transaction.atomic
def send_tickets_by_email(*, order: Order, to: str, actor=None) -> None:
    """E-mail a completed sale's tickets and invoice to `to` (the worker sends them once the
    request's transaction commits), as the confirmation of an online order. Raises
    ValidationError for a bad address or a sale that is not completed (voided, still held)."""
    from .tasks import send_order_confirmation

    to = (to or "").strip()
    validate_email(to)
    if order.status != Order.Status.COMPLETED:
        raise ValidationError(_("Solo se envían las entradas de una venta pagada."), code="not_completed")
    sales.audit(action="tickets_emailed", order=order, actor=actor, to=to)
    _after_commit_in_this_schema(send_order_confirmation.delay, order.pk, to)


@transaction.atomic
def _put_in_review(
    order: Order,
    payment: money.PaymentInput,
    *,
    action: str,
    late: bool = False,
    reported: bool = False,
    on: date | None = None,
) -> Order:
    """Record the payment the customer made and keep the seats held for the review window.
    `late`: a payment reported after the hold ran out, its seats held again (report_payment).
    `reported`: a Pago Móvil or Zelle the customer says they sent: the money has already moved,
    so an event stopped or cancelled meanwhile does not turn the report away; staff, who see it
    in the queue, confirm it or refund it. `on`: the day whose rate priced the payment (today)."""
    order = Order.objects.select_for_update(of=("self",)).select_related("event").get(pk=order.pk)
    if not (late and order.status == Order.Status.HELD):
        _require_held(order)
        if not reported:
            # Cancelled (or stopped) while the customer was paying: refuse before a card is charged.
            sales.check_event_sellable(order.event, Order.Channel.ONLINE)
    if order.customer_id is None:
        raise OnlineSaleError(_("Complete sus datos antes de pagar."), code="no_customer")
    order.draft_payments = []
    on = on or money.today_in_caracas()
    settled = sales.settlement(order, extra=payment, on=on)
    if not settled.is_settled:
        raise OnlineSaleError(_("El monto no cubre el total de la compra."), code="balance_due")
    # The day whose rate priced what the customer paid: staff may confirm it after midnight.
    order.draft_payments = [{**sales.payment_record(payment), "quoted_on": on.isoformat()}]
    order.status = Order.Status.REVIEW
    order.expires_at = timezone.now() + timedelta(minutes=order.event.review_minutes)
    order.save(update_fields=["draft_payments", "status", "expires_at"])
    sales.audit(action=action, order=order, method=payment.method, amount=str(payment.amount))
    return order


# A Pago Móvil or a Zelle takes a while (the bank's app, the payer's phone): opening their
# instructions gives the hold at least this many minutes, once (give_time_to_report).
REPORT_HOLD_MINUTES = 15


@transaction.atomic
def give_time_to_report(*, order: Order, now: datetime | None = None) -> Order:
    """The customer opened the Pago Móvil or Zelle instructions: hold the seats at least
    REPORT_HOLD_MINUTES from now, once per order (opening the page again adds nothing)."""
    now = now or timezone.now()
    order = Order.objects.select_for_update(of=("self",)).select_related("event__venue").get(pk=order.pk)
    wanted = now + timedelta(minutes=REPORT_HOLD_MINUTES)
    if order.status != Order.Status.HELD or order.expires_at <= now or order.expires_at >= wanted:
        return order
    if order.audit.filter(action="hold_extended_to_report").exists():
        return order
    was = order.expires_at
    order.expires_at = wanted
    order.save(update_fields=["expires_at"])
    sales.audit(action="hold_extended_to_report", order=order, was=was.isoformat())
    return order


def may_report_late(order: Order, *, now: datetime | None = None) -> bool:
    """Whether the customer may still report a payment made for this order although its hold ran
    out (they may have paid before it did): a hold of an online buyer past its time, released or
    not yet."""
    now = now or timezone.now()
    if order.channel != Order.Channel.ONLINE or order.customer_id is None:
        return False
    return order.status == Order.Status.EXPIRED or (
        order.status == Order.Status.HELD and order.expires_at <= now
    )


def report_payment(*, order: Order, method: str, details: dict, quoted_on: date | None = None) -> Order:
    """The customer says they paid by Pago Móvil or Zelle: the order waits in review, seats held.
    The amount is what the payment page asked, at the rate of `quoted_on` (quoted_day), else today.

    Reported after the hold ran out, the payment is heard all the same, in one transaction: its
    seats, if nobody took them meanwhile, are held again (all of them, at the prices the customer
    was asked) and the order waits in review as usual; if any is gone, the order waits in review
    without seats, for staff to refund the money or seat the customer elsewhere."""
    if method not in REPORTED_METHODS or method not in online_settings().methods:
        raise OnlineSaleError(_("Esta forma de pago no está disponible."), code="method_off")
    with transaction.atomic():
        locked = Order.objects.select_for_update(of=("self",)).select_related("event").get(pk=order.pk)
        late = may_report_late(locked)
        on = quoted_on or money.today_in_caracas()
        if late and locked.status == Order.Status.EXPIRED and not _hold_again(locked):
            order = _review_without_seats(locked, method=method, details=details, on=on)
        else:
            due = amount_due(locked, method, on=on)
            payment = money.PaymentInput(
                method=method, currency=due.amount.currency, amount=due.amount.amount, details=details
            )
            action = "payment_reported_late" if late else "payment_reported"
            order = _put_in_review(locked, payment, action=action, late=late, reported=True, on=on)
        _tell_buyer_we_are_verifying(order)
    return order


class _Taken(Exception):
    """A general-admission zone has no room left for the places of an order held again."""


def _hold_again(order: Order) -> bool:
    """Hold again the seats and places the order lost when its hold ran out, all or none, if
    they are still free: the seats are locked in id order and marked held in one statement
    (sales.services._hold_seats, the hold's own), the general-admission counters under their
    zone's lock and check constraint, and the order's own tickets (with their prices) made live
    again under the one-live-ticket-per-seat index. True if it did; if not, nothing changed."""
    tickets = late_tickets(order)
    if not tickets:
        return False
    seat_ids = sorted(t.seat_id for t in tickets if t.seat_id)
    general: dict[int, int] = {}
    for ticket in tickets:
        if not ticket.seat_id:
            general[ticket.zone_id] = general.get(ticket.zone_id, 0) + 1
    try:
        with transaction.atomic():  # a savepoint: a seat taken undoes only this
            sales._hold_seats(order.event, seat_ids)
            for zone_id, quantity in sorted(general.items()):
                zone = Zone.objects.select_for_update().get(pk=zone_id)
                if zone.capacity - zone.sold_count - zone.held_count < quantity:
                    raise _Taken
                Zone.objects.filter(pk=zone_id).update(held_count=F("held_count") + quantity)
            Ticket.objects.filter(pk__in=[t.pk for t in tickets]).update(status=Ticket.Status.HELD)
    except (sales.SeatsUnavailable, _Taken, IntegrityError):
        return False
    order.status, order.closed_at = Order.Status.HELD, None
    order.save(update_fields=["status", "closed_at"])
    sales.audit(action="hold_again", order=order, seats=seat_ids, general=general)
    sales.broadcast_seats(event=order.event, seat_ids=seat_ids, zone_ids=general.keys())
    return True


def _review_without_seats(order: Order, *, method: str, details: dict, on: date) -> Order:
    """A payment reported for an order whose seats went to someone else: kept for staff, in
    review with no seats ("Pago reportado sin asientos" in the queue), at what the customer was
    asked for them."""
    due = amount_due(order, method, tickets=late_tickets(order), on=on)
    payment = money.PaymentInput(
        method=method, currency=due.amount.currency, amount=due.amount.amount, details=details
    )
    record = {**sales.payment_record(payment), "quoted_on": on.isoformat(), "without_seats": True}
    order.draft_payments = [record]
    order.status, order.closed_at, order.expires_at = Order.Status.REVIEW, None, timezone.now()
    order.save(update_fields=["draft_payments", "status", "closed_at", "expires_at"])
    sales.audit(
        action="payment_reported_without_seats", order=order, method=method, amount=str(payment.amount)
    )
    return order


def late_tickets(order: Order) -> list[Ticket]:
    """The tickets an order lost when its hold ran out (not those the customer took out of the
    basket), in place order: what a payment reported late was for."""
    from ticketing.sales.selectors import in_place_order

    if order.status != Order.Status.EXPIRED:
        return []
    removed = set()
    for data in order.audit.filter(action="release").values_list("data", flat=True):
        removed.update(data.get("tickets") or [])
    released = order.tickets.filter(status=Ticket.Status.RELEASED).exclude(pk__in=removed)
    return in_place_order(released.select_related("zone", "seat"))


def without_seats(order: Order) -> bool:
    """A payment reported after the order's seats went to someone else (_review_without_seats)."""
    payment = order.draft_payments[0] if order.draft_payments else {}
    return order.status == Order.Status.REVIEW and bool(payment.get("without_seats"))


def _tell_buyer_we_are_verifying(order: Order) -> None:
    from .tasks import send_payment_received

    if order.contact_email:
        _after_commit_in_this_schema(send_payment_received.delay, order.pk)


@dataclass(frozen=True)
class CardOutcome:
    order: Order
    result: ChargeResult


def pay_by_card(*, order: Order, card_number: str) -> CardOutcome:
    """Charge the order's total in bolívares through the card gateway.

    The order goes to review (seats held for the review window) *before* the gateway is called, so
    the hold cannot expire while the bank is deciding; approved completes the sale, declined puts
    the hold back as it was (its seats are released when it expires), pending waits for the
    gateway's webhook."""
    if PaymentMethod.CARD_ONLINE not in online_settings().methods:
        raise OnlineSaleError(_("Esta forma de pago no está disponible."), code="method_off")
    if not fiscal.invoices_can_be_issued():
        # Charging now would take money for a sale that cannot be invoiced (the owner must
        # register new control numbers first): refuse before the bank is asked.
        raise OnlineSaleError(
            _("En este momento no podemos cobrar en línea. Intente más tarde o compre en taquilla."),
            code="cannot_invoice",
        )
    due = amount_due(order, PaymentMethod.CARD_ONLINE)
    gateway = card_gateway()
    digits = "".join(ch for ch in card_number if ch.isdigit())
    payment = money.PaymentInput(
        method=PaymentMethod.CARD_ONLINE,
        currency=due.amount.currency,
        amount=due.amount.amount,
        details={"gateway_reference": gateway.reference_for(str(order.public_id)), "last4": digits[-4:]},
    )
    hold_expires_at = Order.objects.values_list("expires_at", flat=True).get(pk=order.pk)
    order = _put_in_review(order, payment, action="card_charge")
    try:
        result = gateway.charge(
            amount=due.amount,
            order_reference=str(order.public_id),
            card_number=card_number,
            notify_url=_webhook_url(gateway.name),
        )
    except ValidationError:
        _back_to_hold(order, expires_at=hold_expires_at)
        raise
    if result.status == ChargeStatus.APPROVED:
        try:
            order = complete_online(order=order)
        except ValidationError as e:
            order = _charged_but_not_completed(order, reference=result.reference, error=e)
    elif result.status == ChargeStatus.DECLINED:
        order = _back_to_hold(order, expires_at=hold_expires_at, reason=result.message)
    else:
        _tell_buyer_we_are_verifying(order)
    return CardOutcome(order=order, result=result)


@transaction.atomic
def _charged_but_not_completed(order: Order, *, reference: str, error: ValidationError) -> Order:
    """The bank took the money but the sale could not be completed (no control number left, say).
    The order stays in review with its seats held and the payment marked charged, so it waits in
    "Pagos por verificar" for staff to confirm once the cause is fixed (or to refund and reject);
    the customer is told we are verifying, never the internal reason."""
    order = Order.objects.select_for_update(of=("self",)).get(pk=order.pk)
    if order.status != Order.Status.REVIEW or not order.draft_payments:
        return order
    payment = order.draft_payments[0]
    payment["details"] = {**payment.get("details", {}), "charged": True}
    order.save(update_fields=["draft_payments"])
    sales.audit(
        action="card_charged_not_completed", order=order, reference=reference, reason=error.messages[0]
    )
    _tell_buyer_we_are_verifying(order)
    return order


@transaction.atomic
def _back_to_hold(order: Order, *, expires_at: datetime, reason: str = "") -> Order:
    order = Order.objects.select_for_update(of=("self",)).get(pk=order.pk)
    if order.status == Order.Status.REVIEW:
        order.status, order.expires_at, order.draft_payments = Order.Status.HELD, expires_at, []
        order.save(update_fields=["status", "expires_at", "draft_payments"])
        sales.audit(action="card_declined", order=order, reason=reason)
    return order


def _webhook_url(provider: str) -> str:
    """Where the gateway posts its verdict on a pending charge: this organization's own site."""
    from ticketing.core.sites import organization_url
    from ticketing.organizations.selectors import current_organization

    path = reverse("storefront:webhook", kwargs={"provider": provider}, urlconf=settings.ROOT_URLCONF)
    return organization_url(current_organization(), path)


def handle_card_webhook(*, body: bytes, signature: str) -> str:
    """A gateway notification: verify it, handle it once. Returns what happened (for the log).

    Raises InvalidWebhookSignature when the body is not signed by the gateway."""
    gateway = card_gateway()
    notice: WebhookNotice = gateway.parse_webhook(body=body, signature=signature)
    if not money.record_webhook(provider=gateway.name, event_id=notice.event_id, payload=notice.__dict__):
        return "replayed"
    order = Order.objects.filter(
        public_id=_uuid_or_none(notice.order_reference), channel=Order.Channel.ONLINE
    ).first()
    if order is None:
        return "unknown_order"
    if notice.status == ChargeStatus.APPROVED:
        if order.status == Order.Status.COMPLETED:
            return "already_completed"
        try:
            complete_online(order=order)
        except ValidationError as e:
            if order.status == Order.Status.REVIEW:  # still held: staff complete it once fixed
                _charged_but_not_completed(order, reference=notice.reference, error=e)
                return "charged_not_completed"
            # The money arrived after the review window released the seats.
            order = _charged_after_expiry(order, reference=notice.reference)
            return "completed" if order.status == Order.Status.COMPLETED else "late_payment"
        return "completed"
    if notice.status == ChargeStatus.DECLINED and order.status == Order.Status.REVIEW:
        sales.cancel_order(order=order)
        sales.audit(action="card_declined", order=order, reference=notice.reference)
        return "declined"
    return "ignored"


def _charged_after_expiry(order: Order, *, reference: str) -> Order:
    """The bank approved a card after the review window let the order go (the gateway took
    longer than the window): the money is never left unaccounted for. Its seats, if still free,
    are held again and the sale completes (or waits for staff, charged, if it cannot); if any
    is gone, it waits in review without seats for staff to refund it."""
    with transaction.atomic():
        locked = Order.objects.select_for_update(of=("self",)).select_related("event").get(pk=order.pk)
        if locked.status != Order.Status.EXPIRED or not locked.draft_payments:
            return locked
        payment = locked.draft_payments[0]
        payment["details"] = {**(payment.get("details") or {}), "charged": True}
        seated = _hold_again(locked)
        locked.status, locked.closed_at = Order.Status.REVIEW, None
        if seated:
            locked.expires_at = timezone.now() + timedelta(minutes=locked.event.review_minutes)
        else:
            payment["without_seats"] = True
            locked.expires_at = timezone.now()
        locked.draft_payments = [payment]
        locked.save(update_fields=["status", "closed_at", "expires_at", "draft_payments"])
        sales.audit(action="payment_after_expiry", order=locked, reference=reference, seats_held_again=seated)
    if not seated:
        _tell_buyer_we_are_verifying(locked)
        return locked
    try:
        return complete_online(order=locked)
    except ValidationError as e:
        return _charged_but_not_completed(locked, reference=reference, error=e)


def _uuid_or_none(value: str):
    try:
        return uuid.UUID(value)
    except (TypeError, ValueError):
        return None


# --- Staff review of reported payments ------------------------------------------------------------


def orders_in_review():
    """Online orders whose customer reported a Pago Móvil or a Zelle that nobody has checked yet,
    and card payments the bank took but that could not be completed, the closest deadline first:
    those past it (no clock releases them, sales.services.expire_holds) lead the queue. A card
    payment the bank has not decided on waits for the gateway, not for staff."""
    return (
        Order.objects.filter(sales.STAFF_DECIDES, status=Order.Status.REVIEW, channel=Order.Channel.ONLINE)
        .select_related("event", "customer")
        .order_by("expires_at", "pk")
    )


def _lock_reported(order: Order) -> Order:
    """The order locked, if staff may decide on it: in review, paid by a reported method."""
    order = Order.objects.select_for_update(of=("self",)).get(pk=order.pk)
    if order.status != Order.Status.REVIEW:
        raise OnlineSaleError(_("Esta compra ya no está esperando verificación."), code="not_in_review")
    if not sales.staff_decides(order):
        raise OnlineSaleError(
            _("Este pago con tarjeta lo confirma el banco, no el personal."), code="gateway_decides"
        )
    return order


def confirm_payment(*, order: Order, actor) -> Order:
    """A seller or manager saw the money arrive: complete the sale. Clicks are serialized on the
    order's row lock, so however often (or however many people) click, it sells and audits once."""
    with transaction.atomic():
        if Order.objects.select_for_update(of=("self",)).get(pk=order.pk).status == Order.Status.COMPLETED:
            return Order.objects.get(pk=order.pk)
        reported = _lock_reported(order)
        if without_seats(reported):
            raise OnlineSaleError(
                _(
                    "Este pago se reportó cuando sus asientos ya eran de otra persona: no hay venta que "
                    "completar. Reembólselo o véndale otros asientos en taquilla, y luego rechácelo "
                    "indicando qué hizo."
                ),
                code="without_seats",
            )
        # The history reads in the order things happened: confirmed, then charged and invoiced.
        sales.audit(action="payment_confirmed", order=reported, actor=actor)
        order = complete_online(order=reported, actor=actor)
    return order


def void_sale(*, order: Order, reason: str, actor) -> Order:
    """sales.services.void_sale, and for an online order, the buyer told by e-mail (with the
    credit note) once it commits."""
    from .tasks import send_order_voided

    with transaction.atomic():
        order = sales.void_sale(order=order, reason=reason, actor=actor)
        if order.channel == Order.Channel.ONLINE:
            _after_commit_in_this_schema(send_order_voided.delay, order.pk, reason.strip())
    return order


def refund_unseated_payment(*, order: Order, actor, note: str) -> Order:
    """A payment reported after its seats went to someone else (without_seats), given back: the
    order closes and the customer is told how (`note`, e.g. the refund's reference). Not a
    rejection: the money did arrive."""
    from .tasks import send_payment_refunded

    note = (note or "").strip()
    if not note:
        raise ValidationError({"reason": _("Indique cómo devolvió el pago.")})
    with transaction.atomic():
        locked = _lock_reported(order)
        if not without_seats(locked):
            raise OnlineSaleError(
                _("Este pago tiene sus asientos reservados: confírmelo o rechácelo."), code="has_seats"
            )
        payment = locked.draft_payments[0]
        order = sales.cancel_order(order=locked, actor=actor)
        sales.audit(
            action="payment_refunded",
            order=order,
            actor=actor,
            note=note,
            method=payment["method"],
            amount=payment["amount"],
            currency=payment["currency"],
        )
        if order.contact_email:
            _after_commit_in_this_schema(
                send_payment_refunded.delay, order.pk, note, payment["amount"], payment["currency"]
            )
    return order


def reject_payment(*, order: Order, actor, reason: str) -> Order:
    """The money never arrived (or not all of it): release the seats and tell the customer."""
    from .tasks import send_payment_rejected

    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indique el motivo del rechazo.")})
    with transaction.atomic():
        order = sales.cancel_order(order=_lock_reported(order), actor=actor)
        sales.audit(action="payment_rejected", order=order, actor=actor, reason=reason)
        if order.contact_email:
            _after_commit_in_this_schema(send_payment_rejected.delay, order.pk, reason)
    return order
