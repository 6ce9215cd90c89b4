"""Builders for box-office tests: an on-sale event with today's BCV rate and a customer."""

import threading
from collections.abc import Callable
from decimal import Decimal

from django.db import connection

from tests.catalog import make_event, make_general_zone, make_numbered_zone
from ticketing.customers.services import create_customer
from ticketing.events.models import Event
from ticketing.payments import services as money
from ticketing.payments.services import PaymentInput


def on_sale_event(*, rows=3, seats_per_row=10, base_price="25.00", capacity=50, **fields) -> Event:
    event = make_event(status=Event.Status.ON_SALE, **fields)
    make_numbered_zone(event, rows=rows, seats_per_row=seats_per_row, base_price=base_price)
    make_general_zone(event, capacity=capacity, base_price="10.00")
    return event


def set_todays_rate(ves_per_usd="100") -> None:
    money.set_rate(
        on=money.today_in_caracas(),
        currency="USD",
        ves_per_unit=Decimal(ves_per_usd),
        by=None,
        confirmed=True,
    )


def a_customer(document="V-12345678", **fields):
    fields = {"first_name": "Ana", "last_name": "Pérez", "id_document": document, **fields}
    return create_customer(**fields)


def cash_usd(amount) -> PaymentInput:
    return PaymentInput(method="cash_usd", currency="USD", amount=Decimal(str(amount)), details={})


def cash_ves(amount) -> PaymentInput:
    return PaymentInput(method="cash_ves", currency="VES", amount=Decimal(str(amount)), details={})


def at_once(count: int, action: Callable[[int], object], *, organization, django_db_blocker) -> list:
    """Run action(0) … action(count - 1) in as many threads, released together, each with its own
    database connection in `organization`'s schema (what it writes is committed: race tests use
    an organization of their own). Returns what each call returned, or the exception it raised,
    in the order they finished."""
    start = threading.Barrier(count)
    outcomes: list = []

    def run(index: int):
        with django_db_blocker.unblock():
            connection.set_tenant(organization)
            try:
                start.wait(timeout=30)
                outcomes.append(action(index))
            except Exception as e:  # noqa: BLE001 - handed to the test, which asserts on it
                outcomes.append(e)
            finally:
                connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes
