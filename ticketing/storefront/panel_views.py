"""Staff side of online sales: the review queue of reported payments, and the online settings."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ticketing.accounts.decorators import require_permission
from ticketing.accounts.roles import Permission
from ticketing.core.forms import add_service_errors
from ticketing.core.identifiers import format_ve_mobile
from ticketing.core.money import format_money
from ticketing.payments.methods import PaymentMethod, bank_name
from ticketing.sales.models import Order, Ticket

from . import services, settings_services
from .forms_panel import OnlineSettingsForm, RefundPaymentForm, RejectPaymentForm

REVIEW_PAGE_SIZE = 25


@dataclass(frozen=True)
class ReviewRow:
    order: Order
    tickets: list[Ticket]
    method: str
    method_label: str
    amount: str
    currency: str
    details: list[tuple[str, str]]  # (label, value) as staff compare them with the bank statement
    overdue: bool  # past the review deadline: still held, first in the queue, staff decide
    without_seats: bool  # reported after the seats went to someone else: refund or re-seat
    last_minute: bool  # under a minute left ("Quedan 0 minutos" would read as gone)
    form: RejectPaymentForm
    refund_form: RefundPaymentForm | None  # only without seats: the money came, it goes back


def _day(value: str) -> str:
    try:
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    except (TypeError, ValueError):
        return value or ""


def _payment_details(method: str, details: dict) -> list[tuple[str, str]]:
    if method == PaymentMethod.PAGO_MOVIL:
        bank = details.get("bank", "")
        return [
            (_("Banco"), f"{bank_name(bank)} ({bank})" if bank else "—"),
            (_("Teléfono"), format_ve_mobile(details.get("payer_phone", ""))),
            (_("Cédula o RIF"), details.get("payer_id", "")),
            (_("Referencia"), details.get("reference", "")),
            (_("Fecha"), _day(details.get("date", ""))),
        ]
    if method == PaymentMethod.ZELLE:
        return [
            (_("Remitente"), details.get("sender", "")),
            (_("Código de confirmación"), details.get("confirmation_code", "")),
        ]
    if method == PaymentMethod.CARD_ONLINE:  # taken by the bank, the sale could not complete
        return [
            (_("Referencia del banco"), details.get("gateway_reference", "")),
            (_("Tarjeta"), f"•••• {details.get('last4', '')}"),
            (
                _("Estado"),
                _(
                    "Cobrado; la venta no se completó. Confírmela cuando se resuelva la causa, "
                    "o reembólselo y rechácela."
                ),
            ),
        ]
    return [(key, str(value)) for key, value in details.items()]


def _reject_form(order: Order, data=None) -> RejectPaymentForm:
    """One per row: ids carry the order so labels point at their own field."""
    return RejectPaymentForm(data, auto_id=f"reject-{order.public_id}-%s")


def _refund_form(order: Order, data=None) -> RefundPaymentForm:
    return RefundPaymentForm(data, auto_id=f"refund-{order.public_id}-%s")


DecisionForm = RejectPaymentForm | RefundPaymentForm


def _row(order: Order, *, now: datetime, form: DecisionForm | None = None) -> ReviewRow:
    """`form`: a decision refused as typed, shown again with its error."""
    payment = order.draft_payments[0] if order.draft_payments else {}
    method = payment.get("method", "")
    without_seats = services.without_seats(order)
    return ReviewRow(
        order=order,
        tickets=order.held_tickets
        if hasattr(order, "held_tickets")
        else list(order.tickets.filter(status=Ticket.Status.HELD).order_by("pk")),
        method=method,
        method_label=payment.get("method_label") or dict(PaymentMethod.choices).get(method, method),
        amount=payment.get("amount", ""),
        currency=payment.get("currency", ""),
        details=_payment_details(method, payment.get("details") or {}),
        overdue=order.expires_at <= now,
        without_seats=without_seats,
        last_minute=now < order.expires_at < now + timedelta(minutes=1),
        form=form if isinstance(form, RejectPaymentForm) else _reject_form(order),
        refund_form=(form if isinstance(form, RefundPaymentForm) else _refund_form(order))
        if without_seats
        else None,
    )


def _queue_context(request, *, failed: Order | None = None, form: DecisionForm | None = None) -> dict:
    held = Ticket.objects.filter(status=Ticket.Status.HELD).order_by("pk")
    orders = services.orders_in_review().prefetch_related(
        Prefetch("tickets", queryset=held, to_attr="held_tickets")
    )
    page = Paginator(orders, REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [
        _row(order, now=now, form=form if failed is not None and order.pk == failed.pk else None)
        for order in page.object_list
    ]
    return {"page": page, "rows": rows}


@require_permission(Permission.SELL)
def review_queue(request):
    """Pago Móvil and Zelle payments customers reported: staff compare them with the bank and
    confirm (the sale completes) or reject (the seats go back on sale)."""
    template = "storefront/panel/_review_section.html" if request.htmx else "storefront/panel/review.html"
    return render(request, template, _queue_context(request))


def _online_order(public_id) -> Order:
    return get_object_or_404(
        Order.objects.select_related("event", "customer"), public_id=public_id, channel=Order.Channel.ONLINE
    )


@require_permission(Permission.SELL)
@require_POST
def confirm(request, public_id):
    order = _online_order(public_id)
    already = order.status == Order.Status.COMPLETED
    try:
        order = services.confirm_payment(order=order, actor=request.user)
    except ValidationError as e:
        messages.error(request, e.messages[0])
        return redirect("online:review")
    if already:
        messages.info(request, _("Este pago ya estaba confirmado."))
        return redirect("sales:order", public_id=order.public_id)
    messages.success(
        request,
        _("Pago confirmado: la venta quedó completada con la factura %(invoice)s.")
        % {"invoice": order.invoice.display_number},
    )
    # Working through the queue: back to it while payments wait, to the sale after the last one.
    if services.orders_in_review().exists():
        return redirect("online:review")
    return redirect("sales:order", public_id=order.public_id)


@require_permission(Permission.SELL)
@require_POST
def reject(request, public_id):
    order = _online_order(public_id)
    refund = _what_to_refund(order)

    def reject_it(reason: str) -> str:
        services.reject_payment(order=order, actor=request.user, reason=reason)
        text = _("Pago rechazado: los asientos volvieron a la venta.")
        if order.contact_email:
            text += " " + _("Le escribimos al cliente con el motivo.")
        return f"{text} {refund}" if refund else text

    return _decide(request, order, _reject_form(order, request.POST), reject_it)


@require_permission(Permission.SELL)
@require_POST
def refund(request, public_id):
    """A payment reported after its seats went to someone else, given back to the customer."""
    order = _online_order(public_id)

    def refund_it(note: str) -> str:
        services.refund_unseated_payment(order=order, actor=request.user, note=note)
        text = _("Pago devuelto: la compra quedó cerrada.")
        if order.contact_email:
            text += " " + _("Le escribimos al cliente cómo se le devolvió.")
        return text

    return _decide(request, order, _refund_form(order, request.POST), refund_it)


def _decide(request, order: Order, form: DecisionForm, decide) -> object:
    """Reject or refund a reported payment: `decide(reason)` runs the service and says what
    happened; a reason missing or refused comes back under its field."""
    if not form.is_valid():
        return _decision_form_again(request, order, form)
    try:
        messages.success(request, decide(form.cleaned_data["reason"]))
    except ValidationError as e:
        if hasattr(e, "error_dict") and "reason" in e.error_dict:
            form.add_error("reason", e.error_dict["reason"])
            return _decision_form_again(request, order, form)
        messages.error(request, e.messages[0])
    if request.htmx:
        # The row leaves the queue (nothing replaces it); the message arrives out of band.
        return render(request, "includes/messages.html")
    return redirect("online:review")


def _what_to_refund(order: Order) -> str:
    """What rejecting the order's payment leaves staff to give back, said with the rejection."""
    payment = order.draft_payments[0] if order.status == Order.Status.REVIEW and order.draft_payments else {}
    if not payment:
        return ""
    amount = format_money(Decimal(payment.get("amount") or "0"), payment.get("currency", "VES"))
    if (payment.get("details") or {}).get("charged"):
        return _("El banco ya cobró la tarjeta: reembolse %(amount)s al cliente.") % {"amount": amount}
    return _("Si llegó dinero de este pago, reembólselo al cliente: reportó %(amount)s por %(method)s.") % {
        "amount": amount,
        "method": payment.get("method_label", ""),
    }


