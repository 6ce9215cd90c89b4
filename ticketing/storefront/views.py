"""The organization's public site: events on sale, choosing seats on the live map, checkout and
payment. No login: a visitor's order is tied to their browser session (`Order.buyer_session`)."""

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from ticketing.accounts.decorators import public_view
from ticketing.core.forms import add_service_errors
from ticketing.core.identifiers import format_ve_mobile
from ticketing.events.models import Event, Zone
from ticketing.events.seatmap import seat_map_context
from ticketing.payments import services as money
from ticketing.payments.gateways import ChargeStatus, InvalidWebhookSignature, card_gateway
from ticketing.payments.methods import BANK_NAMES, PaymentMethod
from ticketing.sales import selectors as sales_selectors
from ticketing.sales import services as sales
from ticketing.sales.forms import HoldForm
from ticketing.sales.models import Order, Ticket

from . import selectors, services
from .forms import REPORT_FORMS, BuyerForm, CardForm


def _hold_rate(group, request) -> str:
    return settings.ONLINE_HOLD_RATE


def _payment_rate(group, request) -> str:
    return settings.ONLINE_PAYMENT_RATE


@public_view
def index(request):
    page, listed = selectors.storefront_page(page_number=request.GET.get("page"))
    return render(request, "storefront/index.html", {"page": page, "listed": listed})


@public_view
def terms(request):
    return render(request, "storefront/terms.html", {"terms": services.online_settings().terms})


# --- The visitor's order --------------------------------------------------------------------------


def _session_key(request) -> str:
    """The visitor's session id, created on their first hold."""
    if not request.session.session_key:
        request.session.create()
    return request.session.session_key


def _order_key(event_id: int) -> str:
    return f"online-order-{event_id}"


def _current_order(request, event: Event) -> Order | None:
    """This visitor's order for the event while its seats are held (not yet paid)."""
    public_id = request.session.get(_order_key(event.pk))
    if not public_id or not request.session.session_key:
        return None
    order = Order.objects.filter(
        public_id=public_id,
        event=event,
        buyer_session=request.session.session_key,
        status=Order.Status.HELD,
        expires_at__gt=timezone.now(),
    ).first()
    if order is None:
        request.session.pop(_order_key(event.pk), None)
    return order


def _buyer_order(request, public_id) -> Order:
    """An order of this browser session; anyone else's is a 404."""
    if not request.session.session_key:
        raise Http404
    return get_object_or_404(
        Order.objects.select_related("event__venue"),
        public_id=public_id,
        channel=Order.Channel.ONLINE,
        buyer_session=request.session.session_key,
    )


def _basket_context(event: Event, order: Order | None, *, error: str | None = None) -> dict:
    context = {"event": event, "order": order, "error": error, "zones_general": [], "zones_numbered": []}
    for zone in event.zones.all():
        if zone.kind == Zone.Kind.GENERAL:
            zone.remaining = max(zone.capacity - zone.sold_count - zone.held_count, 0)
            context["zones_general"].append(zone)
        elif zone.kind == Zone.Kind.NUMBERED:
            context["zones_numbered"].append(zone)
    if order is not None:
        tickets = sales_selectors.cart_tickets(order)
        context.update(
            tickets=tickets,
            mine=",".join(str(t.seat_id) for t in tickets if t.seat_id),
            subtotal=sum((t.price for t in tickets), start=0),
        )
    return context


def _render_basket(request, event, order, *, error=None, status=200):
    return render(
        request, "storefront/_basket.html", _basket_context(event, order, error=error), status=status
    )


# --- Event page and holds -------------------------------------------------------------------------


def _event_on_sale(pk) -> Event:
    return get_object_or_404(selectors.events_on_sale_online(), pk=pk)


@public_view
@never_cache  # Back after buying must show the seats sold, not the basket as it was
def event_page(request, pk):
    event = _event_on_sale(pk)
    general = [zone for zone in event.zones.all() if zone.kind == Zone.Kind.GENERAL]
    availability = [
        ngettext("%(zone)s: queda %(count)s entrada", "%(zone)s: quedan %(count)s entradas", left)
        % {"zone": zone.name, "count": left}
        for zone, left in (
            (zone, max(zone.capacity - zone.sold_count - zone.held_count, 0)) for zone in general
        )
    ]
    context = {
        **_basket_context(event, _current_order(request, event)),
        "availability": availability,
        "from_price": selectors.lowest_price(event),
        **seat_map_context(event),
    }
    return render(request, "storefront/event.html", context)


@public_view
def event_map(request, pk):
    """The whole map again, for a page whose live connection dropped and came back."""
    return render(request, "events/_seat_map.html", seat_map_context(_event_on_sale(pk)))


