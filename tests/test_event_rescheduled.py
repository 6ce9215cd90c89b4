"""A new start for an event with sales reaches its buyers by e-mail; the manager is told how many."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.sales_helpers import a_customer, on_sale_event, set_todays_rate
from tests.test_catalog_views import event_post_data, local
from tests.test_sales_list import seat_ids, sold
from ticketing.accounts.roles import Role
from ticketing.sales import services as sales


@pytest.fixture
def manager(acme, staff_in, client_for):
    return client_for(acme, staff_in(acme, Role.MANAGER))


def edit_data(event, **overrides):
    data = event_post_data(
        event.venue,
        name=event.name,
        currency=event.currency,
        starts_at=local(event.starts_at),
        ends_at=local(event.ends_at),
        **{"fees-TOTAL_FORMS": "0"},
    )
    data.update(overrides)
    return data


@pytest.fixture
def event_with_sales(in_acme):
    set_todays_rate("100")
    event = on_sale_event(name="Gaitas en el Teresa Carreño")
    sold(event, seat_ids(event, "A", 1), a_customer("V-11111111", email="ana@correo.test"))
    sold(event, seat_ids(event, "A", 2), a_customer("V-22222222"))  # no e-mail: nobody to write to
    voided = sold(event, seat_ids(event, "A", 3), a_customer("V-33333333", email="luis@correo.test"))
    sales.void_sale(order=voided, reason="Devolución", actor=None)
    mail.outbox.clear()
    return event


def test_a_new_start_is_emailed_to_the_buyers_and_the_manager_is_told(
    event_with_sales, manager, django_capture_on_commit_callbacks
):
    event = event_with_sales
    url = f"/panel/events/{event.pk}/edit/"
    form = manager.get(url).content.decode()
    assert "si cambia el inicio, avisamos por correo a 1 comprador." in form
    later = event.starts_at + timedelta(days=7)

    with django_capture_on_commit_callbacks(execute=True):
        saved = manager.post(
            url, edit_data(event, starts_at=local(later), ends_at=local(later + timedelta(hours=3)))
        )

    assert saved.status_code == 302
    page = manager.get(saved["Location"]).content.decode()
    assert "Avisamos del nuevo inicio por correo a 1 comprador." in page
    assert [message.to for message in mail.outbox] == [["ana@correo.test"]]  # not the voided sale
    message = mail.outbox[0]
    assert message.subject == "Cambió la fecha de Gaitas en el Teresa Carreño"
    starts = timezone.localtime(later)
    assert f"Ahora: {starts.day} de" in message.body and "Antes: " in message.body
    assert "Sus entradas valen para la nueva fecha" in message.body


def test_editing_anything_but_the_start_writes_to_nobody(
    event_with_sales, manager, django_capture_on_commit_callbacks
):
    event = event_with_sales
    with django_capture_on_commit_callbacks(execute=True):
        saved = manager.post(f"/panel/events/{event.pk}/edit/", edit_data(event, name="Gaitas 2026"))

    assert saved.status_code == 302
    assert mail.outbox == []
    assert "Avisamos" not in manager.get(saved["Location"]).content.decode()
