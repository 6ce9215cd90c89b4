"""ASGI entry point: HTTP goes to Django, websockets to Channels consumers.

HTTP runs Django's WSGI handler on a pool of WEB_THREADS threads (a2wsgi's WSGIMiddleware): every
view is sync, and this way their database waits overlap instead of queueing on the one thread
Django's ASGI handler runs sync code on. Each thread keeps its own database connection, so
WEB_THREADS must stay within the connection pool (DB_POOL_MAX_SIZE).

django-tenants only routes HTTP; websockets get their organization from the Host header in
TenantWebsocketMiddleware, which also loads the staff session from that organization's schema.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings.dev")
django_wsgi_app = get_wsgi_application()

from a2wsgi import WSGIMiddleware  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from project.routing import websocket_urlpatterns  # noqa: E402
from ticketing.core.live import publishing_through_this_loop  # noqa: E402
from ticketing.core.websocket import TenantWebsocketMiddleware  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": publishing_through_this_loop(WSGIMiddleware(django_wsgi_app, workers=settings.WEB_THREADS)),
        "websocket": AllowedHostsOriginValidator(TenantWebsocketMiddleware(URLRouter(websocket_urlpatterns))),
    }
)
