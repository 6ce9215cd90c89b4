from django.core.paginator import Page, Paginator
from django.db.models import Q

from .models import Organization

ORGANIZATIONS_PAGE_SIZE = 25


def organizations_page(*, query: str = "", page_number=None) -> Page:
    organizations = Organization.objects.exclude(schema_name="public").order_by("name")
    if query:
        organizations = organizations.filter(
            Q(name__icontains=query) | Q(slug__icontains=query) | Q(rif__icontains=query)
        )
    return Paginator(organizations, ORGANIZATIONS_PAGE_SIZE).get_page(page_number)
