from decimal import Decimal

import pytest

from ledger.currencies import UnknownCurrency, minor_units
from ledger.money import CurrencyMismatch, Money, TooManyDecimals, from_minor, round_money, to_minor


def test_it_adds_amounts_of_one_currency():
    assert Money(Decimal("0.1"), "EUR") + Money(Decimal("0.2"), "EUR") == Money(Decimal("0.3"), "EUR")


def test_it_refuses_to_add_eur_to_usd():
    with pytest.raises(CurrencyMismatch, match="EUR with USD"):
        Money(Decimal("1"), "EUR") + Money(Decimal("1"), "USD")


def test_it_refuses_float_amounts():
    with pytest.raises(TypeError):
        Money(0.1, "EUR")


def test_it_refuses_unknown_currencies():
    with pytest.raises(UnknownCurrency):
        Money(Decimal("1"), "XYZ")


def test_minor_units_follow_iso_4217():
    assert (minor_units("EUR"), minor_units("JPY"), minor_units("ISK"), minor_units("BHD")) == (2, 0, 0, 3)


def test_rounding_is_half_up_to_the_minor_unit():
    assert round_money(Decimal("0.125"), "EUR") == Decimal("0.13")
    assert round_money(Decimal("0.135"), "EUR") == Decimal("0.14")
    assert round_money(Decimal("2.5"), "JPY") == Decimal("3")


def test_minor_units_round_trip_exactly():
    assert to_minor(Decimal("1234567890123456.78"), "EUR") == 123456789012345678
    assert from_minor(123456789012345678, "EUR") == Decimal("1234567890123456.78")


def test_it_refuses_more_decimals_than_the_currency_has():
    with pytest.raises(TooManyDecimals):
        to_minor(Decimal("1.5"), "ISK")


def test_a_share_rounds_half_up_to_four_decimals_and_is_unknown_without_a_whole():
    from ledger.money import share

    assert share(Decimal(1), Decimal(32)) == Decimal("0.0313")  # 0.03125: half up, not to even
    assert share(Decimal("2"), Decimal("3")) == Decimal("0.6667")
    assert share(None, Decimal(5)) is None  # unknown part: unknown share, not 0
    assert share(Decimal(5), Decimal(0)) is None and share(Decimal(5), None) is None
