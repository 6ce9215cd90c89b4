import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ticketing.events.models import Event, Seat, Table, Zone
from ticketing.payments.methods import PaymentMethod


def new_access_token() -> str:
    """The secret in a customer's "my order" link (256 bits): the link is the only key."""
    return secrets.token_urlsafe(32)


def new_ticket_code() -> str:
    """16 random URL-safe characters (96 bits): unguessable, short enough to type at the door."""
    return secrets.token_urlsafe(12)


class Order(models.Model):
    """One purchase: a hold while the seller (or customer) pays, then a completed sale."""

    class Status(models.TextChoices):
        HELD = "held", _("Reservada")
        # Paid online by a method someone must check (Pago Móvil, Zelle) or a card charge the
        # gateway has not settled yet: the seats stay held until `expires_at` (the review window).
        REVIEW = "review", _("Pago en verificación")
        COMPLETED = "completed", _("Pagada")
        CANCELLED = "cancelled", _("Cancelada")
        EXPIRED = "expired", _("Vencida")
        VOIDED = "voided", _("Anulada")

    class Channel(models.TextChoices):
        BOX_OFFICE = "box_office", _("Taquilla")
        ONLINE = "online", _("En línea")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="orders")
    channel = models.CharField(_("canal"), max_length=16, choices=Channel.choices)
    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    status = models.CharField(_("estado"), max_length=16, choices=Status.choices, default=Status.HELD)
    # Online orders: the buyer's session (limits concurrent holds), where to write to, and the
    # secret of the "my order" link.
    buyer_session = models.CharField(max_length=64, blank=True, db_index=True)
    contact_email = models.EmailField(_("correo de contacto"), blank=True)
    access_token = models.CharField(
        max_length=64, unique=True, null=True, default=new_access_token, editable=False
    )
    expires_at = models.DateTimeField(_("la reserva vence"))
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)  # cancelled, expired or voided
    # Payments the seller has entered but not yet confirmed (validated PaymentInput dicts).
    draft_payments = models.JSONField(default=list, blank=True)
    # Idempotency: the key the completing request carried; a retry with it returns this sale.
    completion_key = models.UUIDField(null=True, blank=True, unique=True)
    # Totals frozen at completion, in the event's currency and in bolívares.
    currency = models.CharField(max_length=3, blank=True)
    exchange_rate = models.DecimalField(max_digits=20, decimal_places=8, null=True, blank=True)
    subtotal = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    total = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    total_ves = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    igtf_ves = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    change_ves = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    totals = models.JSONField(default=dict, blank=True)  # the full breakdown shown on documents

    class Meta:
        verbose_name = _("venta")
        verbose_name_plural = _("ventas")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "expires_at"], name="order_status_expiry"),
            # The list of sales, newest first, one page at a time.
            models.Index(fields=["-created_at"], name="order_newest_first"),
            # A seller's order in progress (selectors.order_in_progress), looked up on every hold.
            models.Index(
                fields=["seller", "event"], condition=models.Q(status="held"), name="order_held_by_seller"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.public_id.hex[:8]}"

    @property
    def collected_ves(self):
        """What the customer paid for the sale, in bolívars: its total and the IGTF (change left out)."""
        if self.total_ves is None:
            return None
        return self.total_ves + (self.igtf_ves or 0)


class Ticket(models.Model):
    """A seat, a chair or a general-admission place in an order.

    The partial unique constraint is what makes double selling impossible: at most one held or
    valid ticket per seat, whatever the code above it does.
    """

    class Status(models.TextChoices):
        HELD = "held", _("Reservada")
        VALID = "valid", _("Válida")
        RELEASED = "released", _("Liberada")
        VOID = "void", _("Anulada")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="tickets")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="tickets")
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="tickets")
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, null=True, blank=True, related_name="tickets")
    table = models.ForeignKey(Table, on_delete=models.PROTECT, null=True, blank=True, related_name="tickets")
    # The zone's name (up to 100), " · " and the longest seat or chair label.
    label = models.CharField(_("ubicación"), max_length=160)
    price = models.DecimalField(_("precio"), max_digits=12, decimal_places=2)
    price_breakdown = models.JSONField(default=dict)
    code = models.CharField(max_length=32, unique=True, default=new_ticket_code)
    status = models.CharField(_("estado"), max_length=12, choices=Status.choices, default=Status.HELD)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("entrada")
        verbose_name_plural = _("entradas")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["seat"], condition=Q(status__in=["held", "valid"]), name="ticket_one_live_per_seat"
            ),
        ]
        indexes = [models.Index(fields=["event", "status"], name="ticket_event_status")]

    def __str__(self) -> str:
        return self.label

    @property
    def display_label(self) -> str:
        """The place in the active language, for screens ("Platea · Row F, Seat 5"); `label` is
        frozen in Spanish when the ticket is made and printed on the documents. Load the ticket
        with its zone and seat."""
        if self.seat_id is None:
            return self.label
        return f"{self.zone.name} · {self.seat.display_label}"


class Payment(models.Model):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(_("forma de pago"), max_length=16, choices=PaymentMethod.choices)
    currency = models.CharField(max_length=3)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    exchange_rate = models.DecimalField(max_digits=20, decimal_places=8)
    amount_ves = models.DecimalField(max_digits=16, decimal_places=2)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pago")
        verbose_name_plural = _("pagos")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.method} {self.currency} {self.amount}"


# What each audit action means, as the sale's history shows it. An action missing here shows its
# code: a new action is never hidden from the history.
AUDIT_ACTION_LABELS = {
    "hold": _("Reservó"),
    "release": _("Quitó entradas de la reserva"),
    "cancel": _("Canceló la reserva"),
    "expire": _("La reserva venció"),
    "extend": _("Extendió la reserva"),
    "payment_added": _("Registró un pago"),
    "payment_removed": _("Quitó un pago"),
    "complete": _("Cobró y emitió la factura"),
    "void": _("Anuló la venta y emitió la nota de crédito"),
    "tickets_emailed": _("Envió las entradas por correo"),
    "payment_reported": _("El cliente reportó su pago"),
    "payment_reported_late": _("El cliente reportó su pago después de vencida la reserva"),
    "payment_reported_without_seats": _(
        "El cliente reportó su pago cuando sus asientos ya no estaban libres"
    ),
    "hold_extended_to_report": _("Se extendió la reserva para pagar por Pago Móvil o Zelle"),
    "hold_again": _("Se volvieron a reservar los asientos"),
    "card_charge": _("Cargo a tarjeta en espera del banco"),
    "card_declined": _("Tarjeta rechazada"),
    "payment_after_expiry": _("Pago recibido después del plazo"),
    "payment_confirmed": _("Confirmó el pago"),
    "payment_rejected": _("Rechazó el pago"),
}


class AuditEntry(models.Model):
    """Append-only: a database trigger refuses UPDATE and DELETE (see the migration)."""

    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    action = models.CharField(max_length=32)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, null=True, blank=True, related_name="audit")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("registro de auditoría")
        verbose_name_plural = _("registro de auditoría")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    @property
    def action_label(self) -> str:
        return AUDIT_ACTION_LABELS.get(self.action, self.action)
