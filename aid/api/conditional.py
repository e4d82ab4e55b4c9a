"""Conditional GET: `ETag` and `Last-Modified` from the state of the whole ledger.

One query reads the newest history entry of every table a response can depend on (records,
valuations, donors, programmes, packages) and the newest exchange rate and source. Any write
moves one of them, so a client that sends `If-None-Match` or `If-Modified-Since` gets a 304
without the response being computed again.
"""

import hashlib

from django.db.models import CharField, DateTimeField, Max, Value
from django.utils.cache import get_conditional_response
from django.utils.translation import get_language

from aid.models import Delivery, Donor, Package, Pledge, Programme, Source, Valuation
from ledger.models import ExchangeRate

HISTORY_MODELS = (Pledge, Delivery, Valuation, Donor, Programme, Package)


def _newest(queryset, label: str, at, last):
    return (
        queryset.order_by()
        .annotate(table=Value(label, output_field=CharField()))
        .values("table")
        .annotate(at=at, last=last)
        .values_list("table", "at", "last")
    )


def ledger_state() -> tuple[str, object]:
    """(fingerprint, newest change time) of everything the API reads, in one query."""
    parts = [
        _newest(m.history.model.objects, m.__name__, Max("history_date"), Max("history_id")) for m in HISTORY_MODELS
    ]
    parts.append(_newest(ExchangeRate.objects, "ExchangeRate", Max("created_at"), Max("id")))
    parts.append(_newest(Source.objects, "Source", Value(None, output_field=DateTimeField()), Max("id")))
    rows = list(parts[0].union(*parts[1:], all=True))
    fingerprint = ";".join(f"{table}:{last}" for table, _, last in sorted(rows, key=lambda r: r[0]))
    times = [at for _, at, _ in rows if at is not None]
    return fingerprint, max(times) if times else None


def etag_for(request, fingerprint: str) -> str:
    """Differs by URL, negotiated format and language, as the response does."""
    media_type = getattr(request, "accepted_media_type", "")
    key = "|".join((fingerprint, request.get_full_path(), media_type, get_language() or ""))
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def precondition_response(request, etag: str, last_modified):
    """The 304 (or 412) response when the request's preconditions decide it, else None."""
    timestamp = int(last_modified.timestamp()) if last_modified else None
    return get_conditional_response(request, etag=etag, last_modified=timestamp)
