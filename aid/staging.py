"""Temporary tables for set-wise writes: loaded with COPY on PostgreSQL, executemany on SQLite."""

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
