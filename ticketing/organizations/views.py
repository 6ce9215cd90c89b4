from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ticketing.accounts.decorators import platform_admin_required, public_view
from ticketing.core.forms import add_service_errors
from ticketing.core.sites import organization_url

from . import selectors, services
from .forms import OrganizationEditForm, OrganizationForm
from .models import Organization


def _platform_organization(pk) -> Organization:
    return get_object_or_404(Organization.objects.exclude(schema_name="public"), pk=pk)


@public_view
def unknown_organization(request):
    """No organization has this subdomain: say so, and show nobody else's content."""
    return render(request, "organizations/unknown.html", status=404)


@public_view
def landing(request):
    return render(request, "organizations/landing.html")


@public_view
def after_login(request):
    if request.user.is_authenticated and request.user.is_superuser:
        return redirect("platform:organizations")
    return redirect("platform:landing")


@platform_admin_required
def organization_list(request):
    query = request.GET.get("q", "").strip()
    context = {
        "page": selectors.organizations_page(query=query, page_number=request.GET.get("page")),
        "query": query,
    }
    template = "organizations/_organization_table.html" if request.htmx else "organizations/list.html"
    return render(request, template, context)


@platform_admin_required
def organization_create(request):
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.create_organization(
                name=data["name"],
                slug=data["slug"],
                rif=data["rif"],
                fiscal_address=data["fiscal_address"],
                is_special_taxpayer=data["is_special_taxpayer"],
                owner_email=data["owner_email"],
                owner_name=data["owner_name"],
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request,
                _("Organización «%(name)s» creada. Envíe al propietario su enlace de primer acceso.")
                % {"name": created.organization.name},
            )
            request.session["first_login_url"] = created.first_login_url
            return redirect("platform:organization", pk=created.organization.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "organizations/create.html", {"form": form}, status=status)


@platform_admin_required
def organization_detail(request, pk):
    organization = _platform_organization(pk)
    form = OrganizationEditForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_fiscal_data(organization=organization, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Cambios guardados."))
            return redirect("platform:organization", pk=organization.pk)
    context = {
        "org": organization,
        "owners": selectors.owners_of(organization),
        "form": form,
        "site_url": organization_url(organization),
        "first_login_url": request.session.pop("first_login_url", None),
    }
    return render(
        request,
        "organizations/detail.html",
        context,
        status=422 if request.method == "POST" else 200,
    )


@platform_admin_required
@require_POST
def organization_owner_access(request, pk):
    organization = _platform_organization(pk)
    try:
        request.session["first_login_url"] = services.new_owner_access(organization=organization)
    except ValidationError as e:
        messages.error(request, e.messages[0])
    else:
        messages.success(request, _("Nuevo enlace de acceso creado y enviado por correo al propietario."))
    return redirect("platform:organization", pk=organization.pk)


@platform_admin_required
@require_POST
def organization_suspend(request, pk):
    organization = services.suspend_organization(organization=_platform_organization(pk))
    messages.success(request, _("«%(name)s» quedó suspendida.") % {"name": organization.name})
    return redirect("platform:organization", pk=organization.pk)


@platform_admin_required
@require_POST
def organization_reactivate(request, pk):
    organization = services.reactivate_organization(organization=_platform_organization(pk))
    messages.success(request, _("«%(name)s» está activa de nuevo.") % {"name": organization.name})
    return redirect("platform:organization", pk=organization.pk)
