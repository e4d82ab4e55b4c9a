"""The shared response cache's large answers, kept as files (ANSWER_FILES_DIR).

The shared cache (aid.serving.cache) keeps answers up to LARGEST_CACHED_BYTES in Redis. A
streamed CSV of the whole ledger (hundreds of MB at 1M + 1M records, 15 s and more of a
database core for its COPY) and the few answers over that size were computed again for every
download: a newsroom's readers fetching the ledger, or anyone asking for it in a loop, kept the
database busy. Here the first download of such an answer writes it to a file as it streams,
under the answer's ETag (so under the ledger version, the URL and the representation, as the
shared cache); the next downloads of that answer read the file, from its first byte at once.

A file is complete or absent: it is written under a temporary name and renamed when the answer
ended; a download that broke off (the client left, the database failed) removes its part. Files
of older ledger versions are never read again: each new file removes them, and those older than
RESPONSE_CACHE_SECONDS; the folder stays under ANSWER_FILES_MAX_MB (oldest first out). A
folder that cannot be written only means every answer is computed, as without the cache.
The files are per host: with several web hosts each computes an answer once.
"""

import json
import logging
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.http import FileResponse

logger = logging.getLogger(__name__)

PARTIAL_PREFIX = ".partial-"
# Headers a stored answer keeps (the validators and Cache-Control are set again on the way out).
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language", "Vary")


def enabled() -> bool:
    return bool(settings.RESPONSE_CACHE and settings.ANSWER_FILES_DIR)


def _folder() -> Path:
    return Path(settings.ANSWER_FILES_DIR)


def _name(number: int, etag: str) -> str:
    """`<ledger version>-<etag>`: the version first, so that older answers are found by name."""
    return f"{number}-{etag.strip(chr(34))}"


def answer(number: int, etag: str) -> FileResponse | None:
    """The stored answer for `etag`, streamed from its file, or None."""
    if not enabled():
        return None
    path = _folder() / f"{_name(number, etag)}.body"
    try:
        headers = json.loads(path.with_suffix(".json").read_text())
        body = path.open("rb")  # open now: a file removed later stays readable until closed
    except (OSError, ValueError):
        return None
    # A FileResponse closes the file with the response (also for a HEAD, which never reads it),
    # sets its Content-Length, and lets gunicorn send it with sendfile().
    response = FileResponse(body, content_type=headers.get("Content-Type"))
    if "Content-Disposition" in response:  # made from the file's own name
        del response["Content-Disposition"]
    for header, value in headers.items():
        response[header] = value
    return response


def keep(response, number: int, etag: str) -> None:
    """Store this 200 while it is sent: a streamed answer as its blocks pass, another at once."""
    if not enabled():
        return
    headers = {header: response[header] for header in KEPT_HEADERS if header in response}
    writer = _Writer(_name(number, etag), headers, number)
    if response.streaming:
        response.streaming_content = writer.tee(response.streaming_content)
    elif writer.open():
        writer.write(response.content)
        writer.finish()


class _Writer:
    """One answer's file: written under a temporary name, renamed when complete. A failed write
    (a full disk) gives up the file, never the answer being sent."""

    def __init__(self, name: str, headers: dict, number: int):
        self.name, self.headers, self.number = name, headers, number
        self.out = None
        self.partial = None

    def open(self) -> bool:
        try:
            _folder().mkdir(parents=True, exist_ok=True)
            descriptor, self.partial = tempfile.mkstemp(dir=_folder(), prefix=PARTIAL_PREFIX)
            self.out = os.fdopen(descriptor, "wb")
            return True
        except OSError:
            logger.warning("answer files unavailable in %s", _folder(), exc_info=True)
            return False

    def write(self, block: bytes) -> None:
        if self.out is None:
            return
        try:
            self.out.write(block)
        except OSError:
            logger.warning("an answer file could not be written", exc_info=True)
            self.abandon()

    def finish(self) -> None:
        if self.out is None:
            return
        try:
            self.out.close()
            body = _folder() / f"{self.name}.body"
            meta = _folder() / f"{PARTIAL_PREFIX}{self.name}.json"
            meta.write_text(json.dumps(self.headers))
            meta.replace(body.with_suffix(".json"))  # the headers first: a body found has its headers
            os.replace(self.partial, body)
            self.out = self.partial = None
        except OSError:
            logger.warning("an answer file could not be written", exc_info=True)
            self.abandon()
            return
        prune(self.number)

    def abandon(self) -> None:
        if self.out is not None:
            self.out.close()
            self.out = None
        if self.partial:
            Path(self.partial).unlink(missing_ok=True)

    def tee(self, blocks) -> Iterator[bytes]:
        if not self.open():
            yield from blocks
            return
        try:
            for block in blocks:
                self.write(block)
                yield block
            self.finish()
        finally:
            self.abandon()  # nothing left to remove once finished; a broken-off answer's part


def prune(number: int) -> None:
    """Remove the answers of ledger versions before `number`, those older than
    RESPONSE_CACHE_SECONDS (and parts left by a stopped process), then the oldest ones while the
    folder holds more than ANSWER_FILES_MAX_MB."""
    now, kept = time.time(), []
    try:
        entries = list(os.scandir(_folder()))
    except OSError:
        return
    for entry in entries:
        try:
            stat = entry.stat()
        except OSError:  # removed by another worker meanwhile
            continue
        version = entry.name.split("-", 1)[0]
        older = version.isdigit() and int(version) < number
        if older or now - stat.st_mtime > settings.RESPONSE_CACHE_SECONDS:
            _remove(entry.path)
        elif entry.name.endswith(".body"):
            kept.append((stat.st_mtime, stat.st_size, entry.path))
    total, largest = sum(size for _, size, _ in kept), settings.ANSWER_FILES_MAX_MB * 1024 * 1024
    for _, size, path in sorted(kept):
        if total <= largest:
            break
        _remove(path)
        _remove(path.removesuffix(".body") + ".json")
        total -= size


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
