from django.db import migrations

# SQLite only (aid.summary.sqlite_daily discloses the rates a summary used): each rate day used
# is joined to its rate and source. Through the unique (currency, day) index that is a search of
# the index and another of the table (whose rows carry the source URL and who entered the rate);
# an index holding both answers from the index alone. The query names it (INDEXED BY): without
# statistics SQLite prefers the unique index. PostgreSQL answers from its rollup instead.
INDEX = "exchangerate_covering"


def create_on_sqlite(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"CREATE INDEX {INDEX} ON ledger_exchangerate (currency, day, rate, source)")


def drop_on_sqlite(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0004_daily_factor"),
    ]

    operations = [migrations.RunPython(create_on_sqlite, drop_on_sqlite)]
