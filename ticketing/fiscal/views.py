from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ticketing.accounts.decorators import require_permission
from ticketing.accounts.roles import Permission
from ticketing.core.forms import add_service_errors
from ticketing.organizations.services import update_fiscal_data

from . import documents, services
from .forms import ControlNumberSettingsForm, IssuerForm
from .models import CreditNote, Invoice

sell = require_permission(Permission.SELL)


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _invoice(pk) -> Invoice:
    return get_object_or_404(Invoice.objects.select_related("order__event__venue"), pk=pk)


@sell
def invoice_pdf(request, pk):
    invoice = _invoice(pk)
    return _pdf_response(documents.render_invoice_pdf(invoice), invoice.filename)


@sell
def credit_note_pdf(request, pk):
    note = get_object_or_404(CreditNote.objects.select_related("invoice__order__event__venue"), pk=pk)
    return _pdf_response(documents.render_credit_note_pdf(note), note.filename)


@sell
def invoice_receipt(request, pk):
    invoice = _invoice(pk)
    with translation.override(documents.FISCAL_LANGUAGE):  # a fiscal document, as the PDFs
        return render(request, "fiscal/receipt.html", documents.receipt_context(invoice))


def _settings_form(row) -> ControlNumberSettingsForm:
    return ControlNumberSettingsForm(
        initial={
            "provider": row.provider,
            "prefix": row.prefix,
            "range_start": row.range_start,
            "range_end": row.range_end,
        }
    )


@require_permission(Permission.MANAGE_FISCAL)
def control_settings(request):
    row = services.control_settings()
    form = _settings_form(row)
    status, saved = 200, False
    if request.method == "POST":
        form = ControlNumberSettingsForm(request.POST)
        status = 422
        if form.is_valid():
            try:
                row = services.save_control_settings(**form.cleaned_data)
            except ValidationError as e:
                if hasattr(e, "error_dict"):
                    for field, errors in e.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, e)
            else:
                if not request.htmx:
                    messages.success(request, _("Configuración fiscal guardada."))
                    return redirect("fiscal:settings")
                form, status, saved = _settings_form(row), 200, True
    context = {"form": form, "settings_row": row, "saved": saved}
    if request.htmx:
        return render(request, "fiscal/_settings_form.html", context, status=status)
    context["issuer_form"] = _issuer_form(request.tenant)
    return render(request, "fiscal/settings.html", context, status=status)


def _issuer_form(organization) -> IssuerForm:
    fields = ("name", "rif", "fiscal_address", "is_special_taxpayer")
    return IssuerForm(initial={name: getattr(organization, name) for name in fields})


@require_permission(Permission.MANAGE_FISCAL)
@require_POST
def issuer_settings(request):
    """The organization's name, RIF, fiscal address and IGTF condition, as new invoices print them."""
    form, status, saved = IssuerForm(request.POST), 422, False
    if form.is_valid():
        try:
            organization = update_fiscal_data(organization=request.tenant, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            if not request.htmx:
                messages.success(request, _("Datos del emisor guardados."))
                return redirect("fiscal:settings")
            form, status, saved = _issuer_form(organization), 200, True
    context = {"issuer_form": form, "issuer_saved": saved}
    if request.htmx:
        return render(request, "fiscal/_issuer_form.html", context, status=status)
    row = services.control_settings()
    context.update(form=_settings_form(row), settings_row=row, saved=False)
    return render(request, "fiscal/settings.html", context, status=status)
