"""Export → import into an empty ledger → export gives the same file, byte for byte."""

import io

import pytest
from django.core.management import call_command

from aid import services
from aid.export import ledger_querysets, stream_csv
from aid.importing import import_ledger
from aid.models import Delivery, Package, Pledge, Programme, Source, Valuation
from aid.rules import SOURCE_URL_REASON
from aid.seed import load_reference_tables
from tests.builders import donor, rate, record

HEADER = (
    "record,ref,donor,programme,package,pledge_ref,date,amount,currency,amount_qualifier,description,"
    "source_url,source_title,confidence,source_kind"
)
LEDGER = (
    HEADER
    + '''
pledge,NL-P1,NL,PURL,PURL-1,,2025-08-04,500000000,EUR,exact,"first, PURL",https://b.example.org/nl,"NL says ""500m""",high,official
source,NL-P1,,,,,,,,,,https://a.example.org/nato,NATO,,international
source,NL-P1,,,,,,,,,,https://c.example.org/news,,,
pledge,NO-P1,NO,BILATERAL,,,2025-07-01,1.5,EUR,at_least,"two
lines",https://b.example.org/no,,,
pledge,DE-P1,DE,PURL,PURL-1,,2025-08-13,,,exact,'=SUM(A1),https://a.example.org/nato,NATO,low,
valuation,NL-P1-USD,NL,PURL,PURL-1,NL-P1,2025-08-04,578000000.0,USD,approx,,https://d.example.org/usd,,medium,media
source,NL-P1-USD,,,,,,,,,,https://b.example.org/nl,"NL says ""500m""",,official
delivery,NL-D1,NL,PURL,PURL-1,NL-P1,2025-09-01,200000000.00,EUR,exact,,https://c.example.org/news,,,
delivery,DE-D1,DE,PURL,PURL-1,DE-P1,2025-09-02,,,exact,,https://a.example.org/nato,NATO,,
'''
)
# Today's 13-column form, as files written before confidence and source_kind existed.
HEADER_13 = HEADER.removesuffix(",confidence,source_kind")


@pytest.fixture(autouse=True)
def _donors():
    load_reference_tables()


def exported(*, published_only: bool = True) -> str:
    return "".join(stream_csv(ledger_querysets(published_only=published_only), public=published_only))


def empty_the_ledger() -> None:
    """Back to a freshly migrated ledger (donors only); the next ids differ from the first ones."""
    for model in (Delivery, Valuation, Pledge, Package, Source):
        for item in model.objects.all():
            if model in (Delivery, Valuation, Pledge):
                services.delete_record(item)
            else:
                item.delete()
    Programme.objects.all().delete()


def test_an_export_reimported_into_an_empty_ledger_exports_byte_identical():
    rate("USD", "2025-08-01", "1.16")
    first = import_ledger(LEDGER)
    assert first.ok, first.problems
    once = exported()
    empty_the_ledger()
    assert not Pledge.objects.exists() and not Source.objects.exists()
    again = import_ledger(once)
    assert again.ok, again.problems
    assert exported() == once


def test_the_export_keeps_every_source_valuation_and_written_scale():
    rate("USD", "2025-08-01", "1.16")
    assert import_ledger(LEDGER).ok
    lines = exported().splitlines()
    assert lines[0] == HEADER
    assert lines[1:4] == [
        'pledge,NL-P1,NL,PURL,PURL-1,,2025-08-04,500000000,EUR,exact,"first, PURL",https://a.example.org/nato,NATO,high,international',
        'source,NL-P1,,,,,,,,,,https://b.example.org/nl,"NL says ""500m""",,official',
        "source,NL-P1,,,,,,,,,,https://c.example.org/news,,,",
    ]
    assert 'pledge,NO-P1,NO,BILATERAL,,,2025-07-01,1.5,EUR,at_least,"two' in lines
    assert (
        "pledge,DE-P1,DE,PURL,PURL-1,,2025-08-13,,,exact,'=SUM(A1),https://a.example.org/nato,NATO,low,international"
        in lines
    )
    assert (
        'valuation,NL-P1-USD,NL,PURL,PURL-1,NL-P1,2025-08-04,578000000.0,USD,approx,,https://b.example.org/nl,"NL says ""500m""",medium,official'
        in lines
    )
    assert "source,NL-P1-USD,,,,,,,,,,https://d.example.org/usd,,,media" in lines
    assert (
        "delivery,NL-D1,NL,PURL,PURL-1,NL-P1,2025-09-01,200000000.00,EUR,exact,,https://c.example.org/news,,," in lines
    )


def test_a_file_in_the_13_column_form_still_imports():
    report = import_ledger(HEADER_13 + "\npledge,NL-P5,NL,PURL,,,2025-08-04,7,EUR,,,https://example.org/13,\n")
    assert report.ok, report.problems
    assert "pledge,NL-P5,NL,PURL,,,2025-08-04,7,EUR,exact,,https://example.org/13,,," in exported().splitlines()


def test_sources_added_in_the_admin_are_exported_and_reimported():
    pledge = record(ref="NL-P9", donor="NL", amount="10")
    extra = Source.objects.create(url="https://e.example.org/extra", title="extra")
    services.link_sources(pledge, [*pledge.sources.all(), extra])
    once = exported()
    assert "source,NL-P9,,,,,,,,,,https://example.org/source,,," in once.splitlines()  # URL order
    empty_the_ledger()
    assert import_ledger(once).ok
    assert sorted(Pledge.objects.get(ref="NL-P9").sources.values_list("url", flat=True)) == [
        "https://e.example.org/extra",
        "https://example.org/source",
    ]
    assert exported() == once


def test_the_published_export_leaves_out_drafts_and_all_takes_them():
    donor("NL")
    record(ref="NL-OPEN", donor="NL", amount="10")
    record(ref="NL-DRAFT", donor="NL", amount="20", status="draft")
    assert "NL-DRAFT" not in exported()
    assert "NL-DRAFT" in exported(published_only=False)


def test_export_ledger_writes_a_file_or_stdout(tmp_path):
    record(ref="NL-OPEN", donor="NL", amount="10")
    target = tmp_path / "ledger.csv"
    call_command("export_ledger", str(target))
    out = io.StringIO()
    call_command("export_ledger", stdout=out)
    assert target.read_text(encoding="utf-8") == exported() == out.getvalue()
    assert not (tmp_path / "ledger.csv.partial").exists()


def test_a_source_row_for_a_ref_not_in_the_file_is_refused():
    report = import_ledger(f"{HEADER_13}\nsource,NL-NOPE,,,,,,,,,,https://a.example.org/x,\n")
    assert report.problems == [
        "line 2, column ref: 'NL-NOPE': no pledge, delivery or valuation with this ref in the file"
    ]


def test_a_source_row_holds_only_a_source():
    text = LEDGER.replace("source,NL-P1,,,,,,,,,,https://c.example.org/news,,,", "source,NL-P1,NL,,,,,,,,,ftp://x,,,x")
    report = import_ledger(text)
    assert report.problems == [
        "line 4, column donor: 'NL': a source row holds only ref and the source's url, title and kind",
        f"line 4, column source_url: 'ftp://x': {SOURCE_URL_REASON}",
        "line 4, column source_kind: 'x': must be official, international, media, tracker, secondary, or empty (not assessed)",
    ]
    assert not Pledge.objects.exists()
