from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import ngettext

from ticketing.accounts.decorators import public_view
from ticketing.events.models import Zone
from ticketing.events.seatmap import seat_map_context

from . import selectors


@public_view
def index(request):
    page, listed = selectors.storefront_page(page_number=request.GET.get("page"))
    return render(request, "storefront/index.html", {"page": page, "listed": listed})


@public_view
def event_page(request, pk):
    event = get_object_or_404(selectors.events_on_sale_online(), pk=pk)
    general = [zone for zone in event.zones.all() if zone.kind == Zone.Kind.GENERAL]
    availability = [
        ngettext("%(zone)s: queda %(count)s entrada", "%(zone)s: quedan %(count)s entradas", left)
        % {"zone": zone.name, "count": left}
        for zone, left in (
            (zone, max(zone.capacity - zone.sold_count - zone.held_count, 0)) for zone in general
        )
    ]
    context = {
        "event": event,
        "availability": availability,
        "from_price": selectors.lowest_price(event),
        **seat_map_context(event, interactive=False),
    }
    return render(request, "storefront/event.html", context)


@public_view
def terms(request):
    raise Http404


@public_view
def event_map(request, pk):
    raise Http404


@public_view
def hold(request, pk):
    raise Http404


@public_view
def checkout(request, public_id):
    raise Http404


@public_view
def release(request, public_id, ticket_pk):
    raise Http404


@public_view
def cancel(request, public_id):
    raise Http404


@public_view
def payment(request, public_id):
    raise Http404


@public_view
def gateway_webhook(request, provider):
    raise Http404
