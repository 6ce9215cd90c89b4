from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "ticketing.payments"
    label = "payments"

    def ready(self):
        from . import signals  # noqa: F401
