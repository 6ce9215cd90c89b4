from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ticketing.accounts.decorators import require_permission
from ticketing.accounts.roles import Permission
from ticketing.core.forms import add_service_errors

from . import selectors, services
from .forms import ExchangeRateForm
from .templatetags.exchange_rates import rate as format_rate


def _render_rates(request, *, form=None, status=200):
    context = {
        "page": selectors.rates_page(page_number=request.GET.get("page")),
        "today": services.today_in_caracas(),
        "todays_rates": selectors.todays_rates(),
        "form": form or ExchangeRateForm(),
    }
    template = "payments/_rates_section.html" if request.htmx else "payments/rates.html"
    return render(request, template, context, status=status)


@require_permission(Permission.MANAGE_RATES)
def rates(request):
    """The BCV rates: the list, and a form that adds or replaces the rate of a date and currency."""
    if request.method != "POST":
        return _render_rates(request)
    form = ExchangeRateForm(request.POST)
    if form.is_valid():
        try:
            saved = services.set_rate(
                on=form.cleaned_data["date"],
                currency=form.cleaned_data["currency"],
                ves_per_unit=form.cleaned_data["ves_per_unit"],
                by=request.user,
                confirmed=form.cleaned_data["confirm_rate"],
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request,
                _("Tasa BCV del %(date)s guardada: Bs. %(rate)s por %(currency)s.")
                % {
                    "date": saved.date.strftime("%d/%m/%Y"),
                    "rate": format_rate(saved.ves_per_unit),
                    "currency": saved.currency,
                },
            )
            if not request.htmx:
                return redirect("payments:rates")
            return _render_rates(request)
    return _render_rates(request, form=form, status=422)
