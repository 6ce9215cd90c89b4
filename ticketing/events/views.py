from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ticketing.accounts.decorators import require_permission
from ticketing.accounts.roles import Permission
from ticketing.core.forms import add_service_errors
from ticketing.pricing.services import current_stage
from ticketing.sales.selectors import paid_orders_with_email

from . import layout, selectors, services
from .forms import BlockSeatsForm, DuplicateEventForm, EventFeeFormSet, EventForm, ZoneForm
from .models import Event, Table, Zone
from .seatmap import seat_map_context

manage_catalog = require_permission(Permission.MANAGE_CATALOG)
# New zones get distinct colors, so a fresh map is readable before anyone picks colors.
ZONE_PALETTE = ["#2563eb", "#f97316", "#9333ea", "#16a34a", "#db2777", "#0891b2", "#ca8a04", "#64748b"]


def _event(pk) -> Event:
    return get_object_or_404(Event.objects.select_related("venue"), pk=pk)


@manage_catalog
def event_list(request):
    status, query = request.GET.get("status", ""), request.GET.get("q", "").strip()
    context = {
        "page": selectors.events_page(status=status, query=query, page_number=request.GET.get("page")),
        "status": status,
        "query": query,
        "statuses": Event.Status.choices,
    }
    template = "events/_event_table.html" if request.htmx else "events/event_list.html"
    return render(request, template, context)


@manage_catalog
def event_form(request, pk=None):
    event = _event(pk) if pk else Event()
    was = event.starts_at  # the form writes what was typed onto the event
    buyers = paid_orders_with_email(event).count() if pk else 0
    form = EventForm(request.POST or None, request.FILES or None, instance=event, buyers_to_tell=buyers)
    fees = EventFeeFormSet(request.POST or None, instance=event, prefix="fees")
    if request.method == "POST" and form.is_valid() and fees.is_valid():
        try:
            with transaction.atomic():
                services.save_event(event=form.instance, fees_changed=fees.has_changed())
                fees.instance = form.instance
                fees.save()
        except ValidationError as e:
            form.add_error(None, e)
        else:
            text = _("Evento «%(name)s» guardado.") % {"name": form.instance.name}
            if buyers and services.moved(was, form.instance.starts_at):
                text += " " + ngettext(
                    "Avisamos del nuevo inicio por correo a %(count)s comprador.",
                    "Avisamos del nuevo inicio por correo a %(count)s compradores.",
                    buyers,
                ) % {"count": buyers}
            messages.success(request, text)
            return redirect("events:detail", pk=form.instance.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "events/event_form.html", {"form": form, "fees": fees, "event": event}, status=status
    )


@manage_catalog
def event_detail(request, pk):
    event = _event(pk)
    zones = selectors.zones_with_counts(event)
    context = {
        "event": event,
        "zones": zones,
        # More places than the venue holds is a typo, or a venue to correct: said, not refused.
        "places": places if (places := selectors.places_in(zones)) > event.venue.capacity else None,
        "stages": list(event.price_stages.all()),
        "current_stage": current_stage(event),
        "blocked": selectors.blocked_seats(event),
        "block_form": BlockSeatsForm(event=event),
        "transitions": [Event.Status(s) for s in services.STATUS_TRANSITIONS[Event.Status(event.status)]],
        **seat_map_context(event),
    }
    return render(request, "events/event_detail.html", context)


@manage_catalog
@require_POST
def event_status(request, pk):
    event = _event(pk)
    try:
        event = services.change_event_status(event=event, status=request.POST.get("status", ""))
    except ValidationError as e:
        messages.error(request, e.messages[0])
    else:
        messages.success(
            request, _("Estado del evento: %(status)s.") % {"status": event.get_status_display()}
        )
    return redirect("events:detail", pk=pk)


@manage_catalog
@require_POST
def event_delete(request, pk):
    event = _event(pk)
    try:
        services.delete_event(event=event)
    except ValidationError as e:
        messages.error(request, e.messages[0])
        return redirect("events:detail", pk=pk)
    messages.success(request, _("Evento «%(name)s» eliminado.") % {"name": event.name})
    return redirect("events:list")


