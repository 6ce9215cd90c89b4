from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Q

from ticketing.core.ordering import in_spanish

from .models import Organization

ORGANIZATIONS_PAGE_SIZE = 25


def organizations_page(*, query: str = "", page_number=None) -> Page:
    organizations = Organization.objects.exclude(schema_name="public").order_by(in_spanish("name"))
    if query:
        organizations = organizations.filter(
            Q(name__icontains=query) | Q(slug__icontains=query) | Q(rif__icontains=query)
        )
    return Paginator(organizations, ORGANIZATIONS_PAGE_SIZE).get_page(page_number)


def current_organization() -> Organization:
    """The organization whose schema is active. Celery tasks and schema_context() only set a
    stand-in tenant that knows its schema name, so fetch the real row when needed."""
    tenant = connection.tenant
    if isinstance(tenant, Organization):
        return tenant
    return Organization.objects.get(schema_name=connection.schema_name)


def owners_of(organization: Organization) -> list:
    """The organization's active owners (staff accounts live in its schema)."""
    from django_tenants.utils import tenant_context

    from ticketing.accounts.models import User
    from ticketing.accounts.roles import Role

    with tenant_context(organization):
        return list(User.objects.filter(role=Role.OWNER, is_active=True).order_by("pk"))
