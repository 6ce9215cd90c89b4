from django.shortcuts import render


class SuspendedOrganizationMiddleware:
    """A suspended organization's site shows one page and nothing else: no data, no login."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tenant = getattr(request, "tenant", None)
        if tenant is not None and not tenant.is_public and not tenant.is_active:
            return render(request, "organizations/suspended.html", {"suspended": tenant}, status=403)
        return self.get_response(request)
