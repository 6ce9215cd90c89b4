"""Host → organization, cached: every request needs it, and django-tenants looks it up with a
query plus a `SET search_path` to the public schema before the organization's own.

One cache round trip fetches the host's entry and the generation it must carry. Any save or
delete of an Organization or a Domain bumps the generation (at once and again after commit, so
a request racing the transaction cannot keep the old row), which drops every entry: a suspension,
a rename or a new domain takes effect on the next request in every process. Changes to
organizations are rare; a cold entry costs one ordinary lookup.
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django_tenants.utils import get_public_schema_name, schema_context

from .models import Domain, Organization

ENTRY_SECONDS = 300  # a safety net only: invalidation does not depend on it
GENERATION_KEY = "tenant-by-host:generation"


def _entry_key(hostname: str) -> str:
    return f"tenant-by-host:{hostname}"


def cached_tenant(hostname: str, load) -> Organization:
    """The organization serving `hostname`: from the cache, or `load(hostname)` (which raises
    Domain.DoesNotExist for an unknown host; unknown hosts are not cached). Call it with the
    connection on the public schema (TenantMainMiddleware does), as the cache keys carry it."""
    values = cache.get_many([_entry_key(hostname), GENERATION_KEY])
    generation = values.get(GENERATION_KEY)
    if generation is None:
        generation = 0
        cache.add(GENERATION_KEY, generation, None)
    entry = values.get(_entry_key(hostname))
    if entry is not None and entry[0] == generation:
        return entry[1]
    tenant = load(hostname)
    cache.set(_entry_key(hostname), (generation, tenant), ENTRY_SECONDS)
    return tenant


def forget_cached_tenants() -> None:
    with schema_context(get_public_schema_name()):
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # no generation yet: nothing was cached under one
            cache.add(GENERATION_KEY, 1, None)


def _changed(**kwargs) -> None:
    forget_cached_tenants()
    transaction.on_commit(forget_cached_tenants)


def connect_signals() -> None:
    for model in (Organization, Domain):
        post_save.connect(_changed, sender=model, dispatch_uid=f"tenant-cache-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"tenant-cache-delete-{model.__name__}")
