from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ticketing.core"
    label = "core"
