"""Pledges and deliveries: published records, filtered, ordered, paginated, optionally converted."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter
from rest_framework import viewsets
from rest_framework.response import Response

from aid import params
from aid.api.converting import conversions
from aid.api.csv import converted_ledger_csv, csv_response, public_ledger_csv
from aid.api.views.base import PublicReadView
from aid.models import Source, Status

CURRENCY = OpenApiParameter(
    "currency",
    str,
    pattern=params.CURRENCY_PATTERN,
    description="Add each record's amount converted into this ISO 4217 currency (`converted`), with its rates.",
)
RATES = OpenApiParameter(
    "rates",
    str,
    pattern=params.RATES_PATTERN,
    description="With `currency`: `transaction` (each record's own date, the default), `latest`, or a day YYYY-MM-DD.",
)
SOURCES = Prefetch("sources", queryset=Source.objects.order_by("pk"))


class RecordViewSet(PublicReadView, viewsets.ReadOnlyModelViewSet):
    """Shared by pledges and deliveries; a subclass names its model, serializer and CSV file name."""

    model = None
    csv_name = ""
    lookup_field = "ref"
    lookup_value_regex = "[^/]+"
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self):
        return self.model.objects.filter(status=Status.PUBLISHED).order_by("-date", "ref")

    def with_related(self, queryset):
        return queryset.select_related("donor", "programme", "package").prefetch_related(SOURCES)

    def get_object(self):
        return get_object_or_404(self.with_related(self.get_queryset()), ref=self.kwargs["ref"])

    def serialized(self, records, *, many: bool):
        query = self.request.query_params
        converted = conversions(records if many else [records], params.currency(query, default=""), params.rates(query))
        context = {**self.get_serializer_context(), "conversions": converted}
        return self.get_serializer(records, many=many, context=context).data

    def csv_querysets(self, queryset) -> list:
        """What this list's CSV carries (a pledge list adds its pledges' valuations)."""
        return [queryset]

    def as_csv(self, queryset):
        query = self.request.query_params
        querysets = self.csv_querysets(queryset)
        currency = params.currency(query, default="")
        if currency:
            return csv_response(converted_ledger_csv(querysets, currency, params.rates(query)), self.csv_name)
        return csv_response(public_ledger_csv(querysets), self.csv_name)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        if self.wants_csv():
            return self.as_csv(queryset)
        page = self.paginate_queryset(self.with_related(queryset))
        return self.get_paginated_response(self.serialized(page, many=True))

    def retrieve(self, request, *args, **kwargs):
        record = self.get_object()
        if self.wants_csv():
            return self.as_csv(self.get_queryset().filter(pk=record.pk))
        return Response(self.serialized(record, many=False))
