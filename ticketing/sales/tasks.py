from celery import shared_task
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context

from . import services


@shared_task
def expire_holds_everywhere() -> int:
    """Beat runs this every 30 s: expired holds are released within a minute, even for events
    nobody is looking at."""
    from ticketing.organizations.models import Organization

    with schema_context(get_public_schema_name()):
        organizations = list(
            Organization.objects.exclude(schema_name=get_public_schema_name()).filter(is_active=True)
        )
    released = 0
    for organization in organizations:
        with tenant_context(organization):
            released += services.expire_holds()
    return released
