"""URLs of the platform site (the public schema, served at BASE_DOMAIN)."""

from django.contrib import admin
from django.urls import include, path

from ticketing.core import views as core_views
from ticketing.organizations import views as organization_views

urlpatterns = [
    path("", include("ticketing.organizations.urls_platform")),
    path("after-login/", organization_views.after_login, name="after_login"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
