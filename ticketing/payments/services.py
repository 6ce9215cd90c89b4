"""Money rules of a sale: BCV rates, totals in the event's currency and in bolívares, and settling
the payments (IGTF, balance, change).

Books are kept in bolívares. Every Bs amount is rounded half-up to 2 decimals explicitly, per line
and per tax total: a line is round(price × rate), IVA and each fee are round(Bs subtotal × %),
the IGTF is round(foreign part applied × %) per payment. Amounts are Decimal, never float.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, Decimal
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from ticketing.core.generation_cache import GenerationCache
from ticketing.core.money import HUNDRED, Currency, Money, format_money, percent_of, round_money

from .methods import PaymentMethod, spec_for
from .models import ExchangeRate, RateCurrency

CARACAS = ZoneInfo("America/Caracas")
ZERO = Decimal("0.00")
ONE = Decimal("1")
IGTF_RATE = Decimal("3")  # %, on payments in foreign currency, for special taxpayers
CENT = Decimal("0.01")
RATE_PLACES = 8  # the BCV publishes up to 8 decimals
RATE_MAX_DIGITS = ExchangeRate._meta.get_field("ves_per_unit").max_digits


class MissingExchangeRate(ValidationError):
    def __init__(self, *, currency: str, on: date):
        self.currency, self.on = currency, on
        super().__init__(
            _("Falta la tasa BCV del %(date)s para %(currency)s: un gerente debe cargarla antes de vender."),
            code="missing_rate",
            params={"date": on.strftime("%d/%m/%Y"), "currency": currency},
        )


class Overpayment(ValidationError):
    def __init__(self, *, method: str, balance_ves: Decimal):
        self.method, self.balance_ves = method, balance_ves
        super().__init__(
            _("El pago de %(method)s excede el saldo (Bs. %(balance)s)."),
            code="overpayment",
            params={"method": PaymentMethod(method).label, "balance": _format_ves(balance_ves)},
        )


# The largest sum in bolívares a sale records (sales.Payment.amount_ves, Order.change_ves: 16
# digits, 2 decimals): a payment typed beyond it is refused when added, not when the sale completes.
MAX_AMOUNT_VES = Decimal("99999999999999.99")


class AmountTooLarge(ValidationError):
    def __init__(self, *, method: str):
        super().__init__(
            _("El monto de %(method)s es demasiado grande: revise los dígitos."),
            code="amount_too_large",
            params={"method": PaymentMethod(method).label},
        )


def _format_ves(amount: Decimal) -> str:
    return number_format(round_money(amount), 2, use_l10n=True, force_grouping=True)


# --- Rates ----------------------------------------------------------------------------------------


def today_in_caracas() -> date:
    """The Caracas date now: it decides the BCV rate, the Z day and the invoice date."""
    return timezone.localdate(timezone=CARACAS)


# Every cart render and payment needs the day's rates: they are cached per organization (the
# cache's KEY_FUNCTION adds the schema), a missing rate too, in a GenerationCache that any save or
# delete of a rate drops at once and again after commit (signals.py): a sale that read the old
# rate while a manager replaced it cannot store it for the next sales.
RATE_CACHE_SECONDS = 60
_NO_RATE = "missing"
_rates = GenerationCache("bcv-rate", entry_seconds=RATE_CACHE_SECONDS)


def _rate_key(currency: str, on: date) -> str:
    return f"{currency}:{on.isoformat()}"


def _load_rate(key: str) -> str:
    currency, day = key.split(":")
    rate = ExchangeRate.objects.filter(date=date.fromisoformat(day), currency=currency)
    rate = rate.values_list("ves_per_unit", flat=True).first()
    return _NO_RATE if rate is None else str(rate)


def rates_changed() -> None:
    """A rate was saved or deleted: drop this organization's cached rates, now and after commit."""
    _rates.changed()


def rate_for(*, currency: str, on: date) -> Decimal:
    """Bolívares per unit of `currency` on the Caracas date `on` (1 for bolívares)."""
    if currency == Currency.VES:
        return ONE
    if currency not in RateCurrency.values:
        raise ValueError(f"No BCV rate is kept for {currency!r}")
    cached = _rates.get(_rate_key(currency, on), _load_rate)
    if cached == _NO_RATE:
        raise MissingExchangeRate(currency=currency, on=on)
    return Decimal(cached)


