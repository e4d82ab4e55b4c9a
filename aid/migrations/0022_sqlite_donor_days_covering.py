from django.db import migrations

# SQLite only (aid.summary.sqlite_daily): the daily totals of a few donors between two dates, read
# as one range of this index per donor, holding every column a summary and its rates disclosure
# read. total_summary_covering (0017) puts kind and currency before the day, so a date filter
# read all of the donors' days (21,264 rows for DE and PL at 100k + 100k, to keep 3,874).
# PostgreSQL answers from its rollup instead and would only pay for it on writes.
NAME = "total_donor_days_covering"
COLUMNS = "status, donor, day, kind, currency, amount_minor, records, undisclosed"


def create_on_sqlite(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"CREATE INDEX {NAME} ON aid_ledgertotal ({COLUMNS})")
        schema_editor.execute("ANALYZE aid_ledgertotal")  # so that the planner knows what the index holds


def drop_on_sqlite(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):

    dependencies = [
        ("aid", "0021_qualified_counts"),
    ]

    operations = [migrations.RunPython(create_on_sqlite, drop_on_sqlite)]
