from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How far from this year a typed date may be: further is a typo (0226 for 2026).
YEARS_AROUND_TODAY = 10


def year_near_today(value) -> None:
    """Validator of a date or datetime field: its year within YEARS_AROUND_TODAY of this one. Besides
    typos, it keeps out the calendar's end: 31/12/9999 at 23:00 in Caracas is the year 10000 in UTC,
    which PostgreSQL stores and Python cannot read back, so every page listing it would fail."""
    this_year = timezone.localdate().year
    first, last = this_year - YEARS_AROUND_TODAY, this_year + YEARS_AROUND_TODAY
    if not first <= value.year <= last:
        raise ValidationError(
            _("Revise el año: debe estar entre %(first)s y %(last)s."),
            code="year_out_of_range",
            params={"first": first, "last": last},
        )


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to its field when it names one the form
    has, otherwise at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
