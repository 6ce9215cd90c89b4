"""Live updates pushed to open pages (seat maps, review queues) as HTML fragments for htmx-ws.

Updates are drawn once per language that has an open page (the page says its language when it
connects), and not at all while nobody listens: each open page marks its language as listened
to, in the cache, for LISTENER_SECONDS, and renews the mark while it stays open."""

import asyncio
from urllib.parse import parse_qs

from asgiref.sync import sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.core.cache import cache
from django_tenants.utils import schema_context

LISTENER_SECONDS = 300
LISTENER_RENEW_SECONDS = 60


def live_group_name(schema_name: str, topic: str, language: str) -> str:
    """Groups carry the schema name, so one organization never receives another's updates."""
    return f"live.{schema_name}.{topic}.{language}"


def _listener_key(topic: str, language: str) -> str:
    return f"live-listeners:{topic}:{language}"  # the cache's key function adds the schema


def note_listener(schema_name: str, topic: str, language: str) -> None:
    with schema_context(schema_name):
        cache.set(_listener_key(topic, language), True, LISTENER_SECONDS)


def listening_languages(topic: str) -> list[str]:
    """The languages of the pages of this organization (the connection's schema) open on `topic`."""
    keys = {_listener_key(topic, code): code for code, _name in settings.LANGUAGES}
    found = cache.get_many(list(keys))
    return [language for key, language in keys.items() if key in found]


def page_language(scope) -> str:
    """The language the page asked for (`?lang=`), if we speak it."""
    asked = parse_qs(scope.get("query_string", b"").decode("latin1")).get("lang", [""])[0]
    return asked if asked in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class LiveUpdatesConsumer(AsyncWebsocketConsumer):
    """Joins the topic's group for the page's language and forwards whatever HTML the services
    publish to it.

    Browsers only listen: holds and sales go through ordinary POSTs (with CSRF), never through
    the socket, so a replayed message can never sell anything.
    """

    async def connect(self):
        topic = self.scope["url_route"]["kwargs"]["topic"]
        schema, language = self.scope["tenant"].schema_name, page_language(self.scope)
        self.listener = (schema, topic, language)
        # Marked before joining: a change drawn after this reaches the page.
        await sync_to_async(note_listener)(*self.listener)
        self.group = live_group_name(schema, topic, language)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        self.renewal = asyncio.create_task(self._keep_listening())

    async def _keep_listening(self):
        while True:
            await asyncio.sleep(LISTENER_RENEW_SECONDS)
            await sync_to_async(note_listener)(*self.listener)

    async def disconnect(self, code):
        if hasattr(self, "renewal"):
            self.renewal.cancel()
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def live_html(self, message):
        await self.send(text_data=message["html"])
