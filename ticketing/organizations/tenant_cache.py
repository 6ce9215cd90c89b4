"""Host → organization, cached: every request needs it, and django-tenants looks it up with a
query plus a `SET search_path` to the public schema before the organization's own.

A GenerationCache (core/generation_cache.py) in the public schema: any save or delete of an
Organization or a Domain drops every entry, race-free, so a suspension, a rename or a new domain
takes effect on the next request in every process. Changes to organizations are rare; a cold
entry costs one ordinary lookup.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django_tenants.utils import get_public_schema_name

from ticketing.core.generation_cache import GenerationCache

from .models import Domain, Organization

tenants_by_host = GenerationCache("tenant-by-host")


def cached_tenant(hostname: str, load) -> Organization:
    """The organization serving `hostname`: from the cache, or `load(hostname)` (which raises
    Domain.DoesNotExist for an unknown host; unknown hosts are not cached). Call it with the
    connection on the public schema (TenantMainMiddleware does), as the cache keys carry it."""
    return tenants_by_host.get(hostname, load)


def forget_cached_tenants() -> None:
    # Always the public schema's entries, whichever organization's request saved the change.
    tenants_by_host.forget(get_public_schema_name())


def _changed(**kwargs) -> None:
    forget_cached_tenants()
    transaction.on_commit(forget_cached_tenants)


def connect_signals() -> None:
    for model in (Organization, Domain):
        post_save.connect(_changed, sender=model, dispatch_uid=f"tenant-cache-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"tenant-cache-delete-{model.__name__}")
