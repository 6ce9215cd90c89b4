from django.urls import path

from . import views

app_name = "pricing"

urlpatterns = [
    path("stages/", views.price_stages, name="stages"),
    path("zones/<int:zone_pk>/rows/", views.row_pricing, name="row_pricing"),
]
