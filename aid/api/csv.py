"""CSV output (`?format=csv`): streamed a line at a time, so memory stays flat at any size."""

from collections.abc import Iterator

from django.http import StreamingHttpResponse
from rest_framework.renderers import BaseRenderer

from aid.export import CHUNK, csv_lines, for_export, record_row
from aid.models import Delivery, Status
from aid.rules import COLUMNS


class CSVRenderer(BaseRenderer):
    """Makes `format=csv` negotiable and documented; the views stream the body themselves."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = data if isinstance(data, list) else [data]
        return "".join(csv_lines(list(rows[0]) if rows else [], rows)).encode()


def csv_response(lines: Iterator[str], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse((line.encode() for line in lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _public_row(record) -> dict:
    row = record_row(record)
    if isinstance(record, Delivery) and record.pledge_id and record.pledge.status != Status.PUBLISHED:
        row["pledge_ref"] = ""  # a draft pledge's ref stays private
    return row


def public_ledger_csv(queryset) -> Iterator[str]:
    """The ledger CSV of SPEC §4 (aid.export's rows), without naming draft pledges."""
    return csv_lines(list(COLUMNS), (_public_row(record) for record in for_export(queryset).iterator(chunk_size=CHUNK)))
