"""Staff pages of the online channel: the review queue of reported payments and the settings."""

from django.urls import path

from . import panel_views

app_name = "online"

urlpatterns = [
    path("", panel_views.review_queue, name="review"),
    path("<uuid:public_id>/confirmar/", panel_views.confirm, name="confirm"),
    path("<uuid:public_id>/rechazar/", panel_views.reject, name="reject"),
    path("<uuid:public_id>/devolver/", panel_views.refund, name="refund"),
    path("ajustes/", panel_views.online_settings_page, name="settings"),
]