@manage_catalog
def event_duplicate(request, pk):
    event = _event(pk)
    initial = {
        "name": _("%(name)s (copia)") % {"name": event.name},
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
    }
    form = DuplicateEventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.duplicate_event(event=event, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Evento duplicado como borrador, sin ventas."))
            return redirect("events:detail", pk=copy.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "events/event_duplicate.html", {"event": event, "form": form}, status=status)


@manage_catalog
def zone_form(request, pk, zone_pk=None):
    event = _event(pk)
    if zone_pk:
        zone = get_object_or_404(Zone, pk=zone_pk, event=event)
    else:
        zone = Zone(event=event, color=ZONE_PALETTE[event.zones.count() % len(ZONE_PALETTE)])
    form = ZoneForm(request.POST or None, instance=zone)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_zone(zone=form.instance)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Zona «%(name)s» guardada.") % {"name": form.instance.name})
            return redirect("events:detail", pk=event.pk)
    status = 422 if request.method == "POST" else 200
    context = {"event": event, "zone": zone, "form": form, "preview": _preview(form)}
    return render(request, "events/zone_form.html", context, status=status)


@manage_catalog
@require_POST
def zone_preview(request, pk):
    """The seats the zone form would generate, redrawn while the manager types."""
    event = _event(pk)
    form = ZoneForm(request.POST, instance=Zone(event=event))
    return render(request, "events/_zone_preview.html", {"preview": _preview(form)})


PREVIEW_SEAT_LIMIT = 6000
PREVIEW_FIELDS = frozenset(
    {
        "kind",
        "rows",
        "seats_per_row",
        "row_labels",
        "numbering",
        "row_overrides",
        "row_seat_overrides",
        "tables_count",
        "chairs_per_table",
        "capacity",
    }
)


def _preview(form) -> dict | None:
    if not form.is_bound:
        if form.instance.pk is None:
            return None  # a new zone: nothing typed yet
        # An existing zone: its seats as they are, drawn from what the form starts with.
        form = ZoneForm(
            {name: form[name].value() for name in form.fields}, instance=Zone(event=form.instance.event)
        )
    if not form.is_valid():
        # What in the layout keeps the preview from being drawn, as the form will say it on saving
        # (a name or a price not typed yet is no business of the preview's).
        layout_errors = [
            f"{form.fields[name].label}: {error}" if name in form.fields else error
            for name, errors in form.errors.items()
            if name in PREVIEW_FIELDS or name == NON_FIELD_ERRORS
            for error in errors
        ]
        if layout_errors or "kind" not in form.cleaned_data:
            return {"invalid": True, "errors": layout_errors}
    data = form.cleaned_data
    kind = data["kind"]
    if kind == Zone.Kind.GENERAL:
        return {"kind": kind, "capacity": data["capacity"]}
    if kind == Zone.Kind.NUMBERED:
        seats = layout.numbered_layout(
            rows=data["rows"],
            seats_per_row=data["seats_per_row"],
            row_labels=data["row_labels"],
            numbering=data["numbering"],
            overrides=data["row_seat_overrides"],
            origin=(0, 0),
        )
        width, height = layout.numbered_size(
            rows=data["rows"], seats_per_row=data["seats_per_row"], overrides=data["row_seat_overrides"]
        )
        tables = []
        first_row, last_row = seats[0].row_label, seats[-1].row_label
    else:
        tables, seats = layout.tables_layout(
            tables=data["tables_count"], chairs_per_table=data["chairs_per_table"], origin=(0, 0)
        )
        width, height = layout.tables_size(tables=data["tables_count"])
        first_row = last_row = None
    return {
        "kind": kind,
        "count": len(seats),
        "seats": seats if len(seats) <= PREVIEW_SEAT_LIMIT else [],
        "tables": tables,
        "width": width,
        "height": height,
        "first_row": first_row,
        "last_row": last_row,
        "rows": data.get("rows"),
    }


@manage_catalog
@require_POST
def zone_delete(request, pk, zone_pk):
    zone = get_object_or_404(Zone, pk=zone_pk, event_id=pk)
    try:
        services.delete_zone(zone=zone)
    except ValidationError as e:
        messages.error(request, e.messages[0])
    else:
        messages.success(request, _("Zona «%(name)s» eliminada.") % {"name": zone.name})
    return redirect("events:detail", pk=pk)


@manage_catalog
@require_POST
def table_mode(request, pk, table_pk):
    table = get_object_or_404(Table, pk=table_pk, zone__event_id=pk)
    try:
        services.set_table_sale_mode(table=table, sold_whole=request.POST.get("sold_whole") == "1")
    except ValidationError as e:
        messages.error(request, e.messages[0])
    return redirect("events:detail", pk=pk)


def _render_blocks(request, event, *, form=None, status=200):
    context = {
        "event": event,
        "blocked": selectors.blocked_seats(event),
        "block_form": form or BlockSeatsForm(event=event),
    }
    if request.htmx:
        return render(
            request,
            "events/_blocks.html",
            {**context, **seat_map_context(event), "oob_map": True},
            status=status,
        )
    return redirect("events:detail", pk=event.pk)


@manage_catalog
@require_POST
def seats_block(request, pk):
    event = _event(pk)
    form = BlockSeatsForm(request.POST, event=event)
    if form.is_valid():
        data = form.cleaned_data
        try:
            seat_ids = data["seats"] or services.seats_in_range(
                zone=data["zone"], row_label=data["row"], first=data["first"], last=data["last"]
            )
            seats = services.block_seats(event=event, seat_ids=seat_ids, reason=data["reason"])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("%(count)s asiento(s) bloqueado(s).") % {"count": len(seats)})
            return _render_blocks(request, event)
    if not request.htmx:
        for error in form.non_field_errors() or [_("Revise el formulario de bloqueo.")]:
            messages.error(request, error)
        return redirect("events:detail", pk=event.pk)
    return _render_blocks(request, event, form=form, status=422)


@manage_catalog
@require_POST
def seats_unblock(request, pk):
    event = _event(pk)
    ids = [int(v) for v in request.POST.getlist("seat") if v.isascii() and v.isdigit()]
    count = services.unblock_seats(event=event, seat_ids=ids)
    messages.success(request, _("%(count)s asiento(s) desbloqueado(s).") % {"count": count})
    return _render_blocks(request, event)
