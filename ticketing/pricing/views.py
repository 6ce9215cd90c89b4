from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ticketing.accounts.decorators import require_permission
from ticketing.accounts.roles import Permission
from ticketing.events import layout
from ticketing.events.models import Event, Zone

from . import services
from .forms import RowRangeFormSet, StageFormSet

manage_catalog = require_permission(Permission.MANAGE_CATALOG)


def _kept(formset):
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


@manage_catalog
def price_stages(request, pk):
    event = get_object_or_404(Event, pk=pk)
    initial = [
        {
            "name": s.name,
            "starts_at": s.starts_at,
            "ends_at": s.ends_at,
            "quantity_limit": s.quantity_limit,
            "markup_percent": s.markup_percent,
        }
        for s in event.price_stages.all()
    ]
    formset = StageFormSet(request.POST or None, initial=initial, prefix="stages")
    error = None
    if request.method == "POST" and formset.is_valid():
        stages = [
            services.StageInput(
                name=d["name"],
                starts_at=d["starts_at"],
                ends_at=d["ends_at"],
                quantity_limit=d["quantity_limit"],
                markup_percent=d["markup_percent"],
            )
            for d in _kept(formset)
        ]
        try:
            services.replace_price_stages(event=event, stages=stages)
        except ValidationError as e:
            error = e.messages
        else:
            messages.success(request, _("Etapas de precio guardadas."))
            return redirect("events:detail", pk=event.pk)
    status = 422 if request.method == "POST" else 200
    context = {
        "event": event,
        "formset": formset,
        "errors": error,
        "current_stage": services.current_stage(event),
    }
    return render(request, "pricing/stages.html", context, status=status)


@manage_catalog
def row_pricing(request, pk, zone_pk):
    zone = get_object_or_404(
        Zone.objects.select_related("event"), pk=zone_pk, event_id=pk, kind=Zone.Kind.NUMBERED
    )
    initial = [
        {
            "first_row": layout.row_label(r.first_row, zone.row_labels),
            "last_row": layout.row_label(r.last_row, zone.row_labels),
            "percent": r.percent,
        }
        for r in zone.row_prices.all()
    ]
    formset = RowRangeFormSet(
        request.POST or None, initial=initial, prefix="rows", form_kwargs={"zone": zone}
    )
    error = None
    if request.method == "POST" and formset.is_valid():
        ranges = [
            services.RowRangeInput(first_row=d["first_row"], last_row=d["last_row"], percent=d["percent"])
            for d in _kept(formset)
        ]
        try:
            services.replace_row_pricing(zone=zone, ranges=ranges)
        except ValidationError as e:
            error = e.messages
        else:
            messages.success(request, _("Precios por fila de «%(zone)s» guardados.") % {"zone": zone.name})
            return redirect("events:detail", pk=pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "pricing/row_pricing.html",
        {"zone": zone, "event": zone.event, "formset": formset, "errors": error},
        status=status,
    )
