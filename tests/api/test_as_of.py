"""`as_of` and `release` (SPEC §6, §10): the API answers as the published ledger stood then.

The main check: a ledger is built, the moment T taken, and then edited every way the history
must undo (an amount changed, a pledge unpublished, a delivery deleted, a source added, a
valuation added, a new rate day loaded). Every answer `as_of=T` is then compared with the same
question asked of a fresh ledger that holds only the state at T.
"""

import json
from urllib.parse import quote, urlencode

import pytest
from django.utils import timezone

from aid import asof, services
from aid.models import Delivery, Pledge, Programme, Valuation
from aid.releases.making import make_release
from aid.summary import exact_records
from ledger.models import DailyFactor, DailyRate, ExchangeRate
from tests.builders import donor, rate, record
from tests.context.conftest import indicator
from tests.context.test_crosscheck import tracker_figure

QUESTIONS = (
    "/api/v1/pledges/",
    "/api/v1/pledges/?currency=USD",
    "/api/v1/pledges/?currency=USD&rates=latest",
    "/api/v1/pledges/NL-P1/?currency=USD",
    "/api/v1/pledges/DE-P1/",
    "/api/v1/deliveries/?currency=EUR",
    "/api/v1/deliveries/NL-D2/",
    "/api/v1/pledges/?ordering=-amount&page_size=2",
    "/api/v1/pledges/?ordering=amount&page_size=2&page=2",
    "/api/v1/deliveries/?donor=NL&ordering=date&page_size=1&page=2",
    "/api/v1/pledges/?format=csv",
    "/api/v1/deliveries/?format=csv&currency=USD",
    "/api/v1/summary/",
    "/api/v1/summary/?group_by=month&currency=USD",
    "/api/v1/summary/?currency=USD&rates=latest",
    "/api/v1/summary/?format=csv&group_by=package",
    "/api/v1/summary/?per=gdp",
    "/api/v1/crosscheck/",
    "/api/v1/programmes/",
    "/api/v1/donors/?format=csv",
)


def at(moment) -> str:
    return quote(moment.isoformat())


def ledger_at_t():
    """The state at T: written the same way into the first database and into the fresh one."""
    for day, value in (("2025-08-04", "1.1600"), ("2025-09-01", "1.1500")):
        rate("USD", day, value)
    record(ref="NL-P1", donor="NL", package="PURL-1", date="2025-08-04", amount="500000000")
    record(ref="DE-P1", donor="DE", package="PURL-3", date="2025-08-13", amount="500000000", currency="USD")
    record(ref="NL-P2", donor="NL", date="2025-09-01", amount="", currency="")
    record("delivery", ref="NL-D1", donor="NL", pledge_ref="NL-P1", date="2025-09-01", amount="200000000")
    record("delivery", ref="NL-D2", donor="NL", pledge_ref="NL-P1", date="2025-09-02", amount="50", currency="USD")
    record("delivery", ref="DE-D1", donor="DE", pledge_ref="DE-P1", date="2025-09-01", amount="1", currency="USD")
    record("valuation", ref="NL-P1-USD", pledge_ref="NL-P1", date="2025-08-04", amount="578000000", currency="USD")


def edited_records():
    """Edits both checks make: an amount changed, a delivery deleted, a source and a valuation added."""
    record(ref="NL-P1", donor="NL", package="PURL-1", date="2025-08-04", amount="600000000")
    services.delete_record(Delivery.objects.get(ref="NL-D1"))
    another = "https://example.org/another"
    record("delivery", ref="NL-D2", donor="NL", pledge_ref="NL-P1", date="2025-09-02", amount="50", currency="USD",
           source_url=another)  # fmt: skip
    record("valuation", ref="NL-P1-GBP", pledge_ref="NL-P1", date="2025-08-05", amount="1", currency="GBP")


def edit_after_t():
    edited_records()
    services.set_status(Pledge.objects.get(ref="DE-P1"), "draft")  # unpublished
    record(ref="PL-P1", donor="PL", programme="BILATERAL", date="2025-10-01", amount="9")  # a new record
    rate("USD", "2025-10-01", "1.2000")  # a new rate day: `latest` then was 2025-09-01


def fresh_ledger():
    """Only what a fresh database holds before anything is written."""
    for model in (Valuation, Delivery, Pledge):
        model.history.model.objects.all().delete()
        model.objects.all().delete()
    from aid.models import ConvertedTotal, LedgerTotal
    from aid.summary.rollup import NARROWS

    narrow_forms = [narrow.model for narrow in NARROWS]
    for model in (LedgerTotal, ConvertedTotal, *narrow_forms, ExchangeRate, DailyRate, DailyFactor):
        model.objects.all().delete()
    Programme.objects.filter(code="BILATERAL").delete()  # first written after T