@public_view
@require_POST
@ratelimit(key="ip", rate=_hold_rate, method="POST", block=False)
def hold(request, pk):
    event = _event_on_sale(pk)
    order = _current_order(request, event)
    if getattr(request, "limited", False):
        error = _("Demasiadas solicitudes seguidas. Espere un minuto e intente de nuevo.")
        return _render_basket(request, event, order, error=error, status=429)
    form = HoldForm(request.POST)
    if not form.is_valid():
        return _render_basket(request, event, order, error=form.first_error(), status=422)
    try:
        seat_ids, general = sales_selectors.wanted_seats(event=event, hold_request=form.cleaned_data)
    except Zone.DoesNotExist:
        raise Http404 from None
    except LookupError as e:
        return _render_basket(request, event, order, error=str(e.args[0]), status=409)
    try:
        order = services.hold_online(
            event=event, session_key=_session_key(request), seat_ids=seat_ids, general=general, order=order
        )
    except ValidationError as e:
        return _render_basket(request, event, _current_order(request, event), error=e.messages[0], status=409)
    request.session[_order_key(event.pk)] = str(order.public_id)
    return _render_basket(request, event, order)


@public_view
@require_POST
def release(request, public_id, ticket_pk):
    order = _buyer_order(request, public_id)
    try:
        sales.release_ticket(order=order, ticket_id=ticket_pk)
    except (ValidationError, Ticket.DoesNotExist):
        pass  # already gone: show the basket as it is now
    return _render_basket(request, order.event, _current_order(request, order.event))


@public_view
@require_POST
def cancel(request, public_id):
    order = _buyer_order(request, public_id)
    if order.status in (Order.Status.REVIEW, Order.Status.COMPLETED):
        # A "Cancelar" left on another tab after paying: the payment stands, show the order.
        if request.htmx:
            return HttpResponse(headers={"HX-Redirect": _after_payment_url(order)})
        return redirect(_after_payment_url(order))
    sales.cancel_order(order=order)
    request.session.pop(_order_key(order.event_id), None)
    if request.htmx:
        return _render_basket(request, order.event, None)
    return redirect("storefront:event", pk=order.event_id)


@public_view
@require_POST
def expire(request, public_id):
    """A countdown reached zero: the seats go back on sale at once. The basket comes back empty
    with the reason; the checkout and payment pages go back to the event, which says it. Early by
    the server's clock, the basket or the page is drawn again with the time left."""
    order = _buyer_order(request, public_id)
    from_checkout = request.POST.get("then") == "event"  # the checkout and payment pages
    if not sales.expire_if_due(order=order):
        if from_checkout:
            return HttpResponse(headers={"HX-Refresh": "true"})
        return _render_basket(request, order.event, _current_order(request, order.event))
    request.session.pop(_order_key(order.event_id), None)
    message = _("Su reserva venció y los asientos se liberaron. Elíjalos de nuevo.")
    if from_checkout:
        messages.error(request, message)
        return HttpResponse(headers={"HX-Redirect": reverse("storefront:event", args=[order.event_id])})
    return _render_basket(request, order.event, None, error=message)


# --- Checkout and payment -------------------------------------------------------------------------


def _after_payment_url(order: Order) -> str:
    return reverse("storefront:my_order", kwargs={"token": order.access_token})


def _order_summary(order: Order, *, tickets=None) -> dict:
    tickets = sales_selectors.cart_tickets(order) if tickets is None else tickets
    try:
        totals = sales.sale_totals(order, tickets=tickets)
    except ValidationError:
        totals = None  # today's rate is missing: the page says so instead of showing a total
    return {"order": order, "event": order.event, "tickets": tickets, "totals": totals}


def _gone_or_paid(request, order: Order):
    """Where a visitor goes when the order can no longer be paid: its page, or the event again."""
    if order.status in (Order.Status.REVIEW, Order.Status.COMPLETED):
        return redirect(_after_payment_url(order))
    if order.status != Order.Status.HELD or order.expires_at <= timezone.now():
        messages.error(request, _("Su reserva venció y los asientos se liberaron. Elíjalos de nuevo."))
        return redirect("storefront:event", pk=order.event_id)
    return None


def _buyer_key(order: Order) -> str:
    return f"buyer-{order.public_id}"


@public_view
@never_cache  # Back after the hold ran out must ask the server, not show a live countdown again
def checkout(request, public_id):
    order = _buyer_order(request, public_id)
    if (elsewhere := _gone_or_paid(request, order)) is not None:
        return elsewhere
    online = services.online_settings()
    initial = {}
    if order.customer_id:
        # What this browser typed, never the stored customer's name or phone: anyone may type
        # anyone's cédula here (services.save_buyer attaches that customer as they were).
        initial = {
            **request.session.get(_buyer_key(order), {}),
            "id_document": order.customer.id_document,
            "email": order.contact_email,
        }
    form = BuyerForm(request.POST or None, initial=initial, methods=online.methods)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_buyer(order=order, buyer=form.buyer())
                request.session[_buyer_key(order)] = {
                    name: form.cleaned_data[name] for name in ("first_name", "last_name", "phone")
                }
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                url = reverse("storefront:payment", kwargs={"public_id": order.public_id})
                return redirect(f"{url}?method={form.cleaned_data['method']}")
        status = 422
    context = {**_order_summary(order), "form": form, "methods_available": bool(online.methods)}
    return render(request, "storefront/checkout.html", context, status=status)


