"""Holds, completion, cancellation and voids through the sales services (the box office and the
online shop share them)."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from tests.catalog import make_numbered_zone, make_tables_zone
from tests.sales_helpers import a_customer, cash_usd, cash_ves, on_sale_event, set_todays_rate
from ticketing.events.models import Event, Seat, Table, Zone
from ticketing.fiscal.models import DocumentType, InvoiceSeries
from ticketing.payments import services as money
from ticketing.payments.services import PaymentInput
from ticketing.sales import services
from ticketing.sales.models import AuditEntry, Order, Ticket


@pytest.fixture
def event(in_acme):
    set_todays_rate("100")
    return on_sale_event()


def seats_of(event, row, *numbers):
    return [Seat.objects.get(event=event, row_label=row, number=n, table__isnull=True).pk for n in numbers]


def box_office_hold(event, seat_ids=(), general=None, order=None, **kwargs):
    return services.hold(
        event=event,
        channel=Order.Channel.BOX_OFFICE,
        seat_ids=seat_ids,
        general=general,
        order=order,
        **kwargs,
    )


def test_a_hold_is_all_or_nothing_and_names_the_taken_seats(event):
    box_office_hold(event, seats_of(event, "A", 3))

    with pytest.raises(services.SeatsUnavailable) as error:
        box_office_hold(event, seats_of(event, "A", 2, 3, 4))

    assert "Fila A, Asiento 3" in error.value.messages[0]
    assert "Asiento 2" not in error.value.messages[0] and "Asiento 4" not in error.value.messages[0]
    assert Seat.objects.filter(event=event, status=Seat.Status.HELD).count() == 1
    assert Order.objects.filter(event=event).count() == 1


def test_taken_seats_are_named_in_the_order_people_read_them(in_acme):
    event = on_sale_event(name="Numeración impar y par")
    zone = make_numbered_zone(
        event, name="Centro", rows=1, seats_per_row=6, numbering=Zone.Numbering.ODD_EVEN
    )
    seats = {seat.number: seat.pk for seat in Seat.objects.filter(zone=zone)}  # 5 3 1 2 4 6 from the left
    box_office_hold(event, [seats[3], seats[1]])

    with pytest.raises(services.SeatsUnavailable) as error:
        box_office_hold(event, [seats[1], seats[3], seats[5]])

    assert "Centro" not in error.value.messages[0]
    assert "Fila A, Asiento 1; Fila A, Asiento 3." in error.value.messages[0]


def test_a_seat_of_another_event_stops_the_whole_hold(event):
    other = on_sale_event(name="Otro evento")
    foreign = Seat.objects.filter(event=other).first()

    with pytest.raises(services.SaleError) as error:
        box_office_hold(event, [*seats_of(event, "A", 1), foreign.pk])

    assert error.value.code == "foreign_seat"
    assert not Seat.objects.filter(event__in=[event, other], status=Seat.Status.HELD).exists()
    assert not Order.objects.filter(event=event).exists()


def test_holding_prices_each_seat_and_marks_it_held(event):
    order = box_office_hold(event, seats_of(event, "B", 1, 2))

    tickets = list(order.tickets.all())
    assert [t.price for t in tickets] == [Decimal("25.00"), Decimal("25.00")]
    assert tickets[0].price_breakdown["base"] == "25.00"
    assert order.expires_at - timezone.now() > timedelta(minutes=9)
    assert AuditEntry.objects.filter(order=order, action="hold").exists()


def test_the_database_refuses_a_second_live_ticket_for_a_seat(event):
    order = box_office_hold(event, seats_of(event, "A", 1))
    first = order.tickets.get()

    with pytest.raises(IntegrityError), transaction.atomic():
        Ticket.objects.create(
            order=order, event=event, zone=first.zone, seat=first.seat, label="x", price=Decimal("1")
        )


def test_limits_per_order_and_general_admission_capacity(event):
    event.max_seats_per_order = 3
    event.save()
    zone = Zone.objects.get(event=event, kind=Zone.Kind.GENERAL)

    with pytest.raises(services.SaleError, match="Máximo 3 entradas"):
        box_office_hold(event, seats_of(event, "A", 1, 2), general={zone.pk: 2})
    zone.capacity = 2
    zone.save()
    with pytest.raises(services.SaleError, match="quedan 2 entradas"):
        box_office_hold(event, general={zone.pk: 3})
    order = box_office_hold(event, general={zone.pk: 2})
    assert order.tickets.count() == 2
    assert Zone.objects.get(pk=zone.pk).held_count == 2
    with pytest.raises(services.SaleError) as sold_out:
        box_office_hold(event, general={zone.pk: 1})
    assert sold_out.value.messages == [f"No quedan entradas en {zone.name}."]  # not "quedan 0"
    services.release_ticket(order=order, ticket_id=order.tickets.first().pk)
    with pytest.raises(services.SaleError) as one_left:
        box_office_hold(event, general={zone.pk: 2})
    assert one_left.value.messages == [f"En {zone.name} queda 1 entrada."]


def test_a_refused_hold_names_a_whole_table_once_and_counts_what_it_does_not_name(event):
    event.max_seats_per_order = 20
    event.save()
    tables = make_tables_zone(event, tables=2, chairs=4)
    whole = Table.objects.get(zone=tables, number=1)
    whole.sold_whole = True
    whole.save()
    by_chair = Table.objects.get(zone=tables, number=2)
    row_a = seats_of(event, "A", *range(1, 9))
    chairs = list(Seat.objects.filter(table__in=[whole, by_chair]).order_by("row_index", "number"))
    box_office_hold(event, [chairs[0].pk])  # the whole table
    box_office_hold(event, [chairs[4].pk, *row_a])  # chair 1 of table 2, row A

    with pytest.raises(services.SeatsUnavailable) as error:
        box_office_hold(event, [*row_a, chairs[1].pk, chairs[4].pk])

    assert error.value.messages == [
        "Estos asientos ya no están disponibles: Fila A, Asiento 1; Fila A, Asiento 2; Fila A, Asiento 3; "
        "Fila A, Asiento 4; Fila A, Asiento 5; Fila A, Asiento 6; Fila A, Asiento 7; Fila A, Asiento 8 "
        "y 2 más. No se reservó nada."
    ]
    with pytest.raises(services.SeatsUnavailable) as error:
        box_office_hold(event, [chairs[1].pk, chairs[4].pk])
    assert "disponibles: Mesa 1 (se vende completa); Mesa 2, Silla 1. No se" in error.value.messages[0]
    with translation.override("en"), pytest.raises(services.SeatsUnavailable) as error:
        box_office_hold(event, seats_of(event, "A", 1))
    assert "no longer available: Row A, Seat 1." in error.value.messages[0]


def test_a_whole_table_is_held_whole(event):
    tables = make_tables_zone(event, tables=2, chairs=4)
    table = Table.objects.get(zone=tables, number=1)
    table.sold_whole = True
    table.save()
    chair = Seat.objects.filter(table=table).first()

    order = box_office_hold(event, [chair.pk])

    assert order.tickets.count() == 4
    assert Seat.objects.filter(table=table, status=Seat.Status.HELD).count() == 4


def test_only_events_on_sale_can_be_sold(event):
    event.status = Event.Status.CLOSED
    event.save()
    with pytest.raises(services.SaleError, match="no está a la venta"):
        box_office_hold(event, seats_of(event, "A", 1))


def test_holds_expire_by_themselves_and_free_the_seats(event):
    order = box_office_hold(
        event, seats_of(event, "C", 5), general={Zone.objects.get(event=event, kind="general").pk: 2}
    )

    with time_machine.travel(timezone.now() + timedelta(minutes=9)):
        assert services.expire_holds() == 0
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert services.expire_holds() == 1

    order.refresh_from_db()
    assert order.status == Order.Status.EXPIRED
    assert not Seat.objects.filter(event=event, status=Seat.Status.HELD).exists()
    assert Zone.objects.get(event=event, kind="general").held_count == 0
    assert set(order.tickets.values_list("status", flat=True)) == {Ticket.Status.RELEASED}
    box_office_hold(event, seats_of(event, "C", 5))  # sellable again


def test_cancel_before_completion_releases_everything(event):
    order = box_office_hold(event, seats_of(event, "A", 7, 8))
    services.cancel_order(order=order)
    assert Seat.objects.filter(event=event, status=Seat.Status.AVAILABLE).count() == 30


@pytest.mark.parametrize("special_taxpayer", [False, True])
@pytest.mark.parametrize(
    ("method", "currency", "details"),
    [
        ("cash_ves", "VES", {}),
        ("cash_usd", "USD", {}),
        ("cash_eur", "EUR", {}),
        ("zelle", "USD", {"sender": "ana@example.com", "confirmation_code": "ZL1"}),
        (
            "pago_movil",
            "VES",
            {"bank": "0134", "payer_phone": "+584141234567", "payer_id": "V-1", "reference": "1"},
        ),
    ],
)
def test_the_amount_to_settle_pays_what_is_left_exactly(
    event, in_acme, special_taxpayer, method, currency, details
):
    """At rates where a cent of the currency is worth several bolívares: what the counter's payment
    form offers must settle the sale, never leave a balance, and overpay by less than a cent."""
    in_acme.is_special_taxpayer = special_taxpayer
    in_acme.save()
    set_todays_rate("36.5123")
    money.set_rate(
        on=money.today_in_caracas(), currency="EUR", ves_per_unit=Decimal("41.0771"), by=None, confirmed=True
    )
    order = box_office_hold(event, seats_of(event, "B", 1, 2))
    order = services.add_payment(order=order, payment=cash_usd("7.31"))  # something already paid

    due = services.amount_to_settle(order, method=method, settlement=services.settlement(order))
    payment = PaymentInput(method=method, currency=currency, amount=due.amount.amount, details=details)
    settled = services.settlement(order, extra=payment)

    assert due.amount.currency == currency and due.igtf == (special_taxpayer and currency != "VES")
    assert settled.is_settled
    assert settled.change_ves < (settled.payments[-1].rate * Decimal("0.01"))
    assert services.amount_to_settle(order, method=method, settlement=settled) is None


def test_completion_sells_records_payments_and_issues_the_invoice(event, in_acme):
    acme = in_acme
    acme.is_special_taxpayer = True
    acme.save()
    order = box_office_hold(event, seats_of(event, "A", 1))  # USD 25 base → Bs 2,900 with IVA
    order = services.add_payment(order=order, payment=cash_usd("20"))  # IGTF 3% on Bs 2,000 = Bs 60
    order = services.add_payment(order=order, payment=cash_ves("900"))
    settlement = services.settlement(order)
    assert settlement.igtf_ves == Decimal("60.00") and settlement.balance_ves == Decimal("60.00")
    services.add_payment(order=order, payment=cash_ves("60"))

    key = uuid.uuid4()
    done = services.complete_sale(order=order, completion_key=key, customer=a_customer())

    assert done.status == Order.Status.COMPLETED
    assert done.total_ves == Decimal("2900.00") and done.igtf_ves == Decimal("60.00")
    assert Seat.objects.get(pk=order.tickets.get().seat_id).status == Seat.Status.SOLD
    assert done.payments.count() == 3
    assert done.invoice.number >= 1 and done.invoice.control_number
    assert done.totals["igtf_ves"] == "60.00"


def test_completion_is_idempotent_and_refuses_unpaid_sales(event):
    order = box_office_hold(event, seats_of(event, "A", 2))
    customer = a_customer()
    with pytest.raises(services.SaleError, match="Falta cobrar"):
        services.complete_sale(order=order, completion_key=uuid.uuid4(), customer=customer)
    services.add_payment(order=order, payment=cash_usd("30"))

    key = uuid.uuid4()
    first = services.complete_sale(order=order, completion_key=key, customer=customer)
    again = services.complete_sale(order=order, completion_key=key, customer=customer)

    assert first.pk == again.pk and again.invoice.pk == first.invoice.pk
    assert Order.objects.filter(event=event, status=Order.Status.COMPLETED).count() == 1


def test_the_last_payment_and_completion_go_together_or_not_at_all(event):
    order = box_office_hold(event, seats_of(event, "A", 5))  # Bs 2,900
    services.add_payment(order=order, payment=cash_ves("900"))
    customer = a_customer()
    series = InvoiceSeries.objects.get(code="A", document_type=DocumentType.INVOICE)

    with pytest.raises(services.SaleError, match="Falta cobrar"):
        services.pay_and_complete(
            order=order, payment=cash_usd("10"), completion_key=uuid.uuid4(), customer=customer
        )
    order.refresh_from_db()
    assert order.status == Order.Status.HELD and len(order.draft_payments) == 1  # USD 10 not kept
    with pytest.raises(services.SaleError, match="Indique el cliente"):
        services.pay_and_complete(
            order=order, payment=cash_usd("20"), completion_key=uuid.uuid4(), customer=None
        )
    order.refresh_from_db()
    assert len(order.draft_payments) == 1
    series.refresh_from_db()
    unused_number = series.next_number

    key = uuid.uuid4()
    done = services.pay_and_complete(
        order=order.public_id, payment=cash_usd("20"), completion_key=key, customer=customer
    )
    again = services.pay_and_complete(
        order=order.public_id, payment=cash_usd("20"), completion_key=key, customer=customer
    )

    assert done.status == Order.Status.COMPLETED and again.pk == done.pk
    assert sorted(p.method for p in done.payments.all()) == ["cash_usd", "cash_ves"]  # the retry paid nothing
    assert done.invoice.number == unused_number  # the refused attempts took no number
    assert done.draft_payments == []
    with pytest.raises(services.SaleError, match="ya se completó"):
        services.pay_and_complete(
            order=order, payment=cash_usd("20"), completion_key=uuid.uuid4(), customer=customer
        )


def test_a_sale_needing_the_days_rate_is_refused_without_it(in_acme):
    event = on_sale_event()
    order = box_office_hold(event, seats_of(event, "A", 1))
    with pytest.raises(Exception, match="Falta la tasa BCV"):
        services.add_payment(order=order, payment=cash_usd("30"))


def test_an_expired_hold_cannot_be_completed(event):
    order = box_office_hold(event, seats_of(event, "A", 4))
    services.add_payment(order=order, payment=cash_usd("30"))
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        with pytest.raises(services.SaleError, match="venció"):
            services.complete_sale(order=order, completion_key=uuid.uuid4(), customer=a_customer())


@pytest.mark.parametrize("status", [Event.Status.CANCELLED, Event.Status.CLOSED])
def test_a_cart_open_when_the_event_is_stopped_cannot_be_completed(event, status):
    from ticketing.events.services import change_event_status

    order = box_office_hold(event, seats_of(event, "A", 4))
    services.add_payment(order=order, payment=cash_usd("30"))
    change_event_status(event=Event.objects.get(pk=event.pk), status=status)

    with pytest.raises(services.SaleError, match="no está a la venta"):
        services.complete_sale(order=order, completion_key=uuid.uuid4(), customer=a_customer())
    assert Order.objects.get(pk=order.pk).status == Order.Status.HELD


def test_voiding_frees_the_seats_and_issues_a_credit_note(event, staff_in, acme):
    from ticketing.accounts.roles import Role

    manager = staff_in(acme, Role.MANAGER)
    order = box_office_hold(event, seats_of(event, "B", 9))
    services.add_payment(order=order, payment=cash_usd("30"))
    order = services.complete_sale(order=order, completion_key=uuid.uuid4(), customer=a_customer())

    services.void_sale(order=order, reason="Evento reprogramado para el cliente", actor=manager)

    order.refresh_from_db()
    assert order.status == Order.Status.VOIDED
    assert set(order.tickets.values_list("status", flat=True)) == {Ticket.Status.VOID}
    assert Seat.objects.get(pk=seats_of(event, "B", 9)[0]).status == Seat.Status.AVAILABLE
    assert order.invoice.credit_notes.count() == 1


def test_changing_prices_never_changes_tickets_already_sold(event):
    order = box_office_hold(event, seats_of(event, "C", 9))
    services.add_payment(order=order, payment=cash_usd("30"))
    services.complete_sale(order=order, completion_key=uuid.uuid4(), customer=a_customer())
    Zone.objects.filter(event=event, kind="numbered").update(base_price=Decimal("99.00"))

    ticket = order.tickets.get()
    assert ticket.price == Decimal("25.00")
    assert Order.objects.get(pk=order.pk).total == Decimal("29.00")  # 25 + IVA 16%


def test_a_sale_voided_twice_issues_one_credit_note_and_tells_the_second_manager_its_number(
    carrera, django_db_blocker
):
    from tests.factories import StaffFactory
    from tests.sales_helpers import at_once
    from ticketing.accounts.roles import Role
    from ticketing.fiscal.models import CreditNote

    set_todays_rate("100")
    event = on_sale_event(rows=1, seats_per_row=2, name=f"Doble anulación {uuid.uuid4().hex[:6]}")
    order = box_office_hold(event, seats_of(event, "A", 1))
    services.add_payment(order=order, payment=cash_usd("30"))
    order = services.complete_sale(order=order, completion_key=uuid.uuid4(), customer=a_customer())
    manager = StaffFactory(role=Role.MANAGER, email=f"anula-{uuid.uuid4().hex[:8]}@carrera.test")

    def void(_index: int) -> str:
        try:
            services.void_sale(order=Order.objects.get(pk=order.pk), reason="Cliente enfermo", actor=manager)
        except services.SaleError as e:
            return e.messages[0]
        return "voided"

    outcomes = at_once(2, void, organization=carrera, django_db_blocker=django_db_blocker)

    note = CreditNote.objects.get(invoice__order=order)
    assert sorted(outcomes) == sorted(
        ["voided", f"Esta venta ya fue anulada (nota de crédito NC N° {note.number:08d})."]
    )
    assert AuditEntry.objects.filter(order=order, action="void").count() == 1
