from django.core.paginator import Page, Paginator
from django.db.models import Case, IntegerField, Value, When

from ticketing.core.ordering import in_spanish

from .models import User
from .roles import Role

STAFF_PAGE_SIZE = 50


def staff_page(*, page_number: str | int | None) -> Page:
    """Staff ordered as an owner scans the list: active first, then by role, then by name."""
    role_order = Case(
        *[When(role=role, then=Value(i)) for i, role in enumerate(Role.values)],
        default=Value(len(Role.values)),
        output_field=IntegerField(),
    )
    members = User.objects.order_by("-is_active", role_order, in_spanish("full_name"), "email")
    return Paginator(members, STAFF_PAGE_SIZE).get_page(page_number)
