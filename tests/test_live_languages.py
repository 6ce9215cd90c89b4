"""Live seat updates are drawn in the language of each open page, and not drawn at all while no
page of the event is open."""

import asyncio

from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.core.cache import cache

from project.asgi import application
from ticketing.core import consumers
from ticketing.core.consumers import listening_languages
from ticketing.events.models import Seat
from ticketing.sales import services as sales
from ticketing.sales.services import broadcast_seats

from .test_seatmap import make_event, numbered_zone


def _page(language: str) -> WebsocketCommunicator:
    return WebsocketCommunicator(
        application,
        f"/ws/live/event-{_page.event_id}/?lang={language}",
        headers=[(b"host", b"acme.localhost"), (b"origin", b"http://acme.localhost")],
    )


@async_to_sync
async def _updates_seen(languages: list[str], change) -> dict[str, str | None]:
    pages = {language: _page(language) for language in languages}
    for page in pages.values():
        connected, _ = await page.connect()
        assert connected
    await sync_to_async(change)()
    seen = {}
    for language, page in pages.items():
        seen[language] = None if await page.receive_nothing(timeout=2) else await page.receive_from()
        await page.disconnect()
    return seen


def _hold_first_seat(event, capture):
    seat = Seat.objects.filter(event=event).order_by("number").first()
    with capture(execute=True):  # the update leaves once the change has committed
        Seat.objects.filter(pk=seat.pk).update(status=Seat.Status.HELD)
        broadcast_seats(event=event, seat_ids=[seat.pk])


def test_each_open_page_gets_the_seat_update_in_its_own_language(in_acme, django_capture_on_commit_callbacks):
    event = make_event()
    numbered_zone(event, rows=1, seats_per_row=2, base="25.00")
    _page.event_id = event.pk

    seen = _updates_seen(
        ["es", "en", "xx"], lambda: _hold_first_seat(event, django_capture_on_commit_callbacks)
    )

    assert 'aria-label="Fila A, Asiento 1, reservado, USD 25,00"' in seen["es"]
    assert 'aria-label="Row A, Seat 1, held, USD 25.00"' in seen["en"]
    assert seen["xx"] == seen["es"]  # a language we do not speak reads Spanish


def test_with_no_page_open_the_update_is_not_drawn(in_acme, django_capture_on_commit_callbacks, monkeypatch):
    event = make_event()
    numbered_zone(event, rows=1, seats_per_row=2)
    drawn = []
    monkeypatch.setattr(sales, "render_seat_changes", lambda *args: drawn.append(args) or "")

    _hold_first_seat(event, django_capture_on_commit_callbacks)

    assert drawn == []


def test_an_open_page_keeps_its_language_marked_as_read(in_acme, monkeypatch):
    monkeypatch.setattr(consumers, "LISTENER_RENEW_SECONDS", 0.05)
    _page.event_id = 4

    @async_to_sync
    async def languages_read_after_the_mark_expired() -> list[str]:
        page = _page("en")
        assert (await page.connect())[0]
        await sync_to_async(cache.clear)()  # as if LISTENER_SECONDS had gone by
        await asyncio.sleep(0.3)
        languages = await sync_to_async(listening_languages)("event-4")
        await page.disconnect()
        return languages

    assert languages_read_after_the_mark_expired() == ["en"]
