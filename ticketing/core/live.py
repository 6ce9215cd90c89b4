import asyncio

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection, transaction

from .consumers import live_group_name

# The ASGI server's event loop, when this process is one (`publishing_through_this_loop`). Views
# then send through it: its channel-layer connections stay open, and an in-process layer reaches
# the consumers on it. Elsewhere (Celery, commands, tests) each send runs its own loop.
_server_loop: asyncio.AbstractEventLoop | None = None
SEND_TIMEOUT_SECONDS = 10


def use_server_loop(loop: asyncio.AbstractEventLoop) -> None:
    global _server_loop
    _server_loop = loop


def publishing_through_this_loop(http_app):
    """Wrap the server's HTTP application: views running on its threads publish through the
    server's event loop, whose channel-layer connections stay open between requests."""

    async def app(scope, receive, send):
        use_server_loop(asyncio.get_running_loop())
        return await http_app(scope, receive, send)

    return app


def _in_server_loop_thread() -> bool:
    try:
        return asyncio.get_running_loop() is _server_loop
    except RuntimeError:
        return False


def publish_html(*, topic: str, html: str) -> None:
    """Send an HTML fragment (out-of-band swaps) to every open page of this organization's topic,
    once the current transaction has committed."""
    group = live_group_name(connection.schema_name, topic)
    message = {"type": "live.html", "html": html}

    def send():
        loop = _server_loop
        if loop is not None and loop.is_running() and not _in_server_loop_thread():
            sent = asyncio.run_coroutine_threadsafe(get_channel_layer().group_send(group, message), loop)
            sent.result(timeout=SEND_TIMEOUT_SECONDS)  # errors surface here, as before
        else:
            async_to_sync(get_channel_layer().group_send)(group, message)

    transaction.on_commit(send)
