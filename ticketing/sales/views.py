import uuid
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from ticketing.accounts.decorators import require_permission
from ticketing.accounts.roles import Permission, user_has_permission
from ticketing.core.money import format_money
from ticketing.customers.selectors import customer_by_pk
from ticketing.customers.views import picker_context
from ticketing.events.models import Event, Zone
from ticketing.events.seatmap import ga_availability, seat_map_context
from ticketing.events.selectors import event_with_zones
from ticketing.payments.methods import BOX_OFFICE_METHODS, PaymentMethod, payment_form_for, spec_for
from ticketing.payments.services import today_in_caracas

from . import selectors, services
from .forms import EmailTicketsForm, HoldForm, SalesFilterForm, VoidForm
from .models import Order

sell = require_permission(Permission.SELL)


def _current_order(request, event: Event) -> Order | None:
    return selectors.order_in_progress(event=event, seller=request.user)


def _seller_order(request, public_id) -> Order:
    try:
        return selectors.order_with_event(public_id, channel=Order.Channel.BOX_OFFICE)
    except Order.DoesNotExist:
        raise Http404 from None


NOTHING_TYPED = {"zone": "", "row": "", "numbers": ""}


def _cart_context(
    request,
    event: Event,
    order: Order | None,
    *,
    error=None,
    notice=None,
    payment_form=None,
    method=None,
    hold_form=None,
    focus_payment=False,
) -> dict:
    context = {
        "event": event,
        "order": order,
        "error": error,
        "notice": notice,
        # A refused hold's seat typed by row and number comes back as it was typed.
        "typed_seat": {name: hold_form.data.get(name, "") for name in ("zone", "row", "numbers")}
        if hold_form is not None
        else NOTHING_TYPED,
        # Seats typed for a sale whose customer is picked: the keyboard goes on to the payment.
        "focus_payment": focus_payment and order is not None and order.customer_id is not None,
        "zones_general": [],
        "zones_numbered": [],
    }
    for zone in event.zones.all():
        if zone.kind == Zone.Kind.GENERAL:
            zone.remaining = max(zone.capacity - zone.sold_count - zone.held_count, 0)
            zone.availability = ga_availability(zone.remaining)
            context["zones_general"].append(zone)
        elif zone.kind == Zone.Kind.NUMBERED:
            context["zones_numbered"].append(zone)
    if order is None:
        return context
    tickets = selectors.cart_tickets(order)
    context.update(
        tickets=tickets,
        mine=",".join(str(t.seat_id) for t in tickets if t.seat_id),
        **picker_context(customer=order.customer),
        **_payments_context(order, tickets=tickets, payment_form=payment_form, method=method),
    )
    return context


def _payments_context(order: Order, *, tickets=None, payment_form=None, method=None) -> dict:
    """What `sales/_cart_payments.html` and `sales/_cart_totals.html` need; `rate_error` instead
    of totals when the day's rate is missing."""
    method = method or PaymentMethod.CASH_USD
    context = {
        "order": order,
        "completion_key": uuid.uuid4(),
        "payment_key": uuid.uuid4().hex,
        "methods": BOX_OFFICE_METHODS,
        "method": method,
        "payment_form": payment_form,
        "payments": order.draft_payments,
    }
    try:
        totals = services.sale_totals(order, tickets=tickets)
        context["settlement"] = services.settlement(order, totals=totals)
    except ValidationError as e:
        context["rate_error"] = e.messages[0]
        return context
    context["totals"] = totals
    context["shown_rates"] = services.rates_token(order)
    context["other_rates"] = services.other_currency_rates(context["settlement"], priced_in=totals.currency)
    if missing := services.currencies_without_rate(order):
        # Said before the seller picks the method, not after.
        context["methods"] = [
            (
                value,
                _("%(method)s (sin tasa de hoy)") % {"method": label}
                if spec_for(value).currency in missing
                else label,
            )
            for value, label in BOX_OFFICE_METHODS
        ]
    context["fee_rows"] = [
        {"name": fee.name, "rate": fee.rate, "amount": fee.amount, "amount_ves": fee_ves.amount}
        for fee, fee_ves in zip(totals.fees, totals.fees_ves, strict=True)
    ]
    if payment_form is None:
        context["payment_form"] = _new_payment_form(order, method, context["settlement"])
    else:  # refused as typed: still say what settles the sale
        _explain_amount_to_settle(payment_form, order, method, context["settlement"])
    return context


