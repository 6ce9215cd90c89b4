import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import reduce
from operator import or_
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ticketing.core.money import Currency, Money, format_money, round_money
from ticketing.core.ordering import in_spanish
from ticketing.core.sql import fetch_instances, select_list
from ticketing.customers.models import Customer
from ticketing.customers.selectors import id_document_prefixes, matching_customers
from ticketing.events import layout
from ticketing.events.models import Event, Seat, Zone
from ticketing.fiscal.models import CreditNote, Invoice, format_document_number
from ticketing.payments.methods import PaymentMethod, described_details, method_currency, spec_for

from .models import AuditEntry, Order, Payment, Ticket

SALES_PAGE_SIZE = 25
# Sales someone may come back to: paid, voided, or paid online and waiting for a check. Holds
# that were cancelled or ran out were never sales.
LISTED_STATUSES = (Order.Status.COMPLETED, Order.Status.VOIDED, Order.Status.REVIEW)
# "12", "00000012", "A-12", "Serie A N° 00000012": an invoice number, with or without its series.
INVOICE_NUMBER = re.compile(
    r"^(?:serie\s+)?(?:(?P<series>[a-z0-9]{1,8})\s*[-\s]\s*)?(?:n[°º.]?\s*)?(?P<number>\d{1,9})$",
    re.IGNORECASE,
)

# "00-00001001" or "1001": a control number, with or without its 2-digit prefix and its zeros.
CONTROL_NUMBER = re.compile(r"^(?:(?P<prefix>\d{2})-)?(?P<number>\d{1,8})$")


def events_on_sale_at_box_office() -> QuerySet[Event]:
    return (
        Event.objects.filter(status=Event.Status.ON_SALE, box_office_enabled=True)
        .select_related("venue")
        .order_by("starts_at")
    )


_credit_notes = CreditNote.objects.filter(invoice__order=OuterRef("pk")).order_by("-pk")
# Counted per listed row, not by grouping every sale of the organization: a page then reads its 25
# rows from the newest-first index however many sales there are.
_places = (
    Ticket.objects.filter(order=OuterRef("pk"))
    .exclude(status=Ticket.Status.RELEASED)
    .order_by()
    .values("order")
    .annotate(count=Count("pk"))
    .values("count")
)


def listed_sales(
    *,
    q: str = "",
    event: Event | None = None,
    status: str = "",
    day: date | None = None,
    customer: Customer | None = None,
    seller=None,
) -> QuerySet[Order]:
    """The organization's sales, newest first, as the list of sales shows them: its event,
    customer, seller and invoice joined, how many places each sale holds, and the series and
    number of a voided sale's credit note (`credit_note_series`, `credit_note_number`).

    `q` finds a sale by its invoice number (with or without the series), its invoice's control
    number, the exact code of one of its tickets, the buyer's contact e-mail, or its customer
    (cédula/RIF, phone, e-mail or name, as the customer search does). `day` is a Caracas date."""
    sales = (
        Order.objects.filter(status__in=LISTED_STATUSES)
        .select_related("event", "customer", "seller", "invoice")
        .annotate(
            places=Coalesce(Subquery(_places), 0),
            # A voided sale's row names its credit note, read in the same query.
            credit_note_series=Subquery(_credit_notes.values("series")[:1]),
            credit_note_number=Subquery(_credit_notes.values("number")[:1]),
        )
        .order_by("-created_at", "-pk")
    )
    if event is not None:
        sales = sales.filter(event=event)
    if customer is not None:
        sales = sales.filter(customer=customer)
    if seller is not None:
        sales = sales.filter(seller=seller)
    if status in LISTED_STATUSES:
        sales = sales.filter(status=status)
    if day is not None:
        start = timezone.make_aware(datetime.combine(day, time.min))
        sales = sales.filter(created_at__gte=start, created_at__lt=start + timedelta(days=1))
    if q:
        sales = sales.filter(_sale_matches(q))
    return sales


