from decimal import Decimal, InvalidOperation

from django import template

from ticketing.core.money import Money, format_money, format_percent_change, format_rate

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
    """`{{ breakdown.stage_percent|percent_change }}`: see core.money.format_percent_change."""
    return format_percent_change(value)