def _new_payment_form(order: Order, method: str, settlement, payer=None):
    """The payment form for `method`, starting with the amount that settles the sale (or saying
    why the method cannot be taken today: no rate for its currency) and, for a method that
    records who paid, with `payer`'s details."""
    form = payment_form_for(method, prefix="payment", payer=payer)
    _explain_amount_to_settle(form, order, method, settlement)
    return form


def _explain_amount_to_settle(form, order: Order, method: str, settlement) -> None:
    try:
        due = services.amount_to_settle(order, method=method, settlement=settlement)
    except ValidationError as e:
        form.set_amount_hint(e.messages[0])
    else:
        if due is not None:
            form.show_amount_due(due)


def _picked_customer_id(request) -> int | None:
    customer_id = request.POST.get("customer") or request.GET.get("customer")
    return int(customer_id) if customer_id and customer_id.isascii() and customer_id.isdigit() else None


def _remember_customer(request, order: Order | None) -> None:
    """Every cart request carries the picked customer (hx-include on #cart), so re-rendering the
    cart after a payment or a new seat keeps the customer the seller already chose."""
    customer_id = _picked_customer_id(request)
    if order is None or customer_id is None or order.customer_id == customer_id:
        return
    customer = customer_by_pk(customer_id)
    if customer is not None:
        services.attach_customer(order=order, customer=customer)


def _render_cart(request, event, order, *, status=200, **kwargs):
    _remember_customer(request, order)
    return render(request, "sales/_cart.html", _cart_context(request, event, order, **kwargs), status=status)


def _render_payments(request, order: Order, *, status=200, error=None, payment_form=None, method=None):
    """After a payment is added or removed only the payments and the totals change: answer with
    those (the totals out of band) and leave the seats and the picked customer as they are."""
    _remember_customer(request, order)
    context = _payments_context(order, payment_form=payment_form, method=method)
    if "rate_error" in context:  # the rate went missing meanwhile: the whole cart explains it
        response = _render_cart(request, order.event, order, error=error, status=status)
        response["HX-Retarget"], response["HX-Reswap"] = "#cart", "outerHTML"
        return response
    context.update(error=error, oob=True)
    return render(request, "sales/_cart_payments.html", context, status=status)


@sell
def box_office_index(request):
    return render(request, "sales/index.html", {"events": selectors.events_on_sale_at_box_office()})


@sell
@never_cache  # Back after a sale must show the sale done, not the cart as it was
def box_office(request, pk):
    event = get_object_or_404(Event, pk=pk, status=Event.Status.ON_SALE, box_office_enabled=True)
    order = _current_order(request, event)
    # Back to a sale in progress (a reload, another tab): the keyboard starts where the sale
    # stands, on the customer search or, the customer picked, on the payment.
    context = {
        **_cart_context(request, event, order, focus_payment=True),
        **seat_map_context(event),
        "picker_autofocus": order is not None,
        "last_sale": selectors.last_sale(event=event, seller=request.user) if order is None else None,
    }
    return render(request, "sales/box_office.html", context)


@sell
def box_office_map(request, pk):
    """The whole map again, for a page whose live connection dropped and came back."""
    event = get_object_or_404(Event, pk=pk)
    return render(request, "events/_seat_map.html", seat_map_context(event))


