from django.urls import path

from ticketing.core.consumers import LiveUpdatesConsumer

websocket_urlpatterns = [
    path("ws/live/<slug:topic>/", LiveUpdatesConsumer.as_asgi()),
]
