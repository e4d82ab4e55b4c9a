"""The rate days a `rates=transaction` answer of the SQL paths used, from its day masks.

A monthly row's `days_mask` says on which days of its month a currency has amounts (bit d-1:
day d). Each (currency, month) of the daily rate table is a few *segments*: the days one
publication answers for (the rule of ledger.conversion.Rates, forward-filled by ledger.daily),
as a mask of the same shape. The rate days used are the segments a mask touches, and the
oldest day a rate answered for is the highest day it touched: bit arithmetic on ~20 segments
per (currency, month), where the SQL form joined ~16,000 rate days and grouped them (40–170 ms
a summary, more than its totals). A month whose every day is used (the common case in a large
ledger) adds its inner segments' fold, computed once, at one step; only its first and last
segments can be the same rate day as a neighbouring month's (a publication that answers for
days on both sides of the month's start).

The segments are read from the database once per rates version (every rate write moves it in
its own transaction, an edit of a record does not: aid.serving.version) and kept in the process;
a summary reads the version (one small query) and, the first time, the months it needs.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property

from django.db import connections

from aid.serving import version
from ledger.currencies import BASE_CURRENCY
from ledger.rates import STALE_AFTER

ALL_DAYS = (1 << 31) - 1


@dataclass(frozen=True)
class Segment:
    rate_day: date
    rate: Decimal
    source: str
    days: int  # the days of the month this publication answers for
    base: int  # the day-1 of the month minus rate_day, in days: oldest = base + highest day touched

    def oldest(self, touched: int) -> int:
        return self.base + touched.bit_length()


class Month:
    """The segments of one currency in one month, and the fold of its inner ones (all days used)."""

    def __init__(self, month: date, segments: list[Segment]):
        self.segments = sorted(segments, key=lambda segment: segment.rate_day)
        self.all_days = 0
        for segment in self.segments:
            self.all_days |= segment.days
        self.inner = _Fold()
        for segment in self.segments[1:-1]:
            self.inner.count("", segment, segment.oldest(segment.days))


class _Fold:
    """Per (currency, source): [first day, last day, days, min rate, max rate, stale days]."""

    def __init__(self):
        self.folded: dict[tuple[str, str], list] = {}

    def count(self, currency: str, segment: Segment, oldest: int) -> None:
        stale = 1 if oldest > STALE_AFTER.days else 0
        entry = self.folded.get((currency, segment.source))
        if entry is None:
            self.folded[currency, segment.source] = [segment.rate_day, segment.rate_day, 1, segment.rate, segment.rate, stale]  # fmt: skip
            return
        self._widen(entry, segment.rate_day, segment.rate_day, segment.rate, segment.rate)
        entry[2] += 1
        entry[5] += stale

    def merge(self, currency: str, source: str, other: list) -> None:
        entry = self.folded.get((currency, source))
        if entry is None:
            self.folded[currency, source] = list(other)
            return
        self._widen(entry, other[0], other[1], other[3], other[4])
        entry[2] += other[2]
        entry[5] += other[5]

    @staticmethod
    def _widen(entry: list, first: date, last: date, low: Decimal, high: Decimal) -> None:
        if first < entry[0]:
            entry[0] = first
        if last > entry[1]:
            entry[1] = last
        if low < entry[3]:
            entry[3] = low
        if high > entry[4]:
            entry[4] = high


def next_month(day: date) -> date:
    """The first day of the month after `day`'s."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


_held: dict = {"key": None, "months": {}}  # the Months of one rates version, per (currency, month)

_MONTH_RATES = (
    "SELECT currency, day, rate_day, rate, source FROM ledger_dailyrate WHERE currency = %s AND day >= %s AND day < %s"  # noqa: E501
)


def _months(alias: str, pairs) -> dict:
    """{(currency, month): Month} for `pairs`, read once per rates version."""
    key = (alias, version.rates_current(alias))  # where the totals were read (the router's choice for a reader)
    if _held["key"] != key:
        _held.update(key=key, months={})
    months = _held["months"]
    missing = sorted(pair for pair in pairs if pair not in months)
    if not missing:
        return months
    spans = defaultdict(lambda: [date.max, date.min])
    for currency, month in missing:
        span = spans[currency]
        span[0], span[1] = min(span[0], month), max(span[1], next_month(month))
    with connections[alias].cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join([_MONTH_RATES] * len(spans)),
            [value for currency, span in spans.items() for value in (currency, *span)],
        )
        rows = cursor.fetchall()
    found = {pair: {} for pair in missing}
    for currency, day, rate_day, rate, source in rows:
        segments = found.get((currency, day.replace(day=1)))
        if segments is not None:
            segment = segments.setdefault(rate_day, [rate, source, 0])
            segment[2] |= 1 << (day.day - 1)
    for (currency, month), segments in found.items():
        base = {rate_day: (month - rate_day).days - 1 for rate_day in segments}
        months[currency, month] = Month(
            month, [Segment(day, rate, source, days, base[day]) for day, (rate, source, days) in segments.items()]
        )
    return months


