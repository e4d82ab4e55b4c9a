from django.db import migrations

# SQLite only (aid.summary.sqlite_daily). The first holds every column a summary reads from the
# daily totals, in the order of a summary by donor: SQLite reads the index alone and aggregates
# each donor (each of its currencies, with one rate for all days) as it comes, without sorting
# the table; a few donors are one range of it each. The second gives the (currency, day) pairs whose rates an answer discloses in
# order, without sorting them. PostgreSQL answers from its rollup instead and would only pay for
# them on writes.
INDEXES = {
    "total_summary_covering": "status, donor, kind, currency, day, programme, package, amount_minor, records, undisclosed",
    "total_status_currency_day": "status, currency, day",
}


def create_on_sqlite(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name, columns in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX {name} ON aid_ledgertotal ({columns})")
        schema_editor.execute("ANALYZE aid_ledgertotal")  # so that the planner knows what the index holds


def drop_on_sqlite(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ('aid', '0016_summary_donor_indexes'),
    ]

    operations = [migrations.RunPython(create_on_sqlite, drop_on_sqlite)]
