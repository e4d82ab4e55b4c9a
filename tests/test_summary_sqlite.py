"""SQLite's path for transaction rates (aid.summary.sqlite_daily) against the exact Python path.

The ledger of tests/test_summary_paths.py: conversions that land on half a cent (half a yen,
half a fils), JPY (no decimals), KWD (three decimals, rates entered by hand), undisclosed
amounts. Runs on SQLite only: on PostgreSQL the daily totals are answered by fast_daily, which
tests/test_summary_paths.py compares.
"""

from datetime import date

import pytest
from django.db import connection

from aid import summary
from aid.summary import LedgerFilter, Rates, exact, sqlite_daily, summarize
from ledger.rates import MissingRate
from tests.builders import record
from tests.test_summary_paths import GROUPS, ledger, off_by_a_cent  # noqa: F401 (the fixture)

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's own path; PostgreSQL's paths are compared in test_summary_paths"
)


@pytest.fixture
def exact_calls(monkeypatch):
    """The questions the exact path answered (none when SQLite's path did)."""
    calls = []
    exact_parts = exact.parts
    monkeypatch.setattr(exact, "parts", lambda *question: calls.append(question) or exact_parts(*question))
    return calls


@pytest.mark.parametrize("currency", ["EUR", "USD", "NOK", "JPY", "KWD"])
@pytest.mark.parametrize("group_by", GROUPS)
def test_the_sqlite_path_equals_the_exact_path(ledger, exact_calls, currency, group_by):  # noqa: F811
    fast = summarize(group_by=group_by, currency=currency)
    assert not exact_calls, "SQLite's path did not answer: nothing was compared"
    exact_answer = summarize(group_by=group_by, currency=currency, use_rollup=False)
    assert exact_calls
    assert fast == exact_answer  # figures, counts and every rate used with its staleness
    assert fast.rates_used  # every target converts some currency of this ledger: its rates are disclosed


@pytest.mark.parametrize("currency", ["EUR", "NOK", "KWD"])
def test_a_filter_reads_through_the_index_and_agrees(ledger, exact_calls, currency):  # noqa: F811
    cut = LedgerFilter(donors=("NO",), date_from=date(2025, 8, 1), date_to=date(2025, 8, 4))
    fast = summarize(currency=currency, ledger_filter=cut)
    assert not exact_calls
    assert fast == summarize(currency=currency, ledger_filter=cut, use_rollup=False)
    assert (fast.total.pledges, fast.total.undisclosed_pledges, fast.total.deliveries) == (3, 1, 1)


@pytest.mark.parametrize("rates", [Rates("latest"), Rates("day", date(2025, 8, 3))], ids=str)
@pytest.mark.parametrize("group_by", GROUPS)
def test_one_rate_for_every_day_agrees_too(ledger, exact_calls, rates, group_by):  # noqa: F811
    fast = summarize(group_by=group_by, currency="KWD", rates=rates)
    assert not exact_calls
    assert fast == summarize(group_by=group_by, currency="KWD", rates=rates, use_rollup=False)


def test_an_amount_that_could_overflow_64_bits_is_answered_exactly(ledger, exact_calls, monkeypatch):  # noqa: F811
    expected = summarize(currency="NOK", use_rollup=False)
    exact_calls.clear()
    monkeypatch.setattr(sqlite_daily, "LARGEST", 10**7)  # as if the amounts were near SQLite's limit
    assert sqlite_daily.parts("donor", "NOK", Rates(), LedgerFilter()) is None
    assert summarize(currency="NOK") == expected
    assert exact_calls, "the exact path answered"


def test_a_missing_rate_is_named_as_the_exact_path_names_it(ledger):  # noqa: F811
    record("pledge", ref="SE-1", donor="SE", amount="10", currency="SEK", date="2025-08-04")
    assert sqlite_daily.parts("donor", "EUR", Rates(), LedgerFilter()) is None
    with pytest.raises(MissingRate, match="SEK on or before 2025-08-04"):
        summarize(currency="EUR")


@pytest.mark.parametrize("rates_mode", ["transaction", "latest"])
def test_verify_compares_the_sqlite_path_with_the_exact_path(ledger, monkeypatch, rates_mode):  # noqa: F811
    assert summary.path_differences() == []
    off_by_a_cent(sqlite_daily, monkeypatch, rates_mode)
    assert (
        f"summary by donor in NOK, rates={rates_mode}: the SQL path differs from the exact path"
        in summary.path_differences()
    )


def test_the_temporary_factors_are_emptied_after_each_answer(ledger):  # noqa: F811
    summarize(currency="NOK")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM temp.{sqlite_daily.FACTORS}")
        assert cursor.fetchone()[0] == 0
