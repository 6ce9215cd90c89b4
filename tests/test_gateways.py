"""The online card gateway interface, with the local sandbox that stands in for the real one."""

from decimal import Decimal

import pytest
import responses

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


def test_a_pending_charge_is_settled_later_by_a_signed_webhook_the_sandbox_posts():
    gateway = SandboxCardGateway(secret="test-secret", webhook_delay=0)  # Celery runs it at once here
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, "http://127.0.0.1:8000/pagos/webhook/sandbox/", json={"result": "completed"})
        result = gateway.charge(
            amount=TOTAL,
            order_reference="order-7",
            card_number="4000000000000119",
            notify_url="http://acme.localhost:8000/pagos/webhook/sandbox/",
        )
        sent = mock.calls[0].request

    assert result.status == ChargeStatus.PENDING
    # *.localhost is reached on the loopback, the organization's name kept in the Host header.
    assert sent.headers["Host"] == "acme.localhost:8000"
    notice = gateway.parse_webhook(body=sent.body, signature=sent.headers["X-Signature"])
    assert notice.order_reference == "order-7" and notice.status == ChargeStatus.APPROVED
    assert notice.reference == result.reference


def test_approved_and_declined_charges_send_no_webhook():
    gateway = SandboxCardGateway(secret="test-secret", webhook_delay=0)
    with responses.RequestsMock() as mock:  # any request would fail the test
        for card in ("4111111111111111", "4000000000000002"):
            gateway.charge(
                amount=TOTAL, order_reference="o", card_number=card, notify_url="http://x.test/hook/"
            )
    assert len(mock.calls) == 0
