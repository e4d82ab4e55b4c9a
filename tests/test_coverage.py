"""Unknown is not zero: delivered is null without a delivery record, and coverage says how much
of the pledged value has one. Figures by hand; the fast, exact and record paths agree."""

from decimal import Decimal

import pytest

from aid.models import Delivery, Status
from aid.services import delete_record, set_status
from aid.summary import LedgerFilter, summarize, totals
from tests.builders import rate, record


@pytest.fixture
def ledger(db):
    rate("USD", "2025-08-04", "1.16")
    record(ref="NL-A", donor="NL", amount="100")
    record("delivery", ref="NL-A-D", donor="NL", pledge_ref="NL-A", amount="30", date="2025-09-01")
    record(ref="NL-B", donor="NL", amount="300", date="2025-08-05")
    record(ref="NL-C", donor="NL", amount="", currency="", date="2025-08-06")
    record("delivery", ref="NL-C-D", donor="NL", pledge_ref="NL-C", amount="5", date="2025-09-02")
    record(ref="DE-A", donor="DE", amount="116", currency="USD")
    record("delivery", ref="DE-A-D", donor="DE", pledge_ref="DE-A", amount="", currency="", date="2025-09-01")
    record(ref="NO-A", donor="NO", amount="50")
    record("delivery", ref="NO-A-D", donor="NO", pledge_ref="NO-A", amount="50", status=Status.DRAFT)


def figures(group):
    return (group.pledged, group.delivered, group.delivered_share, group.delivery_coverage,
            group.pledged_without_delivery)  # fmt: skip


def test_coverage_and_unknown_delivered_by_hand(ledger):
    summary = summarize()
    assert {g.key: figures(g) for g in summary.groups} == {
        # NL: 100 of the 400 disclosed pledged has a delivery (NL-C's amount is undisclosed).
        "NL": (Decimal("400.00"), Decimal("35.00"), Decimal("0.0875"), Decimal("0.2500"), Decimal("300.00")),
        # DE: covered by a delivery of undisclosed amount: reported, amount unknown.
        "DE": (Decimal("100.00"), None, None, Decimal("1.0000"), Decimal("0.00")),
        # NO: only a draft delivery: nothing reported.
        "NO": (Decimal("50.00"), None, None, Decimal("0.0000"), Decimal("50.00")),
    }
    # The total sums what is known, and says how much pledged value has no delivery reported.
    assert figures(summary.total) == (
        Decimal("550.00"),
        Decimal("35.00"),
        Decimal("0.0636"),
        Decimal("0.3636"),
        Decimal("350.00"),
    )


@pytest.mark.parametrize("query", [{}, {"currency": "USD"}, {"group_by": "month"}, {"group_by": "package"}])
def test_the_fast_and_the_exact_path_agree_on_coverage(ledger, query):
    fast, exact = summarize(**query), summarize(**query, use_rollup=False)
    every = LedgerFilter(confidences=("", "high", "medium", "low"))
    from_records = summarize(**query, ledger_filter=every)
    assert [figures(g) for g in fast.groups] == [figures(g) for g in exact.groups]
    assert [figures(g) for g in from_records.groups] == [figures(g) for g in exact.groups]
    assert figures(fast.total) == figures(exact.total) == figures(from_records.total)


def test_coverage_follows_each_write_and_the_totals_stay_verifiable(ledger):
    set_status(Delivery.objects.get(ref="NO-A-D"), Status.PUBLISHED)
    delete_record(Delivery.objects.get(ref="NL-A-D"))
    groups = {g.key: g.delivery_coverage for g in summarize().groups}
    assert groups == {"NL": Decimal("0.0000"), "DE": Decimal("1.0000"), "NO": Decimal("1.0000")}
    assert totals.differences() == []
    record(ref="NL-A", donor="NL", amount="100", programme="BILATERAL")  # the pledge moves programme
    record("delivery", ref="NL-B-D", donor="NL", pledge_ref="NL-B", amount="1", date="2025-09-03")
    assert {g.key: g.delivery_coverage for g in summarize(group_by="programme").groups} == {
        "PURL": Decimal("1.0000"),  # NL-B 300, DE 100 and NO 50: each now has a delivery
        "BILATERAL": Decimal("0.0000"),  # NL-A 100 lost its only delivery
    }
    assert totals.differences() == []


def test_nothing_pledged_means_no_coverage(db):
    record(ref="NL-X", donor="NL", amount="", currency="")
    group = summarize().groups[0]
    assert (group.delivery_coverage, group.delivered, group.delivered_share) == (None, None, None)


def test_the_summary_reads_coverage_in_a_few_queries(ledger, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        summarize(group_by="donor", use_rollup=False)
