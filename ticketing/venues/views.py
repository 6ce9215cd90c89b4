from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, ProtectedError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ticketing.accounts.decorators import require_permission
from ticketing.accounts.roles import Permission
from ticketing.core.ordering import in_spanish
from ticketing.events import services as event_services

from .forms import VenueForm
from .models import Venue


@require_permission(Permission.MANAGE_CATALOG)
def venue_list(request):
    venues = Venue.objects.annotate(event_count=Count("events")).order_by(in_spanish("name"))
    page = Paginator(venues, 25).get_page(request.GET.get("page"))
    return render(request, "venues/venue_list.html", {"page": page})


@require_permission(Permission.MANAGE_CATALOG)
def venue_form(request, pk=None):
    venue = get_object_or_404(Venue, pk=pk) if pk else Venue()
    form = VenueForm(request.POST or None, instance=venue)
    if request.method == "POST" and form.is_valid():
        try:
            event_services.save_venue(venue=form.instance)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Recinto «%(name)s» guardado.") % {"name": venue.name})
            return redirect("venues:list")
    status = 422 if request.method == "POST" else 200
    return render(request, "venues/venue_form.html", {"form": form, "venue": venue}, status=status)


@require_permission(Permission.MANAGE_CATALOG)
@require_POST
def venue_delete(request, pk):
    venue = get_object_or_404(Venue, pk=pk)
    try:
        venue.delete()
    except ProtectedError:
        messages.error(request, _("«%(name)s» tiene eventos: no se puede eliminar.") % {"name": venue.name})
    else:
        messages.success(request, _("Recinto eliminado."))
    return redirect("venues:list")
