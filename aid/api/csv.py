"""CSV output (`?format=csv`): streamed a line at a time, so memory stays flat at any size."""

from collections.abc import Iterator
from itertools import islice

from django.db.models import Min
from django.http import StreamingHttpResponse
from rest_framework.renderers import BaseRenderer

from aid.api.converting import conversions
from aid.export import CHUNK, csv_lines, record_rows, records_of
from aid.export_copy import copy_querysets_csv
from aid.rules import COLUMNS

CONVERTED_COLUMNS = ("converted_amount", "converted_currency", "rate", "rate_date", "rate_stale")


class CSVRenderer(BaseRenderer):
    """Makes `format=csv` negotiable and documented; the views stream the body themselves."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = data if isinstance(data, list) else [data]
        return "".join(csv_lines(list(rows[0]) if rows else [], rows)).encode()


def csv_response(lines: Iterator[str] | Iterator[bytes], filename: str) -> StreamingHttpResponse:
    """A streamed CSV of text lines, or of bytes already encoded (blocks from COPY)."""
    body = (line.encode() if isinstance(line, str) else line for line in lines)
    response = StreamingHttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def public_ledger_csv(querysets: list, moment=None) -> Iterator[str] | Iterator[bytes]:
    """The ledger CSV of SPEC §4 (aid.export's rows), without naming draft pledges; history rows as of `moment`.

    The ledger now comes from PostgreSQL's COPY where it can (aid.export_copy): the same bytes."""
    copied = copy_querysets_csv(querysets) if moment is None else None
    if copied is not None:
        return copied
    rows = (row for record in records_of(querysets, moment) for row in record_rows(record, public=True))
    return csv_lines(COLUMNS, rows)


def _chunks(records: Iterator) -> Iterator[list]:
    while chunk := list(islice(records, CHUNK)):
        yield chunk


def _converted(conversion) -> dict:
    return {
        "converted_amount": str(conversion.result.amount),
        "converted_currency": conversion.result.currency,
        "rate": str(conversion.rate),
        "rate_date": min(conversion.source_quote.rate_date, conversion.target_quote.rate_date).isoformat(),
        "rate_stale": "true" if conversion.stale else "false",
    }


def _converted_rows(querysets: list, currency: str, rates, moment) -> Iterator[dict]:
    # A chunk holds one kind of record: conversions are keyed by primary key.
    chunks = (chunk for queryset in querysets for chunk in _chunks(records_of([queryset], moment)))
    for chunk in chunks:
        converted = conversions(chunk, currency, rates)
        for record in chunk:
            rows = record_rows(record, public=True)
            first = next(rows)
            conversion = converted.get(record.pk)
            yield {**first, **_converted(conversion)} if conversion else first
            yield from rows


def check_rates(querysets: list, currency: str, rates, moment=None) -> None:
    """Raise MissingRate before streaming begins: each currency's earliest record converts,
    so every later one does (a rate for a day is the latest publication on or before it)."""
    for queryset in querysets:
        firsts = queryset.exclude(amount_minor=None).values("currency").annotate(first=Min("date")).order_by()
        earliest = [queryset.filter(currency=f["currency"], date=f["first"])[:1] for f in firsts]
        found = records_of(earliest, moment) if moment else (record for qs in earliest for record in qs)
        conversions(list(found), currency, rates)


def converted_ledger_csv(querysets: list, currency: str, rates, moment=None) -> Iterator[str]:
    """The ledger CSV with each record's amount converted into `currency` (empty when undisclosed)."""
    check_rates(querysets, currency, rates, moment)
    return csv_lines((*COLUMNS, *CONVERTED_COLUMNS), _converted_rows(querysets, currency, rates, moment))
