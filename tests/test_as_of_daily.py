"""A summary as of a moment from the daily totals put back as they stood (aid.summary.as_of_daily).

Every question is asked twice as of T: on the new path, and on the exact record path over the
history rows (`use_rollup=False`), which tests/api/test_as_of.py checks against a ledger rebuilt
to T. They must agree to the unit, rates disclosed included, on SQLite and PostgreSQL.
"""

from datetime import date

import pytest
from django.utils import timezone

from aid import services
from aid.models import Delivery, Pledge
from aid.summary import GROUP_BY, LedgerFilter, Rates, exact_records, summarize
from tests.builders import rate, record

CURRENCIES = ("EUR", "USD", "NOK")


def ledger_at_t():
    for day, usd, nok in (("2025-08-01", "1.1600", "11.80"), ("2025-09-01", "1.1500", "11.70")):
        rate("USD", day, usd)
        rate("NOK", day, nok)
    record(ref="NL-P1", donor="NL", package="PURL-1", date="2025-08-04", amount="500000000")
    record(ref="NL-P2", donor="NL", programme="BILATERAL", date="2025-08-20", amount="", currency="")
    record(ref="DE-P1", donor="DE", package="PURL-3", date="2025-08-13", amount="500000000.33", currency="USD")
    record(ref="DE-P2", donor="DE", date="2025-09-03", amount="77.77", currency="NOK")
    record("delivery", ref="NL-D1", donor="NL", pledge_ref="NL-P1", date="2025-09-01", amount="200000000")
    record("delivery", ref="NL-D2", donor="NL", pledge_ref="NL-P1", date="2025-09-02", amount="50", currency="USD")
    record("delivery", ref="DE-D1", donor="DE", pledge_ref="DE-P1", date="2025-09-01", amount="1.01", currency="USD")
    record("delivery", ref="DE-D2", donor="DE", pledge_ref="DE-P2", date="2025-09-04", amount="", currency="")


def edit_after_t():
    """Every kind of write the netting must undo."""
    record(ref="NL-P1", donor="NL", package="PURL-2", date="2025-08-05", amount="600000000")  # package, day, amount
    services.delete_record(Delivery.objects.get(ref="NL-D1"))
    record("delivery", ref="DE-D2", donor="DE", pledge_ref="DE-P1", date="2025-09-04", amount="3", currency="NOK")
    services.set_status(Pledge.objects.get(ref="DE-P1"), "draft")  # unpublished, with its deliveries
    record(ref="PL-P1", donor="PL", date="2025-09-10", amount="9", currency="USD")  # created after T
    record("delivery", ref="PL-D1", donor="PL", pledge_ref="PL-P1", date="2025-09-11", amount="4", currency="USD")
    draft = record(ref="NL-P3", donor="NL", date="2025-08-07", amount="5", status="draft")
    services.set_status(draft, "published")
    services.set_status(Delivery.objects.get(ref="NL-D2"), "draft")


def both_ways(monkeypatch, t, **question):
    as_of_t = LedgerFilter(as_of=t, **question.pop("filters", {}))
    rates = Rates(**{**question.pop("rates", {}), "held_at": t})
    exact = summarize(ledger_filter=as_of_t, rates=rates, use_rollup=False, **question)
    with monkeypatch.context() as patched:
        patched.setattr(exact_records, "parts", _history_read)
        fast = summarize(ledger_filter=as_of_t, rates=rates, **question)
    return fast, exact


def _history_read(*args):
    raise AssertionError("the records' history was read: the netted totals should have answered")


@pytest.fixture
def moment():
    ledger_at_t()
    t = timezone.now()
    edit_after_t()
    return t


@pytest.mark.parametrize("currency", CURRENCIES)
@pytest.mark.parametrize("group_by", GROUP_BY)
def test_the_netted_totals_answer_as_the_history_does(monkeypatch, moment, group_by, currency):
    fast, exact = both_ways(monkeypatch, moment, group_by=group_by, currency=currency)
    assert fast == exact
    assert fast.disclosed.days == exact.disclosed.days


@pytest.mark.parametrize("rates", [{"mode": "latest"}, {"mode": "day", "day": "2025-08-01"}])
def test_a_fixed_rate_as_of_t_answers_as_the_history_does(monkeypatch, moment, rates):
    rates = {**rates, "day": date.fromisoformat(rates["day"])} if "day" in rates else rates
    fast, exact = both_ways(monkeypatch, moment, group_by="month", currency="USD", rates=rates)
    assert fast == exact


def test_filters_apply_to_the_records_put_back(monkeypatch, moment):
    filters = {"donors": ("DE",), "date_from": date(2025, 8, 10)}
    fast, exact = both_ways(monkeypatch, moment, group_by="package", currency="USD", filters=filters)
    assert fast == exact
    assert {group.key for group in fast.groups} == {"PURL-3", None}


def test_a_rate_stored_after_t_is_not_used_as_of_t(monkeypatch, moment):
    rate("USD", "2025-09-02", "1.3000")  # held after T: the answer as of T converts without it
    rate("NOK", "2025-08-20", "12.00")
    fast, exact = both_ways(monkeypatch, moment, group_by="month", currency="USD")
    assert fast == exact
    assert "1.300000" not in str(fast.disclosed.ranges)


def test_a_confidence_filter_as_of_t_reads_the_history(moment):
    """The totals carry no confidence: such a question still takes the exact record path."""
    as_of_t = LedgerFilter(as_of=moment, confidences=("",))
    assert summarize(ledger_filter=as_of_t) == summarize(ledger_filter=as_of_t, use_rollup=False)
