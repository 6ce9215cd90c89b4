from django.apps import AppConfig


class VenuesConfig(AppConfig):
    name = "ticketing.venues"
    label = "venues"
