"""One computation of a cached answer at a time (aid.serving.cache).

A write moves the ledger version, and with it every reader's key at once: during a spike each
reader of a page found no answer and computed it, side by side with all the others asking for the
same page. At 1M + 1M records, 100 clients on four pages with the version moving every 5 s: 72
requests/s, p99 10 s and 293 timeouts, where without writes the same load ran at 597 requests/s,
p99 491 ms.

Now the first reader of a key takes a lock in the shared cache (`cache.add`: atomic in Redis, and
in the memory cache within a process) and computes; the others wait for its answer, polling the
cache, and are served the same answer (never an older version's: an edit stays visible at once).
A reader stops waiting and computes the answer itself when the lock is gone without an answer (the
answer is not stored: a stream, an error, one too large; or its computation failed) or after
WAIT_SECONDS (a worker that died holding it: the lock expires after LOCK_SECONDS anyway). Without
a reachable cache every reader computes, as before.
"""

import logging
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

LOCK_PREFIX = "computing:"
LOCK_SECONDS = 60  # past gunicorn's 30 s timeout: a killed worker's lock goes by itself
WAIT_SECONDS = 20.0
POLL_SECONDS = 0.05


@contextmanager
def once(key: str, read):
    """Yields the answer another request computed for `key` meanwhile (found by `read`), or None
    when this request is to compute it; a request that took the lock holds it to the block's end.
    With the response cache switched off nothing is shared: always None, no lock."""
    if not settings.RESPONSE_CACHE:
        yield None
        return
    leading = lead(key)
    answer = None if leading else wait(key, read)
    try:
        yield answer
    finally:
        if leading:
            release(key)


def lead(key: str) -> bool:
    """True when this request computes the answer for `key` (it took the lock, or no lock can be
    taken); False when another request is computing it."""
    try:
        return bool(cache.add(LOCK_PREFIX + key, 1, LOCK_SECONDS))
    except Exception:  # a lost cache: compute, as every request did
        logger.warning("response cache unavailable", exc_info=True)
        return True


def release(key: str) -> None:
    try:
        cache.delete(LOCK_PREFIX + key)
    except Exception:
        logger.warning("response cache unavailable", exc_info=True)


def wait(key: str, read):
    """The answer `read(key)` finds once the request computing it stored it; None when this
    request should compute it after all (the lock went without an answer, or waiting took too long)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        answer = read(key)
        if answer is not None:
            return answer
        try:
            computing = cache.get(LOCK_PREFIX + key) is not None
        except Exception:
            return None
        if not computing:
            return read(key)  # stored just before the lock went, or not stored at all (None)
    return None
