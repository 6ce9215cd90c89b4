"""Live updates under load: what changes within a moment goes out as one message per topic."""

import threading

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from ticketing.core.consumers import live_group_name, note_listener
from ticketing.core.live import Coalescer


class Listener:
    """A channel subscribed to one organization's topic, as an open map's consumer is."""

    def __init__(self, schema: str, topic: str, language: str = "es"):
        self.layer = get_channel_layer()
        self.channel = async_to_sync(self.layer.new_channel)()
        note_listener(schema, topic, language)
        async_to_sync(self.layer.group_add)(live_group_name(schema, topic, language), self.channel)

    def next_html(self, timeout: float = 5) -> str:
        async def receive():
            import asyncio

            return await asyncio.wait_for(self.layer.receive(self.channel), timeout)

        return async_to_sync(receive)()["html"]


def test_changes_of_the_same_moment_go_out_once_drawn_from_all_of_them(acme):
    listener = Listener("acme", "event-41")
    drawn = []
    all_added = threading.Event()

    def render(changes):
        all_added.wait(5)
        drawn.append(sorted(changes))
        return "<g>" + ",".join(f"{kind}-{pk}" for kind, pk in sorted(changes)) + "</g>"

    coalescer = Coalescer(delay=lambda: 0.2)
    coalescer.add("acme", "event-41", {("seat", 2)}, render)
    coalescer.add("acme", "event-41", {("seat", 1), ("zone", 9)}, render)
    all_added.set()

    assert listener.next_html() == "<g>seat-1,seat-2,zone-9</g>"
    assert drawn == [[("seat", 1), ("seat", 2), ("zone", 9)]]  # drawn once, for everything


def test_a_topic_whose_drawing_fails_does_not_stop_the_others(acme, globex):
    listener = Listener("globex", "event-7")

    def broken(changes):
        raise RuntimeError("the database went away")

    coalescer = Coalescer(delay=lambda: 0.05)
    coalescer.add("acme", "event-7", {("seat", 1)}, broken)
    coalescer.add("globex", "event-7", {("seat", 1)}, lambda changes: "<g>globex</g>")

    assert listener.next_html() == "<g>globex</g>"
    coalescer.add("globex", "event-7", {("seat", 2)}, lambda changes: "<g>later</g>")
    assert listener.next_html() == "<g>later</g>"  # the thread lives on
