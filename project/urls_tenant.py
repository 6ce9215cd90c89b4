"""URLs of an organization's site (its own schema, served at <slug>.BASE_DOMAIN)."""

from django.contrib import admin
from django.urls import include, path

from ticketing.core import views as core_views

urlpatterns = [
    path("", include("ticketing.storefront.urls")),
    path("", include("ticketing.core.urls")),
    path("after-login/", core_views.after_login, name="after_login"),
    path("panel/staff/", include("ticketing.accounts.urls")),
    path("panel/venues/", include("ticketing.venues.urls")),
    path("panel/events/", include("ticketing.events.urls")),
    path("panel/events/<int:pk>/prices/", include("ticketing.pricing.urls")),
    path("panel/customers/", include("ticketing.customers.urls")),
    path("panel/rates/", include("ticketing.payments.urls")),
    path("panel/sales/", include("ticketing.sales.urls")),
    path("panel/online/", include("ticketing.storefront.urls_panel")),
    path("panel/fiscal/", include("ticketing.fiscal.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
