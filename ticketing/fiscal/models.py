"""Fiscal documents: invoices and credit notes, their number series and the control-number setup.

Issued documents are immutable: a database trigger (see the migrations) refuses UPDATE and DELETE
of invoices and credit notes, except setting the control number once, while the document is issued.
"""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ticketing.core.search import trigram_index

# "2-digit prefix + up to 8 digits" (docs: shared/domain-ve.md, Invoices).
CONTROL_NUMBER_MAX = 99_999_999
NUMBER_VALIDATORS = [MinValueValidator(1), MaxValueValidator(CONTROL_NUMBER_MAX)]
prefix_validator = RegexValidator(r"^\d{2}$", _("Use exactamente 2 dígitos, p. ej. 00."))

INVOICE_SERIES = "A"
CREDIT_NOTE_SERIES = "NC"
# Documents numbered by the sandbox printer (a new organization's default, a training session)
# have series of their own: the fiscal series start at 1 with the first real document, with no
# test documents among them.
TEST_INVOICE_SERIES = "PRUEBA"
TEST_CREDIT_NOTE_SERIES = "NC-PRUEBA"


def format_control_number(prefix: str, number: int) -> str:
    return f"{prefix}-{number:08d}"


def format_document_number(number: int) -> str:
    return f"{number:08d}"


class DocumentType(models.TextChoices):
    INVOICE = "invoice", _("Factura")
    CREDIT_NOTE = "credit_note", _("Nota de crédito")


class InvoiceSeries(models.Model):
    """A consecutive sequence of document numbers (“Serie A”). The issuing service locks the row."""

    code = models.CharField(_("serie"), max_length=48)
    document_type = models.CharField(_("documento"), max_length=16, choices=DocumentType.choices)
    next_number = models.PositiveIntegerField(_("próximo número"), default=1, validators=NUMBER_VALIDATORS)

    class Meta:
        verbose_name = _("serie de documentos")
        verbose_name_plural = _("series de documentos")
        ordering = ["document_type", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "document_type"], name="fiscal_series_unique_code"),
            models.CheckConstraint(condition=Q(next_number__gte=1), name="fiscal_series_next_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_document_type_display()} · {self.code}"


class ControlNumberProviderKind(models.TextChoices):
    RANGE = "range", _("Rango asignado por una imprenta autorizada")
    DIGITAL_SANDBOX = "digital_sandbox", _("Imprenta digital (entorno de pruebas)")
    DIGITAL_HTTP = "digital_http", _("Imprenta digital (conexión API)")


DIGITAL_PROVIDERS = frozenset(
    {ControlNumberProviderKind.DIGITAL_SANDBOX, ControlNumberProviderKind.DIGITAL_HTTP}
)


class ControlNumberSettings(models.Model):
    """Where control numbers come from, one row per organization (id 1, created by a migration)."""

    SINGLETON_ID = 1

    provider = models.CharField(
        _("origen de los números de control"),
        max_length=16,
        choices=ControlNumberProviderKind.choices,
        default=ControlNumberProviderKind.DIGITAL_SANDBOX,
    )
    # Assigned range ("desde N° 00-00000001 hasta N° 00-00005000").
    prefix = models.CharField(_("prefijo"), max_length=2, default="00", validators=[prefix_validator])
    range_start = models.PositiveIntegerField(
        _("desde N°"), null=True, blank=True, validators=NUMBER_VALIDATORS
    )
    range_end = models.PositiveIntegerField(
        _("hasta N°"), null=True, blank=True, validators=NUMBER_VALIDATORS
    )
    next_number = models.PositiveIntegerField(_("próximo número del rango"), null=True, blank=True)
    # The sandbox digital printer's own counter (prefix 99).
    sandbox_next_number = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("configuración de números de control")
        verbose_name_plural = _("configuración de números de control")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="fiscal_control_settings_singleton"),
            models.CheckConstraint(
                condition=Q(prefix__regex=r"^[0-9]{2}$"), name="fiscal_control_prefix_2_digits"
            ),
            models.CheckConstraint(
                condition=Q(range_start__isnull=True)
                | Q(range_end__isnull=True)
                | Q(range_start__lte=F("range_end")),
                name="fiscal_control_range_ordered",
            ),
            # next_number may be range_end + 1: the range is used up.
            models.CheckConstraint(
                condition=Q(next_number__isnull=True)
                | Q(
                    range_start__isnull=False,
                    range_end__isnull=False,
                    next_number__gte=F("range_start"),
                    next_number__lte=F("range_end") + 1,
                ),
                name="fiscal_control_next_in_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_provider_display())

    @classmethod
    def load(cls) -> "ControlNumberSettings":
        settings, _created = cls.objects.get_or_create(id=cls.SINGLETON_ID)
        return settings

    @property
    def has_range(self) -> bool:
        return self.range_start is not None and self.range_end is not None

    @property
    def range_text(self) -> str:
        if not self.has_range:
            return ""
        return _("desde N° %(start)s hasta N° %(end)s") % {
            "start": format_control_number(self.prefix, self.range_start),
            "end": format_control_number(self.prefix, self.range_end),
        }

    @property
    def used_until(self) -> int | None:
        """The last number of the range already given to a document, or None."""
        if not self.has_range or self.next_number is None or self.next_number <= self.range_start:
            return None
        return self.next_number - 1

    @property
    def next_control_number(self) -> str:
        if not self.has_range:
            return ""
        return format_control_number(self.prefix, self.next_number or self.range_start)

    @property
    def remaining(self) -> int | None:
        if not self.has_range:
            return None
        return self.range_end - (self.next_number or self.range_start) + 1


class FiscalDocument(models.Model):
    """What every issued document has: its number in a series, its control number, its date and
    its total. Invoices and credit notes add what they print."""

    series = models.CharField(_("serie"), max_length=48)
    number = models.PositiveIntegerField(_("número"))
    control_number = models.CharField(_("número de control"), max_length=16, null=True, unique=True)
    control_provider = models.CharField(max_length=16, choices=ControlNumberProviderKind.choices)
    control_range_text = models.CharField(max_length=80, blank=True)
    issued_at = models.DateTimeField(_("emitida el"))
    total_ves = models.DecimalField(_("total (Bs.)"), max_digits=16, decimal_places=2)

    class Meta:
        abstract = True

    @property
    def display_number(self) -> str:
        # In the active language: the documents are drawn in Spanish (fiscal.documents).
        return gettext("Serie %(series)s N° %(number)s") % {
            "series": self.series,
            "number": format_document_number(self.number),
        }

    @property
    def is_digital(self) -> bool:
        return self.control_provider in DIGITAL_PROVIDERS

    @property
    def is_test(self) -> bool:
        """Numbered by the sandbox printer: a test document, of no fiscal value."""
        return self.control_provider == ControlNumberProviderKind.DIGITAL_SANDBOX


class Invoice(FiscalDocument):
    """A sale's invoice: a frozen copy of everything printed on it."""

    order = models.OneToOneField(
        "sales.Order", on_delete=models.PROTECT, related_name="invoice", verbose_name=_("venta")
    )
    seller_name = models.CharField(_("razón social del emisor"), max_length=150)
    seller_rif = models.CharField(_("RIF del emisor"), max_length=12)
    seller_fiscal_address = models.TextField(_("domicilio fiscal del emisor"))
    # A customer's name and surname, 100 characters each, and the space between them.
    buyer_name = models.CharField(_("nombre o razón social del comprador"), max_length=201)
    buyer_id_document = models.CharField(_("RIF o cédula del comprador"), max_length=20, blank=True)
    buyer_address = models.TextField(_("domicilio del comprador"), blank=True)
    totals = models.JSONField(_("líneas y totales"))  # a copy of order.totals at issue
    currency = models.CharField(_("moneda"), max_length=3)
    exchange_rate = models.DecimalField(_("tasa de cambio"), max_digits=20, decimal_places=8)

    class Meta:
        verbose_name = _("factura")
        verbose_name_plural = _("facturas")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="fiscal_invoice_unique_number"),
        ]
        # The searches of the list of sales (sales.selectors.listed_sales), typed as the list
        # narrows: a number read off a paper invoice without its series, and the buyer as printed.
        indexes = [
            models.Index(fields=["number"], name="invoice_number"),
            models.Index(
                fields=["buyer_id_document"], name="invoice_buyer_document", opclasses=["varchar_pattern_ops"]
            ),
            trigram_index("buyer_name", name="invoice_buyer_name_trgm", unaccented=True),
            # A control number typed without its prefix: `LIKE '%-00001001'`.
            trigram_index("control_number", name="invoice_control_number_trgm", upper=False),
        ]

    def __str__(self) -> str:
        return gettext("Factura %(number)s") % {"number": self.display_number}

    @property
    def issuer(self) -> dict:
        return {
            "name": self.seller_name,
            "rif": self.seller_rif,
            "fiscal_address": self.seller_fiscal_address,
        }

    @property
    def filename(self) -> str:
        return f"factura-{self.series}-{format_document_number(self.number)}.pdf"


