"""Temporary tables for set-wise writes: loaded with COPY on PostgreSQL, executemany on SQLite."""

from contextlib import contextmanager

from django.db import connection


def temp_table(cursor, name: str, columns) -> None:
    """(Re)create the temporary table `name` with (column, type) pairs."""
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(f"CREATE TEMPORARY TABLE {name} ({', '.join(f'{n} {t}' for n, t in columns)})")


def copy_rows(cursor, table: str, columns: tuple[str, ...], rows) -> None:
    """Load rows into `table`; COPY streams them, so memory stays flat on PostgreSQL."""
    names = ", ".join(columns)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(columns))
    cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(rows))


def analyze(cursor, table: str) -> None:
    """Statistics for a fresh temporary table (autovacuum never visits them): without them
    PostgreSQL guesses its size and picks nested loops over millions of rows."""
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {table}")


# Autovacuum's own rule (its defaults): a table is analyzed once more rows changed than this
# many plus this share of the rows it holds.
ANALYZE_THRESHOLD, ANALYZE_SCALE = 50, 0.1


def analyze_grown(cursor, written: dict[str, int]) -> None:
    """ANALYZE each table of `written` ({table: rows just written}) that autovacuum would analyze
    now: never analyzed, or grown past its rule. Where the server runs without autovacuum (or
    before its next round), tables imported into stayed without statistics and were planned as
    nearly empty: the API's pledges CSV at 1M + 1M records took 132 s (a nested loop over every
    donor, programme and package for each row), 16 s with statistics; their ANALYZE took 1 s."""
    if connection.vendor != "postgresql" or not written:
        return
    cursor.execute(
        "SELECT c.oid::regclass::text, c.reltuples FROM pg_class c WHERE c.oid = ANY(%s::regclass[])", [list(written)]
    )
    for table, rows in cursor.fetchall():
        if rows < 0 or written[table] > ANALYZE_THRESHOLD + ANALYZE_SCALE * rows:
            cursor.execute(f"ANALYZE {table}")


# From this many rows on, an import's statements join by hashing (see batch_planner).
HASH_JOIN_ROWS = 10_000
# PostgreSQL estimates a join on the seven columns of a total's key at one row, and then
# probes an index once per staged row, or sorts on disk for a merge join: 24 s to add 90,000
# new daily totals on this machine, where a hash join takes under one. The rollup refresh
# grouped 640,000 rows by sorting them on eight text keys (hash aggregation: 17 s -> 13 s for
# its statement), and JIT compiling these statements cost seconds more than it saved.
BATCH_SETTINGS = {
    "enable_nestloop": "off",
    "enable_mergejoin": "off",
    "enable_sort": "off",
    "jit": "off",
    "work_mem": "64MB",
}


@contextmanager
def _settings(cursor, settings: dict[str, str | None]):
    """Transaction-local settings for the statements inside (None: the server's own), put back
    after; on an error the transaction rolls back, and the settings with it."""
    if connection.vendor != "postgresql" or not settings:
        yield
        return
    before = {}
    for name, value in settings.items():
        cursor.execute("SELECT current_setting(%s), reset_val FROM pg_settings WHERE name = %s", [name, name])
        before[name], default = cursor.fetchone()
        cursor.execute("SELECT set_config(%s, %s, true)", [name, default if value is None else value])
    yield
    for name, value in before.items():
        cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


def batch_planner(cursor, rows: int):
    """Hash joins and aggregates (and no JIT) for an import of `rows` rows, if it is a large one; small
    imports keep their index probes."""
    return _settings(cursor, BATCH_SETTINGS if rows >= HASH_JOIN_ROWS else {})


def row_planner(cursor):
    """The server's own planner settings again, inside a batch, for statements about one record."""
    return _settings(cursor, dict.fromkeys(BATCH_SETTINGS))


@contextmanager
def refilled(cursor, model):
    """Empty `model`'s table for the caller to refill set-wise, then build its indexes once.

    PostgreSQL only. The table stays without its indexes and constraints meanwhile: maintaining
    an eight-column text index row by row took 70 of the 72 s of the rollup's INSERT at 100k +
    100k records, where CREATE INDEX sorts once. DDL is transactional, so readers wait for the
    rebuilding transaction (they never see the table empty or unindexed).
    """
    table = model._meta.db_table
    with connection.schema_editor(atomic=False) as editor:
        for constraint in model._meta.constraints:
            editor.remove_constraint(model, constraint)
        for index in model._meta.indexes:
            editor.remove_index(model, index)
    cursor.execute(f"TRUNCATE {table}")
    yield
    cursor.execute("SELECT set_config('maintenance_work_mem', '256MB', true)")
    with connection.schema_editor(atomic=False) as editor:
        for index in model._meta.indexes:
            editor.add_index(model, index)
        for constraint in model._meta.constraints:
            editor.add_constraint(model, constraint)


# More changed rows than this and `make_equal` refills the table instead (index builds beat
# maintaining several text indexes row by row).
REFILL_AFTER = 50_000


def make_equal(cursor, model, key: tuple[str, ...], values: tuple[str, ...], select_sql: str, params) -> int:
    """Make `model`'s table hold exactly the rows of `select_sql` (columns: key, then values),
    writing only the rows that differ; returns how many rows were written or removed.

    A rebuild recomputes everything, but after a restore or a --verify that found a few wrong
    rows nearly all of it is already right: comparing costs one hash join, where rewriting a
    million rows with their indexes took minutes. Many changes (an empty table): `refilled`.
    """
    table = model._meta.db_table
    columns = (*key, *values)
    names = ", ".join(columns)
    if connection.vendor != "postgresql":
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute(f"INSERT INTO {table} ({names}) {select_sql}", params)
        return cursor.rowcount
    same_key = " AND ".join(f"w.{column} = t.{column}" for column in key)
    same_values = " AND ".join(f"w.{column} IS NOT DISTINCT FROM t.{column}" for column in values)
    cursor.execute("DROP TABLE IF EXISTS changed_rows")
    cursor.execute(
        f"CREATE TEMPORARY TABLE changed_rows AS SELECT t.id AS stale_id, w.{key[0]} IS NOT NULL AS wanted, "
        f"{', '.join(f'w.{column}' for column in columns)} "
        f"FROM ({select_sql}) w({names}) FULL JOIN {table} t ON {same_key} "
        f"WHERE t.id IS NULL OR w.{key[0]} IS NULL OR NOT ({same_values})",
        params,
    )
    changed = cursor.rowcount
    if changed > REFILL_AFTER:
        cursor.execute("DROP TABLE changed_rows")
        with refilled(cursor, model):
            cursor.execute(f"INSERT INTO {table} ({names}) {select_sql}", params)
    else:
        cursor.execute(f"DELETE FROM {table} t USING changed_rows c WHERE t.id = c.stale_id")
        cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM changed_rows WHERE wanted")
        cursor.execute("DROP TABLE changed_rows")
    if changed:
        cursor.execute(f"ANALYZE {table}")  # what reads it next is planned with its new size
    return changed
