"""Cached reads that a change anywhere in them drops all at once, without a stale window.

Each entry is stored with the generation read *before* its value was loaded, and any change bumps
the generation at once and again after commit. A request that loaded the old row while the change
was being committed stores it under the old generation, so nobody is served it afterwards. The
keys carry the current schema (django-tenants' cache key function), so each organization has its
own entries and its own generation. For data read on every request and changed rarely.
"""

from collections.abc import Callable

from django.core.cache import cache
from django.db import connection, transaction
from django_tenants.utils import schema_context


class GenerationCache:
    def __init__(self, name: str, *, entry_seconds: int = 300):
        self.name = name
        self.entry_seconds = entry_seconds  # a safety net only: invalidation does not depend on it
        self.generation_key = f"{name}:generation"

    def get(self, key, load: Callable):
        """The entry `key` of the current schema, or `load(key)` stored under the generation
        read before loading. None is returned but never stored."""
        return self.get_many([key], load)[key]

    def get_many(self, keys, load: Callable) -> dict:
        """{key: entry} for each of `keys`, in one round trip when all are cached; `load(key)`
        for the others, as `get` does."""
        entry_keys = {f"{self.name}:{key}": key for key in keys}
        values = cache.get_many([*entry_keys, self.generation_key])
        generation = values.get(self.generation_key)
        if generation is None:
            generation = 0
            cache.add(self.generation_key, generation, None)
        found = {}
        for entry_key, key in entry_keys.items():
            entry = values.get(entry_key)
            if entry is not None and entry[0] == generation:
                found[key] = entry[1]
                continue
            found[key] = load(key)
            if found[key] is not None:
                cache.set(entry_key, (generation, found[key]), self.entry_seconds)
        return found

    def forget(self, schema_name: str | None = None) -> None:
        """Drop every entry of the organization (`schema_name`, else the current one)."""
        with schema_context(schema_name or connection.schema_name):
            try:
                cache.incr(self.generation_key)
            except ValueError:  # no generation yet: nothing was cached under one
                cache.add(self.generation_key, 1, None)

    def changed(self, **signal_kwargs) -> None:
        """Something cached changed (a signal receiver, or called after an update()): drop the
        entries now, and again when the transaction commits."""
        schema_name = connection.schema_name
        self.forget(schema_name)
        transaction.on_commit(lambda: self.forget(schema_name))
