"""changes/?since=: what the public saw happen, oldest first, with what changed."""

from datetime import timedelta

from django.utils import timezone

from aid.models import Pledge
from aid.services import delete_record, set_status
from tests.builders import record


def feed(api, since) -> list[dict]:
    response = api.get("/api/v1/changes/", {"since": since.isoformat()})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_it_lists_creation_changes_publication_and_deletion_oldest_first(api, ledger):
    since = timezone.now()
    record(ref="NL-P1", donor="NL", package="PURL-1", date="2025-08-04", amount="550000000")
    draft = record(ref="NL-P7", donor="NL", date="2025-08-07", amount="70", status="draft")
    set_status(draft, "published", reason="confirmed by the ministry")
    delete_record(Pledge.objects.get(ref="NL-P7"))
    entries = feed(api, since)
    assert [(e["ref"], e["action"], e["version"]) for e in entries] == [
        ("NL-P1", "changed", 2),
        ("NL-P7", "published", 2),
        ("NL-P7", "deleted", 2),
    ]
    assert entries[0]["changes"] == {"amount": {"from": "500000000", "to": "550000000"}}
    assert entries[1]["reason"] == "confirmed by the ministry"
    assert entries[1]["changes"]["amount"] == {"from": None, "to": "70"}
    assert entries[2]["changes"]["date"] == {"from": "2025-08-07", "to": None}


def test_each_entry_is_stamped_with_its_history_time(api, ledger):
    since = timezone.now() - timedelta(days=1)
    entries = feed(api, since)
    first = Pledge.history.filter(ref="NL-P1").order_by("history_date").first()
    assert entries[0]["ref"] == "NL-P1" and entries[0]["action"] == "created"
    assert entries[0]["at"] == first.history_date.isoformat().replace("+00:00", "Z")
    assert [e["kind"] for e in entries].count("valuation") == 1


def test_nothing_since_now(api, ledger):
    assert feed(api, timezone.now()) == []


def test_a_day_without_offset_is_utc(api, ledger):
    response = api.get("/api/v1/changes/?since=2000-01-01")
    assert response.status_code == 200 and response.json()["count"] == 6