def _decision_form_again(request, order: Order, form: DecisionForm):
    """The reason is missing: the same row (or the queue) again, the error under the field."""
    if request.htmx:
        if order.status != Order.Status.REVIEW:
            messages.error(request, _("Esta compra ya no está esperando verificación."))
            return render(request, "includes/messages.html")
        row = _row(order, now=timezone.now(), form=form)
        return render(request, "storefront/panel/_review_row.html", {"row": row}, status=422)
    context = _queue_context(request, failed=order, form=form)
    if not any(row.order.pk == order.pk for row in context["rows"]):  # on another page, or gone
        failed = (
            _("No se pudo rechazar el pago.")
            if isinstance(form, RejectPaymentForm)
            else _("No se pudo registrar la devolución.")
        )
        messages.error(request, form.errors.get("reason", [failed])[0])
    return render(request, "storefront/panel/review.html", context, status=422)


# --- Settings -------------------------------------------------------------------------------------


@require_permission(Permission.MANAGE_RATES)
def online_settings_page(request):
    """Which methods customers may pay with on the organization's site, where Pago Móvil and
    Zelle payments arrive, and the terms customers accept."""
    row = services.online_settings()
    form = OnlineSettingsForm.for_settings(row)
    status, saved = 200, False
    if request.method == "POST":
        form = OnlineSettingsForm(request.POST)
        status = 422
        if form.is_valid():
            try:
                row = settings_services.save_online_settings(**form.cleaned_data)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                if not request.htmx:
                    messages.success(request, _("Ajustes de venta en línea guardados."))
                    return redirect("online:settings")
                form, status, saved = OnlineSettingsForm.for_settings(row), 200, True
    context = {"form": form, "settings_row": row, "saved": saved}
    template = "storefront/panel/_settings_form.html" if request.htmx else "storefront/panel/settings.html"
    return render(request, template, context, status=status)
