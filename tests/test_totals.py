"""The pre-aggregated totals stay equal to the base tables through every kind of write."""

from django.core.management import call_command

from aid.models import Delivery, LedgerTotal, Pledge, Status
from aid.services import delete_record, set_status
from aid.summary import totals
from tests.builders import record


def test_totals_follow_creates_updates_status_changes_and_deletes():
    record("pledge", ref="P1", amount="100")
    record("pledge", ref="P2", amount="", currency="")
    record("pledge", ref="P1", amount="150", date="2025-08-05")
    record("delivery", ref="D1", pledge_ref="P1", amount="20", date="2025-09-01")
    set_status(Pledge.objects.get(ref="P2"), Status.DRAFT)
    delete_record(Delivery.objects.get(ref="D1"))
    assert totals.differences() == []
    published = LedgerTotal.objects.filter(status=Status.PUBLISHED)
    assert list(published.values_list("kind", "amount_minor", "records")) == [("pledge", 15000, 1)]


def test_rebuild_recreates_the_same_rows():
    record("pledge", ref="P1", amount="100")
    record("delivery", ref="D1", amount="", currency="", date="2025-09-01")
    before = set(
        LedgerTotal.objects.values_list(
            "kind", "status", "donor", "currency", "day", "amount_minor", "records", "undisclosed"
        )
    )
    call_command("rebuild_totals")
    after = set(
        LedgerTotal.objects.values_list(
            "kind", "status", "donor", "currency", "day", "amount_minor", "records", "undisclosed"
        )
    )
    assert before == after
    call_command("rebuild_totals", "--verify")


def test_verify_notices_a_total_that_drifted(capsys):
    record("pledge", ref="P1", amount="100")
    LedgerTotal.objects.update(amount_minor=1)
    problems = totals.differences()
    assert problems[0].endswith("stored (1, 1, 0), base tables (10000, 1, 0)")
