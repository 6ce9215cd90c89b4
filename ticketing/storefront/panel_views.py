"""Staff side of online sales: the review queue of reported payments, and the online settings."""

from django.http import Http404

from ticketing.accounts.decorators import require_permission
from ticketing.accounts.roles import Permission


@require_permission(Permission.SELL)
def review_queue(request):
    raise Http404


@require_permission(Permission.SELL)
def confirm(request, public_id):
    raise Http404


@require_permission(Permission.SELL)
def reject(request, public_id):
    raise Http404


@require_permission(Permission.MANAGE_RATES)
def online_settings_page(request):
    raise Http404
