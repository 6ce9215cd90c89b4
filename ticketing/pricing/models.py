from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ticketing.events.models import Event, Zone

MARKUP_VALIDATORS = [MinValueValidator(Decimal("-99.99")), MaxValueValidator(Decimal("1000"))]


class PriceStage(models.Model):
    """One step of an event's price schedule (preventa, regular, taquilla…), in `sequence` order.

    A stage with `starts_at` begins then and ends every earlier stage; one without begins when
    the previous stage ends. A stage ends at `ends_at` or when the event's completed sales reach
    `quantity_limit` (a running total: "the first 200 tickets"), whichever comes first. Between
    stages, the base price applies. See pricing.services.active_stage.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="price_stages")
    name = models.CharField(_("nombre"), max_length=100)
    sequence = models.PositiveSmallIntegerField(_("orden"))
    starts_at = models.DateTimeField(_("empieza"), null=True, blank=True)
    ends_at = models.DateTimeField(_("termina"), null=True, blank=True)
    quantity_limit = models.PositiveIntegerField(
        _("termina al vender (entradas acumuladas)"), null=True, blank=True
    )
    markup_percent = models.DecimalField(
        _("recargo (%)"),
        max_digits=6,
        decimal_places=2,
        validators=MARKUP_VALIDATORS,
        help_text=_("Negativo para descuentos, p. ej. -20 en preventa."),
    )

    class Meta:
        verbose_name = _("etapa de precio")
        verbose_name_plural = _("etapas de precio")
        ordering = ["event", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["event", "sequence"], name="price_stage_sequence_unique"),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(starts_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="price_stage_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RowPricing(models.Model):
    """A percentage on the base price for a range of rows of a numbered zone (front rows +20%)."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="row_prices")
    first_row = models.PositiveSmallIntegerField(_("desde la fila"))  # 1-based row index
    last_row = models.PositiveSmallIntegerField(_("hasta la fila"))
    percent = models.DecimalField(
        _("modificador (%)"), max_digits=6, decimal_places=2, validators=MARKUP_VALIDATORS
    )

    class Meta:
        verbose_name = _("precio por fila")
        verbose_name_plural = _("precios por fila")
        ordering = ["zone", "first_row"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_row__gte=F("first_row")), name="row_pricing_range_ordered"
            ),
            models.CheckConstraint(condition=Q(first_row__gte=1), name="row_pricing_rows_start_at_one"),
        ]

    def __str__(self) -> str:
        return f"{self.zone}: {self.first_row}–{self.last_row} ({self.percent}%)"

    @property
    def rows_display(self) -> str:
        """The rows as the seats name them: `A–C`, or `1–3` in a zone numbering its rows."""
        from ticketing.events.layout import row_label

        first, last = (row_label(index, self.zone.row_labels) for index in (self.first_row, self.last_row))
        return first if first == last else f"{first}–{last}"
