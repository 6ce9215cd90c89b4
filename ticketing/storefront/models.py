from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ticketing.payments.methods import BANK_CHOICES, PaymentMethod


class OnlineSalesSettings(models.Model):
    """How this organization takes payments on its own site, and the terms customers accept.

    One row per organization (schema); `storefront.services.online_settings()` creates it."""

    card_enabled = models.BooleanField(_("tarjeta en línea"), default=True)
    pago_movil_enabled = models.BooleanField(_("Pago Móvil"), default=False)
    pago_movil_bank = models.CharField(
        _("banco del Pago Móvil"), max_length=4, choices=BANK_CHOICES, blank=True
    )
    pago_movil_phone = models.CharField(_("teléfono del Pago Móvil"), max_length=16, blank=True)
    pago_movil_document = models.CharField(_("cédula o RIF del Pago Móvil"), max_length=12, blank=True)
    zelle_enabled = models.BooleanField(_("Zelle"), default=False)
    zelle_email = models.EmailField(_("correo de Zelle"), blank=True)
    zelle_holder = models.CharField(_("titular de la cuenta Zelle"), max_length=120, blank=True)
    terms = models.TextField(
        _("términos y condiciones"),
        blank=True,
        help_text=_("El cliente los acepta antes de pagar. Se muestran en /terminos/."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("venta en línea")
        verbose_name_plural = _("venta en línea")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="online_sales_settings_singleton")]

    def __str__(self) -> str:
        return str(_("Venta en línea"))

    @property
    def methods(self) -> list[str]:
        """The online payment methods a customer may choose, in the order they are offered."""
        enabled = {
            PaymentMethod.CARD_ONLINE: self.card_enabled,
            PaymentMethod.PAGO_MOVIL: self.pago_movil_enabled,
            PaymentMethod.ZELLE: self.zelle_enabled,
        }
        return [method for method, on in enabled.items() if on]
