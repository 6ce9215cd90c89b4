"""E-mails to online customers, sent by the worker with retries (the SMTP server may be down)."""

from datetime import datetime
from decimal import Decimal
from smtplib import SMTPException

from celery import shared_task

from ticketing.sales.models import Order

from . import notifications

RETRY = {"autoretry_for": (OSError, SMTPException), "retry_backoff": True, "max_retries": 6}


@shared_task(**RETRY)
def send_order_confirmation(order_id: int, to: str = "") -> None:
    notifications.send_order_confirmation(Order.objects.get(pk=order_id), to=to)


@shared_task(**RETRY)
def send_payment_rejected(order_id: int, reason: str) -> None:
    notifications.send_payment_rejected(Order.objects.get(pk=order_id), reason=reason)


@shared_task(**RETRY)
def send_payment_refunded(order_id: int, note: str, amount: str, currency: str) -> None:
    notifications.send_payment_refunded(
        Order.objects.get(pk=order_id), note=note, amount=Decimal(amount), currency=currency
    )


@shared_task(**RETRY)
def send_payment_received(order_id: int) -> None:
    notifications.send_payment_received(Order.objects.get(pk=order_id))


@shared_task(**RETRY)
def send_order_voided(order_id: int, reason: str) -> None:
    notifications.send_order_voided(Order.objects.get(pk=order_id), reason=reason)


@shared_task(**RETRY)
def send_event_rescheduled(order_id: int, was: str) -> None:
    notifications.send_event_rescheduled(Order.objects.get(pk=order_id), was=datetime.fromisoformat(was))
