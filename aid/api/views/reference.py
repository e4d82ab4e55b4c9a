"""Donors and programmes: the reference tables, paginated like every list, or as CSV."""

from rest_framework import mixins, viewsets

from aid.api.csv import csv_response
from aid.api.views.base import PublicReadView
from aid.export import csv_lines


class ReferenceViewSet(PublicReadView, mixins.ListModelMixin, viewsets.GenericViewSet):
    """A subclass names its serializer, CSV file name and how one item becomes a CSV row."""

    csv_name = ""
    csv_columns: list[str] = []

    def csv_row(self, data: dict) -> dict:
        return data

    def list(self, request, *args, **kwargs):
        if self.wants_csv():
            rows = (self.csv_row(data) for data in self.get_serializer(self.get_queryset(), many=True).data)
            return csv_response(csv_lines(self.csv_columns, rows), self.csv_name)
        return super().list(request, *args, **kwargs)
