"""Stored blocks of the published ledger CSV (aid.export_blocks), and on PostgreSQL the triggers
that delete a block in the transaction that changes anything it shows.

Inserts and deletes: statement-level triggers with transition tables, so that an import's INSERT
of 100,000 records forgets its blocks in one DELETE, not 100,000 (PostgreSQL allows transition
tables on one event per trigger, hence a function per table and event). Updates: row-level
triggers whose WHEN compares what the blocks show (_row_updates says why). The SQL is written
out here, not imported: a migration must not change when the code does.
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


def _records_of(column: str, ids_sql: str) -> list[str]:
    """Forget the blocks of every record whose `column` (donor_id, …, or pledge_id) is in ids_sql."""
    pledges = f"SELECT p.id FROM aid_pledge p WHERE p.{column} IN ({ids_sql})"
    statements = []
    if column != "pledge_id":
        statements.append(_forget(0, _blocks(pledges)))
    statements.append(_forget(2, _blocks(f"SELECT d.id FROM aid_delivery d WHERE d.{column} IN ({ids_sql})")))
    owners = pledges if column != "pledge_id" else ids_sql
    statements.append(_forget(1, _blocks(f"SELECT v.id FROM aid_valuation v WHERE v.pledge_id IN ({owners})")))
    return statements


def _statement_bodies() -> dict[tuple[str, str], list[str]]:
    """(table, INSERT or DELETE) → what its statement-level trigger runs over the statement's rows
    (new_rows, old_rows): an import's INSERT of 100,000 records forgets its blocks in one DELETE."""
    bodies = {}
    for table, kind in KINDS.items():
        bodies[table, "INSERT"] = [_forget(kind, _blocks("SELECT id FROM new_rows"))]
        bodies[table, "DELETE"] = [_forget(kind, _blocks("SELECT id FROM old_rows"))]
    for table, (column, kind) in LINKS.items():
        bodies[table, "INSERT"] = [_forget(kind, _blocks(f"SELECT {column} FROM new_rows", column))]
        bodies[table, "DELETE"] = [_forget(kind, _blocks(f"SELECT {column} FROM old_rows", column))]
    bodies["aid_source", "DELETE"] = [
        _forget(
            kind, _blocks(f"SELECT l.{column} FROM {table} l WHERE l.source_id IN (SELECT id FROM old_rows)", column)
        )
        for table, (column, kind) in LINKS.items()
    ]
    return bodies


def _row_updates() -> dict[str, tuple[str, list[str]]]:
    """table → (the columns whose change fires it, what it runs for the row): UPDATE triggers are
    row-level with a WHEN, so that the updates of what no block shows (a pledge's delivered
    figures, 100,000 rows in an import) cost a comparison per row, and no transition tables (a
    statement-level trigger joining them cost 1-2 s per 100,000 updated pledges)."""
    updates = {}
    for table, kind in KINDS.items():
        updates[table] = (
            SHOWN[table],
            [_forget(kind, f"SELECT NEW.id / {BLOCK_IDS} UNION SELECT OLD.id / {BLOCK_IDS}")],
        )
    pledge_columns, pledge_body = updates["aid_pledge"]
    cascade = " ".join(_records_of("pledge_id", "SELECT NEW.id"))
    changed = f"ROW({_of('NEW', SHOWN_OF_PLEDGE)}) IS DISTINCT FROM ROW({_of('OLD', SHOWN_OF_PLEDGE)})"
    updates["aid_pledge"] = (pledge_columns, [*pledge_body, f"IF {changed} THEN {cascade} END IF;"])
    for table, (column, kind) in LINKS.items():
        updates[table] = (
            f"{column}, source_id",
            [_forget(kind, f"SELECT NEW.{column} / {BLOCK_IDS} UNION SELECT OLD.{column} / {BLOCK_IDS}")],
        )
    updates["aid_source"] = ("url, title, kind", [
        _forget(kind, _blocks(f"SELECT l.{column} FROM {table} l WHERE l.source_id = NEW.id", column))
        for table, (column, kind) in LINKS.items()
    ])  # fmt: skip
    for table, column in CODES.items():
        updates[table] = ("code", _records_of(column, "SELECT NEW.id"))
    return updates


def _of(row: str, columns: str) -> str:
    return ", ".join(f"{row}.{column.strip()}" for column in columns.split(","))


def _transition(event: str) -> str:
    return {"INSERT": "NEW TABLE AS new_rows", "DELETE": "OLD TABLE AS old_rows"}[event]


def _triggers() -> list[tuple[str, str, str]]:
    """(table, trigger and function name, its event) of every trigger but TRUNCATE's."""
    named = [(table, event) for table, event in _statement_bodies()] + [(table, "UPDATE") for table in _row_updates()]
    return [(table, f"{table}_{event.lower()}_export", event) for table, event in named]


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite's export is written by Python (aid.export); no block is stored there
    statements = [
        "CREATE FUNCTION aid_export_block_ids() RETURNS bigint IMMUTABLE LANGUAGE sql AS 'SELECT 10000::bigint'",
        # A cache that can be written again: no WAL for it (storing the deliveries' blocks at
        # 1M + 1M: 6.0 s logged and compressed by pglz, 3.8 s unlogged with lz4); a crash
        # empties it, which makes every block missing, never wrong.
        "ALTER TABLE aid_exportblock SET UNLOGGED",
    ]
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
        if cursor.fetchone()[0]:  # a server built without lz4 keeps pglz
            statements.append("ALTER TABLE aid_exportblock ALTER COLUMN csv SET COMPRESSION lz4")
    for (table, event), body in _statement_bodies().items():
        name = f"{table}_{event.lower()}_export"
        statements.append(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {' '.join(body)} RETURN NULL; END $$"
        )
        statements.append(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {_transition(event)} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        )
    for table, (columns, body) in _row_updates().items():
        name = f"{table}_update_export"
        statements.append(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {' '.join(body)} RETURN NULL; END $$"
        )
        statements.append(
            f"CREATE TRIGGER {name} AFTER UPDATE ON {table} FOR EACH ROW "
            f"WHEN (ROW({_of('OLD', columns)}) IS DISTINCT FROM ROW({_of('NEW', columns)})) EXECUTE FUNCTION {name}()"
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
        for table, name, _ in _triggers():
            cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")
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