def answer(api, path: str, moment=None) -> tuple[int, object]:
    if moment is not None:
        path += ("&" if "?" in path else "?") + f"as_of={at(moment)}"
    response = api.get(path)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if moment is not None:  # links to the same question (rates_used_full) keep the moment: not a difference
        body = body.replace(f"{urlencode({'as_of': moment.isoformat()})}&".encode(), b"")
    return response.status_code, body


def context_figures():
    """GDP and tracker figures: not ledger records, so not rebuilt (they answer as they are now)."""
    for code in ("NL", "DE", "PL"):
        donor(code)
    indicator("NL", "gdp", 2023, "1000000000000", "EUR")
    indicator("DE", "gdp", 2023, "4000000000000", "USD")
    tracker_figure("KIEL-NL", "NL", "2025-12-31", "900000000", "EUR")
    tracker_figure("KIEL-DE", "DE", "2025-08-31", "800000000", "USD")


def test_every_answer_as_of_t_equals_a_fresh_ledger_holding_only_t(api):
    context_figures()
    ledger_at_t()
    t = timezone.now()
    edit_after_t()
    as_of_t = {path: answer(api, path, t) for path in QUESTIONS}
    now = {path: answer(api, path) for path in QUESTIONS}
    fresh_ledger()
    ledger_at_t()
    rebuilt = {path: answer(api, path) for path in QUESTIONS}
    for path in QUESTIONS:
        assert as_of_t[path][0] == 200, (path, as_of_t[path])
        assert as_of_t[path] == rebuilt[path], path
    assert now["/api/v1/summary/"] != rebuilt["/api/v1/summary/"]  # the edits did change the present
    figures = json.loads(as_of_t["/api/v1/crosscheck/"][1])["figures"]
    assert [figure["ledger_pledged"] is not None for figure in figures] == [True, True]


def test_a_release_id_asks_as_of_that_release(api):
    ledger_at_t()
    release = make_release(note="first")
    edit_after_t()
    by_release = api.get(f"/api/v1/summary/?release={release.id}").json()
    by_time = api.get(f"/api/v1/summary/?as_of={at(release.created_at)}").json()
    assert by_release.pop("rates_used_full").endswith(f"release={release.id}&rates_used=full")
    by_time.pop("rates_used_full")
    assert by_release == by_time
    assert {g["key"] for g in by_release["groups"]} == {"NL", "DE"}
    for name in ("pledges", "deliveries"):  # the same records as the release's own data package
        listed = api.get(f"/api/v1/{name}/?release={release.id}").json()["count"]
        assert listed == release.counts[name] == {"pledges": 3, "deliveries": 3}[name]


