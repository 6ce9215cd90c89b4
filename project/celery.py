"""The Celery app. Tenant-aware: a task sent inside an organization's schema runs in that schema."""

import os

from tenant_schemas_celery.app import CeleryApp as TenantAwareCeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings.dev")

app = TenantAwareCeleryApp("ticketing")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
