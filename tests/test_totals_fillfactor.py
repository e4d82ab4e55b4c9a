"""The totals tables an import updates in place leave room on their pages (aid migration 0029), so
that an updated row stays on its page: a heap-only (HOT) update, which adds no index entry."""

import pytest
from django.db import connection

TABLES = ("aid_ledgertotal", "aid_convertedtotal", "aid_donormonthtotal", "aid_programmemonthtotal", "aid_packagetotal")

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a PostgreSQL storage parameter: SQLite pages have no fill factor"
)


def test_every_totals_table_keeps_room_on_its_pages(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reloptions FROM pg_class WHERE relname = ANY(%s)", [list(TABLES)])
        options = dict(cursor.fetchall())
    assert options == {table: ["fillfactor=70"] for table in TABLES}


def test_updating_a_tenth_of_the_rollup_rows_adds_no_index_entry(db):
    # As an import does: a month's figure grows in one row of many. Full pages (fill factor 100)
    # would move nearly every updated row to another page and index it again.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO aid_convertedtotal (target, kind, status, donor, programme, package, currency, month, "
            "amount_minor, converted_minor, records, undisclosed, days_mask) "
            "SELECT 'EUR', 'pledge', 'published', 'NL', 'P' || n, '', 'EUR', DATE '2025-01-01', n, n, 1, 0, 1 "
            "FROM generate_series(1, 5000) AS n"
        )
        cursor.execute(
            "UPDATE aid_convertedtotal SET amount_minor = amount_minor + 1, converted_minor = converted_minor + 1, "
            "records = records + 1 WHERE id % 10 = 0"
        )
        updated = cursor.rowcount
        cursor.execute(
            "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = 'aid_convertedtotal'"
        )
        assert cursor.fetchone() == (updated, updated) and updated == 500
