"""Stored blocks of the published ledger CSV (aid.export_blocks), and on PostgreSQL the triggers
that delete a block in the transaction that changes anything it shows.

Statement-level triggers with transition tables: an import's INSERT of 100,000 records forgets
its blocks in one DELETE, not 100,000. (PostgreSQL allows transition tables on one event per
trigger, hence a function per table and event.) The SQL is written out here, not imported: a
migration must not change when the code does.
"""

from django.db import migrations, models

BLOCK_IDS = "aid_export_block_ids()"  # records per block, one SQL function (aid.export_blocks reads it)
KINDS = {"aid_pledge": 0, "aid_valuation": 1, "aid_delivery": 2}
LINKS = {"aid_pledge_sources": ("pledge_id", 0), "aid_valuation_sources": ("valuation_id", 1),
         "aid_delivery_sources": ("delivery_id", 2)}  # fmt: skip
MONEY = "date, amount_minor, amount_scale, currency, amount_qualifier, description, confidence"
SHOWN = {  # what a record's CSV rows show of its own columns
    "aid_pledge": f"ref, status, donor_id, programme_id, package_id, {MONEY}",
    "aid_valuation": f"ref, pledge_id, {MONEY}",
    "aid_delivery": f"ref, status, donor_id, programme_id, package_id, pledge_id, {MONEY}",
}
# What a valuation or a delivery shows of its pledge: its ref, and its status (a draft pledge's
# ref stays private; a valuation is published with its pledge); a valuation its codes too.
SHOWN_OF_PLEDGE = "ref, status, donor_id, programme_id, package_id"
CODES = {"aid_donor": "donor_id", "aid_programme": "programme_id", "aid_package": "package_id"}


def _forget(kind: int, blocks_sql: str) -> str:
    return f"DELETE FROM aid_exportblock WHERE kind = {kind} AND block IN ({blocks_sql});"


def _blocks(ids_sql: str, column: str = "id") -> str:
    return f"SELECT DISTINCT {column} / {BLOCK_IDS} FROM ({ids_sql}) AS changed"


def _changed(columns: str) -> str:
    """Ids of updated rows whose `columns` changed (old_rows and new_rows: the statement's rows)."""
    pairs = ", ".join(f"n.{c.strip()}" for c in columns.split(","))
    olds = ", ".join(f"o.{c.strip()}" for c in columns.split(","))
    return f"SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE ROW({pairs}) IS DISTINCT FROM ROW({olds})"


def _records_of(column: str, ids_sql: str) -> list[str]:
    """Forget the blocks of every record whose `column` (donor_id, …, or pledge_id) is in ids_sql."""
    pledges = f"SELECT p.id FROM aid_pledge p WHERE p.{column} IN ({ids_sql})"
    statements = []
    if column != "pledge_id":
        statements.append(_forget(0, _blocks(pledges)))
        statements.append(_forget(2, _blocks(f"SELECT d.id FROM aid_delivery d WHERE d.{column} IN ({ids_sql})")))
    else:
        statements.append(_forget(2, _blocks(f"SELECT d.id FROM aid_delivery d WHERE d.pledge_id IN ({ids_sql})")))
    owners = pledges if column != "pledge_id" else ids_sql
    statements.append(_forget(1, _blocks(f"SELECT v.id FROM aid_valuation v WHERE v.pledge_id IN ({owners})")))
    return statements


def _bodies() -> dict[tuple[str, str], list[str]]:
    """(table, event) → the statements its trigger runs."""
    bodies = {}
    for table, kind in KINDS.items():
        bodies[table, "INSERT"] = [_forget(kind, _blocks("SELECT id FROM new_rows"))]
        bodies[table, "DELETE"] = [_forget(kind, _blocks("SELECT id FROM old_rows"))]
        bodies[table, "UPDATE"] = [_forget(kind, _blocks(_changed(SHOWN[table])))]
    bodies["aid_pledge", "UPDATE"] += _records_of("pledge_id", _changed(SHOWN_OF_PLEDGE))
    for table, (column, kind) in LINKS.items():
        bodies[table, "INSERT"] = [_forget(kind, _blocks(f"SELECT {column} FROM new_rows", column))]
        bodies[table, "DELETE"] = [_forget(kind, _blocks(f"SELECT {column} FROM old_rows", column))]
        bodies[table, "UPDATE"] = bodies[table, "INSERT"] + bodies[table, "DELETE"]
    for event, ids in (("UPDATE", _changed("url, title, kind")), ("DELETE", "SELECT id FROM old_rows")):
        bodies["aid_source", event] = [
            _forget(kind, _blocks(f"SELECT l.{column} FROM {table} l WHERE l.source_id IN ({ids})", column))
            for table, (column, kind) in LINKS.items()
        ]
    for table, column in CODES.items():
        bodies[table, "UPDATE"] = _records_of(column, _changed("code"))
    return bodies


def _transition(event: str) -> str:
    return {"INSERT": "NEW TABLE AS new_rows", "DELETE": "OLD TABLE AS old_rows",
            "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows"}[event]  # fmt: skip


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite's export is written by Python (aid.export); no block is stored there
    statements = [
        "CREATE FUNCTION aid_export_block_ids() RETURNS bigint IMMUTABLE LANGUAGE sql AS 'SELECT 10000::bigint'",
        # A cache that can be written again: no WAL for it (storing every block of 1M + 1M
        # records: 4.6 s of writes logged and compressed by pglz, 2.9 s unlogged with lz4); a
        # crash empties it, which makes every block missing, never wrong.
        "ALTER TABLE aid_exportblock SET UNLOGGED",
    ]
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
        if cursor.fetchone()[0]:  # a server built without lz4 keeps pglz
            statements.append("ALTER TABLE aid_exportblock ALTER COLUMN csv SET COMPRESSION lz4")
    for (table, event), body in _bodies().items():
        name = f"{table}_{event.lower()}_export"
        statements.append(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {' '.join(body)} RETURN NULL; END $$"
        )
        statements.append(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {_transition(event)} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        )
    statements.append(
        "CREATE FUNCTION aid_export_truncated() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN DELETE FROM aid_exportblock; RETURN NULL; END $$"
    )
    for table in {*KINDS, *LINKS, "aid_source", *CODES}:
        statements.append(
            f"CREATE TRIGGER {table}_truncate_export AFTER TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION aid_export_truncated()"
        )
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table, event in _bodies():
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_{event.lower()}_export ON {table}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {table}_{event.lower()}_export()")
        for table in {*KINDS, *LINKS, "aid_source", *CODES}:
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_truncate_export ON {table}")
        cursor.execute("DROP FUNCTION IF EXISTS aid_export_truncated()")
        cursor.execute("DROP FUNCTION IF EXISTS aid_export_block_ids()")


class Migration(migrations.Migration):
    dependencies = [
        ("aid", "0026_package_index_for_refresh"),
    ]

    operations = [
        migrations.CreateModel(
            name="ExportBlock",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.PositiveSmallIntegerField()),
                ("block", models.BigIntegerField()),
                ("recipe", models.CharField(max_length=40)),
                ("csv", models.BinaryField()),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("kind", "block"), name="exportblock_kind_block")],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
