"""Every source weighed: a record's confidence and its sources' kind, from import to API filter."""

import csv
import io
from decimal import Decimal

import pytest

from aid.export import ledger_querysets, stream_csv
from aid.importing import import_ledger
from aid.models import Pledge, Source
from aid.rules import COLUMNS
from aid.summary import LedgerFilter, summarize
from tests.builders import rate, record, row

OLD_COLUMNS = COLUMNS[:13]  # the ledger CSV before `confidence` and `source_kind`


def ledger_csv(rows: list[dict], columns=COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_confidence_and_source_kind_are_imported(db):
    report = import_ledger(ledger_csv([row(ref="NL-1", confidence="High", source_kind="official")]))
    assert report.ok, report.problems
    pledge = Pledge.objects.get(ref="NL-1")
    assert (pledge.confidence, pledge.sources.get().kind) == ("high", "official")


def test_a_file_in_the_thirteen_column_form_still_imports_as_not_assessed(db):
    assert import_ledger(ledger_csv([row(ref="NL-1")], columns=OLD_COLUMNS)).ok
    pledge = Pledge.objects.get(ref="NL-1")
    assert (pledge.confidence, pledge.sources.get().kind) == ("", "")


@pytest.mark.parametrize(
    "bad, expected",
    [
        ({"confidence": "sure"}, "line 2, column confidence: 'sure': must be high, medium, low, or empty"),
        ({"source_kind": "blog"}, "line 2, column source_kind: 'blog': must be official, international, media,"),
    ],
)
def test_a_bad_confidence_or_source_kind_is_named_and_nothing_is_written(db, bad, expected):
    report = import_ledger(ledger_csv([{**row(ref="NL-1"), **bad}]))
    assert [p[: len(expected)] for p in report.problems] == [expected]
    assert not Pledge.objects.exists()


def test_an_empty_source_kind_never_clears_an_assessed_one(db):
    import_ledger(ledger_csv([row(ref="NL-1", source_kind="media")]))
    import_ledger(ledger_csv([row(ref="NL-2", source_kind="")]))
    assert Source.objects.get().kind == "media"


def test_changing_only_the_confidence_updates_the_record(db):
    import_ledger(ledger_csv([row(ref="NL-1", confidence="low")]))
    report = import_ledger(ledger_csv([row(ref="NL-1", confidence="medium")]))
    assert report.refs("updated") == ["NL-1"]
    assert Pledge.objects.get(ref="NL-1").version == 2


def test_the_export_carries_both_columns_and_reimports_unchanged(db):
    rows = [row(ref="NL-1", confidence="medium", source_kind="tracker"), row(ref="NL-2", source_url="https://b.org/")]
    import_ledger(ledger_csv(rows))
    exported = "".join(stream_csv(ledger_querysets()))
    assert exported.splitlines()[0].endswith(",confidence,source_kind")
    assert [line.split(",")[-2:] for line in exported.splitlines()[1:]] == [["medium", "tracker"], ["", ""]]
    again = import_ledger(exported)
    assert again.ok and len(again.refs("unchanged")) == 2


@pytest.fixture
def judged(db):
    rate("USD", "2025-08-04", "1.1600")
    record(ref="NL-H", donor="NL", amount="100", confidence="high", source_kind="official")
    record(ref="NL-M", donor="NL", amount="40", currency="USD", confidence="medium")
    record(ref="NL-L", donor="NL", amount="7", confidence="low", source_url="https://blog.example.org/x")
    record(ref="DE-N", donor="DE", amount="1000")
    record("delivery", ref="NL-HD", donor="NL", pledge_ref="NL-H", amount="30", confidence="high", date="2025-08-05")
    record("delivery", ref="NL-LD", donor="NL", pledge_ref="NL-L", amount="7", confidence="low", date="2025-08-05")


def test_records_in_the_api_carry_confidence_and_source_kinds(judged, client):
    pledge = client.get("/api/v1/pledges/NL-H/").json()
    assert pledge["confidence"] == "high"
    assert pledge["sources"] == [{"url": "https://example.org/source", "title": "", "kind": "official"}]
    assert client.get("/api/v1/pledges/DE-N/").json()["confidence"] is None


def test_lists_filter_on_a_comma_list_of_confidences(judged, client):
    refs = [p["ref"] for p in client.get("/api/v1/pledges/?confidence=high,medium&ordering=date").json()["results"]]
    assert sorted(refs) == ["NL-H", "NL-M"]
    refs = [p["ref"] for p in client.get("/api/v1/pledges/?confidence=not_assessed").json()["results"]]
    assert refs == ["DE-N"]


@pytest.mark.parametrize("url", ["/api/v1/pledges/?confidence=sure", "/api/v1/summary/?confidence=high,sure"])
def test_a_bad_confidence_is_a_400_naming_it(judged, client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "confidence" in response.content.decode() and "sure" in response.content.decode()


def test_the_summary_restricted_by_confidence_is_exact(judged):
    summary = summarize(ledger_filter=LedgerFilter(confidences=("high", "medium")))
    # NL: EUR 100 (high) + USD 40 at 1.16 = EUR 34.48 (medium); delivered: EUR 30 (high).
    assert [(g.key, g.pledged, g.delivered) for g in summary.groups] == [("NL", Decimal("134.48"), Decimal("30.00"))]
    everything = summarize(ledger_filter=LedgerFilter(confidences=("high", "medium", "low", "")))
    assert [(g.key, g.pledged, g.delivered) for g in everything.groups] == [
        (g.key, g.pledged, g.delivered) for g in summarize().groups
    ]
