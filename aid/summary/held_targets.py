"""Targets held on demand: a summary asked in a currency the monthly rollup does not hold (NOK,
JPY, …) is answered from the daily totals (PostgreSQL converts every daily row: under the floor,
but seconds at 1M + 1M records), and starts holding that currency in the background, so the next
summaries in it read the monthly rows as EUR's do.

Holding runs in a thread of the process that was asked (no task queue needed), on the primary
database, under the ledger write lock (aid.summary.rollup.hold); a process starts it once per
currency at a time. Up to SUMMARY_HELD_TARGETS_MAX currencies are held on demand, since each
adds to every write's work; `manage.py hold_targets` holds or releases one by hand.
"""

import logging
import threading

from django.conf import settings
from django.db import connections

from aid.models import HeldTarget
from aid.summary import rollup

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_holding: dict[str, threading.Thread] = {}  # currency -> the thread holding it, in this process


def ask(target: str, using: str) -> None:
    """A reader's summary in `target` came from the daily totals: hold it, if there is room.

    `using`: the database the reader read (a replica knows the held targets as the primary did
    when it replicated; the thread checks again on the primary, under the lock)."""
    if not settings.SUMMARY_HOLD_ON_DEMAND or target in rollup.configured_targets():
        return
    if HeldTarget.objects.using(using).count() >= settings.SUMMARY_HELD_TARGETS_MAX:
        return
    with _lock:
        if target in _holding:
            return
        thread = threading.Thread(target=_hold, args=(target,), name=f"hold-{target}", daemon=True)
        _holding[target] = thread
    thread.start()


def _hold(target: str) -> None:
    try:
        if rollup.hold(target, cap=settings.SUMMARY_HELD_TARGETS_MAX):
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
