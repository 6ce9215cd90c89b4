"""The customer's "my order" page, reached through the secret link in the confirmation e-mail."""

from django.http import Http404

from ticketing.accounts.decorators import public_view


@public_view
def my_order(request, token):
    raise Http404


@public_view
def tickets_pdf(request, token):
    raise Http404


@public_view
def invoice_pdf(request, token):
    raise Http404
