"""A summary as of a moment from the answer now (aid.summary.as_of_now, PostgreSQL's first way):
the rows the records written since touched, taken out as they are and put back as they stood.

Each question is asked as of T with the netted-totals path forbidden (so the answer now and the
touched rows must answer) and on the exact record path over the history rows, which
tests/api/test_as_of.py checks against a ledger rebuilt to T: equal to the unit, rate days
disclosed included. SQLite has no monthly rollup or daily rate table: as_of_daily answers there
(tests/test_as_of_daily.py), so these skip on it.
"""

from datetime import date

import pytest
from django.db import connection
from django.utils import timezone

from aid.summary import GROUP_BY, LedgerFilter, Rates, as_of_daily, as_of_now
from tests.builders import rate, record
from tests.test_as_of_daily import both_ways, edit_after_t, ledger_at_t

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's path: SQLite has no monthly rollup or daily rate table"
)


def _netted_totals_read(*args):
    raise AssertionError("as_of_daily answered: the answer now and the touched rows should have")


def from_now(monkeypatch, t, **question):
    with monkeypatch.context() as patched:
        patched.setattr(as_of_daily, "parts", _netted_totals_read)
        return both_ways(monkeypatch, t, **question)


@pytest.fixture
def moment():
    rate("USD", "2025-09-10", "1.1400")  # a rate day only a record written after T uses
    rate("JPY", "2025-08-01", "172.50")
    ledger_at_t()
    t = timezone.now()
    edit_after_t()
    return t


@pytest.mark.parametrize("currency", ("EUR", "USD", "NOK", "JPY"))
@pytest.mark.parametrize("group_by", GROUP_BY)
def test_the_answer_now_and_the_touched_rows_answer_as_the_history_does(monkeypatch, moment, group_by, currency):
    fast, exact = from_now(monkeypatch, moment, group_by=group_by, currency=currency)
    assert fast == exact
    assert fast.disclosed.days == exact.disclosed.days


@pytest.mark.parametrize("currency", ("EUR", "NOK"))
def test_filters_and_dates_cutting_months(monkeypatch, moment, currency):
    filters = {"donors": ("DE", "PL"), "date_from": date(2025, 8, 10), "date_to": date(2025, 9, 10)}
    fast, exact = from_now(monkeypatch, moment, group_by="month", currency=currency, filters=filters)
    assert fast == exact
    assert fast.disclosed.days == exact.disclosed.days


def test_a_rate_day_only_records_written_since_use_is_not_disclosed_as_of_t(monkeypatch, moment):
    fast, _ = from_now(monkeypatch, moment, group_by="donor", currency="EUR")
    now, _ = both_ways(monkeypatch, timezone.now(), group_by="donor", currency="EUR")
    day_rows = {(quote["currency"], quote["rate_date"]) for quote in fast.disclosed.days}
    assert ("USD", "2025-09-10") not in day_rows  # PL-P1 and PL-D1 came after T
    assert ("USD", "2025-09-10") in {(quote["currency"], quote["rate_date"]) for quote in now.disclosed.days}


def test_the_daily_rates_stored_since_t_for_later_days_leave_the_path_open(monkeypatch, moment):
    rate("USD", "2025-10-01", "1.2100")  # the ECB job's new day, after every amount as of T
    rate("NOK", "2025-10-01", "11.60")
    record(ref="NL-P9", donor="NL", date="2025-10-01", amount="7", currency="NOK")  # today's record, after T
    fast, exact = from_now(monkeypatch, moment, group_by="month", currency="USD")
    assert fast == exact
    assert fast.disclosed.days == exact.disclosed.days


def test_a_rate_stored_since_t_for_a_day_amounts_then_lie_on_closes_the_path(moment):
    rate("USD", "2025-09-02", "1.3000")  # NL-D2 (USD, 2025-09-02) stood then: its rate then was 1.1500
    as_of_t = LedgerFilter(as_of=moment)
    assert as_of_now.parts("donor", "EUR", Rates(held_at=moment), as_of_t) is None
    assert (
        as_of_now.parts("donor", "EUR", Rates(held_at=moment), LedgerFilter(as_of=moment, donors=("PL",))) is not None
    )
