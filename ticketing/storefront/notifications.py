"""The e-mails an online customer receives (HTML and text, Spanish).

Called by the worker (`storefront.tasks`) in the organization's schema. The order does not record
the language the buyer browsed in, so e-mails are written in the site's language, whatever the
language of the request that happened to send them (the tasks run eagerly in tests).
"""

from decimal import Decimal
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from ticketing.core.money import format_money
from ticketing.core.sites import organization_url
from ticketing.fiscal import documents
from ticketing.organizations.selectors import current_organization
from ticketing.sales.models import Order, Ticket
from ticketing.sales.selectors import in_place_order, refund_of


def recipient(order: Order) -> str:
    """Where to write: the e-mail given at checkout, else the customer's."""
    if order.contact_email:
        return order.contact_email
    return order.customer.email if order.customer_id and order.customer.email else ""


def my_order_url(order: Order, *, organization=None) -> str:
    """The absolute "my order" link: its token is the only key to the page."""
    path = reverse("storefront:my_order", kwargs={"token": order.access_token}, urlconf=settings.ROOT_URLCONF)
    return organization_url(organization or current_organization(), path)


def event_starts(event) -> str:
    """The event's date and time in Caracas, as the site writes dates ("5 de marzo de 2026, 20:00")."""
    return formats.date_format(timezone.localtime(event.starts_at, documents.CARACAS), "DATETIME_FORMAT")


def tickets_filename(order: Order) -> str:
    return f"entradas-{order.public_id.hex[:8]}.pdf"


def _percent(value) -> str:
    value = Decimal(str(value or "0"))
    places = 0 if value == value.to_integral() else 2
    return f"{formats.number_format(value, places, use_l10n=True)} %"


def amount_lines(order: Order) -> list[dict]:
    """What adds up to the total, from the frozen breakdown: subtotal, IVA, fees and IGTF."""
    totals, currency = order.totals or {}, order.currency or order.event.currency
    lines = [
        {"label": _("Subtotal"), "amount": format_money(Decimal(totals.get("subtotal") or "0"), currency)}
    ]
    if totals.get("exempt"):
        lines.append({"label": _("Exento de IVA"), "amount": ""})
    else:
        lines.append(
            {
                "label": _("IVA (%(rate)s)") % {"rate": _percent(totals.get("iva_rate"))},
                "amount": format_money(Decimal(totals.get("iva") or "0"), currency),
            }
        )
    for fee in totals.get("fees", []):
        lines.append(
            {
                "label": f"{fee.get('name', '')} ({_percent(fee.get('rate'))})",
                "amount": format_money(Decimal(fee.get("amount") or "0"), currency),
            }
        )
    if order.igtf_ves:
        lines.append({"label": _("IGTF"), "amount": format_money(order.igtf_ves, "VES")})
    return lines


def _event_context(order: Order, organization) -> dict:
    event = order.event
    return {
        "organization_name": organization.name,
        "customer_name": order.customer.full_name if order.customer_id else "",
        "event_name": event.name,
        "event_starts": event_starts(event),
        "venue": event.venue.name,
        "venue_address": f"{event.venue.address}, {event.venue.city}",
    }


def from_organization(name: str) -> str:
    """The platform's sending address under the organization's name: buyers know the organizer,
    not the platform ("Producciones Demo <no-reply@…>")."""
    _platform_name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((name, address))


def _send(*, to: str, subject: str, template: str, context: dict, attachments=()) -> None:
    text = render_to_string(f"storefront/email/{template}.txt", context)
    html = render_to_string(f"storefront/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject, text, from_email=from_organization(context["organization_name"]), to=[to]
    )
    message.attach_alternative(html, "text/html")
    for filename, content in attachments:
        message.attach(filename, content, "application/pdf")
    message.send()


def send_order_confirmation(order: Order, *, to: str = "") -> None:
    """The tickets of a completed order: the list, the "my order" link, and both PDFs. To `to`,
    else to the order's recipient (an online order's buyer, a box-office sale's customer)."""
    order = Order.objects.select_related("event__venue", "customer").get(pk=order.pk)
    to = to or recipient(order)
    if not to or order.status != Order.Status.COMPLETED:
        return  # voided before the worker got to it, or nobody to write to
    organization = current_organization()
    invoice = getattr(order, "invoice", None)
    with translation.override(settings.LANGUAGE_CODE):
        currency = order.currency or order.event.currency
        in_foreign_currency = currency != "VES" and order.total_ves is not None
        tickets = in_place_order(
            order.tickets.filter(status=Ticket.Status.VALID).select_related("zone", "seat")
        )
        context = {
            **_event_context(order, organization),
            "tickets": [{"label": t.label, "price": format_money(t.price, currency)} for t in tickets],
            "amount_lines": amount_lines(order),
            "total": format_money(order.total, currency) if order.total is not None else "",
            "total_ves": format_money(order.total_ves, "VES") if in_foreign_currency else "",
            "invoice_number": invoice.display_number if invoice else "",
            "link": my_order_url(order, organization=organization) if order.access_token else "",
        }
        subject = _("Sus entradas para %(event)s") % {"event": order.event.name}
        attachments = [(tickets_filename(order), documents.render_tickets_pdf(order))]
        if invoice:
            attachments.append((invoice.filename, documents.render_invoice_pdf(invoice)))
        _send(to=to, subject=subject, template="order_confirmed", context=context, attachments=attachments)