class CreditNote(FiscalDocument):
    """Cancels (all of) an invoice; the invoice itself is never edited."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="credit_notes", verbose_name=_("factura afectada")
    )
    reason = models.CharField(_("motivo"), max_length=300)
    amount = models.JSONField(_("montos"))  # the amounts credited, strings of Decimals
    # The issuer as it was when the note was issued (the owner may have changed the fiscal
    # address since the invoice). Empty on notes from before these were kept: those printed the
    # invoice's.
    seller_name = models.CharField(_("razón social del emisor"), max_length=150, blank=True, default="")
    seller_rif = models.CharField(_("RIF del emisor"), max_length=12, blank=True, default="")
    seller_fiscal_address = models.TextField(_("domicilio fiscal del emisor"), blank=True, default="")

    class Meta:
        verbose_name = _("nota de crédito")
        verbose_name_plural = _("notas de crédito")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="fiscal_credit_note_unique_number"),
        ]

    def __str__(self) -> str:
        return gettext("Nota de crédito %(number)s") % {"number": self.display_number}

    @property
    def issuer(self) -> dict:
        """What the note prints as its issuer: its own frozen data, or, on an old note, the
        invoice's (what it always printed)."""
        source = self if self.seller_rif else self.invoice
        return {
            "name": source.seller_name,
            "rif": source.seller_rif,
            "fiscal_address": source.seller_fiscal_address,
        }

    @property
    def filename(self) -> str:
        return f"nota-de-credito-{self.series}-{format_document_number(self.number)}.pdf"
