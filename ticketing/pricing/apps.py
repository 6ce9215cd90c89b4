from django.apps import AppConfig


class PricingConfig(AppConfig):
    name = "ticketing.pricing"
    label = "pricing"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from ticketing.events.models import EventFee

        from .models import PriceStage, RowPricing
        from .selectors import pricing_changed

        def changed(**kwargs):
            pricing_changed()

        for model in (PriceStage, RowPricing, EventFee):
            name = model.__name__
            post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"pricing-save-{name}")
            post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"pricing-delete-{name}")