@pytest.mark.parametrize(
    ("query", "param", "words"),
    [
        ("as_of=yesterday", "as_of", "not an ISO 8601"),
        ("as_of=2999-01-01T00:00:00Z", "as_of", "in the future"),
        ("as_of=2000-01-01", "as_of", "before the first record"),
        ("release=1999-01-01.1", "release", "unknown release"),
        ("as_of=2025-01-01&release=1999-01-01.1", "release", "not both"),
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/pledges/", "/api/v1/summary/", "/api/v1/crosscheck/"])
def test_a_bad_moment_is_a_400_naming_it(api, path, query, param, words):
    ledger_at_t()
    response = api.get(f"{path}?{query}")
    assert response.status_code == 400
    assert response.json()["param"] == param
    assert words in response.json()["detail"]


def test_as_of_before_any_record_is_a_400_even_on_an_empty_ledger(api):
    response = api.get("/api/v1/deliveries/?as_of=2025-01-01")
    assert (response.status_code, response.json()["param"]) == (400, "as_of")


AS_OF_PATHS = ("pledges/", "pledges/{ref}/", "deliveries/", "deliveries/{ref}/", "summary/", "crosscheck/",
               "programmes/", "donors/")  # fmt: skip


def test_the_schema_documents_as_of_and_release_on_every_operation_they_apply_to(api):
    schema = api.get("/api/v1/schema/?format=json").json()
    for path in AS_OF_PATHS:
        parameters = {p["name"]: p for p in schema["paths"][f"/api/v1/{path}"]["get"]["parameters"]}
        assert {"as_of", "release"} <= parameters.keys(), path
        assert "UTC" in parameters["as_of"]["description"]


def net_changes(entries: list[dict]) -> dict:
    """The feed's entries folded per ref into what a changelog states: created, changed or removed."""
    first, last = {}, {}
    for entry in entries:
        first.setdefault(entry["ref"], entry["action"])
        last[entry["ref"]] = entry["action"]
    gone = ("deleted", "unpublished")
    before = {ref for ref, action in first.items() if action not in ("created", "published")}
    after = {ref for ref, action in last.items() if action not in gone}
    return {
        "created": sorted(after - before),
        "changed": sorted(before & after),
        "removed": sorted(before - after),
    }


def test_the_changes_between_two_releases_are_exactly_their_changelog(api):
    ledger_at_t()
    record(ref="NL-P9", donor="NL", date="2025-09-09", amount="9", status="draft")
    record(ref="NL-P8", donor="NL", date="2025-09-08", amount="8")
    first = make_release()
    edited_records()  # NL-P1 and NL-D2 changed, NL-D1 removed, NL-P1-GBP created
    record(ref="PL-P1", donor="PL", date="2025-10-01", amount="9")  # created
    services.set_status(Pledge.objects.get(ref="NL-P9"), "published")  # created (published)
    services.set_status(Pledge.objects.get(ref="NL-P8"), "draft")  # removed (unpublished)
    second = make_release()
    response = api.get("/api/v1/changes/", {"since": first.created_at.isoformat(), "page_size": 100})
    entries = [e for e in response.json()["results"] if e["at"] <= second.created_at.isoformat().replace("+00:00", "Z")]
    log = second.changelog
    assert net_changes(entries) == {
        "created": log["created"],
        "changed": sorted(log["changed"]),
        "removed": log["removed"],
    }
    assert log["created"] == ["NL-P1-GBP", "NL-P9", "PL-P1"] and log["removed"] == ["NL-D1", "NL-P8"]


def test_records_written_by_a_bulk_import_stand_with_their_sources(api):
    """The import's set-wise path writes history rows of its own (aid.bulk): as_of reads them too."""
    from aid.importing import import_ledger
    from tests.builders import row
    from tests.test_import import csv_of

    for code in ("NL", "DE"):
        donor(code)
    pledge = row(ref="NL-B1", donor="NL", date="2025-08-04", amount="10")
    further = {
        **{name: "" for name in pledge},
        "record": "source",
        "ref": "NL-B1",
        "source_url": "https://example.org/b",
    }
    delivery = row("delivery", ref="NL-B2", donor="NL", pledge_ref="NL-B1", date="2025-09-01", amount="4")
    assert import_ledger(csv_of(pledge, further, delivery)).written
    t = timezone.now()
    record(ref="NL-B1", donor="NL", date="2025-08-04", amount="99")
    then = api.get(f"/api/v1/pledges/NL-B1/?as_of={at(t)}").json()
    assert (then["amount"], then["delivered"]) == ("10.00", "4.00")
    assert sorted(s["url"] for s in then["sources"]) == ["https://example.org/b", "https://example.org/source"]


def test_a_moment_after_the_last_write_reads_the_totals(api, monkeypatch):
    ledger_at_t()
    t = timezone.now()
    now = api.get("/api/v1/summary/?group_by=month").json()

    def no_history_read(*args):
        raise AssertionError("the records' history was read although nothing changed since the moment")

    monkeypatch.setattr(exact_records, "parts", no_history_read)
    then = api.get(f"/api/v1/summary/?group_by=month&as_of={at(t)}").json()
    assert then.pop("rates_used_full") != now.pop("rates_used_full") and then == now
    rate("USD", "2025-10-01", "1.2000")
    assert not asof.unchanged_since(t)  # a rate held since: the moment is read from the history


def test_any_record_written_since_the_moment_means_the_history_is_read():
    ledger_at_t()
    t = timezone.now()
    assert asof.unchanged_since(t)
    services.delete_record(Delivery.objects.get(ref="NL-D1"))
    assert not asof.unchanged_since(t)


@pytest.mark.parametrize(
    "path", ["/api/v1/pledges/?currency=USD", "/api/v1/deliveries/?format=csv", "/api/v1/summary/"]
)
def test_an_as_of_answer_takes_as_many_queries_for_more_records(api, path):
    """No query per record: a page of history rows becomes records in a fixed number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_as_of_now() -> int:
        moment = timezone.now()
        with CaptureQueriesContext(connection) as captured:
            assert answer(api, path, moment)[0] == 200
        return len(captured)

    ledger_at_t()
    queries_as_of_now()  # the rate days are read once per rates version (the records below move no rate)
    few = queries_as_of_now()
    for n in range(3):
        record(
            ref=f"NL-M{n}",
            donor="NL",
            date="2025-08-05",
            amount="5",
            currency="USD",
            source_url=f"https://example.org/m{n}",
        )
        record("delivery", ref=f"NL-MD{n}", donor="NL", pledge_ref=f"NL-M{n}", date="2025-09-03", amount="1")
        record("valuation", ref=f"NL-MV{n}", pledge_ref=f"NL-M{n}", date="2025-08-05", amount="6", currency="GBP")
    assert queries_as_of_now() == few


@pytest.mark.parametrize("path", ["/api/v1/summary/", "/api/v1/pledges/", "/donor/NL/", "/"])
def test_a_request_resolves_its_moment_once(api, path):
    """The filters, the rates and the page all ask for the moment: it is checked once a request
    (before the first record: one probe of each history table)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ledger_at_t()
    t = timezone.now()
    with CaptureQueriesContext(connection) as captured:
        assert api.get(f"{path}?as_of={at(t)}").status_code == 200
    firsts = [query["sql"] for query in captured if 'MIN("aid_historical' in query["sql"]]
    assert len(firsts) == 2
