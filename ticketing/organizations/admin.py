from django.contrib import admin
from django.db import connection
from django_tenants.admin import TenantAdminMixin

from .models import Domain, Organization


class PublicSchemaOnlyAdmin(admin.ModelAdmin):
    """Organizations are the platform's business: never listed from an organization's admin."""

    def has_module_permission(self, request):
        return connection.schema_name == "public" and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return connection.schema_name == "public" and super().has_view_permission(request, obj)


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(TenantAdminMixin, PublicSchemaOnlyAdmin):
    list_display = ["name", "slug", "rif", "is_active", "is_special_taxpayer", "created_at"]
    list_filter = ["is_active", "is_special_taxpayer"]
    search_fields = ["name", "slug", "rif"]
    inlines = [DomainInline]


@admin.register(Domain)
class DomainAdmin(PublicSchemaOnlyAdmin):
    list_display = ["domain", "tenant", "is_primary"]
