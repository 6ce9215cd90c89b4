"""The customer's "my order" page, reached through the secret link in the confirmation e-mail.

The token in the URL is the only key: the order is looked up by it and nothing else (never by its
public id), a token of the wrong shape is a 404 without a query, and the responses are neither
cached nor sent as a referrer to anyone.
"""

from functools import wraps

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from ticketing.accounts.decorators import public_view
from ticketing.fiscal import documents
from ticketing.sales.models import Order

from . import selectors, services
from .notifications import amount_lines, tickets_filename

# `new_access_token` makes 43 characters; anything much shorter was never issued.
MIN_TOKEN_LENGTH = 32


def private_link(view):
    """The page's URL carries the secret: keep it out of caches and out of Referer headers."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "no-referrer"
        response["Cache-Control"] = "private, no-store"
        return response

    return wrapped


def _order(token: str, *, completed: bool = False) -> Order:
    if len(token) < MIN_TOKEN_LENGTH or len(token) > Order._meta.get_field("access_token").max_length:
        raise Http404
    orders = Order.objects.select_related("event__venue", "customer")
    if completed:
        orders = orders.filter(status=Order.Status.COMPLETED)
    return get_object_or_404(orders, access_token=token)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@public_view
@private_link
def my_order(request, token):
    order = _order(token)
    context = {"order": order}
    if order.status == Order.Status.COMPLETED:
        context["invoice"] = getattr(order, "invoice", None)
        context["tickets"] = documents.tickets_context(order, organization=request.tenant)["tickets"]
        context["amount_lines"] = amount_lines(order)
    elif order.status == Order.Status.REVIEW:
        # Past the review deadline the seats stay held until staff decide (sales.expire_holds).
        context["overdue"] = order.expires_at <= timezone.now()
        context["without_seats"] = services.without_seats(order)
    elif order.status == Order.Status.CANCELLED:
        context["rejection_reason"] = selectors.rejection_reason(order)
    elif order.status == Order.Status.VOIDED:
        context["credit_note"] = _credit_note(order)
    return render(request, "storefront/my_order.html", context)


def _credit_note(order: Order):
    invoice = getattr(order, "invoice", None)
    return invoice.credit_notes.order_by("-pk").first() if invoice is not None else None


@public_view
@private_link
def tickets_pdf(request, token):
    order = _order(token)
    if order.status == Order.Status.VOIDED:  # the link of the confirmation e-mail, after the void
        note = _credit_note(order)
        context = {"order": order, "credit_note": note}
        return render(request, "storefront/tickets_voided.html", context, status=410)
    if order.status != Order.Status.COMPLETED:
        raise Http404
    return _pdf(documents.render_tickets_pdf(order), tickets_filename(order))


@public_view
@private_link
def invoice_pdf(request, token):
    order = _order(token, completed=True)
    invoice = getattr(order, "invoice", None)
    if invoice is None:
        raise Http404
    return _pdf(documents.render_invoice_pdf(invoice), invoice.filename)


@public_view
@private_link
def credit_note_pdf(request, token):
    """A voided order's credit note: the document that annuls what the customer paid."""
    order = _order(token)
    note = _credit_note(order) if order.status == Order.Status.VOIDED else None
    if note is None:
        raise Http404
    return _pdf(documents.render_credit_note_pdf(note), note.filename)
