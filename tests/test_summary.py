"""The summary: grouping, conversion modes and parts that add up (SPEC §5–6)."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from aid.summary import LedgerFilter, Rates, summarize
from ledger.rates import MissingRate
from tests.builders import rate, record


@pytest.fixture
def ledger():
    rate("USD", "2025-08-01", "1.1000")  # Friday
    rate("USD", "2025-08-04", "1.2000")  # Monday
    rate("NOK", "2025-08-01", "11.000")
    rate("NOK", "2025-08-04", "12.000")
    record("pledge", ref="NL-1", donor="NL", amount="100.00", currency="EUR", date="2025-08-01")
    record("pledge", ref="NL-2", donor="NL", amount="110.00", currency="USD", date="2025-08-03")  # Sunday
    record("pledge", ref="NO-1", donor="NO", programme="BILATERAL", amount="1200", currency="NOK", date="2025-08-04")
    record("delivery", ref="NL-D", donor="NL", pledge_ref="NL-1", amount="50", currency="EUR", date="2025-08-04")


def q(value: str) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_by_donor_at_transaction_rates(ledger):
    summary = summarize(group_by="donor", currency="EUR")
    groups = {g.key: (g.pledged, g.delivered, g.delivered_share, g.pledges, g.deliveries) for g in summary.groups}
    # NL: EUR 100 + USD 110 on a Sunday at Friday's 1.1 = EUR 100; NO: NOK 1200 / 12 = EUR 100.
    assert groups == {
        "NL": (Decimal("200.00"), Decimal("50.00"), Decimal("0.2500"), 2, 1),
        "NO": (Decimal("100.00"), None, None, 1, 0),  # no delivery recorded: unknown, not zero
    }
    assert summary.total.pledged == Decimal("300.00")


def test_into_usd_crosses_through_eur(ledger):
    summary = summarize(group_by="programme", currency="USD")
    groups = {g.key: g.pledged for g in summary.groups}
    # PURL: EUR 100 × 1.1 (Fri) + USD 110 as is; BILATERAL: NOK 1200 × 1.2 / 12 (Mon) = USD 120.
    assert groups == {"PURL": Decimal("220.00"), "BILATERAL": Decimal("120.00")}


def test_at_a_fixed_day(ledger):
    summary = summarize(group_by="donor", currency="EUR", rates=Rates("day", date(2025, 8, 4)))
    groups = {g.key: g.pledged for g in summary.groups}
    assert groups == {"NL": q(str(100 + Decimal(110) / Decimal("1.2"))), "NO": Decimal("100.00")}


def test_at_latest_rates(ledger):
    rate("USD", "2025-09-01", "1.0000")
    summary = summarize(group_by="donor", currency="USD", rates=Rates("latest"))
    assert {g.key: g.pledged for g in summary.groups}["NL"] == Decimal("210.00")
    assert {q["currency"]: q["rate_date"] for q in summary.rates_used} == {"USD": "2025-09-01", "NOK": "2025-08-04"}


def test_by_year_and_month(ledger):
    assert [(g.key, g.pledged) for g in summarize(group_by="year").groups] == [(2025, Decimal("300.00"))]
    assert [g.key for g in summarize(group_by="month").groups] == ["2025-08"]


def test_by_package_keys_records_without_package_as_null(ledger):
    assert [g.key for g in summarize(group_by="package").groups] == [None]


def test_filters_apply_to_totals(ledger):
    only_nok = summarize(ledger_filter=LedgerFilter(original_currencies=("NOK",)))
    assert [(g.key, g.pledged) for g in only_nok.groups] == [("NO", Decimal("100.00"))]
    august_4 = summarize(ledger_filter=LedgerFilter(date_from=date(2025, 8, 4)))
    assert {g.key: g.pledges for g in august_4.groups} == {"NO": 1, "NL": 0}


def test_rates_used_are_disclosed_with_staleness(ledger):
    summary = summarize(currency="EUR")
    assert summary.rates_used == [
        {"currency": "NOK", "rate_date": "2025-08-04", "rate": "12.000000", "stale": False, "source": "test rate"},
        {"currency": "USD", "rate_date": "2025-08-01", "rate": "1.100000", "stale": False, "source": "test rate"},
    ]


def test_a_missing_rate_names_currency_and_day():
    record("pledge", ref="X", amount="5", currency="SEK", date="2025-08-04")
    with pytest.raises(MissingRate, match="SEK on or before 2025-08-04"):
        summarize()


def test_totals_are_the_sum_of_rounded_parts():
    rate("USD", "2025-08-04", "3")
    # Three pledges of USD 1 → EUR 0.333… each: the part (USD total 3 → EUR 1.00) is rounded once.
    for n in range(3):
        record("pledge", ref=f"P{n}", donor=("AT", "BE", "CY")[n], amount="1", currency="USD", date="2025-08-04")
    summary = summarize(group_by="donor")
    assert [g.pledged for g in summary.groups] == [Decimal("0.33")] * 3
    assert summary.total.pledged == Decimal("0.99") == sum(g.pledged for g in summary.groups)


def test_the_sql_and_python_paths_agree(ledger):
    """On PostgreSQL `summarize` converts inside SQL; it must equal the exact Python path."""
    for group_by in ("donor", "programme", "package", "year", "month"):
        for currency in ("EUR", "USD", "NOK"):
            for rates in (Rates(), Rates("latest"), Rates("day", date(2025, 8, 3))):
                fast = summarize(group_by=group_by, currency=currency, rates=rates)
                exact = summarize(group_by=group_by, currency=currency, rates=rates, use_rollup=False)
                assert fast == exact, (group_by, currency, rates)
