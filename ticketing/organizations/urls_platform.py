from django.urls import path

from . import views

app_name = "platform"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("platform/", views.organization_list, name="organizations"),
    path("platform/new/", views.organization_create, name="organization_create"),
    path("platform/<int:pk>/", views.organization_detail, name="organization"),
    path(
        "platform/<int:pk>/owner-access/", views.organization_owner_access, name="organization_owner_access"
    ),
    path("platform/<int:pk>/suspend/", views.organization_suspend, name="organization_suspend"),
    path("platform/<int:pk>/reactivate/", views.organization_reactivate, name="organization_reactivate"),
]
