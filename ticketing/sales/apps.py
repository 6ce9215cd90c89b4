from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "ticketing.sales"
    label = "sales"
