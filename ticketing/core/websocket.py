"""Tenant routing for websockets, which django-tenants does not do.

The organization comes from the Host header, exactly as for HTTP; the staff user from that
organization's session table. Unknown or suspended organizations are refused at the handshake.
"""

from importlib import import_module

from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
from django.contrib.auth.models import AnonymousUser
from django.utils.crypto import constant_time_compare
from django_tenants.utils import get_tenant_domain_model, remove_www, tenant_context


def _host_from_scope(scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"host":
            return remove_www(value.decode("latin1").split(":")[0].lower())
    return ""


def _cookie_from_scope(scope, cookie_name: str) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            for part in value.decode("latin1").split(";"):
                key, _, val = part.strip().partition("=")
                if key == cookie_name:
                    return val
    return None


def _user_from_session(session_key: str | None):
    if not session_key:
        return AnonymousUser()
    engine = import_module(settings.SESSION_ENGINE)
    session = engine.SessionStore(session_key)
    try:
        user_id = session[SESSION_KEY]
        backend_path = session[BACKEND_SESSION_KEY]
    except KeyError:
        return AnonymousUser()
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return AnonymousUser()
    user = load_backend(backend_path).get_user(user_id)
    # The same check as django.contrib.auth.get_user: a changed password ends the session.
    if user is None or not constant_time_compare(
        session.get(HASH_SESSION_KEY, ""), user.get_session_auth_hash()
    ):
        return AnonymousUser()
    return user


@database_sync_to_async
def resolve_tenant_and_user(scope):
    domain_model = get_tenant_domain_model()
    domain = domain_model.objects.select_related("tenant").filter(domain=_host_from_scope(scope)).first()
    if domain is None or not domain.tenant.is_active:
        return None, AnonymousUser()
    tenant = domain.tenant
    with tenant_context(tenant):
        user = _user_from_session(_cookie_from_scope(scope, settings.SESSION_COOKIE_NAME))
    return tenant, user


class TenantWebsocketMiddleware:
    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        tenant, user = await resolve_tenant_and_user(scope)
        if tenant is None:
            await send({"type": "websocket.close", "code": 4404})
            return
        scope = dict(scope, tenant=tenant, user=user)
        return await self.inner(scope, receive, send)
