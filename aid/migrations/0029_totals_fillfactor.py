from django.db import migrations

# PostgreSQL only: the totals tables an import updates in place keep 30 % of each page free, so
# that an updated row fits beside its old version (a HOT update: no new entry in any of the
# table's four or five indexes). With full pages 3 % of the rollup's updates were HOT; with room,
# all of them: an import of 100,000 rows into the 1M + 1M ledger (five targets held), alternated
# with the same import into the tables as they were, 63-64 s -> 44 s, the rollup's largest upsert
# 18-20 s -> 8 s; the tables 43 % larger, summaries as fast (by package 126 -> 130-145 ms) and
# rebuild_totals as fast (docs/benchmarks.md, "The import"). Pages only get the room when they are
# written, so the tables are rewritten here: VACUUM FULL locks each table while it copies it
# (about a minute for all five at 1M + 1M records) and runs outside a transaction.
TABLES = ("aid_ledgertotal", "aid_convertedtotal", "aid_donormonthtotal", "aid_programmemonthtotal", "aid_packagetotal")
FILLFACTOR = 70


def _rewrite(schema_editor, option: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE {table} {option}")
        schema_editor.execute(f"VACUUM FULL {table}")


def leave_room(apps, schema_editor):
    _rewrite(schema_editor, f"SET (fillfactor = {FILLFACTOR})")


def fill_pages(apps, schema_editor):
    _rewrite(schema_editor, "RESET (fillfactor)")


class Migration(migrations.Migration):
    atomic = False  # VACUUM FULL cannot run inside a transaction

    dependencies = [
        ("aid", "0028_donor_kind_days_index"),
    ]

    operations = [migrations.RunPython(leave_room, fill_pages)]
