"""The shared response cache: public pages and API reads answered once per ledger version.

A reader's GET is answered, in order: 304 when the client already holds this version of the
answer; the cached answer from the shared cache (Redis with CACHE_URL, so all workers share it);
else the view, whose 200 is stored. The key is the answer's ETag (aid.serving.conditional): a
write moves the ledger version, so the next request has a new key and sees the edit at once;
old entries are never read again and expire. Editors (logged in) bypass it: they see their own
edits and drafts, and their answers are marked private so no proxy keeps them.

A cached answer is not counted by the API's anonymous throttle: it costs a cache read.
Streams (the ledger CSVs) and answers too large for it are kept as files (aid.serving.file_cache).
After a write, one request computes each answer while the others asking for it wait for it
(aid.serving.single_flight).
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from aid.guard import guarded
from aid.serving import conditional, file_cache, replicas, single_flight

logger = logging.getLogger(__name__)
PREFIX = "response:"
NOT_CACHED_PATHS = ("/admin/", "/static/")
# Larger answers (a whole-ledger summary with every rate) are recomputed rather than stored.
LARGEST_CACHED_BYTES = 4 * 1024 * 1024


def is_cached_read(request) -> bool:
    return replicas.is_public_read(request) and not request.path.startswith(NOT_CACHED_PATHS)


def _complete(request, response) -> bool:
    """A 200 to a GET that sets no cookie: errors and redirects are not stored."""
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def _storable(request, response) -> bool:
    """A complete answer for the shared cache: streams and the largest answers go to files instead."""
    return _complete(request, response) and not response.streaming and len(response.content) <= LARGEST_CACHED_BYTES


def _with_validators(response, etag: str, last_modified):
    response["ETag"] = etag
    if last_modified:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    patch_cache_control(
        response,
        public=True,
        max_age=settings.CACHE_MAX_AGE,
        stale_while_revalidate=settings.CACHE_STALE_WHILE_REVALIDATE,
    )
    patch_vary_headers(response, ("Cookie",))  # a logged-in editor gets another answer
    return response


def _cached(key: str):
    if not settings.RESPONSE_CACHE:
        return None
    try:
        return cache.get(key)
    except Exception:  # a lost cache slows the site down; it must not break it
        logger.warning("response cache unavailable", exc_info=True)
        return None


def _store(key: str, response) -> None:
    if not settings.RESPONSE_CACHE:
        return
    # Only bytes and headers: a DRF Response would also pickle its data (thousands of Decimals),
    # making every hit of a large summary unpickle them again (10 ms for 700 kB).
    stored = HttpResponse(response.content, status=response.status_code)
    for header, value in response.items():
        stored[header] = value
    try:
        cache.set(key, stored, settings.RESPONSE_CACHE_SECONDS)
    except Exception:
        logger.warning("response cache unavailable", exc_info=True)


class SharedCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cached_read, refused = guarded(request, lambda: is_cached_read(request))  # reads the session
        if refused:
            return refused
        if not cached_read:
            response = self.get_response(request)
            if request.user.is_authenticated:
                patch_cache_control(response, private=True)
            return response
        validators, refused = guarded(request, lambda: conditional.validators(request))  # reads the version
        if refused:
            return refused
        etag, last_modified = validators
        decided = conditional.precondition_response(request, etag, last_modified)
        if decided is not None:
            return _with_validators(decided, etag, last_modified)
        key = PREFIX + etag.strip('"')
        response = _cached(key)
        if response is not None:
            return response
        number = conditional.ledger_version(request)
        response = file_cache.answer(number, etag)
        if response is not None:
            return _with_validators(response, etag, last_modified)
        with single_flight.once(key, _cached) as computed_meanwhile:  # a spike after a write
            if computed_meanwhile is not None:
                return computed_meanwhile
            return self._computed(request, key, number, etag, last_modified)

    def _computed(self, request, key: str, number: int, etag: str, last_modified):
        """The view's answer, stored when it may be (the shared cache, or a file)."""
        response = self.get_response(request)
        if _storable(request, response):  # template responses are rendered by now
            _store(key, _with_validators(response, etag, last_modified))
        elif response.status_code == 200:
            _with_validators(response, etag, last_modified)
            if _complete(request, response):  # a stream, or an answer too large for the shared cache
                file_cache.keep(response, number, etag)
        elif response.status_code >= 400:
            patch_cache_control(response, no_store=True)  # a 429 or a 503 must not be kept by a proxy
        return response
