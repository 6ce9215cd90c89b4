"""The online card gateway interface, with the local sandbox that stands in for the real one."""

from decimal import Decimal

import pytest

from ticketing.core.money import Money
from ticketing.payments.gateways import (
    ChargeStatus,
    GatewayError,
    InvalidWebhookSignature,
    SandboxCardGateway,
    card_gateway,
)
from ticketing.payments.models import WebhookEvent
from ticketing.payments.services import record_webhook

TOTAL = Money(Decimal("29.00"), "USD")


@pytest.fixture
def gateway():
    return SandboxCardGateway(secret="test-secret")


def test_the_sandbox_approves_declines_or_leaves_pending_by_card_number(gateway):
    approved = gateway.charge(amount=TOTAL, order_reference="order-1", card_number="4111 1111 1111 1111")
    declined = gateway.charge(amount=TOTAL, order_reference="order-2", card_number="4000-0000-0000-0002")
    pending = gateway.charge(amount=TOTAL, order_reference="order-3", card_number="4000000000000119")

    assert approved.status == ChargeStatus.APPROVED and approved.reference.startswith("SBX-")
    assert declined.status == ChargeStatus.DECLINED and "rechazó" in declined.message
    assert pending.status == ChargeStatus.PENDING


def test_a_retried_charge_keeps_its_reference_and_bad_cards_are_refused(gateway):
    first = gateway.charge(amount=TOTAL, order_reference="order-9", card_number="4111111111111111")
    again = gateway.charge(amount=TOTAL, order_reference="order-9", card_number="4111111111111111")
    assert first.reference == again.reference

    with pytest.raises(GatewayError) as error:
        gateway.charge(amount=TOTAL, order_reference="order-9", card_number="4111 1111 1111 1112")
    assert error.value.message_dict == {"card_number": ["Número de tarjeta no válido."]}


def test_a_signed_webhook_is_read_and_a_forged_one_refused(gateway):
    body = gateway.webhook_body(event_id="evt-1", order_reference="order-3", status="approved")

    notice = gateway.parse_webhook(body=body, signature=gateway.sign(body))

    assert (notice.event_id, notice.order_reference, notice.status) == ("evt-1", "order-3", "approved")
    with pytest.raises(InvalidWebhookSignature):
        gateway.parse_webhook(body=body, signature="0" * 64)
    forged = body.replace(b"approved", b"declined")
    with pytest.raises(InvalidWebhookSignature):
        gateway.parse_webhook(body=forged, signature=gateway.sign(body))


def test_a_replayed_webhook_is_recorded_once(in_acme):
    assert record_webhook(provider="sandbox", event_id="evt-7", payload={"status": "approved"}) is True
    assert record_webhook(provider="sandbox", event_id="evt-7", payload={"status": "approved"}) is False
    assert WebhookEvent.objects.filter(event_id="evt-7").count() == 1


def test_the_configured_gateway_is_the_sandbox(settings):
    settings.PAYMENT_GATEWAY_SECRET = "from-settings"
    gateway = card_gateway()
    assert gateway.name == "sandbox"
    assert gateway.reference_for("x") == SandboxCardGateway(secret="from-settings").reference_for("x")
