"""Drafts never leak: not in lists, details, totals, CSV, programmes, links or the changes feed."""

from tests.builders import record


def body(response) -> str:
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


def test_a_draft_is_nowhere_in_the_api(api, ledger):
    urls = [
        "/api/v1/pledges/", "/api/v1/pledges/?format=csv", "/api/v1/deliveries/", "/api/v1/programmes/",
        "/api/v1/programmes/?format=csv", "/api/v1/summary/?group_by=programme", "/api/v1/changes/?since=2000-01-01",
        "/api/v1/changes/?since=2000-01-01&format=csv",
    ]  # fmt: skip
    for url in urls:
        response = api.get(url)
        assert response.status_code == 200, url
        assert "SECRET" not in body(response), url
    assert api.get("/api/v1/pledges/NL-SECRET/").status_code == 404


def test_draft_amounts_are_not_counted(api, ledger):
    total = api.get("/api/v1/summary/?donor=NL").json()["total"]
    assert (total["pledged"], total["pledges"]) == ("500000000.00", 2)


def test_a_published_delivery_does_not_name_a_draft_pledge(api, ledger):
    record(ref="NL-DRAFT-P", donor="NL", date="2025-08-21", amount="10", status="draft")
    record("delivery", ref="NL-D2", donor="NL", pledge_ref="NL-DRAFT-P", date="2025-08-22", amount="5")
    assert api.get("/api/v1/deliveries/NL-D2/").json()["pledge_ref"] is None
    assert "NL-DRAFT-P" not in body(api.get("/api/v1/deliveries/?format=csv"))
    changes = api.get("/api/v1/changes/?since=2000-01-01").json()["results"]
    created = next(c for c in changes if c["ref"] == "NL-D2")
    assert "pledge_ref" not in created["changes"]


def test_unpublishing_shows_only_the_status(api, ledger):
    from aid.services import set_status

    set_status(ledger["de_delivery"], "draft")
    assert api.get("/api/v1/deliveries/DE-D1/").status_code == 404
    entry = api.get("/api/v1/changes/?since=2000-01-01").json()["results"][-1]
    assert (entry["ref"], entry["action"]) == ("DE-D1", "unpublished")
    assert entry["changes"] == {"status": {"from": "published", "to": "draft"}}
