from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .decorators import require_permission
from .forms import ChangeRoleForm, InviteStaffForm
from .models import User
from .roles import Permission, Role


def _render_staff(request, *, form=None, status=200):
    context = {
        "page": selectors.staff_page(page_number=request.GET.get("page")),
        "form": form or InviteStaffForm(),
        "roles": Role.choices,
    }
    template = "accounts/_staff_section.html" if request.htmx else "accounts/staff.html"
    return render(request, template, context, status=status)


@require_permission(Permission.MANAGE_STAFF)
def staff_list(request):
    return _render_staff(request)


@require_permission(Permission.MANAGE_STAFF)
@require_POST
def staff_invite(request):
    form = InviteStaffForm(request.POST)
    if form.is_valid():
        try:
            invited = services.invite_staff(**form.cleaned_data, invited_by=request.user)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(
                request,
                _("Invitación enviada a %(email)s.") % {"email": invited.email},
            )
            if not request.htmx:
                return redirect("accounts:staff")
            return _render_staff(request)
    return _render_staff(request, form=form, status=422)


def _render_row(request, member, *, error=None, status=200):
    return render(
        request,
        "accounts/_staff_row.html",
        {"member": member, "roles": Role.choices, "row_error": error},
        status=status,
    )


def _member_action(request, member, action):
    """Run a service on one member; answer with the row (HTMX) or back to the list."""
    try:
        member = action()
    except ValidationError as e:
        member.refresh_from_db()
        if request.htmx:
            return _render_row(request, member, error=e.messages[0], status=409)
        messages.error(request, e.messages[0])
        return redirect("accounts:staff")
    if request.htmx:
        return _render_row(request, member)
    return redirect("accounts:staff")


@require_permission(Permission.MANAGE_STAFF)
@require_POST
def staff_change_role(request, pk):
    member = get_object_or_404(User, pk=pk)
    form = ChangeRoleForm(request.POST)
    if not form.is_valid():
        return _render_row(request, member, error=_("Elija un rol válido."), status=422)

    def change():
        changed = services.change_role(member=member, role=form.cleaned_data["role"], changed_by=request.user)
        messages.success(
            request,
            _("%(name)s ahora tiene el rol %(role)s.")
            % {"name": changed.full_name or changed.email, "role": changed.get_role_display()},
        )
        return changed

    return _member_action(request, member, change)


@require_permission(Permission.MANAGE_STAFF)
@require_POST
def staff_deactivate(request, pk):
    member = get_object_or_404(User, pk=pk)
    return _member_action(
        request, member, lambda: services.deactivate_staff(member=member, deactivated_by=request.user)
    )


@require_permission(Permission.MANAGE_STAFF)
@require_POST
def staff_reactivate(request, pk):
    member = get_object_or_404(User, pk=pk)
    return _member_action(request, member, lambda: services.reactivate_staff(member=member))


@require_permission(Permission.MANAGE_STAFF)
@require_POST
def staff_resend_invitation(request, pk):
    member = get_object_or_404(User, pk=pk, is_active=True)
    if not member.invitation_pending:
        return _render_row(request, member, error=_("Esta persona ya eligió su contraseña."), status=409)
    services.resend_invitation(member=member, invited_by=request.user)
    messages.success(request, _("Invitación reenviada a %(email)s.") % {"email": member.email})
    if request.htmx:
        return _render_row(request, member)
    return redirect("accounts:staff")
