from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

from ticketing.core.money import Money, format_money, format_rate

register = template.Library()


@register.filter
def money(value, currency=None):
    """`{{ quote.amount|money }}` for Money, `{{ amount|money:event.currency }}` for a Decimal."""
    if value is None or value == "":
        return ""
    if isinstance(value, Money):
        return str(value)
    if isinstance(value, str | int):  # amounts frozen in JSON are strings of Decimals
        try:
            value = Decimal(value)
        except InvalidOperation:
            return value
    return format_money(value, currency or "")


@register.filter
def bcv_rate(value):
    """`{{ totals.rate|bcv_rate }}`: `250,00`, not `250,00000000`."""
    if value is None or value == "":
        return ""
    return format_rate(Decimal(str(value)))


@register.filter
def percent_change(value):
    """A price adjustment as a seller reads it: `-20%`, `+12,5%` in Spanish, `+12.5%` in English
    (breakdowns frozen in JSON keep `"-20.00"`). Nothing for no change."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return value
    if not number:
        return ""
    places = max(0, -number.normalize().as_tuple().exponent)
    return f"{'-' if number < 0 else '+'}{number_format(abs(number), places, use_l10n=True)}%"
