from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "ticketing.organizations"
    label = "organizations"

    def ready(self):
        from .tenant_cache import connect_signals

        connect_signals()
