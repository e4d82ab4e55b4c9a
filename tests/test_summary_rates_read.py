"""PostgreSQL's paths read the rates a summary used only when they are shown, folded from the day
masks (aid.summary.rate_days) as the day-by-day list folds (the exact path is compared with them in
test_summary_paths)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aid.summary import LedgerFilter, disclosure, summarize
from aid.summary.rate_days import RateDays
from tests.builders import rate, record
from tests.test_summary_paths import ledger  # noqa: F401 (the fixture: half cents, JPY, KWD)

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the SQL paths are PostgreSQL's (SQLite folds its quotes in Python)"
)
QUESTIONS = [
    {"currency": "EUR"},  # the monthly rollup
    {"currency": "NOK"},  # the daily totals
    {"currency": "USD", "ledger_filter": LedgerFilter(donors=("NO",), date_from=date(2025, 8, 1))},  # cuts a month
]


def queries(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


@pytest.mark.parametrize("question", QUESTIONS)
def test_the_rates_are_read_when_shown_and_kept_for_the_rates_version(ledger, question):  # noqa: F811
    answer = summarize(**question)
    # the rates version and this version's daily rates of the months used (and, off the
    # rollup, the day masks: the daily path reads them only now)
    first = queries(lambda: answer.rates_ranges)
    assert first == (3 if question["currency"] == "NOK" else 2)
    assert queries(lambda: answer.rates_used) == 0  # the same rate days, built into the list
    again = summarize(**question)
    assert queries(lambda: (again.rates_ranges, again.rates_used)) == first - 1  # the rates are kept
    assert again.rates_ranges == answer.rates_ranges and again.rates_used == answer.rates_used


def test_an_edit_of_a_record_keeps_the_rates_read(ledger):  # noqa: F811
    """The rate days are derived from the rates alone: a record written (the ledger version moves,
    the rates version does not) does not make the next answer read them again."""
    first = summarize(currency="EUR")
    assert queries(lambda: first.rates_ranges) == 2  # the rates version, the months used
    record("pledge", ref="NL-NEW", donor="NL", amount="5", currency="USD", date="2025-08-03")
    again = summarize(currency="EUR")
    assert queries(lambda: again.rates_ranges) == 1  # only the rates version
    assert again.rates_ranges == first.rates_ranges  # NL-2 (USD, 3 August) used the same rate day


def test_a_rate_written_is_seen_by_the_next_answer(ledger):  # noqa: F811
    before = summarize(currency="EUR").rates_used
    rate("USD", "2025-08-02", "1.3333")  # NL-2 (USD, 3 August) used 1 August's rate until now
    after = summarize(currency="EUR").rates_used
    assert {"currency": "USD", "rate_date": "2025-08-02", "rate": "1.333300"} in [
        {key: quote[key] for key in ("currency", "rate_date", "rate")} for quote in after
    ]
    assert after != before


def test_whole_months_fold_as_their_days_do(db):
    """A month whose every day is used folds its inner rate days at once; the fold equals the
    day-by-day list's, across month starts (a Friday's rate answering for the next month's first
    days), stale weekends and a month used only in part."""
    for day, usd in (("2025-06-27", "1.10"), ("2025-07-02", "1.12"), ("2025-07-15", "1.05"),
                     ("2025-07-31", "1.20"), ("2025-08-12", "1.21"), ("2025-08-29", "1.22"), ("2025-09-03", "1.19")):  # fmt: skip
        rate("USD", day, usd)
    rate("NOK", "2025-06-30", "11.5")
    full = (1 << 31) - 1
    masks = [("USD", date(2025, 7, 1), full), ("USD", date(2025, 8, 1), full), ("USD", date(2025, 9, 1), 0b10110)]
    masks += [("EUR", date(2025, 7, 1), 1 << 30)]
    for target, bounds in (("EUR", ()), ("NOK", ()), ("EUR", (date(2025, 7, 2), date(2025, 9, 4)))):
        days = RateDays(masks, target, "default", *bounds)
        assert days.ranges() == RateDays(masks, target, "default", *bounds).ranges()
        quotes = days.quotes()
        folded = [{**entry, "first_day": entry["first_day"].isoformat(), "last_day": entry["last_day"].isoformat()}
                  for entry in days.ranges()]  # fmt: skip
        expected = [
            {key: value for key, value in entry.items() if key != "stale"} for entry in disclosure.ranges(quotes)
        ]
        assert [
            {**entry, "min_rate": str(entry["min_rate"]), "max_rate": str(entry["max_rate"])} for entry in folded
        ] == expected
    usd = next(entry for entry in RateDays(masks, "EUR", "default").ranges() if entry["currency"] == "USD")
    assert (usd["first_day"], usd["last_day"], usd["days"]) == (date(2025, 6, 27), date(2025, 9, 3), 7)
    assert usd["stale_days"] == 4  # the rates of 2 July (to 14 July), 15 July, 31 July (to 11 August), 12 August


@pytest.mark.parametrize("question", QUESTIONS)
def test_postgresql_folds_the_days_as_python_does(ledger, question):  # noqa: F811
    answer = summarize(**question)
    assert answer.rates_used, "the question used rates: something to fold"
    assert answer.rates_ranges == disclosure.ranges(answer.rates_used)
