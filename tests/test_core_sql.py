"""Hand-written reads (ticketing.core.sql) build the same instances the ORM does."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from tests.sales_helpers import a_customer, cash_usd, on_sale_event, set_todays_rate
from ticketing.core.sql import fetch_instances, select_list
from ticketing.customers.models import Customer
from ticketing.events.models import Event, Seat, Zone
from ticketing.sales import services
from ticketing.sales.models import Order


def columns_of(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields}


def held_order_with_a_payment(customer=None) -> Order:
    set_todays_rate("100")
    event = on_sale_event()
    seat = Seat.objects.filter(event=event).first()
    order = services.hold(
        event=event, channel=Order.Channel.BOX_OFFICE, seat_ids=[seat.pk], customer=customer
    )
    return services.add_payment(order=order, payment=cash_usd("100"))


def read_by_hand(order: Order):
    sql = (
        f"SELECT {select_list(Order, 'o')}, {select_list(Event, 'e')}, {select_list(Customer, 'c')} "
        "FROM sales_order o JOIN events_event e ON e.id = o.event_id "
        "LEFT JOIN customers_customer c ON c.id = o.customer_id WHERE o.id = %s"
    )
    return fetch_instances(sql, [order.pk], (Order, "o"), (Event, "e"), (Customer, "c"))


def test_an_order_read_by_hand_equals_the_orms_read_json_uuid_and_money_included(in_acme):
    order = held_order_with_a_payment(customer=a_customer())

    [(by_hand, event, customer)] = read_by_hand(order)

    by_orm = Order.objects.select_related("event", "customer").get(pk=order.pk)
    assert columns_of(by_hand) == columns_of(by_orm)
    assert by_hand.draft_payments[0]["amount"] == "100"  # JSON parsed, as the ORM does
    assert columns_of(event) == columns_of(by_orm.event)
    assert columns_of(customer) == columns_of(by_orm.customer)
    assert customer.phone == by_orm.customer.phone and not by_hand._state.adding


def test_a_row_the_outer_join_did_not_find_comes_back_as_none(in_acme):
    order = held_order_with_a_payment()

    [(_order, _event, customer)] = read_by_hand(order)

    assert customer is None


def test_the_locked_order_comes_with_its_event_and_customer_without_more_queries(
    in_acme, django_assert_num_queries
):
    order = held_order_with_a_payment(customer=a_customer())

    with transaction.atomic(), django_assert_num_queries(1):
        locked = services._locked_order(order.public_id, channel=Order.Channel.BOX_OFFICE, with_customer=True)
        assert (locked.event.name, locked.customer.id_document) == (order.event.name, "V-12345678")
    # The lock itself: tests/test_sales_race.py completes one order from several threads at once.


def test_the_order_in_progress_is_the_sellers_live_box_office_hold_on_that_event(in_acme):
    from tests.factories import StaffFactory
    from ticketing.sales.selectors import order_in_progress

    set_todays_rate("100")
    event, other_event = on_sale_event(), on_sale_event(name="Otro")
    seller, colleague = StaffFactory(), StaffFactory()
    seats = iter(Seat.objects.filter(event=event).order_by("pk"))

    def hold_for(who, *, on=event, channel=Order.Channel.BOX_OFFICE):
        seat = next(seats) if on == event else Seat.objects.filter(event=on).first()
        return services.hold(event=on, channel=channel, seat_ids=[seat.pk], seller=who)

    assert order_in_progress(event=event, seller=seller) is None
    expired = hold_for(seller)
    Order.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    hold_for(colleague)
    hold_for(seller, on=other_event)
    hold_for(seller, channel=Order.Channel.ONLINE)
    assert order_in_progress(event=event, seller=seller) is None

    mine = hold_for(seller)

    found = order_in_progress(event=event, seller=seller)
    assert found == mine and found.draft_payments == [] and found.public_id == mine.public_id


def test_an_event_comes_with_its_zones_in_order_as_a_prefetch_would_leave_them(
    in_acme, django_assert_num_queries
):
    from tests.catalog import make_event
    from ticketing.events.selectors import event_with_zones

    event = on_sale_event()
    Zone.objects.filter(event=event, kind=Zone.Kind.GENERAL).update(position=0)
    Zone.objects.filter(event=event, kind=Zone.Kind.NUMBERED).update(position=1)

    with django_assert_num_queries(1):
        found = event_with_zones(event.pk)
        zones = list(found.zones.all())
        assert {zone.event.pk for zone in zones} == {event.pk}
    assert [columns_of(z) for z in zones] == [columns_of(z) for z in Zone.objects.filter(event=event)]
    assert [z.kind for z in zones] == [Zone.Kind.GENERAL, Zone.Kind.NUMBERED]
    assert columns_of(found) == columns_of(Event.objects.get(pk=event.pk))

    empty = make_event()
    assert list(event_with_zones(empty.pk).zones.all()) == []
    with pytest.raises(Event.DoesNotExist):
        event_with_zones(987654321)
