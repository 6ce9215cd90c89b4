from django.urls import path

from . import views

app_name = "storefront"

urlpatterns = [
    path("", views.index, name="index"),
    path("e/<int:pk>/", views.event_page, name="event"),
]
