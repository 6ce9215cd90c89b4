from django.shortcuts import render
from django_tenants.middleware.main import TenantMainMiddleware

from .tenant_cache import cached_tenant


class CachedTenantMiddleware(TenantMainMiddleware):
    """django-tenants' routing with the host → organization lookup cached (tenant_cache.py)."""

    def get_tenant(self, domain_model, hostname):
        def load(host):
            return super(CachedTenantMiddleware, self).get_tenant(domain_model, host)

        return cached_tenant(hostname, load)


class SuspendedOrganizationMiddleware:
    """A suspended organization's site shows one page and nothing else: no data, no login."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tenant = getattr(request, "tenant", None)
        if tenant is not None and not tenant.is_public and not tenant.is_active:
            return render(request, "organizations/suspended.html", {"suspended": tenant}, status=403)
        return self.get_response(request)