def send_payment_rejected(order: Order, *, reason: str) -> None:
    """The reported payment was not found: say why, that the seats went back on sale, and where to
    buy again."""
    _send_closed_payment(
        order,
        template="payment_rejected",
        subject=lambda event: _("No pudimos verificar su pago para %(event)s") % {"event": event},
        reason=reason,
    )


def send_payment_refunded(order: Order, *, note: str, amount, currency: str) -> None:
    """A payment that arrived after the order's seats went to someone else was given back: say
    how much, how (`note`), and where to buy again."""
    _send_closed_payment(
        order,
        template="payment_refunded",
        subject=lambda event: _("Le devolvimos su pago para %(event)s") % {"event": event},
        note=note,
        amount=format_money(amount, currency),
    )


def _send_closed_payment(order: Order, *, template: str, subject, **said) -> None:
    """A reported payment staff closed without a sale: `said` and a link to buy again."""
    order = Order.objects.select_related("event__venue", "customer").get(pk=order.pk)
    to = recipient(order)
    if not to:
        return
    organization = current_organization()
    with translation.override(settings.LANGUAGE_CODE):
        event_path = reverse("storefront:event", kwargs={"pk": order.event_id}, urlconf=settings.ROOT_URLCONF)
        context = {
            **_event_context(order, organization),
            **said,
            "event_link": organization_url(organization, event_path),
        }
        _send(to=to, subject=subject(order.event.name), template=template, context=context)


def send_order_voided(order: Order, *, reason: str) -> None:
    """A completed online order was voided: say so and why, with the credit note that annuls its
    invoice, and whom to ask for the refund."""
    order = Order.objects.select_related("event__venue", "customer", "invoice").get(pk=order.pk)
    to = recipient(order)
    note = order.invoice.credit_notes.order_by("-pk").first() if hasattr(order, "invoice") else None
    if not to or order.status != Order.Status.VOIDED or note is None:
        return
    organization = current_organization()
    with translation.override(settings.LANGUAGE_CODE):
        refund = refund_of(order, list(order.payments.all()))
        context = {
            **_event_context(order, organization),
            "reason": reason,
            "link": my_order_url(order, organization=organization),
            # What comes back, and how: the buyer knows what to expect and where.
            "refund_lines": [
                f"{line.payment.get_method_display()}: {format_money(line.amount, line.payment.currency)}"
                for line in (refund.lines if refund else [])
                if line.amount > 0
            ],
        }
        subject = _("Su compra para %(event)s fue anulada") % {"event": order.event.name}
        attachments = [(note.filename, documents.render_credit_note_pdf(note))]
        _send(to=to, subject=subject, template="order_voided", context=context, attachments=attachments)


def send_event_rescheduled(order: Order, *, was) -> None:
    """The event of a paid order moved to another date: the old and the new, and that the
    tickets hold for the new one."""
    order = Order.objects.select_related("event__venue", "customer").get(pk=order.pk)
    to = recipient(order)
    if not to or order.status != Order.Status.COMPLETED:
        return  # voided meanwhile, or nobody to write to
    organization = current_organization()
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            **_event_context(order, organization),
            "was": formats.date_format(timezone.localtime(was, documents.CARACAS), "DATETIME_FORMAT"),
            "link": my_order_url(order, organization=organization) if order.access_token else "",
        }
        subject = _("Cambió la fecha de %(event)s") % {"event": order.event.name}
        _send(to=to, subject=subject, template="event_rescheduled", context=context)


def send_payment_received(order: Order) -> None:
    """The customer reported a payment (or the bank is still deciding on a card): the seats are
    held until the review deadline, and the "my order" link shows how it ends."""
    order = Order.objects.select_related("event__venue", "customer").get(pk=order.pk)
    to = recipient(order)
    if not to or order.status != Order.Status.REVIEW:
        return  # already confirmed (the confirmation says it all), or nobody to write to
    organization = current_organization()
    with translation.override(settings.LANGUAGE_CODE):
        payment = order.draft_payments[0] if order.draft_payments else {}
        context = {
            **_event_context(order, organization),
            "tickets": [
                t.label
                for t in in_place_order(
                    order.tickets.filter(status=Ticket.Status.HELD).select_related("zone", "seat")
                )
            ],
            "payment": payment.get("method_label", ""),
            "amount": format_money(Decimal(payment.get("amount") or "0"), payment.get("currency", "VES")),
            "deadline": formats.date_format(
                timezone.localtime(order.expires_at, documents.CARACAS), "DATETIME_FORMAT"
            ),
            "link": my_order_url(order, organization=organization),
            "without_seats": bool(payment.get("without_seats")),  # reported after they were gone
        }
        subject = _("Recibimos su pago para %(event)s: lo estamos verificando") % {"event": order.event.name}
        _send(to=to, subject=subject, template="payment_received", context=context)
