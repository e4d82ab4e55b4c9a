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
