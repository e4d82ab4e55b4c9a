"""What each computation path of aid.summary hands back, and how group keys are read and written."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import F
from django.db.models.functions import ExtractYear, TruncMonth


@dataclass
class Parts:
    """What a computation path hands back: rounded sums and counts per (group key, kind)."""

    converted: dict = field(default_factory=dict)  # (key, kind) -> Decimal, sum of rounded parts
    counts: dict = field(default_factory=dict)  # (key, kind) -> (records, undisclosed)
    used: dict = field(default_factory=dict)  # (currency, rate_date) -> disclosed quote

    def add(self, key, kind: str, value: Decimal, records: int, undisclosed: int) -> None:
        self.converted[key, kind] = self.converted.get((key, kind), Decimal(0)) + value
        old_records, old_undisclosed = self.counts.get((key, kind), (0, 0))
        self.counts[key, kind] = (old_records + records, old_undisclosed + undisclosed)

    def disclose(self, quote) -> None:
        """Remember a rate used; it is stale if it was stale for any amount it converted."""
        if quote.currency == "EUR":  # 1 by definition: nothing to disclose
            return
        entry = self.used.setdefault((quote.currency, quote.rate_date.isoformat()), quote.as_dict())
        entry["stale"] = entry["stale"] or quote.stale


def key_value(group_by: str, raw):
    if raw is None or raw == "":
        return None
    if group_by == "month":
        return raw if isinstance(raw, str) else f"{raw.year:04d}-{raw.month:02d}"
    if group_by == "year":
        return int(raw) if not isinstance(raw, date) else raw.year
    return raw


def group_expression(group_by: str, day_field: str = "day"):
    """The group key of a totals row (LedgerTotal's `day`, ConvertedTotal's `month`)."""
    return {
        "donor": F("donor"),
        "programme": F("programme"),
        "package": F("package"),
        "year": ExtractYear(day_field),
        "month": TruncMonth(day_field),
    }[group_by]
