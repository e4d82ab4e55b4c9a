"""Targets held on demand: a summary asked in a currency the monthly rollup does not hold (NOK,
JPY, …) is answered from the daily totals (PostgreSQL converts every daily row: under the floor,
but seconds at 1M + 1M records), and starts holding that currency in the background, so the next
summaries in it read the monthly rows as EUR's do.

Holding a target writes its monthly rows (about 40 s at 1M + 1M records) without the ledger write
lock, from one snapshot of the ledger, and then, under the lock, marks it held (HeldTarget) only if
the ledger version is still the snapshot's: no write came between, so the rows are right and every
later write keeps them. Otherwise it builds them again (writes kept coming: it gives up after a
few tries, and the next ask tries again). Writes never wait for the build, only for the mark.

The background hold runs in a thread of the process that was asked (no task queue needed), on the
primary database; a process starts it once per currency at a time, and an advisory lock keeps two
processes from building the same target. Up to SUMMARY_HELD_TARGETS_MAX currencies are held on
demand, since each adds to every write's work; `manage.py hold_targets` holds or releases by hand.
"""

import logging
import threading
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, connections, transaction

from aid import staging, writelock
from aid.models import HeldTarget
from aid.serving import version
from aid.summary import rollup
from ledger import daily
from ledger.models import DailyRate

logger = logging.getLogger(__name__)

ATTEMPTS = 3
HOLDING_LOCK = 0x686F6C64  # "hold": with the target's hash, one builder per target at a time

_lock = threading.Lock()
_holding: dict[str, threading.Thread] = {}  # currency -> the thread holding it, in this process


def hold(code: str, *, cap: int | None = None) -> bool:
    """Hold `code` from now on: every month of the ledger converted into it, kept by every write.

    False (nothing done) when the rollup holds it already, when no rate into it is stored, when
    `cap` targets are held on demand already, when another process is building it, or when
    writes kept moving the ledger while it was built. Inside a transaction already (a caller's,
    a test's) it builds and marks in that transaction, under the write lock.
    """
    if not daily.supported():
        return False
    if connection.in_atomic_block:
        with transaction.atomic():
            writelock.take()
            held = _build(code, cap) is not None
            if held:
                HeldTarget.objects.create(code=code)
    else:
        held = _build_and_mark(code, cap)
    if held:
        rollup.analyze_rollup()  # the planner must know the rollup grew by a target's rows
    return held


def _build_and_mark(code: str, cap: int | None) -> bool:
    with _building(code) as alone:
        for _ in range(ATTEMPTS if alone else 0):
            with transaction.atomic():
                with connection.cursor() as cursor:  # the rows and the version from one snapshot
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                built_at = _build(code, cap)
            if built_at is None:
                return False
            with transaction.atomic():
                writelock.take()
                if version.current() == built_at:  # no write since the snapshot: the rows are right
                    HeldTarget.objects.create(code=code)
                    return True
        if alone:  # writes kept coming: the rows built last are not kept by them, so they go
            with transaction.atomic(), connection.cursor() as cursor:
                writelock.take()
                if not HeldTarget.objects.filter(code=code).exists():
                    _delete_rows(cursor, code)
        return False


def _build(code: str, cap: int | None):
    """The target's monthly rows, fresh; returns the ledger version they reflect (None: not to hold)."""
    held = list(HeldTarget.objects.values_list("code", flat=True))
    if code in rollup.configured_targets() or code in held or (cap is not None and len(held) >= cap):
        return None
    if not DailyRate.objects.filter(currency=code).exists():
        return None
    built_at = version.current()
    with connection.cursor() as cursor, staging.batch_planner(cursor, staging.HASH_JOIN_ROWS):
        _delete_rows(cursor, code)  # an earlier attempt's, if any
        cursor.execute(rollup.insert_sql("TRUE", [code]))
        rollup.insert_narrow(cursor, "c.target = %s", [code])
    return built_at


def _delete_rows(cursor, code: str) -> None:
    cursor.execute("DELETE FROM aid_convertedtotal WHERE target = %s", [code])
    rollup.delete_narrow(cursor, "target = %s", [code])


@contextmanager
def _building(code: str):
    """True when this session alone builds `code` (a session lock: released below, or when the
    process dies)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s))", [HOLDING_LOCK, code])
        alone = cursor.fetchone()[0]
    try:
        yield alone
    finally:
        if alone:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))", [HOLDING_LOCK, code])


@transaction.atomic
def release(code: str) -> bool:
    """Stop holding a target held on demand (its rows go); False when it is not one."""
    if not daily.supported():
        return False
    writelock.take()
    if not HeldTarget.objects.filter(code=code).exists():
        return False
    with connection.cursor() as cursor:
        _delete_rows(cursor, code)
    HeldTarget.objects.filter(code=code).delete()
    return True


def ask(target: str, using: str) -> None:
    """A reader's summary in `target` came from the daily totals: hold it, if there is room.

    `using`: the database the reader read (a replica knows the held targets as the primary did
    when it replicated; the build checks again on the primary)."""
    if not settings.SUMMARY_HOLD_ON_DEMAND or target in rollup.configured_targets():
        return
    if HeldTarget.objects.using(using).count() >= settings.SUMMARY_HELD_TARGETS_MAX:
        return
    with _lock:
        if target in _holding:
            return
        thread = threading.Thread(target=_hold_in_background, args=(target,), name=f"hold-{target}", daemon=True)
        _holding[target] = thread
    thread.start()


def _hold_in_background(target: str) -> None:
    try:
        if hold(target, cap=settings.SUMMARY_HELD_TARGETS_MAX):
            logger.info("the summary rollup holds %s from now on", target)
    except Exception:  # a thread's error reaches no one else: log it; the next ask tries again
        logger.exception("holding %s in the summary rollup failed", target)
    finally:
        connections.close_all()  # this thread's own connections
        with _lock:
            _holding.pop(target, None)


def wait(timeout: float | None = None) -> None:
    """Wait for the holds this process started (tests, benchmarks, a clean shutdown)."""
    with _lock:
        threads = list(_holding.values())
    for thread in threads:
        thread.join(timeout)