def known_rates(*, currencies, on: date) -> dict[str, Decimal]:
    """{currency: rate} of those currencies that have a rate on `on` (missing ones left out),
    in one cache round trip when they are cached."""
    keys = {_rate_key(currency, on): currency for currency in currencies}
    cached = _rates.get_many(list(keys), _load_rate)
    return {currency: Decimal(cached[key]) for key, currency in keys.items() if cached[key] != _NO_RATE}


def rates_for(*, currencies, on: date) -> dict[str, Decimal]:
    """{currency: rate} for each currency (e.g. the event's and the payments'), as `settle` takes."""
    return {currency: rate_for(currency=currency, on=on) for currency in dict.fromkeys(currencies)}


def validate_rate(ves_per_unit: Decimal) -> None:
    if not isinstance(ves_per_unit, Decimal) or not ves_per_unit.is_finite():
        raise ValidationError(_("Indique la tasa como un número."), code="rate_invalid")
    if ves_per_unit <= 0:
        raise ValidationError(_("La tasa debe ser mayor que cero."), code="rate_not_positive")
    exponent = ves_per_unit.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > RATE_PLACES:
        raise ValidationError(
            _("La tasa admite hasta %(places)s decimales."),
            code="rate_places",
            params={"places": RATE_PLACES},
        )
    if ves_per_unit >= Decimal(10) ** (RATE_MAX_DIGITS - RATE_PLACES):
        raise ValidationError(_("La tasa es demasiado grande."), code="rate_too_large")


# The BCV rate moves a few percent a week; a bigger step from the nearest rate loaded is most often
# a typo (a digit twice, the decimal comma forgotten) that every seller would sell at at once. A
# currency's first rate has nothing to be compared with: it is confirmed, its effect in view.
RATE_JUMP_PERCENT = Decimal(20)


@transaction.atomic
def set_rate(*, on: date, currency: str, ves_per_unit: Decimal, by, confirmed: bool = False) -> ExchangeRate:
    """Add the BCV rate of a Caracas date, or replace it. Documents and payments keep the rate
    they used (frozen), so replacing a rate never changes a past sale.

    Unless `confirmed` (the manager ticked «Confirmo esta tasa»), refused on the field
    ves_per_unit: a rate more than RATE_JUMP_PERCENT away from the nearest one of the currency
    (the latest earlier, else the earliest later, else the one it replaces; code "rate_jump"), and
    the currency's first rate (code "rate_first")."""
    if currency not in RateCurrency.values:
        raise ValidationError(_("Elija USD o EUR."), code="rate_currency")
    validate_rate(ves_per_unit)
    if not confirmed:
        _refuse_a_likely_typo(on=on, currency=currency, ves_per_unit=ves_per_unit)
    rate, _created = ExchangeRate.objects.update_or_create(
        date=on, currency=currency, defaults={"ves_per_unit": ves_per_unit, "created_by": by}
    )
    return rate  # the cached rates are dropped by the save's signal (signals.py)


def _refuse_a_likely_typo(*, on: date, currency: str, ves_per_unit: Decimal) -> None:
    from .templatetags.exchange_rates import rate as format_rate

    rates = ExchangeRate.objects.filter(currency=currency)
    nearest = (
        rates.filter(date__lt=on).order_by("-date").first()
        or rates.filter(date__gt=on).order_by("date").first()
        or rates.filter(date=on).first()  # the only rate, corrected
    )
    if nearest is None:
        raise ValidationError(
            {
                "ves_per_unit": ValidationError(
                    _(
                        "Es la única tasa de %(currency)s: no hay otra con qué compararla. Con ella, "
                        "%(currency)s 100 son %(example)s. Revise los dígitos y la coma; si es "
                        "correcta, marque «Confirmo esta tasa» y guarde de nuevo."
                    ),
                    code="rate_first",
                    params={
                        "currency": currency,
                        "example": format_money(to_ves(HUNDRED, ves_per_unit), Currency.VES),
                    },
                )
            }
        )
    change = abs(ves_per_unit / nearest.ves_per_unit - 1) * 100
    if change > RATE_JUMP_PERCENT:
        raise ValidationError(
            {
                "ves_per_unit": ValidationError(
                    _(
                        "Difiere en más de %(percent)s %% de la tasa del %(date)s (Bs. %(rate)s por "
                        "%(currency)s). Revise los dígitos y la coma; si es correcta, marque «Confirmo "
                        "esta tasa» y guarde de nuevo."
                    ),
                    code="rate_jump",
                    params={
                        "percent": RATE_JUMP_PERCENT,
                        "date": nearest.date.strftime("%d/%m/%Y"),
                        "rate": format_rate(nearest.ves_per_unit),
                        "currency": currency,
                    },
                )
            }
        )