def _sale_matches(query: str) -> Q:
    """An invoice number that exists finds that sale alone: "12" read off a paper invoice must
    not also bring every customer whose cédula starts with 12. So does a credit note's number
    with its series ("NC-00000001", "NC 1", "Serie NC N° 00000001"), and a ticket's QR code read
    by a scanner into the search box (it types the signed payload: its ticket is found by code).
    A control number is found with or without its prefix ("00-00001001", "1001")."""
    query = " ".join(query.split())
    if code := _scanned_ticket_code(query):
        return Exists(Ticket.objects.filter(order=OuterRef("pk"), code=code))
    if number := INVOICE_NUMBER.match(query):
        invoices = Invoice.objects.filter(number=int(number["number"]))
        if number["series"]:
            # The invoice of that series, or the invoice its credit note of that series voids:
            # asked in the same query, each from its number's index.
            same = {"number": int(number["number"]), "series__iexact": number["series"]}
            invoices = Invoice.objects.filter(
                pk__in=Invoice.objects.filter(**same)
                .values("pk")
                .order_by()
                .union(CreditNote.objects.filter(**same).values("invoice").order_by(), all=True)
            )
        if invoices.exists():
            return Q(invoice__in=invoices)
    # The sales found each way, gathered into one set of ids, each way answered from its own
    # index: not every sale of the season read and tested (the list narrows as the manager types).
    invoices = Q(control_number=query) | _invoiced_to(query)
    ways = [
        Order.objects.filter(customer__in=matching_customers(query).values("pk")).values("pk"),
        Ticket.objects.filter(code=query).values("order"),
    ]
    if control := CONTROL_NUMBER.match(query):
        digits = f"{int(control['number']):08d}"
        if control["prefix"]:
            same = Q(control_number=f"{control['prefix']}-{digits}")
        else:
            same = Q(control_number__endswith=f"-{digits}")
        invoices |= same
        ways.append(CreditNote.objects.filter(same).values("invoice__order"))
    ways.append(Invoice.objects.filter(invoices).values("order"))
    if "@" in query:  # an online buyer's contact e-mail
        ways.append(Order.objects.filter(contact_email__iexact=query).values("pk"))
    ways = [way.order_by() for way in ways]
    return Q(pk__in=ways[0].union(*ways[1:], all=True))


def _invoiced_to(query: str) -> Q:
    """Invoices to the buyer as printed (their cédula/RIF, or every word of their name): a sale is
    found so even after the customer's record changed."""
    name = Q()
    for word in query.split():
        name &= Q(buyer_name__unaccented__icontains=word)
    prefixes = id_document_prefixes(query)
    return reduce(or_, (Q(buyer_id_document__startswith=prefix) for prefix in prefixes), name)


def _scanned_ticket_code(query: str) -> str | None:
    """The ticket code in a QR payload of this organization's (signing.py), or None."""
    from .signing import VERSION, verify_ticket_qr

    if not query.startswith(f"{VERSION}."):
        return None
    scanned = verify_ticket_qr(query, key=connection.tenant.ticket_signing_key)
    return scanned["code"] if scanned else None


def credit_note_of(order: Order) -> CreditNote | None:
    """The credit note that voided the sale (the latest, should there ever be more), or None."""
    return CreditNote.objects.filter(invoice__order=order).order_by("-pk").first()


def short_document_number(series: str, number: int) -> str:
    """A fiscal document's number as a manager reads it aloud: "NC N° 00000001"."""
    return f"{series} N° {format_document_number(number)}"


def credit_note_number(order: Order) -> str:
    """The number of the credit note that voided the sale ("NC N° 00000001"), or ""."""
    note = credit_note_of(order)
    return short_document_number(note.series, note.number) if note is not None else ""


def sale_payments(order: Order) -> list[Payment]:
    """The sale's payments in the order they were taken, each with `detail_lines`: what the
    seller recorded (the payer's bank, phone and cédula and the reference of a Pago Móvil, the
    card's approval code, terminal and last 4 digits, the Zelle's sender and code), as
    (label, value)."""
    payments = list(order.payments.all())
    for payment in payments:
        payment.detail_lines = described_details(payment.method, payment.details)
    return payments


