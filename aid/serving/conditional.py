"""Conditional GET for pages and the API: `ETag` and `Last-Modified` from the ledger version.

Everything a public answer depends on is in the validators: the ledger version (every write
moves it, rates included: aid.serving.version), the absolute URL (scheme, host, path with its
language prefix, query), the representation asked of the API (`format`, `Accept`), the
language, and today's date (pages say "pledged 15 months ago" and whether `latest` rates are
stale), and the code serving it (a deploy changes pages without a write). The same string
keys the shared response cache (aid.serving.cache).
"""

import functools
import hashlib
from datetime import date
from pathlib import Path

from django.conf import settings
from django.utils.cache import get_conditional_response
from django.utils.translation import get_language

from aid.serving import version

API_PREFIX = "/api/"
CODE_FOLDERS = ("aid", "ledger", "config", "locale")
CODE_SUFFIXES = {".py", ".html", ".mo", ".json"}


@functools.cache
def code_version() -> str:
    """A digest of the code and templates this process serves, read once per process."""
    digest, root = hashlib.sha256(), Path(settings.BASE_DIR)
    for folder in CODE_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in CODE_SUFFIXES and path.is_file():
                digest.update(path.relative_to(root).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def representation(request) -> str:
    """What the API negotiates from (pages are HTML whatever is asked)."""
    if not request.path.startswith(API_PREFIX):
        return "html"
    return f"{request.GET.get('format', '')};{request.headers.get('Accept', '')}"


def validators(request) -> tuple[str, object]:
    """(ETag, newest change time) of the answer to `request`; one query, remembered on the request."""
    if not hasattr(request, "_validators"):
        number, changed_at = version.current()
        stamp = changed_at.isoformat() if changed_at else ""  # a restored database reusing a number differs here
        parts = (str(number), stamp, code_version(), request.build_absolute_uri(), representation(request))
        key = "|".join((*parts, get_language() or "", date.today().isoformat()))
        request._validators = ('"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"', changed_at)
        request._ledger_version = number
    return request._validators


def ledger_version(request) -> int:
    """The ledger version number `validators` read for this request (names the answer files)."""
    validators(request)
    return request._ledger_version


def precondition_response(request, etag: str, last_modified):
    """The 304 (or 412) response when the request's preconditions decide it, else None."""
    timestamp = int(last_modified.timestamp()) if last_modified else None
    return get_conditional_response(request, etag=etag, last_modified=timestamp)
