from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "ticketing.organizations"
    label = "organizations"
