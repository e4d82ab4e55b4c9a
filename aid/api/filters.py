"""The list filters of SPEC §6 as django-filter FilterSets, parsed by `aid.params`.

The declared filters document the parameters; `filter_queryset` reads them with the same
functions the summary and the charts use, so a bad value is the same 400 everywhere.
"""

from dataclasses import replace

import django_filters
from django.db.models import F
from drf_spectacular.utils import extend_schema_field

from aid import params
from aid.models import Delivery, Pledge, Status
from aid.summary import LedgerFilter

ORDER_BY = {
    "date": ("date", "ref"),
    "-date": ("-date", "ref"),
    "amount": (F("amount_minor").asc(nulls_last=True), "ref"),
    "-amount": (F("amount_minor").desc(nulls_last=True), "ref"),
}


def published_records(chosen: LedgerFilter, queryset):
    """The records a LedgerFilter selects (its `on_totals` twin for the record tables)."""
    return replace(chosen, status=Status.PUBLISHED).on_records(queryset)


@extend_schema_field({"type": "string", "pattern": params.DAY_PATTERN})
class DayFilter(django_filters.CharFilter):
    """A YYYY-MM-DD day (or empty: not given), as the schema says; aid.params parses it."""


def _text(help_text: str):
    return django_filters.CharFilter(method="_by_params", help_text=help_text)


class RecordFilterSet(django_filters.FilterSet):
    donor = _text("Donor code (ISO 3166-1 alpha-2, or EU); comma-separated for several, e.g. `NL,DE`.")
    programme = _text("Programme code, e.g. `PURL`; comma-separated for several.")
    package = _text("Package code, e.g. `PURL-2`; comma-separated for several.")
    date_from = DayFilter(method="_by_params", help_text="First date included (YYYY-MM-DD).")
    date_to = DayFilter(method="_by_params", help_text="Last date included (YYYY-MM-DD).")
    original_currency = _text("The record's own currency (ISO 4217), e.g. `USD`; comma-separated for several.")
    confidence = _text(
        "Records judged `high`, `medium` or `low` (or `not_assessed`); comma-separated for several, e.g. `high,medium`."
    )
    ordering = django_filters.ChoiceFilter(
        method="_by_params",
        choices=[(o, o) for o in params.ORDERINGS],
        help_text="Sort order; `amount` sorts by the amount in its own currency, undisclosed amounts last.",
    )

    def _by_params(self, queryset, name, value):
        return queryset  # every filter is applied at once in filter_queryset

    def filter_queryset(self, queryset):
        query = self.request.query_params if self.request is not None else self.data
        chosen = params.ledger_filter(query)
        return published_records(chosen, queryset).order_by(*ORDER_BY[params.ordering(query)])

    def is_valid(self):
        return True  # aid.params judges every value (and names the parameter) in filter_queryset


class PledgeFilterSet(RecordFilterSet):
    class Meta:
        model = Pledge
        fields = []


class DeliveryFilterSet(RecordFilterSet):
    class Meta:
        model = Delivery
        fields = []
