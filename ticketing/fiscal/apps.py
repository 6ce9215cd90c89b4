from django.apps import AppConfig


class FiscalConfig(AppConfig):
    name = "ticketing.fiscal"
    label = "fiscal"
