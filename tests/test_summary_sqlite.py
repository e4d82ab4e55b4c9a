"""SQLite's path for transaction rates (aid.summary.sqlite_daily) against the exact Python path.

The ledger of tests/test_summary_paths.py: conversions that land on half a cent (half a yen,
half a fils), JPY (no decimals), KWD (three decimals, rates entered by hand), undisclosed
amounts. Runs on SQLite only: on PostgreSQL the daily totals are answered by fast_daily, which
tests/test_summary_paths.py compares.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from aid import summary
from aid.summary import LedgerFilter, Rates, exact, sqlite_daily, summarize
from ledger.models import ExchangeRate
from ledger.rates import MissingRate
from ledger.services import delete_rates
from tests.builders import rate, record
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


def test_an_amount_whose_product_passes_64_bits_is_still_converted_in_sql(ledger, exact_calls):  # noqa: F811
    # 80 billion USD in cents times USD->NOK's factor 600015/60000: 2·a·n alone would not fit in
    # 64 bits; the path splits the amount by the denominator first, and the result fits.
    record("pledge", ref="NL-BIG", donor="NL", amount="80000000000", currency="USD", date="2025-08-04")
    fast = summarize(currency="NOK")
    assert not exact_calls
    assert fast == summarize(currency="NOK", use_rollup=False)
    assert fast.total.pledged > Decimal("800000000000")  # at 12.0003 NOK per 1.2 USD


def test_a_result_past_64_bits_is_answered_by_the_exact_path(ledger, exact_calls):  # noqa: F811
    # 9·10^15 EUR is 1.08·10^19 øre: SQLite's integer product turns into a float, which the path refuses.
    record("pledge", ref="NL-HUGE", donor="NL", amount="9000000000000000", currency="EUR", date="2025-08-04")
    assert sqlite_daily.parts("donor", "NOK", Rates(), LedgerFilter()) is None
    exact_calls.clear()
    fast = summarize(currency="NOK")
    assert exact_calls, "the exact path answered"
    assert fast.total.pledged > Decimal("108000000000000000")


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


@pytest.mark.parametrize("currency", ["EUR", "NOK"])
def test_a_rate_entered_later_converts_its_days_at_once(ledger, exact_calls, currency):  # noqa: F811
    rate("USD", "2025-08-03", "1.1500")  # NL-2 (2025-08-03) took 2025-08-01's rate until now
    rate("NOK", "2025-08-03", "11.5000")
    fast = summarize(currency=currency)
    assert not exact_calls
    assert fast == summarize(currency=currency, use_rollup=False)
    assert {"currency": "USD", "rate_date": "2025-08-03", "rate": "1.150000"} in [
        {key: quote[key] for key in ("currency", "rate_date", "rate")} for quote in fast.rates_used
    ]


def test_a_deleted_rate_leaves_its_days_to_the_earlier_one(ledger, exact_calls):  # noqa: F811
    delete_rates(ExchangeRate.objects.filter(currency="USD", day=date(2025, 8, 1)))
    fast = summarize(currency="NOK")
    assert not exact_calls
    assert fast == summarize(currency="NOK", use_rollup=False)
    assert "2025-08-01" not in {quote["rate_date"] for quote in fast.rates_used if quote["currency"] == "USD"}


def plan_of(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " / ".join(row[-1] for row in cursor.fetchall())


@pytest.mark.parametrize("currency", ["EUR", "NOK"])
def test_a_summary_by_donor_reads_the_covering_index_without_sorting(ledger, currency):  # noqa: F811
    rows, params = sqlite_daily._daily_rows("donor", LedgerFilter())
    with connection.cursor() as cursor:
        sql = sqlite_daily._parts_sql(currency, rows)
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", sqlite_daily._parts_params(currency, params))
        plan = " / ".join(row[-1] for row in cursor.fetchall())
    # total_summary_covering, or 0028's narrower one: both lead with (status, donor, kind)
    assert "aid_ledgertotal USING COVERING INDEX total_" in plan, plan
    assert "TEMP B-TREE" not in plan, plan


def test_a_few_donors_between_two_dates_are_a_range_of_the_day_led_index(ledger):  # noqa: F811
    """Parts and disclosed pairs alike read only the days asked for, per donor and kind (aid
    migrations 0022, 0028), where the summary index read all of the donors' days to keep those;
    the parts without sorting their rows."""
    from datetime import timedelta

    from aid.models import LedgerTotal

    # The planner picks by the statistics an import leaves (sqlite_daily.refresh_statistics): the
    # donors' days span years, the dates keep a few of them.
    LedgerTotal.objects.bulk_create(
        LedgerTotal(kind=kind, status="published", donor=code, programme="PURL", package="", currency="EUR",
                    day=date(2020, 1, 1) + timedelta(days=n), amount_minor=100, records=1)
        for code in ("NO", "NL", "DE", "PL", "FR") for kind in ("pledge", "delivery") for n in range(1000)
    )  # fmt: skip
    sqlite_daily.refresh_statistics(rows_written=sqlite_daily.STATISTICS_AFTER)
    cut = LedgerFilter(donors=("NO", "NL"), date_from=date(2025, 8, 2), date_to=date(2025, 8, 30))
    rows, params = sqlite_daily._daily_rows("donor", cut)
    pairs, pairs_params = sqlite_daily._converted_pairs(rows, params, "NOK", sqlite_daily._whole_ledger_of(cut))
    statements = [(sqlite_daily._parts_sql("NOK", rows), sqlite_daily._parts_params("NOK", params)),
                  (pairs, pairs_params)]  # fmt: skip
    plans = [plan_of(sql, sql_params) for sql, sql_params in statements]
    for plan in plans:
        assert "INDEX total_donor_kind_days_covering (status=? AND donor=? AND kind=? AND day>? AND day<?)" in plan, (
            plan
        )
    assert "TEMP B-TREE" not in plans[0], plans[0]  # the parts come in the order they are grouped
    assert summarize(currency="NOK", ledger_filter=cut) == summarize(
        currency="NOK", ledger_filter=cut, use_rollup=False
    )


@pytest.mark.parametrize("cut", [LedgerFilter(), LedgerFilter(donors=("NO", "NL"))], ids=["whole ledger", "two donors"])
def test_the_pairs_disclosed_are_the_pairs_converted(ledger, cut):  # noqa: F811
    rows, rows_params = sqlite_daily._daily_rows("donor", cut)
    sql, params = sqlite_daily._converted_pairs(rows, rows_params, "EUR", sqlite_daily._whole_ledger_of(cut))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        pairs = cursor.fetchall()
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " / ".join(row[-1] for row in cursor.fetchall())
    expected = sqlite_daily._selected(cut).exclude(currency__in=("", "EUR")).values_list("currency", "day").distinct()
    assert sorted(pairs) == sorted(expected)
    assert pairs, "the ledger converts some currency into EUR"
    if cut == LedgerFilter():  # the whole ledger: two ranges of the index, the target's days not read
        assert "(status=? AND currency>? AND currency<?)" in plan, plan


def test_a_question_asked_again_reads_the_rows_written_since_and_another_its_own(ledger, exact_calls):  # noqa: F811
    # Each question's SQL is compiled once per process (sqlite_daily._daily_rows): the SQL, never
    # the answer, is reused, and a question differing only in a date gets SQL of its own.
    cut = LedgerFilter(donors=("NL",), date_from=date(2025, 8, 1), date_to=date(2025, 8, 4))
    first = summarize(ledger_filter=cut)
    record("pledge", ref="NL-LATER", donor="NL", amount="10", currency="EUR", date="2025-08-02")
    again = summarize(ledger_filter=cut)
    assert not exact_calls
    assert again.total.pledged == first.total.pledged + 10
    assert again == summarize(ledger_filter=cut, use_rollup=False)
    later = LedgerFilter(donors=("NL",), date_from=date(2025, 8, 3), date_to=date(2025, 8, 4))
    answer = summarize(ledger_filter=later)
    assert answer == summarize(ledger_filter=later, use_rollup=False)
    assert answer.total.pledged < again.total.pledged  # without NL-3 and NL-LATER