@public_view
@never_cache  # as checkout: the hold's countdown and the amount are the server's, now
@ratelimit(key="ip", rate=_payment_rate, method="POST", block=False)
def payment(request, public_id):
    order = _buyer_order(request, public_id)
    online = services.online_settings()
    method = request.POST.get("method") or request.GET.get("method") or ""
    # A Pago Móvil or a Zelle may have been sent before the hold ran out: its report is still
    # taken (services.report_payment), so the page stays, with what happened said plainly.
    reported = method in services.REPORTED_METHODS and method in online.methods
    late = reported and services.may_report_late(order)
    if not late and (elsewhere := _gone_or_paid(request, order)) is not None:
        return elsewhere
    if order.customer_id is None:
        return redirect("storefront:checkout", public_id=order.public_id)
    if method not in online.methods:
        return redirect("storefront:checkout", public_id=order.public_id)
    if reported and not late and request.method == "GET":
        order = services.give_time_to_report(order=order)
    tickets = services.late_tickets(order) if late and order.status == Order.Status.EXPIRED else None
    # A report is priced on the day its page showed the amount (the customer paid that).
    quoted_on = services.quoted_day(order, request.POST.get("quote")) if reported else None
    context = {
        **_order_summary(order, tickets=tickets),
        "method": method,
        "method_label": PaymentMethod(method).label,
        "late": late,
        "pay_to_report": reported,
        "report_minutes": services.REPORT_HOLD_MINUTES,
    }
    try:
        context["due"] = services.amount_due(order, method, tickets=tickets, on=quoted_on)
    except ValidationError:
        context["due"] = None
        context["error"] = _(
            "No podemos calcular el monto en este momento. Intente más tarde o compre en taquilla."
        )
        return render(request, "storefront/payment.html", context, status=503)
    if method == PaymentMethod.CARD_ONLINE:
        form = CardForm(request.POST or None)
    else:
        form = REPORT_FORMS[method](
            request.POST or None, prefix="report", initial=_payer_initial(request, order)
        )
        context.update(
            online=online,
            quote=services.quote_token(order, quoted_on or money.today_in_caracas()),
            bank_name=BANK_NAMES.get(online.pago_movil_bank, ""),
            pago_movil_phone=format_ve_mobile(online.pago_movil_phone),
        )
    context["form"] = form
    if request.method != "POST":
        return render(request, "storefront/payment.html", context)
    if getattr(request, "limited", False):
        context["error"] = _("Demasiados intentos de pago seguidos. Espere un minuto e intente de nuevo.")
        return render(request, "storefront/payment.html", context, status=429)
    if not form.is_valid():
        return render(request, "storefront/payment.html", context, status=422)
    try:
        if method == PaymentMethod.CARD_ONLINE:
            outcome = services.pay_by_card(order=order, card_number=form.cleaned_data["card_number"])
            if outcome.result.status == ChargeStatus.DECLINED:
                context["error"] = outcome.result.message or _("El pago fue rechazado.")
                return render(request, "storefront/payment.html", context, status=402)
            order = outcome.order
        else:
            order = services.report_payment(
                order=order, method=method, details=form.details(), quoted_on=quoted_on
            )
    except ValidationError as e:
        if hasattr(e, "error_dict"):
            add_service_errors(form, e)
        else:
            context["error"] = e.messages[0]
        return render(request, "storefront/payment.html", context, status=409)
    request.session.pop(_order_key(order.event_id), None)
    return redirect(_after_payment_url(order))


def _payer_initial(request, order: Order) -> dict:
    """A Pago Móvil is most often sent from the buyer's own phone: start the report with the
    phone and cédula this browser typed at checkout (never the stored customer's, see checkout)."""
    typed = request.session.get(_buyer_key(order), {})
    initial = {"payer_id": order.customer.id_document}
    if typed.get("phone"):
        initial["payer_phone"] = format_ve_mobile(typed["phone"])
    return initial


# --- The card gateway's notifications -------------------------------------------------------------


@public_view
@csrf_exempt
@require_POST
def gateway_webhook(request, provider):
    """The gateway tells us how a pending charge ended. Signed; a replay changes nothing."""
    if provider != card_gateway().name:
        raise Http404
    signature = request.headers.get("X-Signature", "")
    try:
        result = services.handle_card_webhook(body=request.body, signature=signature)
    except InvalidWebhookSignature:
        return JsonResponse({"error": "invalid signature"}, status=400)
    except (ValueError, KeyError, json.JSONDecodeError):
        return JsonResponse({"error": "malformed notification"}, status=400)
    return JsonResponse({"result": result})
