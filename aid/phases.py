"""Wall time per phase of a long write (`import_ledger --timings`), for users and benchmarks.

Off unless a caller records: `phase()` then costs one context-variable read.
"""

import time
from contextlib import contextmanager
from contextvars import ContextVar

_record: ContextVar[list | None] = ContextVar("phase_record", default=None)


@contextmanager
def phase(name: str):
    """Time the block as `name` if someone is recording (nested phases are listed on their own)."""
    spent = _record.get()
    if spent is None:
        yield
        return
    start = time.perf_counter()
    try:
        yield
    finally:
        spent.append((name, time.perf_counter() - start))


@contextmanager
def recording():
    """Collect (phase, seconds) pairs of the block into the list it yields."""
    spent: list[tuple[str, float]] = []
    token = _record.set(spent)
    try:
        yield spent
    finally:
        _record.reset(token)