@sell
@require_POST
def hold(request, pk):
    # The zones come along: the hold prices seats with them and the cart lists them after.
    try:
        event = event_with_zones(pk)
    except Event.DoesNotExist:
        raise Http404 from None
    order = _current_order(request, event)
    form = HoldForm(request.POST)
    if not form.is_valid():
        return _render_cart(request, event, order, error=form.first_error(), status=422, hold_form=form)
    try:
        seat_ids, general = selectors.wanted_seats(event=event, hold_request=form.cleaned_data)
    except Zone.DoesNotExist:
        raise Http404 from None
    except LookupError as e:
        return _render_cart(request, event, order, error=str(e.args[0]), status=409, hold_form=form)
    customer_id = _picked_customer_id(request)
    customer = None
    if customer_id is not None and (order is None or order.customer_id != customer_id):
        customer = customer_by_pk(customer_id)
    try:
        order = services.hold(
            event=event,
            channel=Order.Channel.BOX_OFFICE,
            seat_ids=seat_ids,
            general=general,
            order=order,
            seller=request.user,
            customer=customer,  # the picked one, attached in the same transaction
        )
    except ValidationError as e:
        current = _current_order(request, event)
        return _render_cart(request, event, current, error=e.messages[0], status=409, hold_form=form)
    return _render_cart(request, event, order, focus_payment=bool(form.cleaned_data["row"]))


@sell
@require_POST
def release(request, public_id, ticket_pk):
    order = _seller_order(request, public_id)
    try:
        services.release_ticket(order=order, ticket_id=ticket_pk, actor=request.user)
    except ValidationError as e:
        current = _current_order(request, order.event)
        return _render_cart(request, order.event, current, error=e.messages[0], status=409)
    return _render_cart(request, order.event, _current_order(request, order.event))


@sell
@require_POST
def attach_customer(request, public_id):
    """The customer picked in the cart goes on the sale at once (customers/picker.js says
    "customer-picked-settled"), not at the next step: a reload (a tablet that dropped the page while the
    seller checked the bank) still shows them, and the Pago Móvil payer's details with them."""
    _remember_customer(request, _seller_order(request, public_id))
    return HttpResponse(status=204)


@sell
@require_POST
def cancel(request, public_id):
    order = _seller_order(request, public_id)
    order = services.cancel_order(order=order, actor=request.user)
    if order.status == Order.Status.COMPLETED:
        # A cart left on screen (Back after the sale) still offers "Cancelar venta".
        error = _(
            "Esta venta ya se completó y se facturó: no se cancela. Para devolverla, un gerente la "
            "anula desde la página de la venta."
        )
        return _render_cart(
            request, order.event, _current_order(request, order.event), error=error, status=409
        )
    if order.status != Order.Status.CANCELLED:  # expired or voided meanwhile
        notice = _("Esa venta ya no estaba en curso: sus asientos ya volvieron a la venta.")
    else:
        notice = _("Venta cancelada: los asientos volvieron a la venta.")
    return _render_cart(request, order.event, None, notice=_with_money_to_return(notice, order))


@sell
@require_POST
def expire(request, public_id):
    """The cart's countdown reached zero: the hold goes at once, and the cart shows what is left."""
    order = _seller_order(request, public_id)
    if services.expire_if_due(order=order, actor=request.user):
        message = _("La reserva venció y sus asientos volvieron a la venta.")
        return _render_cart(request, order.event, None, error=_with_money_to_return(message, order))
    if order.status == Order.Status.HELD:
        # Not yet due by the server's clock (the browser's runs a moment ahead): nothing to draw,
        # so the payment details being typed stay; the countdown asks again shortly.
        return HttpResponse(status=204)
    # Finished meanwhile (completed or cancelled in another tab, released by the sweep).
    return _render_cart(request, order.event, _current_order(request, order.event))


