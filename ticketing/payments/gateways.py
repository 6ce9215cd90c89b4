"""Online card payments behind one interface. A local sandbox stands in for the real gateway
(which this project cannot reach); a real adapter implements the same two methods.

The storefront's payment page calls `card_gateway().charge(..., notify_url=...)`; when the bank
takes its time, the gateway's verdict arrives later as a signed webhook at `notify_url`, verified
here and recorded once (`payments.services.record_webhook`), so a replayed webhook changes nothing.
"""

import hashlib
import hmac
import json
import re
import uuid
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from stdnum import luhn

from ticketing.core.money import Money


class ChargeStatus(models.TextChoices):
    APPROVED = "approved", "aprobado"
    DECLINED = "declined", "rechazado"
    PENDING = "pending", "pendiente"


@dataclass(frozen=True)
class ChargeResult:
    status: str
    reference: str  # the gateway's reference, printed on the receipt
    message: str = ""


@dataclass(frozen=True)
class WebhookNotice:
    event_id: str  # unique per notification: a replay carries the same id
    order_reference: str
    status: str
    reference: str


class GatewayError(ValidationError):
    """The gateway refused the request itself (bad card data, unreachable)."""


class InvalidWebhookSignature(Exception):
    """A webhook whose signature does not match: it is not from the gateway."""


class CardGateway(Protocol):
    name: str

    def charge(
        self, *, amount: Money, order_reference: str, card_number: str, notify_url: str = ""
    ) -> ChargeResult: ...

    def parse_webhook(self, *, body: bytes, signature: str) -> WebhookNotice: ...


class SandboxCardGateway:
    """Behaves like a card gateway, decided by the card number (as real sandboxes do):

    4111 1111 1111 1111 approves, 4000 0000 0000 0002 is declined, 4000 0000 0000 0119 times out:
    the charge stays pending and, like a real gateway, the sandbox later posts a signed webhook to
    `notify_url` saying it was approved (a Celery task, `webhook_delay` seconds later; None sends
    nothing, as in tests that post the webhook themselves).
    """

    name = "sandbox"
    DECLINE = "4000000000000002"
    TIMEOUT = "4000000000000119"

    def __init__(self, *, secret: str, webhook_delay: int | None = None):
        self.secret = secret.encode()
        self.webhook_delay = webhook_delay

    def reference_for(self, order_reference: str) -> str:
        # Deterministic: a retried charge of the same order gets the same reference.
        digest = hmac.new(self.secret, order_reference.encode(), hashlib.sha256).hexdigest()
        return f"SBX-{digest[:12].upper()}"

    def charge(
        self, *, amount: Money, order_reference: str, card_number: str, notify_url: str = ""
    ) -> ChargeResult:
        digits = re.sub(r"\D", "", card_number or "")
        if not 13 <= len(digits) <= 19 or not luhn.is_valid(digits):
            raise GatewayError({"card_number": _("Número de tarjeta no válido.")})
        if amount.amount <= 0:
            raise GatewayError(_("El monto a cobrar debe ser mayor que cero."))
        reference = self.reference_for(order_reference)
        if digits == self.DECLINE:
            return ChargeResult(ChargeStatus.DECLINED, reference, _("El banco emisor rechazó la tarjeta."))
        if digits == self.TIMEOUT:
            self._notify_later(notify_url, order_reference=order_reference)
            return ChargeResult(
                ChargeStatus.PENDING,
                reference,
                _("El banco no respondió a tiempo; le confirmaremos por correo."),
            )
        return ChargeResult(ChargeStatus.APPROVED, reference)

    def _notify_later(self, notify_url: str, *, order_reference: str) -> None:
        if not notify_url or self.webhook_delay is None:
            return
        from .tasks import deliver_webhook

        body = self.webhook_body(
            event_id=f"sbx-{uuid.uuid4().hex}", order_reference=order_reference, status=ChargeStatus.APPROVED
        )
        deliver_webhook.apply_async(
            kwargs={"url": notify_url, "body": body.decode(), "signature": self.sign(body)},
            countdown=self.webhook_delay,
        )

    def sign(self, body: bytes) -> str:
        return hmac.new(self.secret, body, hashlib.sha256).hexdigest()

    def webhook_body(self, *, event_id: str, order_reference: str, status: str) -> bytes:
        """What the sandbox "sends" when a pending charge ends (tests and the demo use it)."""
        payload = {
            "id": event_id,
            "order": order_reference,
            "status": status,
            "reference": self.reference_for(order_reference),
        }
        return json.dumps(payload, sort_keys=True).encode()

    def parse_webhook(self, *, body: bytes, signature: str) -> WebhookNotice:
        if not hmac.compare_digest(self.sign(body), signature or ""):
            raise InvalidWebhookSignature()
        data = json.loads(body)
        if data.get("status") not in ChargeStatus.values:
            raise InvalidWebhookSignature()
        return WebhookNotice(
            event_id=str(data["id"]),
            order_reference=str(data["order"]),
            status=data["status"],
            reference=str(data["reference"]),
        )


def card_gateway() -> CardGateway:
    return SandboxCardGateway(
        secret=settings.PAYMENT_GATEWAY_SECRET, webhook_delay=settings.PAYMENT_SANDBOX_WEBHOOK_SECONDS
    )