def change_in_cash_currency(order: Order, payments: list[Payment]) -> Money | None:
    """The change in the currency of the cash that gave it (USD 1,00 for Bs. 100,00 at 100), as the
    cart said it: only the last payment gives change, at its own rate. None when it was bolívares."""
    if not order.change_ves or not payments:
        return None
    last = payments[-1]
    if last.method not in (PaymentMethod.CASH_USD, PaymentMethod.CASH_EUR) or not last.exchange_rate:
        return None
    change = round_money(order.change_ves / last.exchange_rate)
    return Money(change, last.currency) if change else None  # Bs. 0,74 at 260 is no cent of a dollar


# How each method's money goes back to the customer.
REFUND_HOW = {
    PaymentMethod.CASH_VES: gettext_lazy("En efectivo, en bolívares."),
    PaymentMethod.CASH_USD: gettext_lazy("En efectivo, en dólares."),
    PaymentMethod.CASH_EUR: gettext_lazy("En efectivo, en euros."),
    PaymentMethod.CARD: gettext_lazy(
        "Anule o reverse el cobro en el mismo punto de venta (terminal y código de aprobación): "
        "el banco lo devuelve a la misma tarjeta."
    ),
    PaymentMethod.PAGO_MOVIL: gettext_lazy("Por Pago Móvil, al celular, banco y cédula o RIF del pagador."),
    PaymentMethod.TRANSFER: gettext_lazy(
        "Por transferencia: pida al cliente la cuenta; su banco y la referencia están aquí."
    ),
    PaymentMethod.ZELLE: gettext_lazy("Por Zelle, al remitente."),
    PaymentMethod.CARD_ONLINE: gettext_lazy(
        "Reembolso por la pasarela de pago, con la referencia del banco."
    ),
}


@dataclass(frozen=True)
class RefundLine:
    """One payment of a voided sale and what goes back for it, in its own currency."""

    payment: Payment  # with detail_lines (sale_payments)
    amount: Decimal  # to give back, in payment.currency: what was handed over less the change
    amount_ves: Decimal  # its bolívars at the payment's rate
    change_ves: Decimal  # change given at the sale out of this payment (only the last one gives any)
    change: Decimal  # that change in the payment's currency
    igtf_ves: Decimal  # IGTF collected on this payment, part of what it paid (and of `amount`)
    how: str

    @property
    def is_foreign(self) -> bool:
        return self.payment.currency != Currency.VES


@dataclass(frozen=True)
class Refund:
    lines: list[RefundLine]
    total_ves: Decimal  # Σ lines: what was paid less the change handed back (the total and the IGTF)
    igtf_ves: Decimal
    change_ves: Decimal


def refund_of(order: Order, payments: list[Payment]) -> Refund | None:
    """What a voided sale gives back, payment by payment: each in its own currency and by its own
    method (cash dollars in dollars, a Pago Móvil by Pago Móvil to the payer), the payment that
    gave change less that change, the IGTF collected on foreign currency included. None for a sale
    that is not voided or recorded no payment.

    The split is the one completion made (payments.services.settle, replayed on the payments as
    recorded, at their frozen rates): the change comes out of the last payment, the IGTF is
    charged on the foreign part that paid the debt."""
    from types import SimpleNamespace

    from ticketing.payments import services as money

    if order.status != Order.Status.VOIDED or not payments or order.total_ves is None:
        return None
    settled = money.settle(
        totals=SimpleNamespace(total_ves=order.total_ves),  # settle reads only the total
        payments=[
            money.PaymentInput(
                method=p.method, currency=p.currency, amount=p.amount, details=p.details, rate=p.exchange_rate
            )
            for p in payments
        ],
        rates={},
        igtf_applies=bool(order.igtf_ves),
        igtf_rate=Decimal((order.totals or {}).get("igtf_rate") or money.IGTF_RATE),
    )
    lines = []
    for payment, paid in zip(payments, settled.payments, strict=True):
        # Only cash gives change. A transfer's or a Zelle's last payment may overshoot by less than a
        # cent of its currency (settle keeps it as change): nobody handed it back, so it all goes back.
        change_ves = paid.change_ves if spec_for(payment.method).allows_change else Decimal("0.00")
        change = change_ves if payment.currency == Currency.VES else round_money(change_ves / paid.rate)
        lines.append(
            RefundLine(
                payment=payment,
                amount=payment.amount - change,
                amount_ves=paid.amount_ves - change_ves,
                change_ves=change_ves,
                change=change,
                igtf_ves=paid.igtf_ves,
                how=str(REFUND_HOW.get(payment.method, "")),
            )
        )
    return Refund(
        lines=lines,
        total_ves=sum((line.amount_ves for line in lines), Decimal("0")),
        igtf_ves=settled.igtf_ves,
        change_ves=sum((line.change_ves for line in lines), Decimal("0")),
    )


