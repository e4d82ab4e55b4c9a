"""The changes feed and the releases agree (issue 11): between two releases' times the feed's
entries, folded per ref, are exactly the second release's changelog, fields included.

The edits between them are every kind the public can see: records created, fields changed,
sources added and replaced, a pledge with deliveries and valuations unpublished (its deliveries
lose their `pledge_ref`, its valuations go), unpublished and republished unchanged (nothing),
unpublished, edited as a draft and republished (its edits), a pledge with a valuation deleted,
a delivery moved to another pledge, a package and a confidence changed — and drafts, which
never show.
"""

from aid import services
from aid.models import Delivery, Pledge, Source, Valuation
from aid.releases.making import make_release
from tests.builders import rate, record

GONE = ("deleted", "unpublished")
CAME = ("created", "published")


def folded(entries: list[dict]) -> dict:
    """What a changelog states, from the entries: a ref is created, removed, or changed in the
    fields whose first `from` differs from their last `to`."""
    first, last, was, became = {}, {}, {}, {}
    for entry in entries:
        ref = entry["ref"]
        first.setdefault(ref, entry["action"])
        last[ref] = entry["action"]
        for field, change in entry["changes"].items():
            if field != "status":  # an unpublished record's only change: it is gone
                was.setdefault((ref, field), change["from"])
                became[ref, field] = change["to"]
    before = {ref for ref, action in first.items() if action not in CAME}
    after = {ref for ref, action in last.items() if action not in GONE}
    changed = {}
    for ref in sorted(before & after):
        fields = sorted(field for (name, field), value in became.items() if name == ref and was[name, field] != value)
        if fields:
            changed[ref] = fields
    return {"created": sorted(after - before), "changed": changed, "removed": sorted(before - after)}


def feed_between(api, first, second) -> list[dict]:
    response = api.get("/api/v1/changes/", {"since": first.created_at.isoformat(), "page_size": 500})
    assert response.status_code == 200
    until = second.created_at.isoformat().replace("+00:00", "Z")
    return [entry for entry in response.json()["results"] if entry["at"] <= until]


def ledger():
    rate("USD", "2025-08-04", "1.1600")
    record(ref="NL-P1", donor="NL", package="PURL-1", date="2025-08-04", amount="500000000")
    record(ref="NL-P2", donor="NL", date="2025-09-01", amount="", currency="")
    record(ref="NL-P3", donor="NL", date="2025-09-03", amount="30")
    record(ref="NL-P8", donor="NL", date="2025-09-08", amount="8")
    record(ref="NL-P9", donor="NL", date="2025-09-09", amount="9", status="draft")
    record("delivery", ref="NL-D1", donor="NL", pledge_ref="NL-P1", date="2025-09-01", amount="200000000")
    record("delivery", ref="NL-D2", donor="NL", pledge_ref="NL-P1", date="2025-09-02", amount="50", currency="USD")
    record("valuation", ref="NL-P1-USD", pledge_ref="NL-P1", date="2025-08-04", amount="578000000", currency="USD")
    record(ref="DE-P1", donor="DE", package="PURL-3", date="2025-08-13", amount="500000000", currency="USD")
    record("delivery", ref="DE-D1", donor="DE", pledge_ref="DE-P1", date="2025-09-01", amount="1", currency="USD")
    record("valuation", ref="DE-V1", donor="DE", pledge_ref="DE-P1", date="2025-08-13", amount="430000000")
    record(ref="DE-P2", donor="DE", date="2025-08-20", amount="20")
    record("delivery", ref="DE-D2", donor="DE", pledge_ref="DE-P2", date="2025-09-05", amount="2")
    record("valuation", ref="DE-V2", donor="DE", pledge_ref="DE-P2", date="2025-08-20", amount="21", currency="USD")
    record(ref="NO-P1", donor="NO", date="2025-08-25", amount="11")
    record("valuation", ref="NO-V1", donor="NO", pledge_ref="NO-P1", date="2025-08-25", amount="12", currency="USD")


