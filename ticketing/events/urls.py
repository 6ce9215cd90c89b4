from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_form, name="create"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/edit/", views.event_form, name="edit"),
    path("<int:pk>/status/", views.event_status, name="status"),
    path("<int:pk>/delete/", views.event_delete, name="delete"),
    path("<int:pk>/duplicate/", views.event_duplicate, name="duplicate"),
    path("<int:pk>/zones/new/", views.zone_form, name="zone_create"),
    path("<int:pk>/zones/preview/", views.zone_preview, name="zone_preview"),
    path("<int:pk>/zones/<int:zone_pk>/", views.zone_form, name="zone_edit"),
    path("<int:pk>/zones/<int:zone_pk>/delete/", views.zone_delete, name="zone_delete"),
    path("<int:pk>/tables/<int:table_pk>/mode/", views.table_mode, name="table_mode"),
    path("<int:pk>/seats/block/", views.seats_block, name="seats_block"),
    path("<int:pk>/seats/unblock/", views.seats_unblock, name="seats_unblock"),
]