def order_history(order: Order) -> list[AuditEntry]:
    """The sale's audit trail, oldest first, each entry with `details`: what the sale's page says
    about it beside who did what (the seats held, the total charged, the reason given…)."""
    entries = list(order.audit.select_related("actor"))
    for entry in entries:
        entry.details = _history_details(entry.data)
    return entries


def _history_details(data: dict) -> str:
    parts = []
    if places := len(data.get("seats") or []) + sum((data.get("general") or {}).values()):
        parts.append(ngettext("%(count)s lugar", "%(count)s lugares", places) % {"count": places})
    if tickets := len(data.get("tickets") or []):
        parts.append(ngettext("%(count)s entrada", "%(count)s entradas", tickets) % {"count": tickets})
    if data.get("total_ves"):
        charged = format_money(Decimal(data["total_ves"]), "VES")
        if data.get("igtf_ves"):
            igtf = format_money(Decimal(data["igtf_ves"]), "VES")
            charged += " + " + _("IGTF %(amount)s") % {"amount": igtf}
        parts.append(charged)
    if data.get("method") in PaymentMethod.values:
        paid = PaymentMethod(data["method"]).label
        if data.get("amount"):
            paid = f"{paid}: {format_money(Decimal(data['amount']), method_currency(data['method']))}"
        parts.append(paid)
    if data.get("reference"):
        parts.append(_("referencia %(reference)s") % {"reference": data["reference"]})
    if data.get("reason"):
        parts.append(f"«{data['reason']}»")
    if data.get("to"):
        parts.append(data["to"])
    return " · ".join(parts)


def customer_sales_count(customer: Customer) -> int:
    return Order.objects.filter(customer=customer, status__in=LISTED_STATUSES).count()


def sales_page(*, filters: dict, page_number: str | int | None = None) -> Page:
    return Paginator(listed_sales(**filters), SALES_PAGE_SIZE).get_page(page_number)


def events_with_sales() -> QuerySet[Event]:
    """The events the list of sales can be narrowed to: those that have sold something."""
    return Event.objects.filter(
        Exists(Order.objects.filter(event=OuterRef("pk"), status__in=LISTED_STATUSES))
    ).order_by("-starts_at")


def sellers_with_sales(*, and_user=None) -> QuerySet:
    """The staff the list of sales can be narrowed to: those who have sold at the counter, and
    `and_user` (whoever looks, so that "Mis ventas de hoy" works before their first sale)."""
    from ticketing.accounts.models import User

    sold = Exists(Order.objects.filter(seller=OuterRef("pk"), status__in=LISTED_STATUSES))
    looking = Q(pk=and_user.pk) if and_user is not None else Q(pk__in=[])
    return User.objects.filter(sold | looking).order_by(in_spanish("full_name"), "email")