def edits():
    record(ref="PL-P1", donor="PL", date="2025-10-01", amount="9")
    record("delivery", ref="PL-D1", donor="PL", pledge_ref="PL-P1", date="2025-10-02", amount="4")
    record(ref="NL-P1", donor="NL", package="PURL-1", date="2025-08-04", amount="600000000", description="revised")
    record("delivery", ref="NL-D2", donor="NL", pledge_ref="NL-P1", date="2025-09-02", amount="50", currency="USD",
           source_url="https://example.org/another")  # fmt: skip
    replacement = Source.objects.create(url="https://example.org/replacement", title="replacement")
    services.link_sources(Pledge.objects.get(ref="NL-P2"), [replacement], reason="better source")
    services.set_status(Pledge.objects.get(ref="DE-P1"), "draft")  # with its delivery and valuation
    services.set_status(Pledge.objects.get(ref="DE-P2"), "draft")
    services.set_status(Pledge.objects.get(ref="DE-P2"), "published")  # as it was: nothing changed
    services.set_status(Pledge.objects.get(ref="NL-P9"), "published")
    services.set_status(Pledge.objects.get(ref="NL-P8"), "draft")
    record(ref="NL-P8", donor="NL", date="2025-09-18", amount="8", status="draft")  # edited out of sight
    services.set_status(Pledge.objects.get(ref="NL-P8"), "published")
    services.delete_record(Valuation.objects.get(ref="NO-V1"))
    services.delete_record(Pledge.objects.get(ref="NO-P1"))
    record("delivery", ref="NL-D1", donor="NL", pledge_ref="NL-P3", date="2025-09-01", amount="200000000")
    record(ref="NL-P2", donor="NL", package="PURL-2", date="2025-09-01", amount="", currency="")
    record(ref="NL-P3", donor="NL", date="2025-09-03", amount="30", confidence="high")
    record("delivery", ref="NL-D9", donor="NL", date="2025-09-09", amount="1", status="draft")  # never public
    record("delivery", ref="NL-D9", donor="NL", date="2025-09-10", amount="2", status="draft")


def test_the_feed_between_two_releases_folds_to_their_changelog(api):
    ledger()
    first = make_release()
    edits()
    second = make_release()
    assert folded(feed_between(api, first, second)) == second.changelog
    assert second.changelog == {
        "created": ["NL-P9", "PL-D1", "PL-P1"],
        "changed": {
            "DE-D1": ["pledge_ref"], "NL-D1": ["pledge_ref"], "NL-D2": ["sources"], "NL-P1": ["amount", "description"],
            "NL-P2": ["package", "sources"], "NL-P3": ["confidence"], "NL-P8": ["date"],
        },
        "removed": ["DE-P1", "DE-V1", "NO-P1", "NO-V1"],
    }  # fmt: skip


def test_republishing_brings_back_its_deliveries_link_and_valuations(api):
    ledger()
    services.set_status(Pledge.objects.get(ref="DE-P1"), "draft")
    first = make_release()
    record(
        "valuation", ref="DE-V1", donor="DE", pledge_ref="DE-P1", date="2025-08-13", amount="431000000"
    )  # out of sight
    services.set_status(Pledge.objects.get(ref="DE-P1"), "published")
    second = make_release()
    entries = feed_between(api, first, second)
    assert folded(entries) == second.changelog == {"created": ["DE-P1", "DE-V1"], "changed": {"DE-D1": ["pledge_ref"]},
                                                   "removed": []}  # fmt: skip
    moved = next(entry for entry in entries if entry["ref"] == "DE-D1")
    assert (moved["action"], moved["changes"]) == ("changed", {"pledge_ref": {"from": None, "to": "DE-P1"}})


def test_a_valuation_edited_while_its_pledge_was_unpublished_shows_the_edit_when_it_returns(api):
    ledger()
    first = make_release()
    services.set_status(Pledge.objects.get(ref="DE-P2"), "draft")
    record("valuation", ref="DE-V2", donor="DE", pledge_ref="DE-P2", date="2025-08-20", amount="22", currency="USD")
    services.set_status(Pledge.objects.get(ref="DE-P2"), "published")
    second = make_release()
    entries = feed_between(api, first, second)
    assert folded(entries) == second.changelog == {"created": [], "changed": {"DE-V2": ["amount"]}, "removed": []}
    assert [(e["ref"], e["action"]) for e in entries if e["kind"] == "valuation"] == [
        ("DE-V2", "unpublished"),
        ("DE-V2", "published"),
    ]
    assert Delivery.objects.get(ref="DE-D2").pledge.ref == "DE-P2"


def test_an_amount_written_with_other_decimals_is_a_change_in_both(api):
    ledger()
    first = make_release()
    record(ref="NL-P3", donor="NL", date="2025-09-03", amount="30.00")  # the same value, written as `30.00`
    second = make_release()
    entries = feed_between(api, first, second)
    assert folded(entries) == second.changelog == {"created": [], "changed": {"NL-P3": ["amount"]}, "removed": []}
    assert [entry["changes"] for entry in entries] == [{"amount": {"from": "30", "to": "30.00"}}]
