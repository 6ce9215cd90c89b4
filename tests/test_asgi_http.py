"""HTTP through the ASGI application: Django's WSGI handler on a2wsgi's thread pool."""

import asyncio
import json

from asgiref.sync import async_to_sync
from channels.testing import HttpCommunicator, WebsocketCommunicator
from django.db import connection

from project.asgi import application
from ticketing.core import live


@async_to_sync
async def _get(host: str, path: str) -> dict:
    communicator = HttpCommunicator(application, "GET", path, headers=[(b"host", host.encode())])
    return await communicator.get_response(timeout=10)


@async_to_sync
async def _post(host: str, path: str, body: bytes) -> dict:
    communicator = HttpCommunicator(
        application,
        "POST",
        path,
        body=body,
        headers=[(b"host", host.encode()), (b"content-type", b"application/x-www-form-urlencoded")],
    )
    return await communicator.get_response(timeout=10)


def test_health_answers_through_the_thread_pool(db):
    response = _get("localhost", "/healthz")

    assert response["status"] == 200
    assert json.loads(response["body"])["database"] == "ok"


def test_hosts_headers_and_cookies_pass_both_ways(acme):
    unknown = _get("nope.localhost", "/")
    assert unknown["status"] == 404
    assert "Sitio no encontrado" in unknown["body"].decode()

    login = _get("acme.localhost", "/accounts/login/")
    assert login["status"] == 200
    assert "Acceso del personal de Acme Eventos" in login["body"].decode()
    cookies = [value for name, value in login["headers"] if name == b"set-cookie"]
    assert any(cookie.startswith(b"csrftoken=") for cookie in cookies)


def test_a_request_body_reaches_the_view(acme):
    # Without the CSRF cookie the form is refused: proof that the POST was parsed by Django.
    response = _post("acme.localhost", "/accounts/login/", b"login=owner%40acme.test&password=x")
    assert response["status"] == 403


@async_to_sync
async def _published_from_a_request_thread_reaches(host: str, schema: str, html: str) -> str | None:
    socket = WebsocketCommunicator(
        application,
        "/ws/live/event-1/",
        headers=[(b"host", host.encode()), (b"origin", f"http://{host}".encode())],
    )
    connected, _ = await socket.connect()
    assert connected
    assert (await _async_get("localhost", "/healthz"))["status"] == 200  # the server loop is this one

    def view_thread():  # what a view does after its transaction commits, on a pool thread
        connection.set_schema(schema)
        live.publish_changes(topic="event-1", changes={("seat", 7)}, render=lambda changes: html)
        assert not live._in_server_loop_thread()

    await asyncio.get_running_loop().run_in_executor(None, view_thread)
    received = None if await socket.receive_nothing(timeout=2) else await socket.receive_from()
    await socket.disconnect()
    return received


async def _async_get(host: str, path: str) -> dict:
    communicator = HttpCommunicator(application, "GET", path, headers=[(b"host", host.encode())])
    return await communicator.get_response(timeout=10)


def test_live_updates_from_request_threads_go_through_the_server_loop(acme):
    html = '<g id="seat-7">held</g>'
    assert _published_from_a_request_thread_reaches("acme.localhost", "acme", html) == html
