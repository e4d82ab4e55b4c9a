"""What each computation path of aid.summary hands back, and how group keys are read and written."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import CharField, F, Value
from django.db.models.functions import Concat, ExtractYear, TruncMonth

from aid.summary.disclosure import Disclosed


@dataclass
class Parts:
    """What a computation path hands back: rounded sums and counts per (group key, kind)."""

    converted: dict = field(default_factory=dict)  # (key, kind) -> Decimal, sum of rounded parts
    counts: dict = field(default_factory=dict)  # (key, kind) -> (records, undisclosed)
    used: dict = field(default_factory=dict)  # (currency, rate_date) -> disclosed quote (the exact path)
    sql_rates: Disclosed | None = None  # the rates an SQL path used, folded by PostgreSQL when asked

    def add(self, key, kind: str, value: Decimal, records: int, undisclosed: int) -> None:
        self.converted[key, kind] = self.converted.get((key, kind), Decimal(0)) + value
        old_records, old_undisclosed = self.counts.get((key, kind), (0, 0))
        self.counts[key, kind] = (old_records + records, old_undisclosed + undisclosed)

    def merge(self, other: "Parts") -> None:
        """Add another path's parts (of other days of the same question)."""
        for (key, kind), value in other.converted.items():
            self.add(key, kind, value, *other.counts[key, kind])

    def drop_empty(self) -> None:
        """Forget the (group key, kind) pairs no record counts any more (parts netted to nothing)."""
        for pair in [pair for pair, counts in self.counts.items() if counts == (0, 0)]:
            del self.counts[pair], self.converted[pair]

    def days_used_then(self, used: dict) -> None:
        """An answer as of a moment from the answer now (aid.summary.as_of_now): the SQL path's rate
        days, with each (currency, day) of `used` set or cleared as it was used then."""
        self.sql_rates = Disclosed(rate_days=self.sql_rates.rate_days.with_days(used))

    def disclose(self, quote) -> None:
        """Remember a rate used; it is stale if it was stale for any amount it converted."""
        if quote.currency == "EUR":  # 1 by definition: nothing to disclose
            return
        entry = self.used.setdefault((quote.currency, quote.rate_date.isoformat()), quote.as_dict())
        entry["stale"] = entry["stale"] or quote.stale

    def disclose_days(self, rate_days) -> None:
        """An SQL path's rate days used (aid.summary.rate_days.RateDays), computed when shown."""
        self.sql_rates = Disclosed(rate_days=rate_days)

    def disclosed(self) -> Disclosed:
        return self.sql_rates or Disclosed(list(self.used.values()))


# Not an API grouping: (donor, package) pairs in one answer, for the packages chart (one
# summary instead of one per donor). A code never holds the separator (aid.params.CODE).
DONOR_PACKAGE = "donor_package"
PAIR_SEPARATOR = "|"


def key_value(group_by: str, raw):
    if group_by == DONOR_PACKAGE:
        donor, package = raw.split(PAIR_SEPARATOR, 1)
        return donor, package or None
    if raw is None or raw == "":
        return None
    if group_by == "month":
        return raw[:7] if isinstance(raw, str) else f"{raw.year:04d}-{raw.month:02d}"  # SQLite's raw SQL: 'YYYY-MM-01'
    if group_by == "year":
        return int(raw) if not isinstance(raw, date) else raw.year
    return raw


def group_expression(group_by: str, *, day: str = "day", donor=None, programme=None, package=None):
    """The group key of a row: of a totals table by default (LedgerTotal's `day`, ConvertedTotal's
    `month`; codes as columns), or of the record tables given their code expressions."""
    donor, programme, package = donor or F("donor"), programme or F("programme"), package or F("package")
    if group_by == DONOR_PACKAGE:
        return Concat(donor, Value(PAIR_SEPARATOR), package, output_field=CharField())
    return {
        "donor": donor,
        "programme": programme,
        "package": package,
        "year": ExtractYear(day),
        "month": F(day) if day == "month" else TruncMonth(day),  # monthly rows hold first days already
    }[group_by]
