"""Live updates pushed to open pages (seat maps, review queues) as HTML fragments for htmx-ws."""

from channels.generic.websocket import AsyncWebsocketConsumer


def live_group_name(schema_name: str, topic: str) -> str:
    """Groups carry the schema name, so one organization never receives another's updates."""
    return f"live.{schema_name}.{topic}"


class LiveUpdatesConsumer(AsyncWebsocketConsumer):
    """Joins the topic's group and forwards whatever HTML the services publish to it.

    Browsers only listen: holds and sales go through ordinary POSTs (with CSRF), never through
    the socket, so a replayed message can never sell anything.
    """

    async def connect(self):
        topic = self.scope["url_route"]["kwargs"]["topic"]
        self.group = live_group_name(self.scope["tenant"].schema_name, topic)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def live_html(self, message):
        await self.send(text_data=message["html"])
