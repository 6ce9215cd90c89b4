"""The web server stops promptly when told to, even after several seat maps were open.

channels-redis 4.3 can leave one consumer's receive hanging when several consumers of a process
stop at once; uvicorn then waits for it forever, and a deploy or a Ctrl+C never ends. The
Procfile bounds the wait (--timeout-graceful-shutdown, WEB_STOP_SECONDS)."""

import socket
import time
from contextlib import ExitStack

from websockets.sync.client import connect

from tests.servers import free_port, start_web_server


def _open_map(port: int):
    host = f"acme.localhost:{port}"
    return connect(
        f"ws://{host}/ws/live/event-1/?lang=es",
        sock=socket.create_connection(("127.0.0.1", port)),
        origin=f"http://{host}",
    )


def test_the_web_server_stops_promptly_after_seat_maps_were_open(acme, django_db_blocker):
    port = free_port()
    with django_db_blocker.unblock():
        server = start_web_server(port=port, WEB_STOP_SECONDS="2")
    try:
        with ExitStack() as maps:
            for _ in range(8):
                maps.enter_context(_open_map(port))
            time.sleep(0.5)
        time.sleep(0.5)  # all eight closed
        asked = time.monotonic()
        server.terminate()
        server.wait(timeout=30)
        assert time.monotonic() - asked < 8
    finally:
        server.kill()
