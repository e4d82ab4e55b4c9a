"""Amounts come back and add up exactly, on SQLite as on PostgreSQL."""

from decimal import Decimal

from aid.models import LedgerTotal, Pledge
from aid.summary import summarize
from ledger.models import ExchangeRate
from tests.builders import rate, record


def test_a_large_amount_comes_back_to_the_cent():
    record(ref="BIG", amount="1234567890123456.78")
    assert Pledge.objects.get(ref="BIG").amount == Decimal("1234567890123456.78")


def test_point_one_plus_point_two_is_point_three():
    record(ref="A", amount="0.1")
    record(ref="B", amount="0.2")
    assert summarize().total.pledged == Decimal("0.30")


def test_large_amounts_add_up_exactly_in_the_totals():
    record(ref="A", amount="1234567890123456.78")
    record(ref="B", amount="0.01")
    assert summarize().total.pledged == Decimal("1234567890123456.79")
    assert sum(t.amount_minor for t in LedgerTotal.objects.all()) == 123456789012345679


def test_rates_keep_every_published_digit():
    rate("GBP", "1999-01-04", "0.58231")
    rate("IDR", "2026-10-30", "20275.17")
    assert ExchangeRate.objects.get(currency="GBP").rate == Decimal("0.58231")
    assert ExchangeRate.objects.get(currency="IDR").rate == Decimal("20275.17")
