"""Keep the cached BCV rates (services.rate_for) in step with the table, whoever writes it."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import ExchangeRate
from .services import forget_cached_rate


@receiver(post_save, sender=ExchangeRate)
@receiver(post_delete, sender=ExchangeRate)
def forget_rate(sender, instance: ExchangeRate, **kwargs) -> None:
    on, currency = instance.date, instance.currency
    forget_cached_rate(currency=currency, on=on)
    # A reader between the save and the commit may have cached the old value: forget it again.
    transaction.on_commit(lambda: forget_cached_rate(currency=currency, on=on))
