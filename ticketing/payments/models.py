from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ticketing.core.money import Currency


class RateCurrency(models.TextChoices):
    """The currencies the BCV publishes a rate for that we sell in (bolívares need none)."""

    USD = Currency.USD.value, Currency.USD.label
    EUR = Currency.EUR.value, Currency.EUR.label


class ExchangeRate(models.Model):
    """The official BCV rate of one Caracas date: how many bolívares one unit of `currency` is."""

    date = models.DateField(_("fecha"))
    currency = models.CharField(_("moneda"), max_length=3, choices=RateCurrency.choices)
    ves_per_unit = models.DecimalField(_("bolívares por unidad"), max_digits=20, decimal_places=8)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrada por"),
    )
    created_at = models.DateTimeField(_("registrada el"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizada el"), auto_now=True)

    class Meta:
        verbose_name = _("tasa BCV")
        verbose_name_plural = _("tasas BCV")
        ordering = ["-date", "-currency"]  # USD before EUR
        constraints = [
            models.UniqueConstraint(fields=["date", "currency"], name="exchange_rate_one_per_day"),
            models.CheckConstraint(condition=Q(ves_per_unit__gt=Decimal("0")), name="exchange_rate_positive"),
            models.CheckConstraint(
                condition=Q(currency__in=RateCurrency.values), name="exchange_rate_currency_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.currency} {self.ves_per_unit}"


class WebhookEvent(models.Model):
    """A gateway notification already handled: the unique id makes a replay a no-op."""

    provider = models.CharField(max_length=32)
    event_id = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)
    payload = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("notificación de pago")
        verbose_name_plural = _("notificaciones de pago")
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="webhook_event_once"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id}"
