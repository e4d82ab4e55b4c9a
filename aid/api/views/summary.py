"""Pledged vs delivered, grouped and converted: `aid.summary.summarize`, nothing else."""

from dataclasses import replace

from drf_spectacular.utils import OpenApiParameter
from rest_framework.response import Response
from rest_framework.views import APIView

from aid import params
from aid.api.csv import csv_response
from aid.api.filters import RecordFilterSet
from aid.api.serializers.summary import GroupSerializer, SummarySerializer
from aid.api.views.base import RATES_USED, PublicReadView, documented, rates_used_context
from aid.api.views.records import MOMENT
from aid.context import normalise
from aid.export import csv_lines
from aid.summary import GROUP_BY, summarize

PER_COLUMNS = ["pledged_per", "delivered_per"]
INDICATOR_COLUMNS = ["indicator_name", "indicator_year", "indicator_value", "indicator_unit", "indicator_source_url"]
GROUP_COLUMNS = [name for name in GroupSerializer().fields if name not in (*PER_COLUMNS, "indicator")]
LIST_FILTERS = [
    OpenApiParameter(
        name, str, pattern=params.DAY_PATTERN if name.startswith("date_") else None, description=f.extra["help_text"]
    )
    for name, f in RecordFilterSet.base_filters.items()
    if name != "ordering"
]
SUMMARY_PARAMETERS = [
    OpenApiParameter("group_by", str, enum=list(GROUP_BY), description="How to group (default `donor`)."),
    OpenApiParameter(
        "currency", str, pattern=params.CURRENCY_PATTERN, description="ISO 4217 currency to report in (default `EUR`)."
    ),
    OpenApiParameter(
        "rates",
        str,
        pattern=params.RATES_PATTERN,
        description="`transaction` (each amount at its own date's rate, the default), `latest`, or a day YYYY-MM-DD.",
    ),
    RATES_USED,
    OpenApiParameter(
        "per",
        str,
        enum=list(normalise.PER),
        description="`gdp`: each donor's figures as % of its GDP (converted into the GDP's currency by the same "
        "rate rule); `capita`: per person, in `currency`. Only with group_by=donor.",
    ),
    *LIST_FILTERS,
    *MOMENT,
]


def csv_rows(summary, data: dict):
    for group in [*data["groups"], data["total"]]:
        group = dict(group)
        indicator = group.pop("indicator", None) or {}
        context = {f"indicator_{key}": indicator.get(key) for key in ("name", "year", "value", "unit")}
        context["indicator_source_url"] = (indicator.get("source") or {}).get("url")
        yield {
            **group,
            **(context if "pledged_per" in group else {}),
            "currency": summary.currency,
            "rates": str(summary.rates),
            "rates_up_to": summary.rates_up_to.isoformat() if summary.rates_up_to else None,
        }


def normalised(summary, per: str, chosen):
    """The donors' figures as % of GDP or per person; the same question is asked again in a GDP's currency."""

    def in_currency(currency: str, donors: tuple[str, ...]):
        narrowed = replace(chosen.ledger_filter, donors=donors)
        return summarize(group_by="donor", currency=currency, rates=chosen.rates, ledger_filter=narrowed)

    return normalise.normalise(summary, per, in_currency)


class SummaryView(PublicReadView, APIView):
    """Pledged vs delivered by donor, programme, package, year or month, in one currency.

    Every list filter applies. Each (group, currency) part is converted exactly and rounded
    half up; totals are the sums of the rounded parts, so parts always add up.
    """

    @documented(SummarySerializer, *SUMMARY_PARAMETERS)
    def get(self, request):
        chosen = params.summary_params(request.query_params)
        per = params.per(request.query_params, chosen.group_by)
        disclosure = rates_used_context(request)
        summary = summarize(
            group_by=chosen.group_by, currency=chosen.currency, rates=chosen.rates, ledger_filter=chosen.ledger_filter
        )
        per_donor = normalised(summary, per, chosen) if per else None
        if per_donor:  # the rates that converted into a GDP's currency are disclosed too
            summary.rates_used = normalise.merged_rates(summary.rates_used, per_donor.rates_used)
        data = SummarySerializer(summary, context=disclosure).data
        if per_donor:
            data = normalise.annotate(data, per_donor)
        if self.wants_csv():
            columns = [
                *GROUP_COLUMNS,
                *((PER_COLUMNS + INDICATOR_COLUMNS) if per else []),
                "currency",
                "rates",
                "rates_up_to",
            ]
            return csv_response(csv_lines(columns, csv_rows(summary, data)), f"summary-by-{chosen.group_by}")
        return Response(data)
