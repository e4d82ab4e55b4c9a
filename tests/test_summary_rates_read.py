"""PostgreSQL's paths read the rates a summary used only when they are shown, folded by SQL as
Python folds the day-by-day list (the exact path is compared with them in test_summary_paths)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aid.summary import LedgerFilter, disclosure, summarize
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
def test_the_rates_are_read_when_shown_one_query_each_form(ledger, question):  # noqa: F811
    answer = summarize(**question)
    assert queries(lambda: answer.rates_ranges) == 1
    assert queries(lambda: answer.rates_used) == 1
    assert queries(lambda: (answer.rates_ranges, answer.rates_used)) == 0  # each read once


@pytest.mark.parametrize("question", QUESTIONS)
def test_postgresql_folds_the_days_as_python_does(ledger, question):  # noqa: F811
    answer = summarize(**question)
    assert answer.rates_used, "the question used rates: something to fold"
    assert answer.rates_ranges == disclosure.ranges(answer.rates_used)
