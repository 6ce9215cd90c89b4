"""Money: Decimal amounts that carry their currency, rounded half-up to 2 places, explicitly."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

CENTS = Decimal("0.01")
HUNDRED = Decimal("100")


class Currency(models.TextChoices):
    USD = "USD", _("Dólares (USD)")
    VES = "VES", _("Bolívares (Bs.)")
    EUR = "EUR", _("Euros (EUR)")


CURRENCY_SYMBOLS = {"USD": "USD", "VES": "Bs.", "EUR": "EUR"}


def round_money(value: Decimal) -> Decimal:
    return value.quantize(CENTS, rounding=ROUND_HALF_UP)


def percent_of(amount: Decimal, percent: Decimal) -> Decimal:
    """Unrounded: callers add the parts first and round the sum once."""
    return amount * percent / HUNDRED


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self):
        if not isinstance(self.amount, Decimal):
            raise TypeError("Money amounts are Decimal, never float")

    def __str__(self) -> str:
        return format_money(self.amount, self.currency)


def format_rate(rate: Decimal) -> str:
    """A BCV rate as published: at least 2 decimals, up to 8, no trailing zeros (`250,00`,
    `36,51234567`), in the active language's format."""
    places = max(2, -min(0, rate.normalize().as_tuple().exponent))
    return number_format(rate, places, use_l10n=True, force_grouping=True)


def format_money(amount: Decimal, currency: str) -> str:
    """`USD 1.234,50` in Spanish, `USD 1,234.50` in English (the active language decides)."""
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    return f"{symbol} {number_format(round_money(amount), 2, use_l10n=True, force_grouping=True)}"


def format_percent_change(value) -> str:
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
