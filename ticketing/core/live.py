import asyncio
import logging
import threading
import time
from collections.abc import Callable, Hashable, Iterable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection, transaction
from django.utils import translation

from .consumers import listening_languages, live_group_name

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


def _send(schema: str, topic: str, language: str, html: str) -> None:
    group = live_group_name(schema, topic, language)
    message = {"type": "live.html", "html": html}
    loop = _server_loop
    if loop is not None and loop.is_running() and not _in_server_loop_thread():
        sent = asyncio.run_coroutine_threadsafe(get_channel_layer().group_send(group, message), loop)
        sent.result(timeout=SEND_TIMEOUT_SECONDS)  # errors surface here, as before
    else:
        async_to_sync(get_channel_layer().group_send)(group, message)


def _draw_and_send(schema: str, topic: str, changes: set, render: Callable[[set], str]) -> None:
    """Draw the update in each language an open page of the topic reads, and send each to its
    pages; with no page open, nothing is drawn. The connection must be on `schema`."""
    for language in listening_languages(topic):
        with translation.override(language):
            html = render(changes)
        _send(schema, topic, language, html)


def publish_changes(*, topic: str, changes: Iterable[Hashable], render: Callable[[set], str]) -> None:
    """After commit, publish what `render(changes)` draws, for updates that come many times a
    second (a busy box office's seat map).

    Inside the server, every change published to a topic within LIVE_COALESCE_SECONDS goes out
    as one message, drawn by `render(all those changes)` on a background thread from the database
    as it is then. Requests neither draw nor wait for Redis, the latest state always wins, and an
    open map gets a few messages a second instead of one per sale. Elsewhere (Celery, commands,
    tests) it draws and sends at once. Either way each language with open pages gets the update
    drawn in it (consumers.listening_languages)."""
    schema, changes = connection.schema_name, set(changes)

    def publish():
        if _coalescing():
            _coalescer.add(schema, topic, changes, render)
        else:
            _draw_and_send(schema, topic, changes, render)

    transaction.on_commit(publish)


def _coalescing() -> bool:
    loop = _server_loop
    return settings.LIVE_COALESCE_SECONDS > 0 and loop is not None and loop.is_running()


logger = logging.getLogger(__name__)


class Coalescer:
    """Collects changes per (schema, topic) and publishes each topic's batch from one thread."""

    def __init__(self, delay: Callable[[], float] = lambda: settings.LIVE_COALESCE_SECONDS):
        self.delay = delay
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.pending: dict[tuple[str, str], tuple[Callable[[set], str], set]] = {}
        self.thread: threading.Thread | None = None

    def add(self, schema: str, topic: str, changes: set, render: Callable[[set], str]) -> None:
        with self.lock:
            self.pending.setdefault((schema, topic), (render, set()))[1].update(changes)
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="live-coalescer", daemon=True)
                self.thread.start()
        self.wake.set()

    def _run(self) -> None:
        while True:
            self.wake.wait()
            time.sleep(self.delay())  # let the batch fill
            self.flush()

    def flush(self) -> None:
        with self.lock:
            batch, self.pending = self.pending, {}
            self.wake.clear()
        try:
            for (schema, topic), (render, changes) in batch.items():
                try:
                    connection.set_schema(schema)
                    _draw_and_send(schema, topic, changes, render)
                except Exception:  # one broken topic must not stop the others' updates
                    logger.exception("live update of %s/%s failed", schema, topic)
        finally:
            connection.close()  # back to the pool between batches


_coalescer = Coalescer()