# --- Totals ---------------------------------------------------------------------------------------


def to_ves(amount: Decimal, rate: Decimal) -> Decimal:
    """An amount converted to bolívares at `rate`, rounded half-up to 2 decimals."""
    return round_money(amount * rate)


class FeeAmount(NamedTuple):
    name: str
    rate: Decimal  # %
    amount: Decimal


@dataclass(frozen=True)
class SaleTotals:
    """A sale's totals in the event's currency and in bolívares. Prices are the taxable base."""

    currency: str
    rate: Decimal  # bolívares per unit of `currency` (1 for VES), frozen for the sale
    lines: list[Decimal]  # prices, in the event's currency
    subtotal: Decimal
    iva_rate: Decimal  # % (0 when exempt)
    iva: Decimal
    exempt: bool
    fees: list[FeeAmount]  # (name, rate %, amount) in the event's currency
    total: Decimal
    lines_ves: list[Decimal]  # round(price × rate), one per line
    subtotal_ves: Decimal  # Σ lines_ves
    iva_ves: Decimal  # round(subtotal_ves × iva_rate %)
    fees_ves: list[FeeAmount]  # (name, rate %, round(subtotal_ves × rate %))
    total_ves: Decimal

    @property
    def total_money(self) -> Money:
        return Money(self.total, self.currency)

    @property
    def total_ves_money(self) -> Money:
        return Money(self.total_ves, Currency.VES)


def calculate_totals(
    *,
    prices: list[Decimal],
    currency: str,
    rate: Decimal,
    iva_rate: Decimal,
    iva_exempt: bool,
    fees: list[tuple[str, Decimal]],
) -> SaleTotals:
    """IVA and each fee are added on top of the prices; fees are a % of the prices (not of IVA)."""
    if currency not in Currency.values:
        raise ValueError(f"Unknown currency {currency!r}")
    if currency == Currency.VES and rate != ONE:
        raise ValueError("Bolívar prices take rate 1")
    if rate <= 0:
        raise ValueError("The rate must be positive")
    for value in [*prices, rate, iva_rate, *(fee_rate for _name, fee_rate in fees)]:
        if not isinstance(value, Decimal):
            raise TypeError("Prices, rates and percentages are Decimal, never float")

    lines = list(prices)
    subtotal = round_money(sum(lines, ZERO))
    lines_ves = [to_ves(price, rate) for price in lines]
    subtotal_ves = sum(lines_ves, ZERO)

    iva_rate = ZERO if iva_exempt else iva_rate
    iva = round_money(percent_of(subtotal, iva_rate))
    iva_ves = round_money(percent_of(subtotal_ves, iva_rate))

    fee_amounts = [
        FeeAmount(name, fee_rate, round_money(percent_of(subtotal, fee_rate))) for name, fee_rate in fees
    ]
    fee_amounts_ves = [
        FeeAmount(name, fee_rate, round_money(percent_of(subtotal_ves, fee_rate))) for name, fee_rate in fees
    ]

    return SaleTotals(
        currency=currency,
        rate=rate,
        lines=lines,
        subtotal=subtotal,
        iva_rate=iva_rate,
        iva=iva,
        exempt=iva_exempt,
        fees=fee_amounts,
        total=subtotal + iva + sum((f.amount for f in fee_amounts), ZERO),
        lines_ves=lines_ves,
        subtotal_ves=subtotal_ves,
        iva_ves=iva_ves,
        fees_ves=fee_amounts_ves,
        total_ves=subtotal_ves + iva_ves + sum((f.amount for f in fee_amounts_ves), ZERO),
    )