@sell
@require_POST
def extend(request, public_id):
    """ "Más tiempo": the customer is still paying; the hold starts its time again."""
    order = _seller_order(request, public_id)
    try:
        order = services.extend_hold(order=order, actor=request.user)
    except ValidationError as e:
        return _sale_over(request, order, e.messages[0])
    notice = _("Reserva extendida: %(minutes)s minutos más.") % {"minutes": order.event.hold_minutes}
    return _render_cart(request, order.event, order, notice=notice, focus_payment=True)


def _with_money_to_return(message: str, order: Order) -> str:
    """A sale that ended before completion may have had payments taken (cash in the drawer, a
    Pago Móvil received): the seller must know what to give back."""
    if not order.draft_payments:
        return message
    taken = "; ".join(
        f"{payment.get('method_label') or payment.get('method')}: "
        f"{format_money(Decimal(payment['amount']), payment.get('currency') or 'VES')}"
        for payment in order.draft_payments
    )
    return _("%(message)s Se habían registrado estos pagos: %(payments)s. Devuélvalos al cliente.") % {
        "message": message,
        "payments": taken,
    }


def _sale_over(request, order: Order, error: str, **kwargs):
    """The sale on the screen cannot go on (its hold ran out by the server's clock, or another tab
    finished it): let an overdue hold go now, not at the next sweep, and draw the whole cart again
    with what happened and any money to give back."""
    if services.expire_if_due(order=order, actor=request.user):
        error = _with_money_to_return(error, order)
    response = _render_cart(request, order.event, _current_order(request, order.event), error=error, **kwargs)
    response["HX-Retarget"], response["HX-Reswap"] = "#cart", "outerHTML"
    return response


def _shown_rates(request) -> str | None:
    """The BCV rates the seller's cart showed (its `shown_rates` field), or None if it did not say."""
    return request.POST.get("shown_rates")


def _shown_tickets(request) -> list[int] | None:
    """The tickets the seller's cart listed (its `shown_tickets` field), or None if it did not say."""
    shown = request.POST.get("shown_tickets")
    if shown is None:
        return None
    pks = (pk.strip() for pk in shown.split(","))
    return [int(pk) for pk in pks if pk.isascii() and pk.isdigit()]


@sell
def payment_fields(request, public_id):
    order = _seller_order(request, public_id)
    method = request.GET.get("method", PaymentMethod.CASH_USD)
    if method not in dict(BOX_OFFICE_METHODS):
        method = PaymentMethod.CASH_USD
    # The customer picked on the screen, who may not be on the order yet (the next cart step
    # attaches them).
    picked = _picked_customer_id(request)
    payer = (customer_by_pk(picked) if picked else None) or order.customer
    try:
        payment_form = _new_payment_form(order, method, services.settlement(order), payer=payer)
    except ValidationError:  # the day's rate went missing: adding the payment will say so
        payment_form = payment_form_for(method, prefix="payment", payer=payer)
    return render(request, "sales/_payment_fields.html", {"order": order, "payment_form": payment_form})


@sell
@require_POST
def add_payment(request, public_id):
    method = request.POST.get("method", "")
    if method not in dict(BOX_OFFICE_METHODS):
        order = _seller_order(request, public_id)
        return _render_payments(request, order, error=_("Elija la forma de pago."), status=422)
    form = payment_form_for(method, data=request.POST, prefix="payment")
    if not form.is_valid():
        order = _seller_order(request, public_id)
        if _picked_customer_id(request) or order.customer_id:
            form.say_whose_details()  # the fields came with the customer's details
        return _render_payments(request, order, payment_form=form, method=method, status=422)
    if request.POST.get("then") == "complete":
        return _pay_and_complete(request, public_id, form=form, method=method)
    try:
        # By public id: the service's locked read is the only one on the way to the answer.
        order = services.add_payment(
            order=public_id,
            channel=Order.Channel.BOX_OFFICE,
            payment=form.to_payment_input(),
            actor=request.user,
            payment_key=_payment_key(request),
        )
    except Order.DoesNotExist:
        raise Http404 from None
    except ValidationError as e:
        order = _seller_order(request, public_id)
        if getattr(e, "code", None) in SALE_OVER:
            return _sale_over(request, order, e.messages[0], status=409)
        return _render_payments(
            request, order, payment_form=form, method=method, error=e.messages[0], status=409
        )
    return _render_payments(request, order)


