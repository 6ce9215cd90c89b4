from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ticketing.core.money import Currency
from ticketing.venues.models import Venue

PERCENT_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class Event(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Borrador")
        ON_SALE = "on_sale", _("A la venta")
        CLOSED = "closed", _("Venta cerrada")
        CANCELLED = "cancelled", _("Cancelado")

    class Kind(models.TextChoices):
        GENERAL = "general", _("Admisión general")
        NUMBERED = "numbered", _("Numerado")
        MIXED = "mixed", _("Mixto")

    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, related_name="events", verbose_name=_("recinto")
    )
    name = models.CharField(_("nombre"), max_length=200)
    description = models.TextField(_("descripción"), blank=True)
    image = models.ImageField(_("imagen"), upload_to="events/", blank=True)
    starts_at = models.DateTimeField(_("inicio"))
    ends_at = models.DateTimeField(_("fin"))
    status = models.CharField(_("estado"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    currency = models.CharField(
        _("moneda de los precios"), max_length=3, choices=Currency.choices, default=Currency.USD
    )

    iva_rate = models.DecimalField(
        _("IVA (%)"), max_digits=5, decimal_places=2, default=Decimal("16.00"), validators=PERCENT_VALIDATORS
    )
    iva_exempt = models.BooleanField(_("exento de IVA"), default=False)

    hold_minutes = models.PositiveSmallIntegerField(
        _("minutos de reserva"), default=10, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    max_seats_per_order = models.PositiveSmallIntegerField(
        _("máximo de entradas por compra"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
    )
    review_minutes = models.PositiveIntegerField(
        _("plazo para verificar pagos en línea (minutos)"),
        default=120,
        validators=[MinValueValidator(10), MaxValueValidator(4320)],
        help_text=_(
            "Un Pago Móvil o Zelle reportado en línea mantiene los asientos reservados durante este plazo, "
            "hasta que alguien lo confirme o lo rechace."
        ),
    )
    box_office_enabled = models.BooleanField(_("venta en taquilla"), default=True)
    online_enabled = models.BooleanField(_("venta en línea"), default=True)
    partial_payments_allowed = models.BooleanField(_("permite pagos parciales"), default=False)
    min_deposit_percent = models.DecimalField(
        _("abono mínimo (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("30.00"),
        validators=PERCENT_VALIDATORS,
    )
    max_installments = models.PositiveSmallIntegerField(
        _("máximo de cuotas"), default=3, validators=[MinValueValidator(1), MaxValueValidator(24)]
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("evento")
        verbose_name_plural = _("eventos")
        ordering = ["starts_at", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_on_sale(self) -> bool:
        return self.status == self.Status.ON_SALE

    def kind_from_zones(self, zones=None) -> str | None:
        kinds = {zone.kind for zone in (zones if zones is not None else self.zones.all())}
        if not kinds:
            return None
        if kinds == {Zone.Kind.GENERAL}:
            return self.Kind.GENERAL
        if Zone.Kind.GENERAL in kinds:
            return self.Kind.MIXED
        return self.Kind.NUMBERED


class EventFee(models.Model):
    """An extra per-event tax or fee, in % of the ticket price (e.g. the municipal shows tax)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="fees")
    name = models.CharField(_("nombre"), max_length=100)
    rate_percent = models.DecimalField(
        _("tasa (%)"), max_digits=5, decimal_places=2, validators=PERCENT_VALIDATORS
    )

    class Meta:
        verbose_name = _("impuesto o cargo adicional")
        verbose_name_plural = _("impuestos y cargos adicionales")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.rate_percent}%)"


hex_color = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use un color como #1f77b4."))


class Zone(models.Model):
    class Kind(models.TextChoices):
        GENERAL = "general", _("Admisión general")
        NUMBERED = "numbered", _("Asientos numerados")
        TABLES = "tables", _("Mesas")

    class RowLabels(models.TextChoices):
        LETTERS = "letters", _("Letras (A, B, … Z, AA…)")
        NUMBERS = "numbers", _("Números (1, 2, 3…)")

    class Numbering(models.TextChoices):
        LEFT_TO_RIGHT = "ltr", _("De izquierda a derecha")
        ODD_EVEN = "odd_even", _("Impares y pares desde el centro")

    class Shape(models.TextChoices):
        RECT = "rect", _("Rectángulo")
        ELLIPSE = "ellipse", _("Elipse")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="zones")
    name = models.CharField(_("nombre"), max_length=100)
    kind = models.CharField(_("tipo"), max_length=16, choices=Kind.choices)
    base_price = models.DecimalField(
        _("precio base"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    # General admission
    capacity = models.PositiveIntegerField(_("capacidad"), null=True, blank=True)
    # Numbered
    rows = models.PositiveSmallIntegerField(
        _("filas"), null=True, blank=True, validators=[MaxValueValidator(200)]
    )
    seats_per_row = models.PositiveSmallIntegerField(
        _("asientos por fila"), null=True, blank=True, validators=[MaxValueValidator(300)]
    )
    row_labels = models.CharField(
        _("nombres de fila"), max_length=8, choices=RowLabels.choices, default=RowLabels.LETTERS
    )
    numbering = models.CharField(
        _("numeración"), max_length=8, choices=Numbering.choices, default=Numbering.LEFT_TO_RIGHT
    )
    # {"3": 12}: row 3 (1-based) has 12 seats instead of seats_per_row.
    row_seat_overrides = models.JSONField(_("filas irregulares"), default=dict, blank=True)
    # Tables
    tables_count = models.PositiveSmallIntegerField(
        _("mesas"), null=True, blank=True, validators=[MaxValueValidator(500)]
    )
    chairs_per_table = models.PositiveSmallIntegerField(
        _("sillas por mesa"), null=True, blank=True, validators=[MaxValueValidator(30)]
    )
    tables_sold_whole = models.BooleanField(_("mesas completas por defecto"), default=False)
    # General admission tickets sold; kept by the sales service under a row lock.
    sold_count = models.PositiveIntegerField(_("vendidas"), default=0)
    held_count = models.PositiveIntegerField(_("reservadas"), default=0)
    # Map placement, in SVG user units of the event map.
    x = models.IntegerField(default=0)
    y = models.IntegerField(default=0)
    width = models.PositiveIntegerField(default=400)
    height = models.PositiveIntegerField(default=200)
    shape = models.CharField(_("forma"), max_length=8, choices=Shape.choices, default=Shape.RECT)
    color = models.CharField(_("color"), max_length=7, default="#3b82f6", validators=[hex_color])
    position = models.PositiveSmallIntegerField(_("orden"), default=0)

    class Meta:
        verbose_name = _("zona")
        verbose_name_plural = _("zonas")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="zone_name_unique_per_event"),
            models.CheckConstraint(
                condition=~Q(kind="general") | Q(capacity__gt=0), name="zone_general_has_capacity"
            ),
            # General admission can never be oversold, whatever the code above does.
            models.CheckConstraint(
                condition=~Q(kind="general")
                | Q(sold_count__lte=models.F("capacity") - models.F("held_count")),
                name="zone_general_within_capacity",
            ),
            models.CheckConstraint(
                condition=~Q(kind="numbered") | Q(rows__gt=0, seats_per_row__gt=0),
                name="zone_numbered_has_rows",
            ),
            models.CheckConstraint(
                condition=~Q(kind="tables") | Q(tables_count__gt=0, chairs_per_table__gt=0),
                name="zone_tables_have_chairs",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_general(self) -> bool:
        return self.kind == self.Kind.GENERAL


class Table(models.Model):
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="tables")
    number = models.PositiveSmallIntegerField(_("número"))
    chairs = models.PositiveSmallIntegerField(_("sillas"))
    sold_whole = models.BooleanField(_("se vende completa"), default=False)
    x = models.FloatField(default=0)
    y = models.FloatField(default=0)

    class Meta:
        verbose_name = _("mesa")
        verbose_name_plural = _("mesas")
        ordering = ["zone", "number"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "number"], name="table_number_unique_per_zone")
        ]

    def __str__(self) -> str:
        return f"Mesa {self.number}"


class Seat(models.Model):
    """A numbered seat, or a chair of a table. General admission has no seats, only capacity."""

    class Status(models.TextChoices):
        AVAILABLE = "available", _("disponible")
        HELD = "held", _("reservado")
        SOLD = "sold", _("vendido")
        BLOCKED = "blocked", _("bloqueado")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="seats")
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="seats")
    table = models.ForeignKey(Table, on_delete=models.CASCADE, related_name="seats", null=True, blank=True)
    row_index = models.PositiveSmallIntegerField(_("fila (orden)"))  # 1-based; the table number for chairs
    row_label = models.CharField(_("fila"), max_length=8)
    number = models.PositiveSmallIntegerField(_("número"))
    x = models.FloatField(default=0)
    y = models.FloatField(default=0)
    status = models.CharField(_("estado"), max_length=12, choices=Status.choices, default=Status.AVAILABLE)
    block_reason = models.CharField(_("motivo del bloqueo"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("asiento")
        verbose_name_plural = _("asientos")
        ordering = ["zone", "row_index", "number"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "row_index", "number"], name="seat_unique_in_zone"),
            models.CheckConstraint(
                condition=~Q(status="blocked") | ~Q(block_reason=""), name="blocked_seat_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["event", "status"], name="seat_event_status")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """In Spanish whatever the language: it is stored on tickets and printed on fiscal documents."""
        if self.table_id:
            return f"Mesa {self.row_label}, Silla {self.number}"
        return f"Fila {self.row_label}, Asiento {self.number}"

    @property
    def display_label(self) -> str:
        """The label in the active language, for screens (the seat map's words)."""
        words = {"table": self.row_label, "row": self.row_label, "number": self.number}
        if self.table_id:
            return gettext("Mesa %(table)s, Silla %(number)s") % words
        return gettext("Fila %(row)s, Asiento %(number)s") % words