def totals_for_event(*, event, prices: list[Decimal], on: date) -> SaleTotals:
    """`calculate_totals` with the event's currency, IVA and fees, at the BCV rate of `on`.
    Raises MissingExchangeRate when that rate has not been loaded."""
    return calculate_totals(
        prices=prices,
        currency=event.currency,
        rate=rate_for(currency=event.currency, on=on),
        iva_rate=event.iva_rate,
        iva_exempt=event.iva_exempt,
        fees=[(fee.name, fee.rate_percent) for fee in event.fees.all()],
    )


# --- Payments -------------------------------------------------------------------------------------


@dataclass
class PaymentInput:
    """One payment as captured at the counter: `amount` in `currency` (the method's)."""

    method: str
    currency: str
    amount: Decimal
    details: dict[str, str] = field(default_factory=dict)  # normalized, JSON-serializable strings
    # The frozen rate of a payment recorded earlier (an installment paid on another day);
    # None: the rate of `rates` passed to settle (today's).
    rate: Decimal | None = None

    def __post_init__(self):
        if not isinstance(self.amount, Decimal) or not isinstance(self.rate, Decimal | None):
            raise TypeError("Payment amounts and rates are Decimal, never float")

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)


@dataclass(frozen=True)
class SettledPayment:
    payment: PaymentInput
    rate: Decimal  # bolívares per unit of the payment's currency (1 for VES), frozen
    amount_ves: Decimal  # round(amount × rate)
    applied_ves: Decimal  # what the sale keeps: amount_ves minus the change it gave
    igtf_base_ves: Decimal  # the foreign-currency part applied to the debt (0 when IGTF does not apply)
    igtf_ves: Decimal  # round(igtf_base_ves × IGTF %)
    change_ves: Decimal  # the excess given back (cash only; only the last payment)

    @property
    def igtf_in_currency(self) -> Decimal:
        """The IGTF expressed in the payment's currency (USD 0.60 for Bs 60.00 at 100)."""
        return round_money(self.igtf_ves / self.rate)


@dataclass(frozen=True)
class Settlement:
    payments: list[SettledPayment]
    igtf_applies: bool
    igtf_rate: Decimal  # %
    total_ves: Decimal  # the sale's total (SaleTotals.total_ves)
    igtf_ves: Decimal  # Σ per payment
    due_ves: Decimal  # total_ves + igtf_ves
    paid_ves: Decimal  # Σ amount_ves
    balance_ves: Decimal  # max(due − paid, 0)
    change_ves: Decimal  # max(paid − due, 0)
    change_usd: Decimal | None  # the change in dollars when the last payment was cash USD
    change_eur: Decimal | None  # the change in euros when the last payment was cash EUR

    @property
    def is_settled(self) -> bool:
        return self.balance_ves == ZERO

    @property
    def igtf_base_ves(self) -> Decimal:
        return sum((p.igtf_base_ves for p in self.payments), ZERO)


def _rate_of(currency: str, rates: dict[str, Decimal]) -> Decimal:
    if currency == Currency.VES:
        return ONE
    try:
        rate = rates[currency]
    except KeyError:
        raise ValueError(f"settle() needs the rate of {currency}: pass rates_for(...)") from None
    if not isinstance(rate, Decimal) or rate <= 0:
        raise ValueError(f"Invalid rate for {currency}: {rate!r}")
    return rate