# Refusals after which the cart on the screen is of no use: it is drawn again whole.
SALE_OVER = {"hold_expired", "already_completed", "not_held"}


def _payment_key(request) -> str | None:
    """The payment form's key (a hex UUID, new with every form drawn), or None if it has none."""
    try:
        return uuid.UUID(request.POST.get("payment_key", "")).hex
    except ValueError:
        return None


def _pay_and_complete(request, public_id, *, form, method):
    """ "Cobrar y emitir factura" pressed in the payment form: this payment and the completion in
    one step. If the sale cannot complete, the payment is not kept either, and the cart says why
    with the form as the seller filled it in."""
    try:
        key = uuid.UUID(request.POST.get("completion_key", ""))
        order = services.pay_and_complete(
            order=public_id,
            channel=Order.Channel.BOX_OFFICE,
            payment=form.to_payment_input(),
            completion_key=key,
            customer=_picked_customer_id(request),
            seller=request.user,
            shown_tickets=_shown_tickets(request),
            shown_rates=_shown_rates(request),
        )
    except Order.DoesNotExist:
        raise Http404 from None
    except (ValueError, ValidationError) as e:
        error = (
            e.messages[0] if isinstance(e, ValidationError) else _("Solicitud no válida; recargue la página.")
        )
        if getattr(e, "code", None) == "rate_changed":
            form = None  # its amount was the old rate's: the form starts again with what settles now
        return _sale_over(
            request, _seller_order(request, public_id), error, payment_form=form, method=method, status=409
        )
    return _sale_completed(request, order)


@sell
@require_POST
def remove_payment(request, public_id, payment_id):
    order = services.remove_payment(
        order=_seller_order(request, public_id), payment_id=payment_id, actor=request.user
    )
    return _render_payments(request, order)


@sell
@require_POST
def complete(request, public_id):
    try:
        key = uuid.UUID(request.POST.get("completion_key", ""))
    except ValueError:
        order = _seller_order(request, public_id)
        return _render_cart(
            request, order.event, order, error=_("Solicitud no válida; recargue la página."), status=422
        )
    try:
        # By public id, and the picked customer by id: the service's locked read of the order
        # (with its customer) is the only one on the way to the answer.
        order = services.complete_sale(
            order=public_id,
            channel=Order.Channel.BOX_OFFICE,
            completion_key=key,
            customer=_picked_customer_id(request),
            seller=request.user,
            shown_tickets=_shown_tickets(request),
            shown_rates=_shown_rates(request),
        )
    except Order.DoesNotExist:
        raise Http404 from None
    except ValidationError as e:
        return _sale_over(request, _seller_order(request, public_id), e.messages[0], status=409)
    return _sale_completed(request, order)


def _sale_completed(request, order: Order):
    messages.success(request, _("Venta completada. Factura emitida."))
    url = order_url(order)
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def order_url(order: Order) -> str:
    from django.urls import reverse

    return reverse("sales:order", kwargs={"public_id": order.public_id})


def _sale(public_id) -> Order:
    return get_object_or_404(
        Order.objects.select_related("event__venue", "customer", "seller"), public_id=public_id
    )


