"""`changes/?since=`: what was created, changed, published, unpublished or deleted, oldest first."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.generics import GenericAPIView

from aid import params
from aid.api import changes
from aid.api.csv import csv_response
from aid.api.serializers.changes import ChangeSerializer
from aid.api.views.base import PublicReadView, documented
from aid.export import csv_lines

SINCE = OpenApiParameter(
    "since",
    OpenApiTypes.DATETIME,  # a bare date is accepted too (midnight UTC)
    required=True,
    description="Changes after this moment: an ISO 8601 date or date-time (UTC unless it has an offset).",
)
CSV_COLUMNS = ["at", "kind", "ref", "action", "version", "field", "from", "to", "reason"]


def csv_rows(entries: list[dict]):
    """One row per changed field (an entry with no field change still gets one row)."""
    for entry in entries:
        common = {k: entry[k] for k in ("at", "kind", "ref", "action", "version", "reason")}
        for field, change in (entry["changes"] or {"": {"from": "", "to": ""}}).items():
            yield {**common, "field": field, "from": change["from"], "to": change["to"]}


class ChangesView(PublicReadView, GenericAPIView):
    """Records created, changed, published, unpublished or deleted since a moment, oldest first.

    Only what the public could see: drafts never appear, and unpublishing shows only the status.
    """

    serializer_class = ChangeSerializer

    @documented(ChangeSerializer(many=True), SINCE)
    def get(self, request):
        since = params.since(request.query_params)
        if self.wants_csv():
            entries = ChangeSerializer(changes.describe(list(changes.feed(since))), many=True).data
            return csv_response(csv_lines(CSV_COLUMNS, csv_rows(entries)), "changes")
        page = self.paginate_queryset(changes.feed(since))
        return self.get_paginated_response(self.get_serializer(changes.describe(page), many=True).data)
