from decimal import Decimal

from aid.models import Pledge, Status
from aid.services import delete_record, set_status
from tests.builders import rate, record


def pledge():
    return Pledge.objects.get(ref="P")


def test_a_linked_delivery_updates_the_pledges_delivered_figure():
    record("pledge", ref="P", amount="1000")
    record("delivery", ref="D1", pledge_ref="P", amount="250", date="2025-09-01")
    record("delivery", ref="D2", pledge_ref="P", amount="100.50", date="2025-09-02")
    assert (pledge().delivered, pledge().delivered_share) == (Decimal("350.50"), Decimal("0.3505"))


def test_a_delivery_in_another_currency_counts_at_its_own_dates_rate():
    rate("USD", "2025-09-01", "1.25")
    record("pledge", ref="P", amount="1000")
    record("delivery", ref="D", pledge_ref="P", amount="100", currency="USD", date="2025-09-01")
    assert pledge().delivered == Decimal("80.00")


def test_changing_or_deleting_a_delivery_updates_the_figure():
    record("pledge", ref="P", amount="1000")
    delivery = record("delivery", ref="D", pledge_ref="P", amount="250", date="2025-09-01")
    record("delivery", ref="D", pledge_ref="P", amount="300", date="2025-09-01")
    assert pledge().delivered == Decimal("300.00")
    delete_record(delivery.__class__.objects.get(ref="D"))
    assert pledge().delivered is None  # no delivery linked any more: unknown, not zero


def test_draft_deliveries_do_not_count_until_published():
    record("pledge", ref="P", amount="1000")
    delivery = record("delivery", ref="D", pledge_ref="P", amount="250", date="2025-09-01", status=Status.DRAFT)
    assert pledge().delivered is None
    set_status(delivery, Status.PUBLISHED)
    assert pledge().delivered == Decimal("250.00")


def test_an_undisclosed_delivery_is_counted_and_leaves_delivered_unknown():
    record("pledge", ref="P", amount="1000")
    record("delivery", ref="D", pledge_ref="P", amount="", currency="", date="2025-09-01")
    assert (pledge().delivered, pledge().deliveries_count, pledge().undisclosed_deliveries) == (None, 1, 1)