def last_sale(*, event: Event, seller) -> Order | None:
    """The seller's last completed box-office sale of the event, with its invoice: after a reload
    the empty cart names it, so a sale whose answer never arrived is not charged twice.
    `just_now`: completed under a minute ago ("hace 0 minutos" reads oddly)."""
    sale = (
        Order.objects.filter(
            event=event, seller=seller, channel=Order.Channel.BOX_OFFICE, status=Order.Status.COMPLETED
        )
        .select_related("invoice")
        .order_by("-completed_at")
        .first()
    )
    if sale is not None:
        sale.just_now = timezone.now() - sale.completed_at < timedelta(minutes=1)
    return sale


def order_in_progress(*, event: Event, seller) -> Order | None:
    """The seller's box-office order for this event whose hold is still alive. Found by seller
    rather than kept in the session: nothing to write per sale, and a seller whose browser
    crashed finds the sale where it was. Written out (core.sql): every hold asks."""
    rows = fetch_instances(
        f"SELECT {select_list(Order, 'o')} FROM {Order._meta.db_table} o WHERE o.event_id = %s "
        "AND o.seller_id = %s AND o.channel = %s AND o.status = %s AND o.expires_at > %s "
        "ORDER BY o.created_at DESC LIMIT 1",
        [event.pk, seller.pk, Order.Channel.BOX_OFFICE, Order.Status.HELD, timezone.now()],
        (Order, "o"),
    )
    return rows[0][0] if rows else None


def order_with_event(
    order: Order | UUID, *, channel: str | None = None, with_customer: bool = False, lock: bool = False
) -> Order:
    """The order with its event (and its customer) joined, in one statement written out
    (core.sql): every step of a sale at the counter reads it, and the ORM took six times longer
    to build that statement than the database to run it.

    `order`: an Order (read again), or the public id a view has from its URL; then an order of
    another `channel` is not found. Raises Order.DoesNotExist.
    `lock`: FOR UPDATE OF the order only, until the transaction ends. Locking the event row too
    would block every hold's foreign-key check on it and deadlock with sellers holding seats."""
    if isinstance(order, Order):
        where, params = "o.id = %s", [order.pk]
    else:
        where, params = "o.public_id = %s", [order]
        if channel:
            where, params = f"{where} AND o.channel = %s", [*params, channel]
    models = [(Order, "o"), (Event, "e")] + ([(Customer, "c")] if with_customer else [])
    joins = f"JOIN {Event._meta.db_table} e ON e.id = o.event_id"
    if with_customer:
        joins += f" LEFT JOIN {Customer._meta.db_table} c ON c.id = o.customer_id"
    columns = ", ".join(select_list(model, alias) for model, alias in models)
    rows = fetch_instances(
        f"SELECT {columns} FROM {Order._meta.db_table} o {joins} WHERE {where}"
        + (" FOR UPDATE OF o" if lock else ""),
        params,
        *models,
    )
    if not rows:
        raise Order.DoesNotExist
    found, event, *customer = rows[0]
    found.event = event
    if with_customer:
        found.customer = customer[0]
    return found


def cart_tickets(order: Order) -> list[Ticket]:
    """The order's held and valid tickets, zones and seats joined, as the map reads: zone by
    zone, then row and number (general-admission places after the zone's seats), whatever order
    the seller clicked them in. An order that services.hold has just created carries its tickets
    (`_live_tickets`): nothing to read."""
    if hasattr(order, "_live_tickets"):
        tickets = order._live_tickets
    else:
        tickets = order.tickets.filter(status__in=[Ticket.Status.HELD, Ticket.Status.VALID]).select_related(
            "zone", "seat"
        )
    return in_place_order(tickets)


def in_place_order(tickets) -> list[Ticket]:
    """Tickets as every screen and document lists them: zone by zone, then row and number,
    general-admission places after the zone's seats. Needs each ticket's zone and seat loaded."""
    return sorted(tickets, key=_place_order)


def _place_order(ticket: Ticket) -> tuple:
    seat = ticket.seat
    place = (0, seat.row_index, seat.number) if seat is not None else (1, 0, 0)
    return (ticket.zone.position, ticket.zone_id, *place, ticket.pk or 0)


