"""An empty amount is unknown, not zero: it is counted, never summed, never a 0 share."""

from decimal import Decimal

from aid.models import Pledge
from aid.summary import summarize
from tests.builders import record


def test_an_undisclosed_pledge_has_no_amount_and_no_share():
    record("pledge", ref="P", amount="", currency="")
    pledge = Pledge.objects.get(ref="P")
    assert (pledge.amount, pledge.delivered_share, pledge.undisclosed) == (None, None, True)


def test_the_summary_counts_undisclosed_records_apart():
    record("pledge", ref="P1", amount="", currency="")
    record("pledge", ref="P2", amount="10")
    record("delivery", ref="D1", amount="", currency="", date="2025-09-01")
    group = summarize().groups[0]
    assert (group.pledged, group.pledges, group.undisclosed_pledges) == (Decimal("10.00"), 2, 1)
    # A delivery of undisclosed amount is reported, but its amount is unknown: never zero.
    assert (group.delivered, group.deliveries, group.undisclosed_deliveries) == (None, 1, 1)


def test_a_group_with_only_undisclosed_pledges_has_no_share():
    record("pledge", ref="P1", amount="", currency="")
    assert summarize().groups[0].delivered_share is None
