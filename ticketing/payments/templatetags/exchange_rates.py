from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def rate(value):
    """A BCV rate as published: at least 2 decimals, up to 8, no trailing zeros (`36,5123`)."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    places = max(2, -min(0, value.normalize().as_tuple().exponent))
    return number_format(value, places, use_l10n=True, force_grouping=True)