def settle(
    *,
    totals: SaleTotals,
    payments: list[PaymentInput],
    rates: dict[str, Decimal],
    igtf_applies: bool,
    igtf_rate: Decimal = IGTF_RATE,
) -> Settlement:
    """Apply the payments in order to the sale's total in bolívares.

    A foreign-currency payment (cash USD/EUR, Zelle) applies min(its Bs amount, what is still due)
    to the debt; when `igtf_applies` (the organization is a special taxpayer) the IGTF is
    `igtf_rate`% of that applied part (never of change) and is added to what is due. Only cash may
    exceed the balance (the excess is change); any other method, or any payment once nothing is
    due, raises Overpayment, except by less than one cent of the payment's own currency: nobody can
    send USD 0.004 less, so a Zelle that covers a Bs total overshoots it by that rounding, which is
    kept as change. Fewer payments than the total leave a balance (partial payment).
    Each payment converts at its own `rate` when it has one (recorded earlier), else at
    `rates[currency]`; the sale's total keeps the rate frozen in `totals`.
    """
    due, paid, igtf_total = totals.total_ves, ZERO, ZERO
    settled: list[SettledPayment] = []
    for payment in payments:
        spec = spec_for(payment.method)
        if payment.currency != spec.currency:
            raise ValueError(f"{payment.method} is paid in {spec.currency}, not {payment.currency}")
        if payment.amount <= 0:
            raise ValueError("Payment amounts are positive")
        rate = ONE if payment.currency == Currency.VES else payment.rate or _rate_of(payment.currency, rates)
        amount_ves = to_ves(payment.amount, rate)
        if paid + amount_ves > MAX_AMOUNT_VES:
            raise AmountTooLarge(method=payment.method)

        balance_before = due - paid
        if balance_before <= 0:
            raise Overpayment(method=payment.method, balance_ves=ZERO)
        igtf_base = igtf = ZERO
        if igtf_applies and spec.is_foreign:
            igtf_base = min(amount_ves, balance_before)
            igtf = round_money(percent_of(igtf_base, igtf_rate))
        due += igtf
        paid += amount_ves
        igtf_total += igtf
        change = max(paid - due, ZERO)
        if change and not spec.allows_change and change >= rate * CENT:
            raise Overpayment(method=payment.method, balance_ves=balance_before)
        settled.append(
            SettledPayment(
                payment=payment,
                rate=rate,
                amount_ves=amount_ves,
                applied_ves=amount_ves - change,
                igtf_base_ves=igtf_base,
                igtf_ves=igtf,
                change_ves=change,
            )
        )

    change_ves = max(paid - due, ZERO)
    change_usd = change_eur = None
    if change_ves:  # only the last payment can give change, at its own rate
        last = settled[-1]
        if last.payment.method == PaymentMethod.CASH_USD:
            change_usd = round_money(change_ves / last.rate)
        elif last.payment.method == PaymentMethod.CASH_EUR:
            change_eur = round_money(change_ves / last.rate)
    return Settlement(
        payments=settled,
        igtf_applies=igtf_applies,
        igtf_rate=igtf_rate,
        total_ves=totals.total_ves,
        igtf_ves=igtf_total,
        due_ves=due,
        paid_ves=paid,
        balance_ves=max(due - paid, ZERO),
        change_ves=change_ves,
        change_usd=change_usd,
        change_eur=change_eur,
    )


@dataclass(frozen=True)
class AmountDue:
    """What one payment by `method` must be to settle a sale (see amount_to_cover)."""

    method: str
    amount: Money  # in the method's currency
    rate: Decimal | None  # the BCV rate used, for a foreign currency
    igtf: bool  # the amount includes IGTF


def amount_to_cover(*, balance_ves: Decimal, method: str, rate: Decimal, igtf_applies: bool) -> Decimal:
    """What one payment by `method` must be, in its own currency, to settle `balance_ves` exactly
    (foreign currency: rounded up to the cent, IGTF included when it applies). The amount an online
    customer is asked to send."""
    spec = spec_for(method)
    if spec.currency == Currency.VES:
        return balance_ves
    due = balance_ves
    if igtf_applies and spec.is_foreign:
        due += round_money(percent_of(balance_ves, IGTF_RATE))
    amount = (due / rate).quantize(CENT, rounding=ROUND_CEILING)
    # A payment converts half-up (to_ves): one cent less may already cover `due`, and then the
    # rounded-up amount would overpay by more than settle() tolerates.
    if amount > CENT and to_ves(amount - CENT, rate) >= due:
        amount -= CENT
    return amount


def record_webhook(*, provider: str, event_id: str, payload: dict) -> bool:
    """Remember a gateway notification; False when it was already handled (a replay)."""
    from django.db import IntegrityError, transaction

    from .models import WebhookEvent

    try:
        with transaction.atomic():
            WebhookEvent.objects.create(provider=provider, event_id=event_id, payload=payload)
    except IntegrityError:
        return False
    return True
