"""HTTP requests run by Django's WSGI handler on a pool of threads inside the ASGI server.

Under Django's ASGI handler every sync view of a process runs on one thread, one request at a
time (thread_sensitive), and each request hops between that thread and the event loop three
times. Our views are all sync and spend much of their time waiting for PostgreSQL, so the
ASGI server (uvicorn, which also serves the websockets) hands each HTTP request whole to a
thread of this pool: the waits of several requests overlap, and the request runs the plain
WSGI path with no hops. Each thread keeps its own database connection, as under any threaded
WSGI server; the pool's size (WEB_THREADS) must stay within the connection pool's.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from tempfile import SpooledTemporaryFile

from asgiref.wsgi import WsgiToAsgiInstance

from . import live

BODY_IN_MEMORY = 64 * 1024  # larger request bodies (uploads) spill to a temporary file


class ThreadedWsgiHttp:
    def __init__(self, wsgi_application, *, threads: int):
        self.wsgi_application = wsgi_application
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="http")

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(f"ThreadedWsgiHttp serves HTTP, not {scope['type']}")
        # Live updates published by views go through this loop (core/live.py).
        live.use_server_loop(asyncio.get_running_loop())
        with SpooledTemporaryFile(max_size=BODY_IN_MEMORY) as body:
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                body.write(message.get("body", b""))
                if not message.get("more_body"):
                    break
            body.seek(0)
            # asgiref's environ builder (the one its WSGI adapter uses): headers, script name,
            # server and client addresses.
            adapter = WsgiToAsgiInstance(self.wsgi_application)
            adapter.scope = scope
            environ = adapter.build_environ(scope, body)
            loop = asyncio.get_running_loop()
            status, headers, content = await loop.run_in_executor(self.executor, self.respond, environ)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": content})

    def respond(self, environ) -> tuple[int, list, bytes]:
        """Run the request in this thread, and close the response here too: Django's
        request_finished (which returns the thread's database connection) fires on close."""
        started = {}

        def start_response(status, response_headers, exc_info=None):
            started["status"] = int(status.split(" ", 1)[0])
            # Django's WSGI cookies start with a space (Morsel.output(header="")): drop it.
            started["headers"] = [
                (name.lower().encode("latin1"), value.strip().encode("latin1"))
                for name, value in response_headers
            ]

        result = self.wsgi_application(environ, start_response)
        try:
            content = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        return started["status"], started["headers"], content
