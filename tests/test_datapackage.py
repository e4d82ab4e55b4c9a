"""The published ledger as a Frictionless Data Package: valid, complete, checksummed, re-importable."""

import csv
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from frictionless import validate

from aid.datapackage.reading import ledger_csv
from aid.export import ledger_querysets, stream_csv
from aid.importing import import_ledger
from aid.seed import load_reference_tables
from tests.builders import rate, record
from tests.test_round_trip import LEDGER, empty_the_ledger


@pytest.fixture
def ledger():
    load_reference_tables()
    rate("USD", "2025-08-01", "1.16")
    rate("USD", "2025-09-01", "1.15")
    report = import_ledger(LEDGER)
    assert report.ok, report.problems
    record(ref="NL-DRAFT", donor="NL", amount="3", status="draft", source_url="https://secret.example.org/")


def published_csv() -> str:
    return "".join(stream_csv(ledger_querysets()))


def rows(folder, name: str) -> list[dict]:
    with (folder / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_package_validates_with_frictionless(ledger, tmp_path):
    call_command("export_datapackage", str(tmp_path / "package.zip"), stdout=io.StringIO())
    call_command("export_datapackage", str(tmp_path / "folder"), stdout=io.StringIO())
    for descriptor in (tmp_path / "package.zip", tmp_path / "folder" / "datapackage.json"):
        report = validate(str(descriptor))
        assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])


def test_the_package_holds_every_table_with_keys_licence_and_rule(ledger, tmp_path):
    call_command("export_datapackage", str(tmp_path), stdout=io.StringIO())
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    assert [r["name"] for r in descriptor["resources"]] == [
        "donors", "programmes", "packages", "pledges", "deliveries", "valuations", "sources",
        "pledge_sources", "delivery_sources", "valuation_sources", "rates",
    ]  # fmt: skip
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0" and "r(target) / r(source)" in descriptor["conversion"]
    deliveries = next(r for r in descriptor["resources"] if r["name"] == "deliveries")
    assert deliveries["schema"]["primaryKey"] == ["ref"]
    assert {"fields": ["pledge_ref"], "reference": {"resource": "pledges", "fields": ["ref"]}} in deliveries["schema"][
        "foreignKeys"
    ]
    assert [(r["ref"], r["source_url"]) for r in rows(tmp_path, "pledge_sources.csv") if r["ref"] == "NL-P1"] == [
        ("NL-P1", "https://a.example.org/nato"),
        ("NL-P1", "https://b.example.org/nl"),
        ("NL-P1", "https://c.example.org/news"),
    ]
    assert "NL-DRAFT" not in (tmp_path / "pledges.csv").read_text()
    assert "secret" not in (tmp_path / "sources.csv").read_text()
    # the USD valuation of 2025-08-04 uses the publication of 2025-08-01; EUR needs no rate
    assert rows(tmp_path, "rates.csv") == [
        {"currency": "USD", "rate_date": "2025-08-01", "rate": "1.160000", "source": "test rate"}
    ]


def test_a_changed_file_fails_its_checksum(ledger, tmp_path):
    call_command("export_datapackage", str(tmp_path), stdout=io.StringIO())
    pledges = tmp_path / "pledges.csv"
    pledges.write_text(pledges.read_text().replace("500000000", "600000000"))
    report = validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    assert report.flatten(["type"]) == [["hash-count"]]
    assert [task.name for task in report.tasks if not task.valid] == ["pledges"]


def test_the_package_reimports_into_an_empty_ledger(ledger, tmp_path):
    before = published_csv()
    call_command("export_datapackage", str(tmp_path / "package.zip"), stdout=io.StringIO())
    empty_the_ledger()
    report = import_ledger(ledger_csv(tmp_path / "package.zip"))
    assert report.ok, report.problems
    assert published_csv() == before


def test_the_api_streams_the_package(ledger, client):
    response = client.get("/api/v1/datapackage.zip")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "datapackage.json" in archive.namelist() and "pledges.csv" in archive.namelist()
    assert b"NL-P1," in archive.read("pledges.csv")