def wanted_seats(*, event: Event, hold_request: dict) -> tuple[list[int], dict[int, int]]:
    """What a valid HoldForm asks for, as `(seat_ids, {zone_id: quantity})` for `services.hold`:
    clicked seats, a general-admission quantity, the best `quantity` adjacent seats of a zone, or
    seats typed by row and number.

    Raises Zone.DoesNotExist for a zone of another event, and LookupError with the message for
    the customer when no row has that many adjacent seats free, or a typed seat does not exist."""
    seat_ids, general = list(hold_request["seat"]), {}
    if hold_request.get("row"):
        zone = Zone.objects.get(pk=hold_request["zone"], event=event, kind=Zone.Kind.NUMBERED)
        return seats_by_number(zone=zone, row_label=hold_request["row"], numbers=hold_request["numbers"]), {}
    if hold_request.get("zone") and hold_request.get("quantity"):
        zone = Zone.objects.get(pk=hold_request["zone"], event=event)
        count = hold_request["quantity"]
        if hold_request.get("best"):
            seat_ids = best_available(zone=zone, count=count)
            if not seat_ids:
                raise LookupError(
                    _("No hay %(count)s asientos juntos disponibles en %(zone)s.")
                    % {"count": count, "zone": zone.name}
                )
        else:
            general = {zone.pk: count}
    return seat_ids, general


def seats_by_number(*, zone: Zone, row_label: str, numbers: list[int]) -> list[int]:
    """Ids of the seats `numbers` of row `row_label` of a numbered zone, as printed on tickets.
    Raises LookupError naming the row, or the numbers, that the zone does not have."""
    row = row_label.strip().upper()
    row_index = layout.row_index_from_label(row, zone.row_labels)
    in_row = Seat.objects.filter(zone=zone, row_index=row_index, table__isnull=True)
    found = dict(in_row.filter(number__in=numbers).values_list("number", "pk")) if row_index else {}
    if not found and not (row_index and in_row.exists()):
        raise LookupError(_("%(zone)s no tiene la fila %(row)s.") % {"zone": zone.name, "row": row})
    if missing := [number for number in numbers if number not in found]:
        raise LookupError(
            ngettext(
                "La fila %(row)s de %(zone)s no tiene el asiento %(numbers)s. No se reservó nada.",
                "La fila %(row)s de %(zone)s no tiene los asientos %(numbers)s. No se reservó nada.",
                len(missing),
            )
            % {"row": row, "zone": zone.name, "numbers": ", ".join(map(str, missing))}
        )
    return [found[number] for number in numbers]


def best_available(*, zone: Zone, count: int) -> list[int]:
    """`count` adjacent available seats in one row, best rows first (nearest the stage), and in
    that row the run nearest its centre. Empty when no row has such a run."""
    seats = list(
        Seat.objects.filter(zone=zone, table__isnull=True)
        .order_by("row_index", "x")
        .values_list("pk", "row_index", "x", "status")
    )
    rows: dict[int, list[tuple]] = {}
    for seat in seats:
        rows.setdefault(seat[1], []).append(seat)
    for row_index in sorted(rows):
        row = rows[row_index]
        centre = (row[0][2] + row[-1][2]) / 2
        best = None
        for start in range(len(row) - count + 1):
            run = row[start : start + count]
            if all(seat[3] == Seat.Status.AVAILABLE for seat in run):
                distance = abs((run[0][2] + run[-1][2]) / 2 - centre)
                if best is None or distance < best[0]:
                    best = (distance, [seat[0] for seat in run])
        if best:
            return best[1]
    return []


def paid_orders_with_email(event: Event) -> QuerySet[Order]:
    """The event's paid orders whose buyer left an e-mail, at checkout or on their customer
    record: whom to tell when the event changes."""
    return Order.objects.filter(event=event, status=Order.Status.COMPLETED).filter(
        ~Q(contact_email="") | Q(customer__email__gt="")
    )
