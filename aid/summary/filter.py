"""The list filters of SPEC §6, applied alike to records and to the pre-aggregated totals."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q

from aid.models import Status

# In `packages`: the records in no package (the totals hold their package as '').
NO_PACKAGE = ""


@dataclass(frozen=True)
class LedgerFilter:
    """The list filters of SPEC §6, applied alike to records and to totals."""

    donors: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    packages: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    original_currencies: tuple[str, ...] = ()
    status: str = Status.PUBLISHED
    confidences: tuple[str, ...] = ()  # '' among them: records not assessed
    as_of: datetime | None = None  # the ledger as it stood then (aid.asof); None: now

    @property
    def reads_records(self) -> bool:
        """True when a filter needs a field the pre-aggregated totals do not carry.

        The totals hold only the present: a past moment is read from the records' history.
        """
        return bool(self.confidences) or self.as_of is not None

    @property
    def whole_months(self) -> bool:
        """True when the dates cut no month: monthly rows then select the same days."""
        end = self.date_to
        starts_ok = self.date_from is None or self.date_from.day == 1
        return starts_ok and (end is None or end.day == calendar.monthrange(end.year, end.month)[1])

    def on_totals(self, queryset, *, day_field: str = "day"):
        """Select rows of a totals table (codes stored as plain columns)."""
        return self._select(queryset, codes=("donor", "programme", "package"), day_field=day_field)

    def on_records(self, queryset):
        """The same selection on the pledge or delivery table (codes through the relations)."""
        queryset = self._select(queryset, codes=("donor__code", "programme__code", "package__code"), day_field="date")
        return queryset.filter(confidence__in=self.confidences) if self.confidences else queryset

    def _select(self, queryset, *, codes: tuple[str, str, str], day_field: str):
        donor, programme, package = codes
        wanted = {
            f"{donor}__in": self.donors,
            f"{programme}__in": self.programmes,
            f"{day_field}__gte": self.date_from,
            f"{day_field}__lte": self.date_to,
            "currency__in": self.original_currencies,
        }
        queryset = queryset.filter(status=self.status, **{lookup: value for lookup, value in wanted.items() if value})
        return queryset.filter(self._packages(package)) if self.packages else queryset

    def _packages(self, package: str) -> Q:
        chosen = Q(**{f"{package}__in": self.packages})
        if NO_PACKAGE in self.packages and package.endswith("__code"):  # a record in no package has none (NULL)
            chosen |= Q(**{f"{package.removesuffix('__code')}__isnull": True})
        return chosen
