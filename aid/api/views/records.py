"""Pledges and deliveries: published records, filtered, ordered, paginated, optionally converted.

With `as_of` or `release` the same questions are asked of the records as they stood then
(aid.asof): history rows are filtered and paged in SQL, and a page becomes records shaped
like live ones before it is serialized.
"""

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter
from rest_framework import viewsets
from rest_framework.response import Response

from aid import asof, params
from aid.api.converting import conversions
from aid.api.csv import converted_ledger_csv, csv_response, public_ledger_csv
from aid.api.filters import ORDER_BY
from aid.api.views.base import PublicReadView
from aid.models import Source

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
AS_OF = OpenApiParameter(
    "as_of",
    str,
    description="The published ledger as it stood at this moment: an ISO 8601 date-time (a date alone is 00:00; "
    "without an offset the zone is UTC), e.g. `2026-11-01T12:00:00Z`. Records published then, with the values, "
    "sources and valuations they had then, converted with the rates held then. Not in the future, not before the "
    "first record. Not with `release`.",
)
RELEASE = OpenApiParameter(
    "release",
    str,
    description="A release id (`YYYY-MM-DD.N`, see `releases/`): as `as_of` that release's time. Not with `as_of`.",
)
MOMENT = (AS_OF, RELEASE)


class RecordViewSet(PublicReadView, viewsets.ReadOnlyModelViewSet):
    """Shared by pledges and deliveries; a subclass names its model, serializer and CSV file name."""

    model = None
    csv_name = ""
    lookup_field = "ref"
    lookup_value_regex = "[^/]+"
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self):
        return asof.published(self.model, self.moment).order_by("-date", "ref")

    def filter_queryset(self, queryset):
        # The FilterSet (which documents the filters) reads live and history rows alike; the
        # django-filter backend would refuse history rows for not being its model.
        return self.filterset_class(self.request.query_params, queryset=queryset, request=self.request).qs

    def with_related(self, queryset):
        if self.moment is not None:  # sources and the rest come with `as_they_stood`
            return queryset.select_related(*asof.RELATED)
        return queryset.select_related("donor", "programme", "package").prefetch_related(SOURCES)

    def get_object(self):
        return get_object_or_404(self.with_related(self.get_queryset()), ref=self.kwargs["ref"])

    def serialized(self, records, *, many: bool):
        query = self.request.query_params
        if self.moment is not None:
            records = asof.as_they_stood(records if many else [records], self.moment)
            records = records if many else records[0]
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
            lines = converted_ledger_csv(querysets, currency, params.rates(query), self.moment)
            return csv_response(lines, self.csv_name)
        return csv_response(public_ledger_csv(querysets, self.moment), self.csv_name)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        if self.wants_csv():
            return self.as_csv(queryset)
        if self.moment is not None:
            return self.get_paginated_response(self.serialized(self.standing_page(), many=True))
        page = self.paginate_queryset(self.with_related(queryset))
        return self.get_paginated_response(self.serialized(page, many=True))

    def standing_page(self) -> list:
        """A page of the records as they stood, counted and cut in SQL over the two parts of
        `asof.standing` (no anti-join over every history row), then read as they stood."""
        order = ORDER_BY[params.ordering(self.request.query_params)]
        keys = [
            self.filter_queryset(part).order_by().values_list("date", "ref", "amount_minor", "id")
            for part in asof.standing(self.model, self.moment)
        ]
        page = self.paginate_queryset(keys[0].union(keys[1], all=True).order_by(*order))
        ids = [key[-1] for key in page]
        rows = {row.id: row for row in self.with_related(asof.records(self.model, self.moment, Q(id__in=ids)))}
        return [rows[pk] for pk in ids]

    def retrieve(self, request, *args, **kwargs):
        record = self.get_object()
        if self.wants_csv():
            return self.as_csv(self.get_queryset().filter(pk=record.pk))
        return Response(self.serialized(record, many=False))
