from django.apps import AppConfig


class PricingConfig(AppConfig):
    name = "ticketing.pricing"
    label = "pricing"