def _bounds_mask(month: date, first: date | None, last: date | None) -> int:
    """The days of `month` within [first, last]."""
    mask = ALL_DAYS
    if first and (first.year, first.month) == (month.year, month.month):
        mask &= ~((1 << (first.day - 1)) - 1)
    if last and (last.year, last.month) == (month.year, month.month):
        mask &= (1 << last.day) - 1
    return mask


class RateDays:
    """The rate days used by an answer whose amounts lie on the days of `masks`
    ((currency, month, mask) of its source currencies, the target's own excluded; read when
    first needed), within [first, last]; the target's rates on every such day too."""

    def __init__(self, masks, target: str, alias: str, first: date | None = None, last: date | None = None):
        self._masks, self._target, self._alias, self._bounds = masks, target, alias, (first, last)

    def with_days(self, used: dict) -> "RateDays":
        """The same answer's rate days with each (currency, day) of `used` set (True) or cleared."""
        masks = defaultdict(int)
        for currency, month, mask in self._masks:
            masks[currency, month] |= mask
        for (currency, day), on in used.items():
            month, bit = day.replace(day=1), 1 << (day.day - 1)
            masks[currency, month] = masks[currency, month] | bit if on else masks[currency, month] & ~bit
        kept = [(currency, month, mask) for (currency, month), mask in masks.items() if mask]
        return RateDays(kept, self._target, self._alias, *self._bounds)

    @cached_property
    def _wanted(self) -> list[tuple[tuple[str, date], int, Month]]:
        """((currency, month), days used, Month), by currency and month."""
        wanted = defaultdict(int)
        for currency, month, mask in self._masks:
            mask &= _bounds_mask(month, *self._bounds)
            if currency != BASE_CURRENCY:
                wanted[currency, month] |= mask
            if self._target != BASE_CURRENCY:
                wanted[self._target, month] |= mask
        months = _months(self._alias, wanted)
        return [(pair, wanted[pair], months[pair]) for pair in sorted(wanted)]

    def _touched(self):
        """(currency, segment, oldest) of every segment used, by currency and day, each rate day's
        segments one after the other (a publication answering for days of two months)."""
        for (currency, _), used, month in self._wanted:
            for segment in month.segments:
                touched = segment.days & used
                if touched:
                    yield currency, segment, segment.oldest(touched)

    def quotes(self) -> list[dict]:
        from aid.summary.disclosure import day_row

        days: dict[tuple[str, date], list] = {}
        for currency, segment, oldest in self._touched():
            entry = days.setdefault((currency, segment.rate_day), [segment, oldest])
            entry[1] = max(entry[1], oldest)
        return [day_row(c, day, s.rate, oldest, s.source) for (c, day), (s, oldest) in days.items()]

    def ranges(self) -> list[dict]:
        """The fold of `quotes` (disclosure.ranges) without building them: a month whose every day
        is used adds its inner fold at once."""
        fold, pending = _Fold(), {}  # pending: currency -> [segment, oldest], may continue next month

        def add(currency, segment, oldest):
            held = pending.get(currency)
            if held and held[0].rate_day == segment.rate_day:
                held[1] = max(held[1], oldest)
                return
            if held:
                fold.count(currency, *held)
            pending[currency] = [segment, oldest]

        for (currency, _), used, month in self._wanted:
            segments = month.segments
            if used & month.all_days != month.all_days or len(segments) < 3:
                for segment in segments:
                    touched = segment.days & used
                    if touched:
                        add(currency, segment, segment.oldest(touched))
                continue
            add(currency, segments[0], segments[0].oldest(segments[0].days))
            fold.count(currency, *pending.pop(currency))  # the inner segments follow: no month shares them
            for (_, source), entry in month.inner.folded.items():
                fold.merge(currency, source, entry)
            add(currency, segments[-1], segments[-1].oldest(segments[-1].days))
        for currency, held in pending.items():
            fold.count(currency, *held)
        columns = ("first_day", "last_day", "days", "min_rate", "max_rate", "stale_days")
        return [
            {"currency": currency, "source": source, **dict(zip(columns, values, strict=True))}
            for (currency, source), values in sorted(fold.folded.items())
        ]  # first_day and last_day as dates: disclosure shows them
