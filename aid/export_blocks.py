"""The published ledger CSV from stored blocks: COPY's own bytes for each block of records,
kept until a write changes what they show (PostgreSQL).

Written whole, the export joins every record to its donor, programme, package, pledge and
sources: at 1M + 1M records 18 s, where reading the same bytes takes about 2. So the CSV of each
block of record ids (aid.models.ExportBlock; as many ids as the database function
aid_export_block_ids() says, which the triggers read too) is stored once written, and triggers
(migration 0027) delete a block in the transaction that changes anything it shows.

An export first writes the blocks that are missing, each in a short transaction of its own
that locks the blocks' table against writers: the lock waits for every writer in flight (a
writer's trigger holds the table), so a block is stored from committed records only, and a
writer after it deletes it again. Then every block is read in one repeatable-read snapshot; a
block missing from it (a write in between) is written there from the same snapshot, and not
stored. A block of other SQL (its `recipe`: a new column, a new rule of formatting) is
written again.
"""

import hashlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from aid.export_copy import KINDS, copied_rows, export_session, header, ledger_rows_sql

KIND_NUMBERS = {kind: number for number, kind in enumerate(KINDS)}  # as migration 0027 numbers them


def _block_select(kind: str, block: int, size: int) -> str:
    return ledger_rows_sql(kind, published_only=True, ids=(block * size, (block + 1) * size))


@cache
def recipe(kind: str) -> str:
    """The fingerprint of the SQL that writes a block of `kind` (the same for every block)."""
    return hashlib.sha1(_block_select(kind, 0, 1).encode()).hexdigest()


def stored_ledger_csv(using: str = DEFAULT_DB_ALIAS) -> Iterator[bytes]:
    """The whole published ledger as ledger CSV: the bytes COPY writes (aid.export_copy)."""
    database = connections[using]
    yield header()
    database.ensure_connection()
    size = _block_ids(database)
    for kind in KINDS:
        _store_missing(database, kind, size)
    yield from _read(database, size)


def _block_ids(database) -> int:
    with database.cursor() as cursor:
        cursor.execute("SELECT aid_export_block_ids()")
        return cursor.fetchone()[0]


def _rows(cursor, kind: str, block: int, size: int) -> Iterator[bytes]:
    """The block's CSV as COPY writes it from the records now (in the cursor's snapshot)."""
    with export_session(cursor):
        yield from copied_rows(cursor, _block_select(kind, block, size))


def _stored(cursor, kind: str) -> list[int]:
    """The blocks of `kind` stored by this code's SQL, in order."""
    cursor.execute(
        "SELECT block FROM aid_exportblock WHERE kind = %s AND recipe = %s ORDER BY block",
        (KIND_NUMBERS[kind], recipe(kind)),
    )
    return [block for (block,) in cursor.fetchall()]


def _blocks_of(cursor, kind: str, size: int) -> range:
    table = KINDS[kind][0]
    cursor.execute(f"SELECT min(id) / {int(size)}, max(id) / {int(size)} FROM {table}")
    first, last = cursor.fetchone()
    return range(0) if first is None else range(first, last + 1)


