"""ASGI entry point: HTTP goes to Django, websockets to Channels consumers.

HTTP runs Django's WSGI handler on a pool of WEB_THREADS threads (core/threaded_http.py): every
view is sync, and this way their database waits overlap instead of queueing on the one thread
Django's ASGI handler gives sync code.

django-tenants only routes HTTP; websockets get their organization from the Host header in
TenantWebsocketMiddleware, which also loads the staff session from that organization's schema.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings.dev")
django_wsgi_app = get_wsgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from project.routing import websocket_urlpatterns  # noqa: E402
from ticketing.core.threaded_http import ThreadedWsgiHttp  # noqa: E402
from ticketing.core.websocket import TenantWebsocketMiddleware  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": ThreadedWsgiHttp(django_wsgi_app, threads=settings.WEB_THREADS),
        "websocket": AllowedHostsOriginValidator(TenantWebsocketMiddleware(URLRouter(websocket_urlpatterns))),
    }
)