def _render_sale(
    request,
    order: Order,
    *,
    email_form: EmailTicketsForm | None = None,
    void_form: VoidForm | None = None,
    status=200,
):
    # Imported here, as the PDF views do: storefront's e-mails load WeasyPrint.
    from ticketing.storefront.notifications import recipient

    payments = selectors.sale_payments(order)
    context = {
        "order": order,
        "tickets": selectors.in_place_order(order.tickets.select_related("zone", "seat")),
        "payments": payments,
        "refund": selectors.refund_of(order, payments),
        "change_in_cash": selectors.change_in_cash_currency(order, payments),
        "invoice": getattr(order, "invoice", None),
        "credit_notes": list(order.invoice.credit_notes.all()) if hasattr(order, "invoice") else [],
        "history": selectors.order_history(order),
        "can_void": user_has_permission(request.user, Permission.VOID_SALES),
        "void_form": void_form or VoidForm(),
        "email_form": email_form or EmailTicketsForm(initial={"email": recipient(order)}),
    }
    return render(request, "sales/order.html", context, status=status)


@sell
def order_detail(request, public_id):
    return _render_sale(request, _sale(public_id))


@sell
@require_POST
def email_tickets(request, public_id):
    """At the counter: "¿me las manda al correo?" The tickets and the invoice go by e-mail."""
    from ticketing.storefront.services import send_tickets_by_email

    order = _sale(public_id)
    form = EmailTicketsForm(request.POST)
    if form.is_valid():
        try:
            send_tickets_by_email(order=order, to=form.cleaned_data["email"], actor=request.user)
        except ValidationError as e:
            if e.code != "not_completed":
                form.add_error("email", e)
            else:  # voided meanwhile: the page no longer offers the form, say it above
                messages.error(request, e.messages[0])
                return redirect(order_url(order))
        else:
            messages.success(
                request, _("Las entradas van en camino a %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            return redirect(order_url(order))
    return _render_sale(request, order, email_form=form, status=422)


@sell
@require_GET
def order_list(request):
    form = SalesFilterForm(
        request.GET or None,
        events=selectors.events_with_sales(),
        sellers=selectors.sellers_with_sales(and_user=request.user),
        statuses=[(status.value, status.label) for status in selectors.LISTED_STATUSES],
    )
    filters = form.filters() if form.is_bound else {}
    context = {
        "form": form,
        "filtered": bool(filters),
        "today": today_in_caracas(),  # "Mis ventas de hoy", at the end of a shift
        "page": selectors.sales_page(filters=filters, page_number=request.GET.get("page")),
    }
    template = "sales/_order_table.html" if request.htmx else "sales/order_list.html"
    return render(request, template, context)


@sell
def tickets_pdf(request, public_id):
    from ticketing.fiscal.documents import render_tickets_pdf

    order = get_object_or_404(
        Order, public_id=public_id, status__in=[Order.Status.COMPLETED, Order.Status.VOIDED]
    )
    if order.status == Order.Status.VOIDED:  # a link printed or kept from before the void
        context = {"order": order, "credit_note_number": selectors.credit_note_number(order)}
        return render(request, "sales/tickets_voided.html", context, status=410)
    response = HttpResponse(render_tickets_pdf(order), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="entradas-{order.public_id.hex[:8]}.pdf"'
    return response


@require_permission(Permission.VOID_SALES)
@require_POST
def void(request, public_id):
    order = _sale(public_id)
    form = VoidForm(request.POST)
    if not form.is_valid():  # the reason is said next to its field, the form left open
        return _render_sale(request, order, void_form=form, status=422)
    # Through the storefront: an online buyer is told, with the credit note.
    from ticketing.storefront.services import void_sale

    try:
        void_sale(order=order, reason=form.cleaned_data["reason"], actor=request.user)
    except ValidationError as e:
        # Voided meanwhile (another manager, another tab), or refused: the page as it is now,
        # and, if the form is still offered, the reason as it was typed.
        messages.error(request, e.messages[0])
        return _render_sale(request, _sale(public_id), void_form=form, status=409)
    messages.success(
        request,
        _(
            "Venta anulada: nota de crédito %(number)s. Qué devolver al cliente, en qué moneda y por qué "
            "medio está en «Devolver», más abajo."
        )
        % {"number": selectors.credit_note_number(order)},
    )
    return redirect(order_url(order))
