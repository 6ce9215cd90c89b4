from django.core.paginator import Page, Paginator

from .models import ExchangeRate, RateCurrency
from .services import today_in_caracas

RATES_PAGE_SIZE = 30


def rates_page(*, page_number: str | int | None) -> Page:
    """Rates newest date first, USD before EUR."""
    rates = ExchangeRate.objects.select_related("created_by").all()
    return Paginator(rates, RATES_PAGE_SIZE).get_page(page_number)


def todays_rates() -> dict[str, ExchangeRate | None]:
    """{currency: today's rate or None}, for the banner that says what is missing to sell."""
    today = today_in_caracas()
    found = {rate.currency: rate for rate in ExchangeRate.objects.filter(date=today)}
    return {currency: found.get(currency) for currency in RateCurrency.values}
