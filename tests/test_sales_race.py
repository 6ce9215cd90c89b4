"""30 sellers at once on overlapping seats, each in its own thread and database connection,
against the real PostgreSQL: every seat is sold at most once and invoice numbers have no gaps."""

import random
import uuid
from decimal import Decimal

from tests.sales_helpers import a_customer, at_once, cash_usd, on_sale_event, set_todays_rate
from ticketing.events.models import Seat
from ticketing.fiscal.models import Invoice
from ticketing.sales import services
from ticketing.sales.models import Order, Ticket

SELLERS = 30


def test_thirty_concurrent_sellers_never_double_sell_and_leave_no_invoice_gaps(carrera, django_db_blocker):
    set_todays_rate("100")
    event = on_sale_event(rows=2, seats_per_row=10, name=f"Carrera {uuid.uuid4().hex[:6]}")
    customer = a_customer(document=f"V-{random.randint(10_000_000, 29_999_999)}")
    seat_ids = list(Seat.objects.filter(event=event).order_by("pk").values_list("pk", flat=True))
    invoices_before = set(Invoice.objects.values_list("number", flat=True))

    def seller(index: int) -> str:
        wanted = random.Random(index).sample(seat_ids, 3)  # overlapping choices on purpose
        try:
            order = services.hold(event=event, channel=Order.Channel.BOX_OFFICE, seat_ids=wanted)
            services.add_payment(order=order, payment=cash_usd("100"))
            services.complete_sale(order=order, completion_key=uuid.uuid4(), customer=customer)
        except services.SeatsUnavailable:
            return "refused"
        return "sold"  # any other refusal shows in the outcomes below, as the exception

    outcomes = at_once(SELLERS, seller, organization=carrera, django_db_blocker=django_db_blocker)

    assert len(outcomes) == SELLERS
    assert set(outcomes) <= {"sold", "refused"}, outcomes
    sold = outcomes.count("sold")
    assert sold >= 1
    live = list(
        Ticket.objects.filter(event=event, status=Ticket.Status.VALID).values_list("seat_id", flat=True)
    )
    assert len(live) == len(set(live)) == sold * 3  # no seat sold twice
    assert Seat.objects.filter(event=event, status=Seat.Status.SOLD).count() == len(live)
    numbers = sorted(set(Invoice.objects.values_list("number", flat=True)) - invoices_before)
    assert len(numbers) == sold
    assert numbers == list(range(numbers[0], numbers[0] + sold))  # consecutive, no gap, no repeat
    # The sandbox printer's control numbers too: one each, consecutive, none skipped or repeated.
    controls = sorted(
        int(number.split("-")[1])
        for number in Invoice.objects.filter(number__in=numbers).values_list("control_number", flat=True)
    )
    assert controls == list(range(controls[0], controls[0] + sold))
    totals = Order.objects.filter(event=event, status=Order.Status.COMPLETED).values_list(
        "total_ves", flat=True
    )
    assert all(total == Decimal("8700.00") for total in totals)  # 3 × USD 25 + IVA at 100 Bs/USD


def test_a_completion_sent_several_times_at_once_makes_one_sale(carrera, django_db_blocker):
    """A seller's double click and the browser's retry arrive together, by the order's public id
    as the counter sends them: the order's row lock makes them wait for each other, and the
    completion key answers the later ones with the same sale."""
    set_todays_rate("100")
    event = on_sale_event(rows=1, seats_per_row=4, name=f"Doble cobro {uuid.uuid4().hex[:6]}")
    customer = a_customer(document=f"V-{random.randint(10_000_000, 29_999_999)}")
    order = services.hold(
        event=event, channel=Order.Channel.BOX_OFFICE, seat_ids=[Seat.objects.filter(event=event).first().pk]
    )
    services.add_payment(order=order, payment=cash_usd("100"))
    key, clicks = uuid.uuid4(), 5

    def click(_index: int) -> str:
        return services.complete_sale(
            order=order.public_id, channel=Order.Channel.BOX_OFFICE, completion_key=key, customer=customer.pk
        ).status

    outcomes = at_once(clicks, click, organization=carrera, django_db_blocker=django_db_blocker)

    assert outcomes == [Order.Status.COMPLETED] * clicks
    assert Invoice.objects.filter(order=order).count() == 1
    assert Ticket.objects.get(order=order).status == Ticket.Status.VALID
