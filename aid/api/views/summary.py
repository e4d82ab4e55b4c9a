"""Pledged vs delivered, grouped and converted: `aid.summary.summarize`, nothing else."""

from drf_spectacular.utils import OpenApiParameter
from rest_framework.response import Response
from rest_framework.views import APIView

from aid import params
from aid.api.csv import csv_response
from aid.api.filters import RecordFilterSet
from aid.api.serializers.summary import GroupSerializer, SummarySerializer
from aid.api.views.base import PublicReadView, documented
from aid.export import csv_lines
from aid.summary import GROUP_BY, summarize

GROUP_COLUMNS = list(GroupSerializer().fields)
LIST_FILTERS = [
    OpenApiParameter(name, str, description=f.extra["help_text"])
    for name, f in RecordFilterSet.base_filters.items()
    if name != "ordering"
]
SUMMARY_PARAMETERS = [
    OpenApiParameter("group_by", str, enum=list(GROUP_BY), description="How to group (default `donor`)."),
    OpenApiParameter("currency", str, description="ISO 4217 currency to report in (default `EUR`)."),
    OpenApiParameter(
        "rates",
        str,
        description="`transaction` (each amount at its own date's rate, the default), `latest`, or a day YYYY-MM-DD.",
    ),
    *LIST_FILTERS,
]


def csv_rows(summary, data: dict):
    for group in [*data["groups"], data["total"]]:
        yield {**group, "currency": summary.currency, "rates": str(summary.rates)}


class SummaryView(PublicReadView, APIView):
    """Pledged vs delivered by donor, programme, package, year or month, in one currency.

    Every list filter applies. Each (group, currency) part is converted exactly and rounded
    half up; totals are the sums of the rounded parts, so parts always add up.
    """

    @documented(SummarySerializer, *SUMMARY_PARAMETERS)
    def get(self, request):
        chosen = params.summary_params(request.query_params)
        summary = summarize(
            group_by=chosen.group_by, currency=chosen.currency, rates=chosen.rates, ledger_filter=chosen.ledger_filter
        )
        data = SummarySerializer(summary).data
        if self.wants_csv():
            columns = [*GROUP_COLUMNS, "currency", "rates"]
            return csv_response(csv_lines(columns, csv_rows(summary, data)), f"summary-by-{chosen.group_by}")
        return Response(data)
