from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection, transaction

from .consumers import live_group_name


def publish_html(*, topic: str, html: str) -> None:
    """Send an HTML fragment (out-of-band swaps) to every open page of this organization's topic,
    once the current transaction has committed."""
    group = live_group_name(connection.schema_name, topic)

    def send():
        async_to_sync(get_channel_layer().group_send)(group, {"type": "live.html", "html": html})

    transaction.on_commit(send)
