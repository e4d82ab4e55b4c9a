"""Answers for input no view can take and for a database that cannot be reached: never a 500.

A NUL byte cannot be stored or looked up in PostgreSQL (psycopg refuses it before the query),
so a path with one names nothing (404) and a query parameter with one is a 400 naming it.
A database that is down or restarting is a 503 with Retry-After: the client should come back.
Under /api/ each answer has the API's JSON error shape; elsewhere it is a short plain page.
"""

import logging
import sys

from django.db import DataError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

from aid.api.errors import error_json

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
UNREADABLE = "\x00"


def is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def plain_page(status: int, title: str, detail: str, headers=None) -> HttpResponse:
    # No template: the page must render without the database (navigation reads programmes).
    body = f"<!doctype html><title>{escape(title)}</title><h1>{escape(title)}</h1><p>{escape(detail)}</p>\n"
    return HttpResponse(body, status=status, headers=headers, content_type="text/html; charset=utf-8")


def answer(request, status: int, title: str, detail: str, param: str | None = None, headers=None):
    if is_api(request):
        return error_json(status, detail, param, headers=headers)
    return plain_page(status, title, detail, headers=headers)


def unreadable_input(request):
    """The 404 or 400 for a NUL byte in the path or in a query parameter's name or value."""
    if UNREADABLE in request.path:
        return answer(request, 404, _("Not found"), _("There is no page at this address."))
    for name, values in request.GET.lists():
        if UNREADABLE in name or any(UNREADABLE in value for value in values):
            param = name.replace(UNREADABLE, "\\x00")
            return answer(request, 400, _("Bad request"), _("a NUL byte is not allowed in a parameter"), param)
    return None


def database_unavailable(request):
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    detail = _("The database cannot be reached just now; please try again in a moment.")
    return answer(request, 503, _("Service unavailable"), detail, headers=headers)


def is_nul_refused(exc) -> bool:
    # psycopg refuses a NUL in any text parameter (a cookie, a header read by a view, ...).
    return isinstance(exc, DataError) and "NUL" in str(exc)


def bad_input(request):
    return answer(request, 400, _("Bad request"), _("a NUL byte is not allowed in the request"))


def is_database_down(exc) -> bool:
    # OperationalError: cannot connect, or the server went away mid-query; InterfaceError: the
    # kept-alive connection was closed under us (PostgreSQL restarted).
    return isinstance(exc, OperationalError | InterfaceError)


class GuardMiddleware:
    """Refuses unreadable input before any view, and turns a lost database into a 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return unreadable_input(request) or self.get_response(request)

    def process_exception(self, request, exception):
        return answer_for(request, exception)


def answer_for(request, exception):
    """The 503 for a lost database, the 400 for a refused NUL; None for anything else."""
    if is_database_down(exception):
        logger.error("database unavailable for %s: %s", request.path, exception)
        return database_unavailable(request)
    if is_nul_refused(exception):
        return bad_input(request)
    return None


def guarded(request, read):
    """`read()`, or the guard's answer when it fails as a view would. For a middleware that reads
    the database before any view (the shared cache reads the ledger version and the user):
    process_exception sees only a view's exceptions, so it would otherwise be a 500."""
    try:
        return read(), None
    except Exception as exception:
        response = answer_for(request, exception)
        if response is None:
            raise
        return None, response


def server_error(request):
    """handler500: what middleware could not catch (a failure inside another middleware)."""
    exc = sys.exc_info()[1]
    if is_database_down(exc):
        return database_unavailable(request)
    if is_nul_refused(exc):
        return bad_input(request)
    return answer(request, 500, _("Server error"), _("Something went wrong on our side; it has been logged."))
