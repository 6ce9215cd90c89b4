from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ticketing.core"
    label = "core"

    def ready(self) -> None:
        from .search import register_lookups

        register_lookups()
