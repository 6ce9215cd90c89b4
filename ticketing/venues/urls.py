from django.urls import path

from . import views

app_name = "venues"

urlpatterns = [
    path("", views.venue_list, name="list"),
    path("new/", views.venue_form, name="create"),
    path("<int:pk>/", views.venue_form, name="edit"),
    path("<int:pk>/delete/", views.venue_delete, name="delete"),
]
