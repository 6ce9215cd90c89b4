"""Websockets are routed by organization like HTTP, and live updates never cross organizations."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator

from project.asgi import application
from ticketing.core.consumers import live_group_name


def _communicator(host: str, topic: str = "event-1") -> WebsocketCommunicator:
    return WebsocketCommunicator(
        application,
        f"/ws/live/{topic}/",
        headers=[(b"host", host.encode()), (b"origin", f"http://{host}".encode())],
    )


@async_to_sync
async def _connects(host: str) -> bool:
    communicator = _communicator(host)
    connected, _ = await communicator.connect()
    if connected:
        await communicator.disconnect()
    return connected


@async_to_sync
async def _live_message_seen_by(host: str, *, published_to_schema: str, html: str) -> str | None:
    communicator = _communicator(host)
    connected, _ = await communicator.connect()
    assert connected
    await get_channel_layer().group_send(
        live_group_name(published_to_schema, "event-1", "es"), {"type": "live.html", "html": html}
    )
    if await communicator.receive_nothing(timeout=1):
        received = None
    else:
        received = await communicator.receive_from()
    await communicator.disconnect()
    return received


def test_a_page_of_an_organization_receives_its_live_updates(acme):
    received = _live_message_seen_by(
        "acme.localhost", published_to_schema="acme", html='<g id="seat-1">sold</g>'
    )
    assert received == '<g id="seat-1">sold</g>'


def test_live_updates_of_another_organization_never_arrive(acme, globex):
    received = _live_message_seen_by(
        "acme.localhost", published_to_schema="globex", html="<p>globex secret</p>"
    )
    assert received is None


def test_unknown_hosts_are_refused(db):
    assert not _connects("nope.localhost")


def test_a_suspended_organizations_socket_is_refused(acme):
    # Channels closes the test's connection after each handshake, so change data first.
    acme.is_active = False
    acme.save(update_fields=["is_active"])

    assert not _connects("acme.localhost")