def _store_missing(database, kind: str, size: int) -> None:
    with database.cursor() as cursor:
        wanted = _blocks_of(cursor, kind, size)
        stored = set(_stored(cursor, kind))
    missing = [block for block in wanted if block not in stored]
    if len(missing) > max(1, len(wanted) // 2):
        _store_all(database, kind, size, wanted)
        return
    for block in missing:
        with _locked(database) as cursor:
            _put(cursor, kind, block, b"".join(_rows(cursor, kind, block, size)))


@contextmanager
def _locked(database):
    """A transaction holding the blocks' table: it waits for the writers in flight, and writers
    after it wait until it ends (their triggers delete from the table)."""
    with transaction.atomic(using=database.alias), database.connection.cursor() as cursor:
        cursor.execute("LOCK TABLE aid_exportblock IN SHARE ROW EXCLUSIVE MODE")
        yield cursor


def _put(cursor, kind: str, block: int, csv: bytes) -> None:
    cursor.execute(
        "INSERT INTO aid_exportblock (kind, block, recipe, csv) VALUES (%s, %s, %s, %s) "
        "ON CONFLICT (kind, block) DO UPDATE SET recipe = EXCLUDED.recipe, csv = EXCLUDED.csv",
        (KIND_NUMBERS[kind], block, recipe(kind), csv),
    )


def _store_all(database, kind: str, size: int, wanted: range) -> None:
    """Every block of `kind` from one COPY of all its records: a block at a time, each of a few
    thousand records, PostgreSQL looks each record's links up one by one (17-20 µs a row at
    1M + 1M); the whole kind it merges (9 µs). Each row leads with its block (PostgreSQL sends a
    COPY row per message, so a row's first comma ends its block's number). The rows wait in a
    file until the COPY ends (no other statement runs on its connection meanwhile), not in
    memory. Writers wait for the whole kind (seconds at 1M): what a new database, or a code
    renamed in every block, costs once."""
    select = ledger_rows_sql(kind, published_only=True, blocks_of=size)
    spans: dict[int, list[int]] = {}  # block -> [offset, length] in the file
    with _locked(database) as cursor, tempfile.TemporaryFile() as spool:
        with export_session(cursor), cursor.copy(f"COPY ({select}) TO STDOUT (FORMAT csv)") as copy:
            while row := copy.read():
                comma = bytes(row[:24]).index(b",")  # a memoryview: only its head is copied
                span = spans.setdefault(int(row[:comma]), [spool.tell(), 0])
                span[1] += spool.write(row[comma + 1 :])
        for block in wanted:  # a block without a published record is stored empty: not looked for again
            offset, length = spans.get(block, (0, 0))
            spool.seek(offset)
            _put(cursor, kind, block, spool.read(length))


def differences(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The stored blocks that are not what COPY writes now, each deleted (the next export writes
    it again): none, unless a write went around the triggers (session_replication_role = replica,
    data restored without them). Each block is compared in a transaction of its own, under the
    lock that storing takes. For `rebuild_totals --verify`."""
    database = connections[using]
    if database.vendor != "postgresql":
        return []  # SQLite stores no block
    database.ensure_connection()
    size, problems = _block_ids(database), []
    for kind in KINDS:
        with database.cursor() as cursor:
            stored = _stored(cursor, kind)
        for block in stored:
            with _locked(database) as cursor:
                cursor.execute(
                    "SELECT csv FROM aid_exportblock WHERE kind = %s AND block = %s", (KIND_NUMBERS[kind], block)
                )
                held = cursor.fetchone()
                if held is not None and bytes(held[0]) != b"".join(_rows(cursor, kind, block, size)):
                    problems.append(
                        f"export block of {kind}s {block * size}-{(block + 1) * size - 1} differs from the ledger"
                    )
                    cursor.execute(
                        "DELETE FROM aid_exportblock WHERE kind = %s AND block = %s", (KIND_NUMBERS[kind], block)
                    )
    return problems


def _read(database, size: int) -> Iterator[bytes]:
    """Every block of every kind in one snapshot, in the ledger's order."""
    outermost = not database.in_atomic_block
    with transaction.atomic(using=database.alias):
        # A cursor binding on the server (Django's bind on the client), which can ask for the
        # blocks' bytes as they are: the text protocol would send them as hex.
        with psycopg.Cursor(database.connection) as cursor:
            if outermost:  # else the caller's transaction is the snapshot (a test's, say)
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            for kind in KINDS:
                yield from _read_kind(cursor, kind, size)


def _read_kind(cursor, kind: str, size: int) -> Iterator[bytes]:
    number = KIND_NUMBERS[kind]
    stored = set(_stored(cursor, kind))
    for block in _blocks_of(cursor, kind, size):
        if block in stored:
            cursor.execute(
                "SELECT csv FROM aid_exportblock WHERE kind = %s AND block = %s", (number, block), binary=True
            )
            csv = cursor.fetchone()[0]
            if csv:
                yield bytes(csv)
        else:  # written since the blocks were stored: from this snapshot
            yield from _rows(cursor, kind, block, size)
