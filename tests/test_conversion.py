"""SPEC §5, rule by rule."""

from datetime import date
from decimal import Decimal

import pytest

from ledger.conversion import convert
from ledger.money import Money
from ledger.rates import MissingRate, RateBook, rate_on
from tests.builders import rate

FRIDAY, SUNDAY, MONDAY = date(2025, 8, 1), date(2025, 8, 3), date(2025, 8, 4)


def test_a_sunday_uses_fridays_rate():
    rate("USD", "2025-08-01", "1.1000")
    assert rate_on("USD", SUNDAY).rate_date == FRIDAY


def test_a_sunday_never_uses_mondays_rate():
    rate("USD", "2025-08-01", "1.1000")
    rate("USD", "2025-08-04", "1.2000")
    quote = rate_on("USD", SUNDAY)
    assert (quote.rate, quote.rate_date) == (Decimal("1.1000"), FRIDAY)


def test_a_rate_more_than_seven_days_old_is_stale():
    rate("USD", "2025-08-01", "1.1")
    assert rate_on("USD", date(2025, 8, 8)).stale is False
    assert rate_on("USD", date(2025, 8, 9)).stale is True


def test_a_missing_rate_is_an_error_naming_currency_and_day():
    rate("USD", "2025-08-04", "1.1")
    with pytest.raises(MissingRate, match=r"USD on or before 2025-08-01"):
        rate_on("USD", date(2025, 8, 1))


def test_a_rate_far_before_the_wanted_day_is_still_found():
    rate("UAH", "2024-01-02", "41.5")
    quote = RateBook.for_days(["UAH"], date(2025, 8, 1), date(2025, 8, 2)).quote("UAH", date(2025, 8, 1))
    assert (quote.rate_date, quote.stale) == (date(2024, 1, 2), True)


def test_usd_to_nok_goes_through_eur():
    rate("USD", "2025-08-04", "1.1572")
    rate("NOK", "2025-08-04", "11.8345")
    converted = convert(Money(Decimal("100"), "USD"), to="NOK", on=MONDAY)
    # 100 × 11.8345 / 1.1572 = 1022.6841... → 1022.68
    assert converted.result == Money(Decimal("1022.68"), "NOK")
    assert converted.rate == Decimal("10.2268406498")


def test_conversion_rounds_half_up():
    rate("USD", "2025-08-04", "2")
    # 0.01 USD at 2 USD per EUR is exactly 0.005 EUR: half up gives 0.01 (banker's would give 0.00).
    assert convert(Money(Decimal("0.01"), "USD"), to="EUR", on=MONDAY).result.amount == Decimal("0.01")


def test_eur_needs_no_rate():
    assert convert(Money(Decimal("5"), "EUR"), to="EUR", on=MONDAY).result.amount == Decimal("5.00")


def test_the_latest_rate_is_stale_when_over_a_week_old_today():
    rate("USD", "2020-01-02", "1.1")
    quote = RateBook.latest(["USD"]).latest_quote("USD")
    assert (quote.rate_date, quote.wanted, quote.stale) == (date(2020, 1, 2), date.today(), True)
