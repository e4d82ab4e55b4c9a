"""The import's set-wise path (aid.bulk) writes what save_record would, on both databases."""

import pytest
from django.db import connection

from aid import services, staging
from aid.importing import import_ledger
from aid.models import Delivery, LedgerTotal, Pledge, Source, Status
from aid.summary import totals
from tests.builders import SOURCE, donor, rate, record, row
from tests.test_import import csv_of


@pytest.fixture(autouse=True)
def ledger_basics():
    donor("NL"), donor("NO")
    rate("USD", "2025-08-01", "1.1000")
    rate("USD", "2025-09-01", "1.2000")


FILE = [
    row("pledge", ref="P-EUR", amount="1000.00", date="2025-08-01", package="PURL-1"),
    row("pledge", ref="P-UND", amount="", currency="", date="2025-08-02", source_title="The source"),
    row("pledge", ref="P-NO", donor="NO", amount="50", currency="USD", date="2025-08-01", source_url=SOURCE + "/no"),
    row("delivery", ref="D-1", pledge_ref="P-EUR", amount="100.10", date="2025-09-02", package="PURL-1"),
    row("delivery", ref="D-2", pledge_ref="P-EUR", amount="", currency="", date="2025-09-03", package="PURL-1"),
    row("delivery", ref="D-USD", pledge_ref="P-EUR", amount="12.01", currency="USD", date="2025-09-04"),
    row("delivery", ref="D-NO", donor="NO", pledge_ref="P-NO", amount="20", currency="USD", date="2025-09-05"),
]


def test_new_records_are_written_with_their_sources_and_packages():
    report = import_ledger(csv_of(*FILE))
    assert report.ok and report.written and len(report.refs("created")) == len(FILE)
    pledge = Pledge.objects.get(ref="P-EUR")
    assert (pledge.amount_minor, pledge.currency, pledge.status, pledge.package.code) == (
        100000,
        "EUR",
        "published",
        "PURL-1",
    )
    assert Pledge.objects.get(ref="P-UND").amount_minor is None
    assert Delivery.objects.get(ref="D-1").pledge == pledge
    assert list(Pledge.objects.get(ref="P-NO").sources.values_list("url", flat=True)) == [SOURCE + "/no"]
    assert Source.objects.get(url=SOURCE).title == "The source"


def test_totals_and_the_rollup_match_a_recomputation():
    import_ledger(csv_of(*FILE))
    assert LedgerTotal.objects.exists()
    assert totals.differences() == []


def test_delivered_figures_match_the_one_by_one_computation():
    import_ledger(csv_of(*FILE))
    imported = dict(Pledge.objects.values_list("ref", "delivered_minor"))
    counts = dict(Pledge.objects.values_list("ref", "deliveries_count"))
    for pledge in Pledge.objects.all():
        services.refresh_progress(pledge)
    assert dict(Pledge.objects.values_list("ref", "delivered_minor")) == imported
    assert dict(Pledge.objects.values_list("ref", "deliveries_count")) == counts
    # 100.10 EUR + 12.01 USD at 1.2 (10.01 EUR); the undisclosed delivery is counted, adds nothing.
    assert imported["P-EUR"] == 10010 + 1001 and counts["P-EUR"] == 3
    assert imported["P-NO"] == 2000


def test_a_second_import_onto_the_same_days_changes_the_totals_and_the_rollup_as_a_recomputation():
    import_ledger(csv_of(*FILE))
    more = [
        # 12.01 + 0.03 USD on one day: 10.03 EUR, where the parts rounded alone give 10.01 + 0.03
        row("delivery", ref="D-USD-2", pledge_ref="P-EUR", amount="0.03", currency="USD", date="2025-09-04"),
        row("pledge", ref="P-EUR-2", amount="0.05", date="2025-08-01", package="PURL-1"),
        row("pledge", ref="P-NEW", amount="7", currency="USD", date="2025-08-20", source_url=SOURCE + "/new"),
        row("delivery", ref="D-NEW", pledge_ref="P-NEW", amount="3", currency="USD", date="2025-09-05"),
        row("delivery", ref="D-NO-2", donor="NO", pledge_ref="P-NO", amount="", currency="", date="2025-09-05"),
    ]
    assert import_ledger(csv_of(*more)).written
    assert totals.differences() == []
    figures = dict(Pledge.objects.values_list("ref", "delivered_minor"))
    assert (figures["P-EUR"], figures["P-NEW"], figures["P-NO"]) == (
        10010 + 1003,
        300,
        2000,
    )  # 12.04 USD on one day: 10.03 EUR
    assert Pledge.objects.get(ref="P-NO").deliveries_count == 2
    # The history entry of a new pledge holds it as created, before its deliveries (as save_record writes it).
    assert Pledge.history.get(ref="P-NEW").delivered_minor == 0


def test_each_new_record_has_one_history_entry_with_its_source(django_user_model):
    user = django_user_model.objects.create(username="researcher")
    import_ledger(csv_of(*FILE), user=user)
    entries = Pledge.history.filter(ref="P-NO")
    assert [(e.history_type, e.history_user, e.history_change_reason) for e in entries] == [
        ("+", user, "ledger CSV import")
    ]
    assert [link.source.url for link in entries[0].sources.all()] == [SOURCE + "/no"]
    assert Delivery.history.filter(ref="D-1").get().pledge_id == Pledge.objects.get(ref="P-EUR").pk


