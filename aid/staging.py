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


# From this many staged rows on, joining them to a ledger table goes by hashing (see hash_joins).
HASH_JOIN_ROWS = 10_000


@contextmanager
def hash_joins(cursor, rows: int):
    """Hash joins for the statements inside, when `rows` staged rows meet a ledger table.

    PostgreSQL estimates a join on the seven columns of a total's key at one row, and probes
    an index once per staged row: 24 s to add 90,000 new daily totals on this machine, where a
    hash join takes well under one. Small imports keep their index probes. The setting is
    transaction-local, and put back for the statements after.
    """
    if connection.vendor != "postgresql" or rows < HASH_JOIN_ROWS:
        yield
        return
    cursor.execute("SELECT current_setting('enable_nestloop')")
    (before,) = cursor.fetchone()
    cursor.execute("SET LOCAL enable_nestloop = off")
    yield  # on an error the transaction rolls back, and with it the setting
    cursor.execute("SELECT set_config('enable_nestloop', %s, true)", [before])
