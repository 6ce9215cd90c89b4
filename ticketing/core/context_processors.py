from django.db import connection

from ticketing.accounts.roles import Permission, user_has_permission


def site(request):
    """What every page's layout needs: whose site this is and what the user may open."""
    tenant = getattr(request, "tenant", None) or getattr(connection, "tenant", None)
    is_platform = tenant is None or getattr(tenant, "schema_name", "public") == "public"
    user = getattr(request, "user", None)
    can = {
        permission.name.lower(): bool(user is not None and user_has_permission(user, permission))
        for permission in Permission
    }
    return {"organization": None if is_platform else tenant, "is_platform": is_platform, "can": can}
