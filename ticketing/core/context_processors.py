from django.db import connection
from django.utils.functional import SimpleLazyObject

from ticketing.accounts.roles import Permission, user_has_permission


def _online_reviews_waiting() -> int:
    from ticketing.storefront.services import orders_in_review

    return orders_in_review().count()


def site(request):
    """What every page's layout needs: whose site this is and what the user may open.

    `online_reviews`: how many online payments wait for staff to check them, for the menu of users
    who may sell; one count, run only when a template shows it (fragments never do)."""
    tenant = getattr(request, "tenant", None) or getattr(connection, "tenant", None)
    is_platform = tenant is None or getattr(tenant, "schema_name", "public") == "public"
    user = getattr(request, "user", None)
    can = {
        permission.name.lower(): bool(user is not None and user_has_permission(user, permission))
        for permission in Permission
    }
    online_reviews = SimpleLazyObject(_online_reviews_waiting) if can["sell"] and not is_platform else 0
    return {
        "organization": None if is_platform else tenant,
        "is_platform": is_platform,
        "can": can,
        "online_reviews": online_reviews,
    }
