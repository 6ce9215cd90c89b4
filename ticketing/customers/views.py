"""Customers: the picker that sale screens embed, its endpoints, and the customer list.

The picker (customers/_picker.html)
-----------------------------------
One `<div id="customer-picker">` (one per page) with two states:

- empty: a search box (cédula/RIF, phone, e-mail or name; results while typing, each a button
  that Tab reaches and Enter picks) and a folded "Nuevo cliente" form;
- picked: the customer, `<input type="hidden" name="customer" value="<pk>">` and a "Cambiar"
  button that brings the empty state back.

A page includes it with the context of `picker_context()`:

    # view
    from ticketing.customers.views import picker_context
    context = {..., **picker_context(customer=sale.customer)}   # or picker_context() for none
    # template (inside or outside the page's own <form>: the picker contains no <form>)
    {% include "customers/_picker.html" %}

Every state swaps the whole picker (hx-swap="outerHTML"), so the hidden input is inside the
page's form whenever the picker is. The picker loads static/customers/picker.js itself (Enter in
its fields searches or creates instead of submitting the surrounding form). When a customer is
picked or created the response fires the `customerPicked` event (detail: {id, label}); "Cambiar"
fires `customerCleared`: listen on document.body to react (e.g. show the buyer on the invoice).
"""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from ticketing.accounts.decorators import require_permission
from ticketing.accounts.roles import Permission
from ticketing.sales.selectors import customer_sales_count

from . import selectors, services
from .forms import CustomerForm
from .models import Customer

PICKER_FORM_PREFIX = "customer"  # the inline form's fields: customer-first_name, customer-id_document…


def picker_context(
    customer: Customer | None = None, form: CustomerForm | None = None, query: str = ""
) -> dict:
    """Context for `{% include "customers/_picker.html" %}`.

    customer: the picked customer (picked state) or None (empty state).
    form: a bound CustomerForm (prefix PICKER_FORM_PREFIX) to show with its errors; a blank one
      by default when no customer is picked.
    query: text for the search box; its results are rendered too.

    The keys start with `picker_` so they never clobber the including page's own `form` or `query`.
    """
    query = (query or "").strip()
    if form is None and customer is None:  # a picked customer shows no form: none to build
        form = CustomerForm(prefix=PICKER_FORM_PREFIX)
    results = selectors.search_customers(query) if customer is None else []
    return {
        "picker_customer": customer,
        "picker_form": form,
        "picker_query": query,
        "picker_results": results,
        "picker_searched": len(query) >= selectors.SEARCH_MIN_LENGTH,
        "picker_new_field": None if results or customer else selectors.new_customer_field(query),
    }


def _render_picker(request, *, status=200, **kwargs):
    response = render(request, "customers/_picker.html", picker_context(**kwargs), status=status)
    customer = kwargs.get("customer")
    if customer is not None:
        trigger_client_event(response, "customerPicked", {"id": customer.pk, "label": str(customer)})
    return response


@require_permission(Permission.SELL)
@require_GET
def customer_list(request):
    query = request.GET.get("q", "").strip()
    context = {
        "page": selectors.customers_page(query=query, page_number=request.GET.get("page")),
        "query": query,
    }
    template = "customers/_customer_table.html" if request.htmx else "customers/customer_list.html"
    return render(request, template, context)


@require_permission(Permission.SELL)
@require_GET
def customer_search(request):
    query = request.GET.get("q", "").strip()
    results = selectors.search_customers(query)
    context = {
        "results": results,
        "query": query,
        "searched": len(query) >= selectors.SEARCH_MIN_LENGTH,
        "new_field": None if results else selectors.new_customer_field(query),
    }
    return render(request, "customers/_results.html", context)


@require_permission(Permission.SELL)
@require_GET
def customer_picker(request):
    response = _render_picker(request, query=request.GET.get("q", ""))
    return trigger_client_event(response, "customerCleared")


@require_permission(Permission.SELL)
@require_GET
def customer_picked(request, pk):
    return _render_picker(request, customer=get_object_or_404(Customer, pk=pk))


@require_permission(Permission.SELL)
@require_POST
def customer_create(request):
    form = CustomerForm(request.POST, prefix=PICKER_FORM_PREFIX)
    if form.is_valid():
        try:
            customer = services.create_customer(**form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            return _render_picker(request, customer=customer, status=201)
    query = request.POST.get("q", "")
    if form.has_error("id_document", code="unique"):
        query = form["id_document"].value()  # list the existing customer, ready to pick
    return _render_picker(request, form=form, query=query, status=422)


@require_permission(Permission.SELL)
def customer_detail(request, pk):
    """A customer's details, to correct (a mistyped e-mail never gets the tickets), and the way
    to their purchases."""
    customer = get_object_or_404(Customer, pk=pk)
    if request.method == "POST":
        # A copy: validating sets the typed values on the form's instance, and the page's
        # heading must keep the saved name while errors are shown.
        form = CustomerForm(request.POST, instance=copy.copy(customer))
        if form.is_valid():
            try:
                services.update_customer(customer=customer, **form.cleaned_data)
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(request, _("Datos de %(name)s guardados.") % {"name": customer.full_name})
                return redirect("customers:detail", pk=customer.pk)
    else:
        form = CustomerForm(instance=customer, initial={"phone": customer.phone_local})
    context = {"customer": customer, "form": form, "purchases": customer_sales_count(customer)}
    status = 422 if form.is_bound else 200
    return render(request, "customers/customer_detail.html", context, status=status)
