"""Keep the cached BCV rates (services.rate_for) in step with the table, whoever writes it."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import ExchangeRate
from .services import rates_changed


@receiver(post_save, sender=ExchangeRate)
@receiver(post_delete, sender=ExchangeRate)
def forget_rates(sender, **kwargs) -> None:
    rates_changed()
