from django.shortcuts import redirect, render
from django.views.decorators.csrf import requires_csrf_token

from ticketing.accounts.decorators import public_view, require_permission
from ticketing.accounts.roles import Permission, user_has_permission
from ticketing.events.selectors import currencies_on_sale
from ticketing.fiscal.services import control_numbers_are_for_testing, control_numbers_running_low
from ticketing.payments.selectors import todays_rates
from ticketing.payments.services import today_in_caracas
from ticketing.storefront.selectors import card_payments_are_simulated


@require_permission(Permission.VIEW_PANEL)
def panel(request):
    context = {}
    if user_has_permission(request.user, Permission.SELL):  # nobody sells without today's rate
        context = {
            "today": today_in_caracas(),
            "todays_rates": todays_rates(),
            "currencies_on_sale": currencies_on_sale(),
            # Nor invoices without control numbers: said while there is time to ask for more.
            "control_numbers_left": control_numbers_running_low(),
            # Test settings a new organization starts with: said until they are changed.
            "invoices_for_testing": control_numbers_are_for_testing(),
            "cards_simulated": card_payments_are_simulated(),
        }
    return render(request, "core/panel.html", context)


@public_view
def after_login(request):
    return redirect("core:panel" if request.user.is_authenticated else "account_login")


@requires_csrf_token
def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    return render(request, "500.html", status=500)


def csrf_failure(request, reason=""):
    """The page's security token no longer matches the session's: the person signed in again in
    another tab, or the page sat open across a new session. Not a matter of permissions, as
    Django's 403 would say: the page has to be loaded again. An htmx request says so in a header
    (static/js/app.js shows it in the banner)."""
    response = render(request, "csrf_failure.html", status=403)
    response["X-Stale-Page"] = "1"
    return response