def test_new_deliveries_against_an_existing_pledge_update_its_figure():
    pledge = record("pledge", ref="OLD", amount="500", date="2025-08-01")
    record("delivery", ref="OLD-D", pledge_ref="OLD", amount="100", date="2025-08-05")
    import_ledger(csv_of(row("delivery", ref="NEW-D", pledge_ref="OLD", amount="50", date="2025-09-01")))
    pledge.refresh_from_db()
    assert (pledge.delivered_minor, pledge.deliveries_count) == (15000, 2)
    assert totals.differences() == []


def test_a_file_mixing_updates_and_new_records_writes_both():
    record("pledge", ref="OLD", amount="500", date="2025-08-01")
    report = import_ledger(
        csv_of(
            row("pledge", ref="OLD", amount="600", date="2025-08-01"),
            row("delivery", ref="NEW-D", pledge_ref="OLD", amount="50", date="2025-09-01"),
        )
    )
    assert report.refs("updated") == ["OLD"] and report.refs("created") == ["NEW-D"]
    pledge = Pledge.objects.get(ref="OLD")
    assert (pledge.amount_minor, pledge.delivered_minor) == (60000, 5000)
    assert totals.differences() == []


def test_draft_imports_count_in_the_draft_totals_only():
    import_ledger(csv_of(*FILE[:1]), status=Status.DRAFT)
    assert list(LedgerTotal.objects.values_list("status", "amount_minor")) == [("draft", 100000)]
    assert totals.differences() == []


def test_a_dry_run_leaves_no_trace():
    import_ledger(csv_of(*FILE), dry_run=True)
    assert not Pledge.objects.exists() and not LedgerTotal.objects.exists() and not Pledge.history.exists()


def test_confidence_and_source_kind_are_written_and_a_known_kind_is_kept():
    Source.objects.create(url=SOURCE, title="", kind="media")
    import_ledger(
        csv_of(
            row("pledge", ref="P-1", confidence="high", source_title="First"),
            row("pledge", ref="P-2", date="2025-08-02", source_kind=""),
            row("pledge", ref="P-3", date="2025-08-03", source_url=SOURCE + "/new", source_kind="official"),
        )
    )
    assert dict(Pledge.objects.values_list("ref", "confidence")) == {"P-1": "high", "P-2": "", "P-3": ""}
    assert Source.objects.get(url=SOURCE).kind == "media" and Source.objects.get(url=SOURCE).title == "First"
    assert Source.objects.get(url=SOURCE + "/new").kind == "official"
    assert Pledge.history.get(ref="P-1").confidence == "high"


def test_a_pledge_gaining_its_first_delivery_counts_as_covered():
    record("pledge", ref="OLD", amount="500", date="2025-08-01")
    assert not LedgerTotal.objects.filter(kind="covered").exists()
    import_ledger(csv_of(row("delivery", ref="NEW-D", pledge_ref="OLD", amount="50", date="2025-09-01")))
    assert list(LedgerTotal.objects.filter(kind="covered").values_list("amount_minor", "records")) == [(50000, 1)]
    assert totals.differences() == []


def planner_settings() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(name) FROM unnest(%s::text[]) name", [list(staging.BATCH_SETTINGS)])
        return [value for (value,) in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="hash joins are a PostgreSQL planner setting")
@pytest.mark.parametrize("dry_run", [False, True])
def test_a_large_import_joins_by_hashing_with_the_same_totals_and_puts_the_settings_back(monkeypatch, dry_run):
    monkeypatch.setattr(staging, "HASH_JOIN_ROWS", 1)  # as a file of 10,000 rows would
    record("pledge", ref="OLD", amount="500", date="2025-08-01")
    before = planner_settings()
    new_delivery = row("delivery", ref="NEW-D", pledge_ref="OLD", amount="5", date="2025-09-01")
    updated_pledge = row("pledge", ref="OLD", amount="600", date="2025-08-01")
    report = import_ledger(csv_of(*FILE, new_delivery, updated_pledge), dry_run=dry_run)
    assert report.ok and report.written != dry_run
    assert report.refs("updated") == ["OLD"]
    assert totals.differences() == []
    assert Pledge.objects.get(ref="OLD").delivered_minor == (0 if dry_run else 500)
    assert planner_settings() == before


def _planned_rows(table: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's statistics: sqlite_daily.refresh_statistics")
def test_an_import_leaves_statistics_where_autovacuum_would_have_analyzed():
    pledges = [row("pledge", ref=f"P-{n}", amount="10", date="2025-08-01") for n in range(60)]
    assert import_ledger(csv_of(*pledges)).written
    assert _planned_rows("aid_pledge") == 60  # analyzed: 60 rows past 50 + 10 % of none
    assert _planned_rows("aid_historicalpledge") == 60 and _planned_rows("aid_pledge_sources") == 60
    few = [row("pledge", ref=f"Q-{n}", amount="10", date="2025-08-01") for n in range(5)]
    assert import_ledger(csv_of(*few)).written
    assert _planned_rows("aid_pledge") == 60, "5 more rows are under autovacuum's rule: not analyzed again"
