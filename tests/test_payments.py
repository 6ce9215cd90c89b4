"""Payments: BCV rates, sale totals in the event currency and in bolívares, IGTF, change,
the payment methods' forms, and the rates screen."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from tests.catalog import make_event
from ticketing.accounts.models import User
from ticketing.accounts.roles import Role
from ticketing.events.models import Event
from ticketing.payments import methods
from ticketing.payments.forms import ExchangeRateForm, parse_decimal, payment_form_for
from ticketing.payments.methods import BANKS, METHODS, PaymentMethod
from ticketing.payments.models import ExchangeRate
from ticketing.payments.services import (
    MissingExchangeRate,
    Overpayment,
    PaymentInput,
    calculate_totals,
    known_rates,
    rate_for,
    rates_for,
    set_rate,
    settle,
    today_in_caracas,
)

D = Decimal


@pytest.fixture(autouse=True)
def _spanish():
    with translation.override("es"):
        yield


def pay(method: str, amount: str, **details) -> PaymentInput:
    return PaymentInput(method=method, currency=METHODS[method].currency, amount=D(amount), details=details)


def usd_totals(*prices: str, rate="100", iva="16", exempt=False, fees=()):
    return calculate_totals(
        prices=[D(p) for p in prices],
        currency="USD",
        rate=D(rate),
        iva_rate=D(iva),
        iva_exempt=exempt,
        fees=list(fees),
    )


# --- The worked example of domain-ve.md ------------------------------------------------------------


def test_the_worked_example_totals_igtf_and_balance():
    totals = usd_totals("25")

    assert totals.subtotal_ves == D("2500.00")
    assert totals.iva_ves == D("400.00")
    assert totals.total_ves == D("2900.00")
    assert (totals.subtotal, totals.iva, totals.total) == (D("25.00"), D("4.00"), D("29.00"))

    rates = {"USD": D("100")}
    first_two = [pay(PaymentMethod.CASH_USD, "20"), pay(PaymentMethod.PAGO_MOVIL, "900")]
    settlement = settle(totals=totals, payments=first_two, rates=rates, igtf_applies=True)

    assert settlement.igtf_ves == D("60.00")
    cash_usd = settlement.payments[0]
    assert (cash_usd.amount_ves, cash_usd.igtf_base_ves, cash_usd.igtf_ves) == (
        D("2000.00"),
        D("2000.00"),
        D("60.00"),
    )
    assert cash_usd.igtf_in_currency == D("0.60")
    assert settlement.payments[1].igtf_ves == D("0")
    assert settlement.paid_ves == D("2900.00")
    assert settlement.due_ves == D("2960.00")
    assert settlement.balance_ves == D("60.00")
    assert not settlement.is_settled

    settlement = settle(
        totals=totals,
        payments=[*first_two, pay(PaymentMethod.CASH_VES, "60")],
        rates=rates,
        igtf_applies=True,
    )
    assert settlement.is_settled
    assert (settlement.balance_ves, settlement.change_ves, settlement.igtf_ves) == (
        D("0"),
        D("0"),
        D("60.00"),
    )


def test_without_special_taxpayer_there_is_no_igtf():
    settlement = settle(
        totals=usd_totals("25"),
        payments=[pay(PaymentMethod.CASH_USD, "20"), pay(PaymentMethod.PAGO_MOVIL, "900")],
        rates={"USD": D("100")},
        igtf_applies=False,
    )

    assert settlement.igtf_ves == D("0")
    assert settlement.due_ves == D("2900.00")
    assert settlement.is_settled


def test_the_organization_setting_decides_igtf(acme):
    assert acme.is_special_taxpayer is False  # the default
    settlement = settle(
        totals=usd_totals("25"),
        payments=[pay(PaymentMethod.ZELLE, "29")],
        rates={"USD": D("100")},
        igtf_applies=acme.is_special_taxpayer,
    )
    assert settlement.igtf_ves == D("0") and settlement.is_settled


def test_igtf_is_only_on_foreign_payments():
    settlement = settle(
        totals=usd_totals("25"),
        payments=[
            pay(PaymentMethod.CARD, "1000", approval_code="A1B2C3", terminal="T1", last4="1234"),
            pay(PaymentMethod.TRANSFER, "1000", bank="0134", reference="123456", date="2026-11-28"),
            pay(PaymentMethod.CASH_VES, "900"),
        ],
        rates={},
        igtf_applies=True,
    )
    assert settlement.igtf_ves == D("0") and settlement.is_settled


def test_a_zelle_payment_can_cover_its_own_igtf_exactly():
    # Bs 2,900 due; Zelle USD 29.87 = Bs 2,987.00 = 2,900 + 3% of 2,900.
    settlement = settle(
        totals=usd_totals("25"),
        payments=[pay(PaymentMethod.ZELLE, "29.87", sender="ana@example.com", confirmation_code="ABC123")],
        rates={"USD": D("100")},
        igtf_applies=True,
    )
    assert settlement.igtf_ves == D("87.00")
    assert settlement.is_settled and settlement.change_ves == D("0")


def test_eur_event_paid_in_euros_dollars_and_bolivares():
    totals = calculate_totals(
        prices=[D("10"), D("10")], currency="EUR", rate=D("40"), iva_rate=D("16"), iva_exempt=False, fees=[]
    )
    assert (totals.subtotal_ves, totals.iva_ves, totals.total_ves) == (D("800.00"), D("128.00"), D("928.00"))

    rates = {"EUR": D("40"), "USD": D("36.5")}
    payments = [
        pay(PaymentMethod.CASH_EUR, "10"),  # Bs 400.00, IGTF 12.00
        pay(
            PaymentMethod.ZELLE, "5", sender="Ana Pérez", confirmation_code="Z1234"
        ),  # Bs 182.50, IGTF 5.475 → 5.48
    ]
    settlement = settle(totals=totals, payments=payments, rates=rates, igtf_applies=True)

    assert [p.amount_ves for p in settlement.payments] == [D("400.00"), D("182.50")]
    assert [p.igtf_ves for p in settlement.payments] == [D("12.00"), D("5.48")]
    assert settlement.igtf_ves == D("17.48")
    assert settlement.balance_ves == D("362.98")

    settlement = settle(
        totals=totals,
        payments=[
            *payments,
            pay(PaymentMethod.PAGO_MOVIL, "362.98"),
        ],
        rates=rates,
        igtf_applies=True,
    )
    assert settlement.is_settled


def test_an_installment_recorded_earlier_keeps_its_own_rate():
    totals = usd_totals("25", rate="100")  # sold on a day at 100 Bs/USD: Bs 2,900.00
    first = pay(PaymentMethod.CASH_USD, "10")
    first.rate = D("100")  # paid that day
    settlement = settle(
        totals=totals,
        payments=[first, pay(PaymentMethod.CASH_USD, "10")],  # the second one today, at 101
        rates={"USD": D("101")},
        igtf_applies=False,
    )
    assert [(p.rate, p.amount_ves) for p in settlement.payments] == [
        (D("100"), D("1000.00")),
        (D("101"), D("1010.00")),
    ]
    assert settlement.balance_ves == D("890.00")


def test_settle_needs_the_rate_of_each_foreign_payment():
    with pytest.raises(ValueError):
        settle(
            totals=usd_totals("25"), payments=[pay(PaymentMethod.CASH_USD, "1")], rates={}, igtf_applies=False
        )


# --- Change ---------------------------------------------------------------------------------------


def test_change_from_cash_bolivares():
    settlement = settle(
        totals=usd_totals("25"), payments=[pay(PaymentMethod.CASH_VES, "3000")], rates={}, igtf_applies=True
    )

    assert settlement.is_settled
    assert settlement.change_ves == D("100.00")
    assert settlement.payments[0].applied_ves == D("2900.00")
    assert settlement.change_usd is None


def test_change_from_cash_dollars_is_given_in_dollars_too_and_igtf_is_never_on_change():
    settlement = settle(
        totals=usd_totals("25"),
        payments=[pay(PaymentMethod.PAGO_MOVIL, "900"), pay(PaymentMethod.CASH_USD, "25")],
        rates={"USD": D("100")},
        igtf_applies=True,
    )

    cash = settlement.payments[1]
    assert cash.amount_ves == D("2500.00")
    assert cash.igtf_base_ves == D("2000.00")  # only what was still due, not the change
    assert cash.igtf_ves == D("60.00")
    assert settlement.due_ves == D("2960.00")
    assert settlement.change_ves == D("440.00")
    assert settlement.change_usd == D("4.40")
    assert cash.applied_ves == D("2060.00")
    assert settlement.is_settled


def test_change_in_dollars_is_rounded_half_up():
    settlement = settle(
        totals=usd_totals("25", rate="36.51", iva="0", exempt=True),  # Bs 912.75
        payments=[pay(PaymentMethod.CASH_USD, "30")],  # Bs 1,095.30
        rates={"USD": D("36.51")},
        igtf_applies=False,
    )
    assert settlement.change_ves == D("182.55")
    assert settlement.change_usd == D("5.00")  # 182.55 / 36.51 = 5.0000


# --- Overpayment ----------------------------------------------------------------------------------


def test_a_card_payment_above_the_balance_is_rejected():
    with pytest.raises(Overpayment) as e:
        settle(
            totals=usd_totals("25"),
            payments=[pay(PaymentMethod.CARD, "3000", approval_code="123456", terminal="1", last4="1234")],
            rates={},
            igtf_applies=True,
        )
    assert e.value.messages == [
        "El pago de Tarjeta de débito/crédito (punto de venta) excede el saldo (Bs. 2.900,00)."
    ]
    assert isinstance(e.value, ValidationError)


def test_a_pago_movil_above_the_remaining_balance_is_rejected():
    with pytest.raises(Overpayment) as e:
        settle(
            totals=usd_totals("25"),
            payments=[pay(PaymentMethod.CASH_USD, "20"), pay(PaymentMethod.PAGO_MOVIL, "960.01")],
            rates={"USD": D("100")},
            igtf_applies=True,
        )
    assert e.value.messages == ["El pago de Pago Móvil excede el saldo (Bs. 960,00)."]


def test_a_zelle_above_the_balance_is_rejected():
    with pytest.raises(Overpayment):
        settle(
            totals=usd_totals("25"),
            payments=[pay(PaymentMethod.ZELLE, "30", sender="Ana", confirmation_code="ABCD")],
            rates={"USD": D("100")},
            igtf_applies=False,
        )


def test_no_payment_is_taken_once_the_sale_is_paid_not_even_cash():
    with pytest.raises(Overpayment) as e:
        settle(
            totals=usd_totals("25"),
            payments=[pay(PaymentMethod.CASH_VES, "3000"), pay(PaymentMethod.CASH_VES, "10")],
            rates={},
            igtf_applies=False,
        )
    assert e.value.messages == ["El pago de Efectivo Bs. excede el saldo (Bs. 0,00)."]


def test_a_partial_payment_leaves_a_balance():
    settlement = settle(
        totals=usd_totals("25"), payments=[pay(PaymentMethod.CASH_VES, "1000")], rates={}, igtf_applies=False
    )
    assert settlement.balance_ves == D("1900.00") and not settlement.is_settled


# --- Totals: rounding, bolívar events, exemption, fees -------------------------------------------


def test_bolivar_amounts_are_rounded_per_line():
    totals = calculate_totals(
        prices=[D("10.333")] * 3,
        currency="USD",
        rate=D("36.51234567"),
        iva_rate=D("16"),
        iva_exempt=False,
        fees=[],
    )

    # 10.333 × 36.51234567 = 377.2780658… → 377.28 each; one rounding of the sum would give 1,131.85.
    assert totals.lines_ves == [D("377.28")] * 3
    assert totals.subtotal_ves == D("1131.84")
    assert totals.iva_ves == D("181.09")  # 1,131.84 × 16% = 181.0944
    assert totals.total_ves == D("1312.93")


def test_a_bolivar_event_uses_rate_one():
    totals = calculate_totals(
        prices=[D("150.50"), D("99.99")],
        currency="VES",
        rate=D("1"),
        iva_rate=D("16"),
        iva_exempt=False,
        fees=[],
    )
    assert totals.subtotal_ves == totals.subtotal == D("250.49")
    assert totals.iva_ves == totals.iva == D("40.08")  # 40.0784
    assert totals.total_ves == totals.total == D("290.57")

    with pytest.raises(ValueError):
        calculate_totals(
            prices=[D("1")], currency="VES", rate=D("36"), iva_rate=D("16"), iva_exempt=False, fees=[]
        )


def test_an_exempt_event_has_no_iva():
    totals = usd_totals("25", exempt=True)

    assert totals.exempt is True
    assert (totals.iva_rate, totals.iva, totals.iva_ves) == (D("0"), D("0"), D("0"))
    assert totals.total_ves == D("2500.00")


def test_an_extra_fee_is_added_on_the_base():
    totals = usd_totals("25", fees=[("Impuesto municipal", D("5"))])

    assert totals.fees == [("Impuesto municipal", D("5"), D("1.25"))]
    assert totals.fees_ves == [("Impuesto municipal", D("5"), D("125.00"))]
    assert totals.iva_ves == D("400.00")  # IVA is on the base only
    assert totals.total == D("30.25")
    assert totals.total_ves == D("3025.00")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        calculate_totals(
            prices=[25.0], currency="USD", rate=D("100"), iva_rate=D("16"), iva_exempt=False, fees=[]
        )
    with pytest.raises(TypeError):
        PaymentInput(method=PaymentMethod.CASH_USD, currency="USD", amount=20.0)


# --- Rates ----------------------------------------------------------------------------------------


def test_a_missing_rate_names_the_caracas_date_and_currency(in_acme):
    with pytest.raises(MissingExchangeRate) as e:
        rate_for(currency="USD", on=date(2026, 11, 28))

    assert e.value.messages == [
        "Falta la tasa BCV del 28/11/2026 para USD: un gerente debe cargarla antes de vender."
    ]
    assert isinstance(e.value, ValidationError)


def test_rates_are_read_per_date_and_currency(in_acme):
    set_rate(on=date(2026, 11, 28), currency="USD", ves_per_unit=D("36.51234567"), by=None, confirmed=True)
    set_rate(on=date(2026, 11, 28), currency="EUR", ves_per_unit=D("39.1"), by=None, confirmed=True)

    assert rate_for(currency="USD", on=date(2026, 11, 28)) == D("36.51234567")
    assert rate_for(currency="VES", on=date(2026, 11, 27)) == D("1")
    assert rates_for(currencies=["USD", "EUR", "USD"], on=date(2026, 11, 28)) == {
        "USD": D("36.51234567"),
        "EUR": D("39.10000000"),
    }
    with pytest.raises(MissingExchangeRate):
        rate_for(currency="USD", on=date(2026, 11, 27))


def test_a_rate_replaced_while_a_sale_was_reading_it_is_what_the_next_sale_sees(
    in_acme, monkeypatch, django_capture_on_commit_callbacks
):
    """A sale reads the old rate from the database; before it caches what it read, a manager
    replaces the rate and the replacement commits. The next sale must see the new rate."""
    from django.core.cache import cache

    day = date(2026, 11, 28)
    with django_capture_on_commit_callbacks(execute=True):
        set_rate(on=day, currency="USD", ves_per_unit=Decimal("100"), by=None, confirmed=True)
    store, replaced = cache.set, []

    def store_after_the_manager_committed(key, value, *args, **kwargs):
        if "bcv-rate" in key and not replaced:
            replaced.append(True)
            with django_capture_on_commit_callbacks(execute=True):
                set_rate(on=day, currency="USD", ves_per_unit=Decimal("200"), by=None, confirmed=True)
        return store(key, value, *args, **kwargs)

    monkeypatch.setattr(cache, "set", store_after_the_manager_committed)
    assert rate_for(currency="USD", on=day) == Decimal("100")  # the sale in flight
    monkeypatch.undo()

    assert replaced
    assert rate_for(currency="USD", on=day) == Decimal("200")
    assert known_rates(currencies=("USD",), on=day) == {"USD": Decimal("200")}


def test_setting_a_rate_again_replaces_it(in_acme):
    set_rate(on=date(2026, 11, 28), currency="USD", ves_per_unit=D("36"), by=None, confirmed=True)
    set_rate(on=date(2026, 11, 28), currency="USD", ves_per_unit=D("36.5"), by=None, confirmed=True)

    assert ExchangeRate.objects.filter(date=date(2026, 11, 28), currency="USD").count() == 1
    assert rate_for(currency="USD", on=date(2026, 11, 28)) == D("36.5")


@pytest.mark.parametrize("bad", [D("0"), D("-1"), D("1.123456789")])
def test_invalid_rates_are_refused(in_acme, bad):
    with pytest.raises(ValidationError):
        set_rate(on=date(2026, 11, 28), currency="USD", ves_per_unit=bad, by=None, confirmed=True)
    assert not ExchangeRate.objects.exists()


def test_today_is_the_caracas_date(time_machine):
    time_machine.move_to("2026-11-29T03:30:00Z")  # 23:30 of the 28th in Caracas
    assert today_in_caracas() == date(2026, 11, 28)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("36,5120", D("36.5120")),
        ("36.5120", D("36.5120")),
        ("36,51234567", D("36.51234567")),
        (" 36 ", D("36")),
        ("1.234,56", D("1234.56")),
        ("1,234.56", D("1234.56")),
        ("1.234.567", D("1234567")),
    ],
)
def test_decimals_are_read_with_a_comma_or_a_dot(typed, expected):
    assert parse_decimal(typed) == expected


@pytest.mark.parametrize("typed", ["abc", "1,2,3", "36,5.1", "1.2.3", "", ",", "1e5", "NaN"])
def test_garbage_is_not_a_decimal(typed):
    with pytest.raises(ValueError):
        parse_decimal(typed)


# --- Payment methods and their forms --------------------------------------------------------------


def test_method_definitions():
    foreign = {m for m, spec in METHODS.items() if spec.is_foreign}
    with_change = {m for m, spec in METHODS.items() if spec.allows_change}
    assert foreign == {PaymentMethod.CASH_USD, PaymentMethod.CASH_EUR, PaymentMethod.ZELLE}
    assert with_change == {PaymentMethod.CASH_VES, PaymentMethod.CASH_USD, PaymentMethod.CASH_EUR}
    assert methods.method_currency(PaymentMethod.ZELLE) == "USD"
    assert methods.method_currency(PaymentMethod.CARD) == "VES"
    assert set(METHODS) == set(PaymentMethod.values)
    assert len(BANKS) == 23 and ("0102", "Banco de Venezuela") in BANKS and ("0191", "BNC") in BANKS


def valid_form(method, **data):
    form = payment_form_for(method, data=data)
    assert form.is_valid(), form.errors
    payment = form.to_payment_input()
    json.dumps(payment.details)  # stored as JSON by the sales app
    return payment


def form_errors(method, **data):
    form = payment_form_for(method, data=data)
    assert not form.is_valid()
    return form.errors


def test_cash_usd_form_reads_a_comma_amount():
    payment = valid_form(PaymentMethod.CASH_USD, amount="20,50")
    assert payment == PaymentInput(method="cash_usd", currency="USD", amount=D("20.50"), details={})


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "Debe ser mayor que cero."),
        ("-5", "Debe ser mayor que cero."),
        ("abc", "Indique un número, p. ej. 36,51."),
        ("1,234", "Use como máximo 2 decimales."),
        ("1.2345", "Use como máximo 2 decimales."),
        ("", "Este campo es obligatorio."),
    ],
)
def test_the_amount_must_be_a_positive_number_with_two_decimals(amount, message):
    assert form_errors(PaymentMethod.CASH_VES, amount=amount)["amount"] == [message]


@pytest.mark.parametrize(
    ("typed", "amount"), [("2.500", "2500"), ("1.234", "1234"), ("12.345.678", "12345678")]
)
def test_an_amount_typed_with_a_thousands_dot_is_read_as_the_screen_writes_it(typed, amount):
    # Three digits after a lone dot are never cents: "Bs. 2.500,00" is typed "2.500".
    assert valid_form(PaymentMethod.CASH_VES, amount=typed).amount == D(amount)
    rate = ExchangeRateForm({"date": "2026-11-20", "currency": "USD", "ves_per_unit": "36.512"})
    assert rate.is_valid() and rate.cleaned_data["ves_per_unit"] == D("36.512")  # a rate has decimals


def test_the_amount_label_names_the_currency():
    assert payment_form_for(PaymentMethod.CASH_EUR)["amount"].label == "Monto (EUR)"
    assert payment_form_for(PaymentMethod.PAGO_MOVIL)["amount"].label == "Monto (Bs.)"


def test_card_form():
    payment = valid_form(
        PaymentMethod.CARD, amount="1500", approval_code=" a1b2c3 ", terminal="00012345", last4="4321"
    )
    assert payment.currency == "VES"
    assert payment.details == {"approval_code": "A1B2C3", "terminal": "00012345", "last4": "4321"}

    errors = form_errors(PaymentMethod.CARD, amount="1500", approval_code="", terminal="1", last4="12a4")
    assert errors["last4"] == ["Indique los últimos 4 dígitos de la tarjeta."]
    assert errors["approval_code"] == ["Este campo es obligatorio."]
    assert "last4" in form_errors(
        PaymentMethod.CARD, amount="1", approval_code="1234", terminal="1", last4="123"
    )


PHONE_ERROR = (
    "Teléfono celular no válido: use un número de Movilnet, Movistar o Digitel "
    "(0412, 0414, 0416, 0422, 0424 o 0426), p. ej. 0414-1234567."
)
PAGO_MOVIL = {
    "amount": "900",
    "bank": "0134",
    "payer_phone": "0414-123.45.67",
    "payer_id": "v12.345.678",
    "reference": "0012 3456",
    "date": "2026-11-27",
}


def test_pago_movil_form_normalizes_phone_document_and_reference(time_machine):
    time_machine.move_to("2026-11-28T12:00:00-04:00")
    payment = valid_form(PaymentMethod.PAGO_MOVIL, **PAGO_MOVIL)

    assert payment.details == {
        "bank": "0134",
        "payer_phone": "+584141234567",
        "payer_id": "V-12345678",
        "reference": "00123456",
        "date": "2026-11-27",
    }
    assert (
        valid_form(PaymentMethod.PAGO_MOVIL, **{**PAGO_MOVIL, "payer_phone": "+58 422 1234567"}).details[
            "payer_phone"
        ]
        == "+584221234567"
    )
    assert (
        valid_form(PaymentMethod.PAGO_MOVIL, **{**PAGO_MOVIL, "payer_id": "j312948469"}).details["payer_id"]
        == "J-31294846-9"
    )
    assert (
        valid_form(PaymentMethod.PAGO_MOVIL, **{**PAGO_MOVIL, "date": "27/11/2026"}).details["date"]
        == "2026-11-27"
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("bank", "0999", "Elija un banco de la lista."),
        ("payer_phone", "0212-1234567", PHONE_ERROR),
        ("payer_phone", "0418-1234567", PHONE_ERROR),
        ("payer_phone", "0414-123456", PHONE_ERROR),
        ("reference", "12ab56", "La referencia debe tener de 4 a 20 dígitos, sin letras."),
        ("reference", "123", "La referencia debe tener de 4 a 20 dígitos, sin letras."),
        ("reference", "1" * 21, "La referencia debe tener de 4 a 20 dígitos, sin letras."),
        ("date", "2026-11-29", "La fecha de la operación no puede ser futura."),
        ("date", "31/02/2026", "Indique una fecha válida."),
        ("date", "26/11/0226", "Revise el año: debe estar entre 2016 y 2036."),  # 2026 mistyped
    ],
)
def test_pago_movil_form_rejects_invalid_fields(time_machine, field, value, message):
    time_machine.move_to("2026-11-28T12:00:00-04:00")
    errors = form_errors(PaymentMethod.PAGO_MOVIL, **{**PAGO_MOVIL, field: value})
    assert errors == {field: [message]}


def test_pago_movil_form_rejects_an_invalid_document():
    errors = form_errors(PaymentMethod.PAGO_MOVIL, **{**PAGO_MOVIL, "date": "2026-01-01", "payer_id": "X123"})
    assert list(errors) == ["payer_id"]


def test_transfer_form():
    payment = valid_form(
        PaymentMethod.TRANSFER, amount="2900", bank="0102", reference="987654321", date="2026-01-05"
    )
    assert payment.details == {"bank": "0102", "reference": "987654321", "date": "2026-01-05"}
    errors = form_errors(PaymentMethod.TRANSFER, amount="2900", bank="", reference="x", date="")
    assert set(errors) == {"bank", "reference", "date"}


def test_zelle_form():
    payment = valid_form(
        PaymentMethod.ZELLE, amount="29", sender=" Ana@Example.COM ", confirmation_code="bac-0123 xyz"
    )
    assert payment.currency == "USD"
    assert payment.details == {"sender": "ana@example.com", "confirmation_code": "BAC0123XYZ"}
    assert (
        valid_form(PaymentMethod.ZELLE, amount="1", sender="Ana  Pérez", confirmation_code="ABCD").details[
            "sender"
        ]
        == "Ana Pérez"
    )

    errors = form_errors(PaymentMethod.ZELLE, amount="29", sender="ana@", confirmation_code="ab")
    assert errors == {
        "sender": ["El correo del remitente no es válido."],
        "confirmation_code": ["El código de confirmación tiene de 4 a 40 letras o dígitos."],
    }


def test_forms_take_a_prefix_and_unknown_methods_are_refused():
    form = payment_form_for(PaymentMethod.CASH_VES, data={"p1-amount": "10"}, prefix="p1")
    assert form.is_valid() and form.to_payment_input().amount == D("10")
    assert methods.payment_form_for(PaymentMethod.CASH_VES).method == PaymentMethod.CASH_VES
    with pytest.raises(ValueError):
        payment_form_for("crypto")


def test_details_are_validated_without_a_form_too():
    assert methods.normalize_details(
        PaymentMethod.CARD, {"approval_code": "abc123", "terminal": "9", "last4": "0001"}
    ) == {
        "approval_code": "ABC123",
        "terminal": "9",
        "last4": "0001",
    }
    with pytest.raises(ValidationError) as e:
        methods.normalize_details(PaymentMethod.CARD, {"approval_code": "abc123", "last4": "1", "extra": "x"})
    assert set(e.value.message_dict) == {"terminal", "last4", "__all__"}
    assert methods.normalize_details(PaymentMethod.CASH_USD, {}) == {}


# --- The rates screen -----------------------------------------------------------------------------


def test_a_managers_first_rate_typed_with_a_comma_is_saved_once_confirmed(acme, staff_in, client_for):
    manager = staff_in(acme, Role.MANAGER)
    client = client_for(acme, manager)
    today = today_in_caracas()

    page = client.get("/panel/rates/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Todavía no hay tasas cargadas" in body
    assert f'value="{today:%Y-%m-%d}"' in body  # today by default
    typed = {"date": f"{today:%Y-%m-%d}", "currency": "USD", "ves_per_unit": "36,5120"}

    # Nothing to compare the first rate with: its effect is shown before it prices every sale.
    refused = client.post("/panel/rates/", typed, HTTP_HX_REQUEST="true")
    confirmed = client.post("/panel/rates/", {**typed, "confirm_rate": "on"}, HTTP_HX_REQUEST="true")

    assert refused.status_code == 422
    html = refused.content.decode()
    assert (
        "Es la única tasa de USD: no hay otra con qué compararla. Con ella, USD 100 son Bs. 3.651,20." in html
    )
    assert 'name="confirm_rate"' in html
    assert confirmed.status_code == 200
    body = confirmed.content.decode()
    assert body.lstrip().startswith('<div id="rates-section">')
    assert "36,512" in body and 'name="confirm_rate"' not in body
    connection.set_tenant(acme)
    rate = ExchangeRate.objects.get()
    assert (rate.date, rate.currency, rate.ves_per_unit, rate.created_by) == (
        today,
        "USD",
        D("36.5120"),
        manager,
    )
    assert rate_for(currency="USD", on=today) == D("36.5120")


def test_posting_the_same_date_and_currency_replaces_the_rate(acme, staff_in, client_for):
    client = client_for(acme, staff_in(acme, Role.OWNER))
    data = {"date": "2026-11-20", "currency": "EUR", "ves_per_unit": "40.1", "confirm_rate": "on"}

    assert client.post("/panel/rates/", data).status_code == 302
    # The only rate, corrected by a little: compared with the rate it replaces, no question.
    assert (
        client.post("/panel/rates/", {**data, "ves_per_unit": "40,25", "confirm_rate": ""}).status_code == 302
    )

    connection.set_tenant(acme)
    assert list(ExchangeRate.objects.values_list("currency", "ves_per_unit")) == [("EUR", D("40.25"))]


def test_a_rate_loaded_for_an_earlier_day_is_compared_with_the_next_one(in_acme):
    set_rate(on=date(2026, 11, 20), currency="USD", ves_per_unit=D("250"), by=None, confirmed=True)

    with pytest.raises(ValidationError) as refused:
        set_rate(on=date(2026, 11, 19), currency="USD", ves_per_unit=D("25"), by=None)
    set_rate(on=date(2026, 11, 18), currency="USD", ves_per_unit=D("248.5"), by=None)

    assert refused.value.error_dict["ves_per_unit"][0].code == "rate_jump"
    assert "tasa del 20/11/2026 (Bs. 250,00 por USD)" in refused.value.messages[0]
    assert list(ExchangeRate.objects.order_by("date").values_list("ves_per_unit", flat=True)) == [
        D("248.5"),
        D("250"),
    ]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"ves_per_unit": "abc"}, "ves_per_unit", "Indique un número, p. ej. 36,51."),
        ({"ves_per_unit": "0"}, "ves_per_unit", "Debe ser mayor que cero."),
        ({"ves_per_unit": "36,123456789"}, "ves_per_unit", "Use como máximo 8 decimales."),
        ({"currency": "VES"}, "currency", "Elija USD o EUR."),
        ({"date": ""}, "date", "Este campo es obligatorio."),
    ],
)
def test_rate_errors_are_shown_next_to_the_field(acme, staff_in, client_for, data, field, message):
    client = client_for(acme, staff_in(acme, Role.MANAGER))
    posted = {"date": "2026-11-20", "currency": "USD", "ves_per_unit": "36,5", **data}

    response = client.post("/panel/rates/", posted, HTTP_HX_REQUEST="true")

    assert response.status_code == 422
    body = response.content.decode()
    assert f'<small class="field-error" id="id_{field}_error">{message}</small>' in body
    connection.set_tenant(acme)
    assert not ExchangeRate.objects.exists()


def test_a_rate_far_from_the_day_befores_is_saved_only_once_confirmed(acme, staff_in, client_for):
    client = client_for(acme, staff_in(acme, Role.MANAGER))
    client.post(
        "/panel/rates/",
        {"date": "2026-11-19", "currency": "USD", "ves_per_unit": "250", "confirm_rate": "on"},
    )
    typo = {"date": "2026-11-20", "currency": "USD", "ves_per_unit": "2500"}  # one zero too many

    refused = client.post("/panel/rates/", typo, HTTP_HX_REQUEST="true")
    confirmed = client.post("/panel/rates/", {**typo, "confirm_rate": "on"}, HTTP_HX_REQUEST="true")
    next_day = client.post("/panel/rates/", {"date": "2026-11-21", "currency": "USD", "ves_per_unit": "2600"})

    html = refused.content.decode()
    assert refused.status_code == 422 and 'id="id_ves_per_unit_error"' in html
    assert "Difiere en más de 20 % de la tasa del 19/11/2026 (Bs. 250,00 por USD)." in html
    assert 'name="confirm_rate"' in html  # offered only now
    assert 'name="confirm_rate"' not in client.get("/panel/rates/").content.decode()
    assert confirmed.status_code == 200 and next_day.status_code == 302  # compared with 2.500 now
    connection.set_tenant(acme)
    assert list(ExchangeRate.objects.order_by("date").values_list("ves_per_unit", flat=True)) == [
        D("250"),
        D("2500"),
        D("2600"),
    ]


def test_a_rate_too_far_in_the_future_is_a_typo():
    later = today_in_caracas() + timedelta(days=8)
    form = ExchangeRateForm({"date": later.isoformat(), "currency": "USD", "ves_per_unit": "36"})
    assert not form.is_valid()
    assert "date" in form.errors


def test_a_rate_dated_in_a_mistyped_year_is_refused_beside_the_date(time_machine):
    time_machine.move_to("2026-11-28T12:00:00-04:00")
    form = ExchangeRateForm({"date": "28/11/0226", "currency": "USD", "ves_per_unit": "36"})

    assert form.errors == {"date": ["Revise el año: debe estar entre 2016 y 2036."]}


def test_a_seller_cannot_open_the_rates_screen(acme, staff_in, client_for):
    client = client_for(acme, staff_in(acme, Role.SELLER))

    assert client.get("/panel/rates/").status_code == 403
    response = client.post("/panel/rates/", {"date": "2026-11-20", "currency": "USD", "ves_per_unit": "36"})
    assert response.status_code == 403
    connection.set_tenant(acme)
    assert not ExchangeRate.objects.exists()


def test_rates_belong_to_one_organization(acme, globex, client_for):
    connection.set_tenant(acme)
    set_rate(on=date(2026, 11, 20), currency="USD", ves_per_unit=D("987.654321"), by=None, confirmed=True)
    connection.set_tenant(globex)
    globex_owner = User.objects.get(email="owner@globex.test")

    body = client_for(globex, globex_owner).get("/panel/rates/").content.decode()

    assert "987,654321" not in body
    assert "Todavía no hay tasas cargadas" in body
    connection.set_tenant(globex)
    with pytest.raises(MissingExchangeRate):
        rate_for(currency="USD", on=date(2026, 11, 20))


def test_the_panel_tells_sellers_todays_rates_and_what_is_missing_to_sell(acme, staff_in, client_for):
    connection.set_tenant(acme)
    today = today_in_caracas()
    set_rate(on=today, currency="USD", ves_per_unit=D("250"), by=None, confirmed=True)

    seller_panel = client_for(acme, staff_in(acme, Role.SELLER)).get("/panel/").content.decode()
    manager_panel = client_for(acme, staff_in(acme, Role.MANAGER)).get("/panel/").content.decode()
    door_panel = client_for(acme, staff_in(acme, Role.DOOR)).get("/panel/").content.decode()

    assert f"Hoy, {today:%d/%m/%Y}: Bs. 250,00 por USD." in seller_panel
    # No event sells in euros: said quietly, not as an alarm. Once one does, it is one.
    assert f'<li class="muted">Sin tasa de hoy, {today:%d/%m/%Y}, para EUR' in seller_panel
    make_event(status=Event.Status.ON_SALE, currency="EUR")
    euro_panel = client_for(acme, staff_in(acme, Role.SELLER)).get("/panel/").content.decode()
    assert f'<li class="field-error">Falta la tasa de hoy, {today:%d/%m/%Y}, para EUR' in euro_panel
    assert "Las carga un gerente" in seller_panel and 'href="/panel/rates/"' not in seller_panel
    assert 'href="/panel/rates/"' in manager_panel and "Las carga un gerente" not in manager_panel
    assert 'data-testid="panel-rates"' not in door_panel  # door staff do not sell
    assert "Próximamente" in door_panel  # validating tickets is not built yet, and says so


def test_the_demo_loads_todays_rate_however_far_from_the_last_one_loaded(in_acme):
    from ticketing.organizations.demo import DEMO_USD_RATE, ensure_demo_exchange_rate

    today = today_in_caracas()
    set_rate(on=today - timedelta(days=1), currency="USD", ves_per_unit=D("36.5"), by=None, confirmed=True)

    ensure_demo_exchange_rate()  # `make run` would stop here if this were refused as a typo

    assert rate_for(currency="USD", on=today) == DEMO_USD_RATE


def test_a_pago_movil_comes_from_a_venezuelan_account_not_from_a_passport(in_acme):
    from tests.sales_helpers import a_customer
    from ticketing.payments.forms import payment_form_for
    from ticketing.payments.methods import normalize_payer_id

    with pytest.raises(ValidationError) as refused:
        normalize_payer_id("PAS-AB1234567")
    form = payment_form_for(PaymentMethod.PAGO_MOVIL, prefix="payment", payer=a_customer("PAS-AB1234567"))

    assert refused.value.messages == [
        "Un Pago Móvil sale de una cuenta venezolana: indique la cédula o el RIF del titular."
    ]
    assert form["payer_id"].value() in ("", None)  # the seller types the account holder's cédula
