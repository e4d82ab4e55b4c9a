"""A bulk write leaves the totals' planner statistics fresh, so no summary has to ANALYZE."""

import pytest
from django.db import connection

from aid.importing import import_ledger
from aid.summary import rollup
from tests.builders import donor, rate, row
from tests.test_import import csv_of

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="planner statistics are PostgreSQL's (SQLite has only the exact path)"
)


def estimated_rows(table: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0]


def imported_month_rows(monkeypatch, threshold: int, months: int = 12) -> None:
    donor("NL")
    rate("USD", "2025-01-01", "1.1000")
    monkeypatch.setattr(rollup, "FRESH_STATISTICS_AFTER", threshold)
    months = [f"2025-{month:02d}-03" for month in range(1, months + 1)]  # a (key, month) row each per target
    report = import_ledger(csv_of(*(row("pledge", ref=f"P-{day}", date=day, currency="USD") for day in months)))
    assert report.ok


def test_an_import_touching_many_rows_analyzes_the_totals(monkeypatch):
    imported_month_rows(monkeypatch, threshold=12)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM aid_convertedtotal")
        assert estimated_rows("aid_convertedtotal") == cursor.fetchone()[0] > 0
        cursor.execute("SELECT count(*) FROM aid_ledgertotal")
        assert estimated_rows("aid_ledgertotal") == cursor.fetchone()[0] > 0
        for narrow in rollup.NARROWS:
            cursor.execute(f"SELECT count(*) FROM {narrow.table}")
            assert estimated_rows(narrow.table) == cursor.fetchone()[0] > 0, narrow.table


def test_an_import_of_qualified_amounts_analyzes_their_counts(monkeypatch):
    donor("NL")
    monkeypatch.setattr(rollup, "FRESH_STATISTICS_AFTER", 12)
    rows = [
        row("pledge", ref=f"Q-{month}", date=f"2025-{month:02d}-03", amount_qualifier="approx")
        for month in range(1, 13)
    ]
    assert import_ledger(csv_of(*rows)).ok
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM aid_qualifiedcount")
        assert estimated_rows("aid_qualifiedcount") == cursor.fetchone()[0] == 12


def test_rebuild_totals_leaves_fresh_statistics(monkeypatch):
    from aid.summary import totals

    # Too few rows to analyze, and a count no other test leaves (ANALYZE's estimates outlive a
    # test's rolled-back transaction).
    imported_month_rows(monkeypatch, threshold=13, months=7)
    totals.rebuild()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM aid_convertedtotal")
        assert estimated_rows("aid_convertedtotal") == cursor.fetchone()[0] > 0


def test_a_small_write_leaves_the_statistics_to_autovacuum(monkeypatch):
    before = estimated_rows("aid_convertedtotal")
    imported_month_rows(monkeypatch, threshold=13)
    assert estimated_rows("aid_convertedtotal") == before
