from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "ticketing.customers"
    label = "customers"
