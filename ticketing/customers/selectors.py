"""Reads on customers: the search the seller types into, and the paginated list."""

import re
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.core.validators import validate_email
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Lower, NullIf

from ticketing.core.identifiers import (
    PASSPORT_PREFIX,
    format_ve_mobile,
    normalize_id_document,
    normalize_ve_mobile,
    rif_letters,
    same_person_documents,
)
from ticketing.core.ordering import in_spanish
from ticketing.core.sql import fetch_instances, select_list

from .models import Customer

SEARCH_MIN_LENGTH = 3
CUSTOMERS_PAGE_SIZE = 25


def customer_by_pk(pk: int) -> Customer | None:
    """The customer the seller picked, sent back with each step of a sale: written out
    (core.sql), a third of the ORM's cost for this one-row read."""
    rows = fetch_instances(
        f"SELECT {select_list(Customer, 'c')} FROM {Customer._meta.db_table} c WHERE c.id = %s",
        [pk],
        (Customer, "c"),
    )
    return rows[0][0] if rows else None


def id_document_prefixes(query: str) -> list[str]:
    """What the stored cédula/RIF/passport starts with when the seller has typed `query` of it:
    "1234" → V-1234, E-1234, J-1234…; "v-1234" → V-1234; "j312948469" → J-31294846-9;
    "ab123" → PAS-AB123."""
    compact = re.sub(r"[\s.\-]", "", query).upper()
    letters = rif_letters()
    match = re.fullmatch(rf"([{letters}]?)(\d+)", compact)
    if not match:
        # A passport: letters and digits, "PAS" typed before them or not.
        passport = re.fullmatch(r"(?:PAS(?:APORTE)?)?([A-Z0-9]*\d[A-Z0-9]*)", compact)
        return [PASSPORT_PREFIX + passport.group(1)] if passport else []
    letter, digits = match.groups()
    variants = {digits, digits.lstrip("0")} - {""}  # a cédula is stored without leading zeros
    prefixes = []
    for number in sorted(variants):
        stored = number if len(number) <= 8 else f"{number[:8]}-{number[8:]}"
        prefixes += [f"{each}-{stored}" for each in (letter or letters)]
    return prefixes


def _phone_conditions(query: str) -> list[Q]:
    """The stored +58… number contains the typed digits; typed locally ("0414 123") it starts with
    +58414123."""
    if not re.fullmatch(r"[\d\s.\-()+]+", query):
        return []
    digits = re.sub(r"\D", "", query)
    if len(digits) < SEARCH_MIN_LENGTH:
        return []
    conditions = [Q(phone__contains=digits)]
    if digits.startswith("0"):
        conditions.append(Q(phone__startswith="+58" + digits[1:]))
    return conditions


def _same_person_conditions(query: str) -> list[Q]:
    """A whole cédula or natural person's RIF also finds the same person stored by the other."""
    try:
        forms = same_person_documents(normalize_id_document(query))
    except ValidationError:
        return []
    if forms is None:
        return []
    cedula, rif_start = forms
    return [Q(id_document=cedula) | Q(id_document__startswith=rif_start)]


def _exact_conditions(query: str) -> list[Q]:
    conditions = []
    for normalize, field in ((normalize_id_document, "id_document"), (normalize_ve_mobile, "phone")):
        try:
            conditions.append(Q(**{field: normalize(query)}))
        except ValidationError:
            pass
    conditions += _same_person_conditions(query)
    if "@" in query:
        conditions.append(Q(email_lower=query.lower()))
    return conditions


def matching_customers(query: str) -> QuerySet[Customer]:
    """Customers matching `query` by cédula/RIF prefix, phone digits, e-mail or name, best first:
    an exact cédula/RIF, phone or e-mail, then cédula/RIF prefixes, then the rest by name."""
    query = " ".join(query.split())
    customers = Customer.objects.annotate(email_lower=Lower("email"))
    if not query:
        # People by surname, companies (no surname) by their name, among them.
        return customers.order_by(
            in_spanish(Lower(Coalesce(NullIf("last_name", Value("")), "first_name"))),
            in_spanish("first_name"),
            "pk",
        )
    prefix_conditions = [Q(id_document__startswith=prefix) for prefix in id_document_prefixes(query)]
    name_words = Q()
    for word in query.split():
        # Sellers type "Perez" for "Pérez" (unaccent: ticketing/core/migrations).
        name_words &= Q(first_name__unaccented__icontains=word) | Q(last_name__unaccented__icontains=word)
    conditions = [
        *prefix_conditions,
        *_same_person_conditions(query),
        *_phone_conditions(query),
        Q(email__icontains=query),
        name_words,
    ]
    ranks = [When(reduce(or_, exact), then=Value(0))] if (exact := _exact_conditions(query)) else []
    if prefix_conditions:
        ranks.append(When(reduce(or_, prefix_conditions), then=Value(1)))
    rank = Case(*ranks, default=Value(2), output_field=IntegerField()) if ranks else Value(2)
    return (
        customers.filter(reduce(or_, conditions))
        .annotate(search_rank=rank)
        .order_by("search_rank", in_spanish("last_name"), in_spanish("first_name"), "pk")
    )


def new_customer_field(query: str) -> tuple[str, str] | None:
    """When a search finds nobody, the "Nuevo cliente" field the seller's query already fills, as
    the form shows it: ("id_document", "V-12345678"), ("phone", "0414-1234567") or ("email", …).
    None when the query is not a whole cédula/RIF, mobile number or e-mail address."""
    query = (query or "").strip()

    def email(value: str) -> str:
        validate_email(value)
        return value.lower()

    readers = (
        ("id_document", normalize_id_document),
        ("phone", lambda value: format_ve_mobile(normalize_ve_mobile(value))),
        ("email", email),
    )
    for field, read in readers:
        try:
            value = read(query)
        except ValidationError:
            continue
        if field == "id_document" and re.fullmatch(r"[VE]-\d{1,5}", value):
            continue  # the first digits of a cédula being searched for, not a whole one
        return field, value
    return None


def search_customers(query: str, limit: int = 8) -> list[Customer]:
    """What the seller sees while typing into the picker; [] below 3 characters."""
    query = (query or "").strip()
    if len(query) < SEARCH_MIN_LENGTH:
        return []
    return list(matching_customers(query)[:limit])


def customers_page(*, query: str = "", page_number: str | int | None = None) -> Page:
    return Paginator(matching_customers(query or ""), CUSTOMERS_PAGE_SIZE).get_page(page_number)
