"""The ledger write lock: every write to records and their totals takes it first.

Writes update shared total rows (aid_ledgertotal, aid_convertedtotal) in the order of their
records; two imports in different orders deadlocked on those rows' unique index (issue 9).
Taking one PostgreSQL advisory lock before any row lock gives every writer the same order:
the lock, then the records, then the totals. A second import waits for the first to commit
(then checks its rows against what the first wrote); an admin save waits for a running import.
The lock is transaction-scoped: it is released at commit or rollback, even if a process dies.
SQLite lets one writer at a time in anyway, so there it is not needed.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, transaction

# Any fixed 64-bit number; "aid-ledger" in ASCII, so it is recognisable in pg_locks.
LEDGER_WRITE_LOCK = 0x6169642D6C6564
_held = ContextVar("ledger_write_lock_held", default=False)


def take() -> None:
    """Wait for the lock inside the current transaction (a no-op where it is already held)."""
    if _held.get() or connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        raise RuntimeError("the ledger write lock is taken inside a transaction")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LEDGER_WRITE_LOCK])


@contextmanager
def held():
    """A transaction holding the lock for everything inside (an import's many writes)."""
    with transaction.atomic():
        take()
        token = _held.set(True)
        try:
            yield
        finally:
            _held.reset(token)
