"""Writes on customers. Input is normalized here (cédula/RIF, phone, e-mail) whoever calls."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from ticketing.core.identifiers import normalize_id_document, normalize_ve_mobile, same_person_documents

from .models import Customer

# A company's or a government agency's RIF: a name without a surname. So is a configured extra
# letter's (settings.RIF_EXTRA_LETTERS: C, a consejo comunal).
COMPANY_RIF_LETTERS = "JG"


def organization_rif_letters() -> list[str]:
    return [*COMPANY_RIF_LETTERS, *sorted(set(settings.RIF_EXTRA_LETTERS) - set(COMPANY_RIF_LETTERS))]


EDITABLE_FIELDS = frozenset(
    {
        "first_name",
        "last_name",
        "id_document",
        "phone",
        "email",
        "opt_in_email",
        "opt_in_sms",
        "opt_in_whatsapp",
    }
)


def missing_surname(*, id_document: str, last_name: str) -> ValidationError | None:
    """The error for a person typed without a surname (a company, RIF J or G, or a consejo
    comunal, RIF C, goes without one); `id_document` in its stored form. Forms call it too, to
    show it with their other errors."""
    letters = organization_rif_letters()
    if last_name.strip() or id_document.startswith(tuple(f"{letter}-" for letter in letters)):
        return None
    return ValidationError(
        _("Indique el apellido (solo una empresa u organización, RIF %(letters)s, va sin él).")
        % {"letters": get_text_list(letters, _("o"))},
        code="required",
    )


def _normalize(customer: Customer) -> dict[str, list[ValidationError]]:
    """Put the customer's typed values in their stored form; return the errors by field."""
    errors: dict[str, list[ValidationError]] = {}
    customer.first_name = (customer.first_name or "").strip()
    customer.last_name = (customer.last_name or "").strip()
    customer.email = (customer.email or "").strip().lower()
    try:
        customer.id_document = normalize_id_document(customer.id_document)
    except ValidationError as e:
        errors["id_document"] = e.error_list
    if surname_error := missing_surname(id_document=customer.id_document, last_name=customer.last_name):
        errors["last_name"] = [surname_error]
    phone = (customer.phone or "").strip()
    try:
        customer.phone = normalize_ve_mobile(phone) if phone else ""
    except ValidationError as e:
        errors["phone"] = e.error_list
    return errors


def _same_person(customer: Customer) -> Customer | None:
    """Another customer who is this one by cédula or by RIF (core.identifiers.same_person_documents)."""
    forms = same_person_documents(customer.id_document)
    if forms is None:
        return None
    cedula, rif_start = forms
    others = Customer.objects.exclude(pk=customer.pk).exclude(id_document=customer.id_document)
    return others.filter(Q(id_document=cedula) | Q(id_document__startswith=rif_start)).first()


def _validate_and_save(customer: Customer) -> Customer:
    """full_clean (with the duplicate check) and save; a concurrent duplicate gets the same error."""
    errors = _normalize(customer)
    try:
        customer.full_clean(exclude=list(errors))
    except ValidationError as e:
        e.update_error_dict(errors)
    if "id_document" not in errors and (same := _same_person(customer)):
        errors["id_document"] = [
            ValidationError(
                _("Ya existe un cliente con la cédula/RIF %(document)s: es la misma persona."),
                code="unique",
                params={"document": same.id_document},
            )
        ]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            customer.save()
    except IntegrityError:
        if Customer.objects.filter(id_document=customer.id_document).exclude(pk=customer.pk).exists():
            raise ValidationError(
                {"id_document": customer.unique_error_message(Customer, ["id_document"])}
            ) from None
        raise
    return customer


@transaction.atomic
def create_customer(
    *,
    first_name: str,
    last_name: str,
    id_document: str,
    phone: str = "",
    email: str = "",
    opt_in_email: bool = False,
    opt_in_sms: bool = False,
    opt_in_whatsapp: bool = False,
) -> Customer:
    """Create a customer from what the seller typed. Raises ValidationError keyed by field, e.g.
    {"id_document": ["Ya existe un cliente con la cédula/RIF V-12345678."]}."""
    customer = Customer(
        first_name=first_name,
        last_name=last_name,
        id_document=id_document,
        phone=phone,
        email=email,
        opt_in_email=opt_in_email,
        opt_in_sms=opt_in_sms,
        opt_in_whatsapp=opt_in_whatsapp,
    )
    return _validate_and_save(customer)


@transaction.atomic
def update_customer(*, customer: Customer, **fields) -> Customer:
    """Change some of a customer's fields (the same ones create_customer takes), validated alike.

    On a ValidationError the instance is reloaded from the database, so it never holds half-applied
    values."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"update_customer() got unexpected fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(customer, name, value)
    try:
        return _validate_and_save(customer)
    except ValidationError:
        customer.refresh_from_db()
        raise
