"""`rates_used` as an answer shows it: per currency and source, the days and the range of rates.

A summary over years converts at thousands of rate days; listing each made its answer grow
with the ledger's span (1.7 MB at a million records). The compact form is complete — every
rate used lies within [min_rate, max_rate] of its currency and source, every day within
[first_day, last_day], `days` counts them and `stale_days` the stale ones — and its size grows
only with the number of currencies. The day-by-day list is one parameter away
(`rates_used=full`).

PostgreSQL's SQL paths fold their rate days from the day masks of their rows
(aid.summary.rate_days), SQLite's has the database fold the days its query selects
(`SqlRateDays`); both build the day-by-day list only when it is asked for (`Disclosed`); the
exact path folds its quotes (`ranges`).
"""

from datetime import date
from decimal import Decimal
from functools import cached_property

from django.db import connections

from ledger.rates import STALE_AFTER

RATE_PLACES = Decimal("0.000001")  # ledger.models.ExchangeRate.rate's decimal places


def _day(value) -> str:
    return value if isinstance(value, str) else value.isoformat()  # SQLite answers dates as text


def _date(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _rate(value) -> Decimal:
    """A rate as the exact path reads it. SQLite stores a rate as a REAL (an INTEGER when whole) and
    hands that back; the decimal it was written as has at most 15 digits, so the shortest repr of
    the float is that decimal (what Django's own SQLite converter reads, at the field's places)."""
    return Decimal(repr(value)).quantize(RATE_PLACES) if isinstance(value, int | float) else value


def day_row(currency: str, rate_day, rate, oldest_days: int, source: str) -> dict:
    """A rate an SQL path used, with the longest distance from it to a day it answered for."""
    return {
        "currency": currency, "rate_date": _day(rate_day), "rate": str(_rate(rate)),
        "stale": oldest_days > STALE_AFTER.days, "source": source,
    }  # fmt: skip


def ranges(quotes: list[dict]) -> list[dict]:
    """The day-by-day quotes ({currency, rate_date, rate, stale, source}) folded per (currency, source)."""
    folded: dict[tuple[str, str], dict] = {}
    for quote in quotes:
        day, rate = str(quote["rate_date"]), Decimal(quote["rate"])
        entry = folded.get((quote["currency"], quote["source"]))
        if entry is None:
            folded[quote["currency"], quote["source"]] = {
                "currency": quote["currency"], "source": quote["source"], "first_day": day, "last_day": day,
                "days": 1, "min_rate": rate, "max_rate": rate, "stale_days": int(quote["stale"]),
            }  # fmt: skip
            continue
        entry["first_day"], entry["last_day"] = min(entry["first_day"], day), max(entry["last_day"], day)
        entry["min_rate"], entry["max_rate"] = min(entry["min_rate"], rate), max(entry["max_rate"], rate)
        entry["days"] += 1
        entry["stale_days"] += int(quote["stale"])
    return [_shown(entry) for _, entry in sorted(folded.items())]


def _shown(entry: dict) -> dict:
    return {
        **entry,
        "min_rate": str(entry["min_rate"]),
        "max_rate": str(entry["max_rate"]),
        "stale": entry["stale_days"] > 0,
    }


# `days_sql` selects (currency, rate_day, rate, oldest, source), one row per rate day used.
_FOLD = """
SELECT currency, source, MIN(rate_day), MAX(rate_day), COUNT(*), MIN(rate), MAX(rate),
       COUNT(*) FILTER (WHERE oldest > {stale})
FROM ({days_sql}) d
GROUP BY currency, source
"""


class SqlRateDays:
    """The rate days a query selects (SQLite's path, aid.summary.sqlite_daily), in the form
    `Disclosed` asks of aid.summary.rate_days.RateDays: folded by the database in one grouped
    query (thousands of rate days cost more in Python than the totals), day by day only when asked."""

    def __init__(self, days_sql: str, params, alias: str):
        self._days_sql, self._params, self._alias = days_sql, tuple(params), alias

    def quotes(self) -> list[dict]:
        with connections[self._alias].cursor() as cursor:
            cursor.execute(self._days_sql, self._params)
            return [day_row(*row) for row in cursor.fetchall()]

    def ranges(self) -> list[dict]:
        with connections[self._alias].cursor() as cursor:
            cursor.execute(_FOLD.format(days_sql=self._days_sql, stale=STALE_AFTER.days), self._params)
            rows = cursor.fetchall()
        columns = ("currency", "source", "first_day", "last_day", "days", "min_rate", "max_rate", "stale_days")
        folded = [dict(zip(columns, row, strict=True)) for row in sorted(rows, key=lambda row: row[:2])]
        for entry in folded:
            entry["first_day"], entry["last_day"] = _date(entry["first_day"]), _date(entry["last_day"])
            entry["min_rate"], entry["max_rate"] = _rate(entry["min_rate"]), _rate(entry["max_rate"])
        return folded


class Disclosed:
    """The rates an answer used: the day-by-day quotes and their folded form (`ranges`).

    Given the quotes (the exact path), both come from them. Given an SQL path's rate days
    (`rate_days`, aid.summary.rate_days.RateDays), each is computed when first asked for, in
    the request that made the answer: a chart, which shows neither, costs nothing for them,
    and the folded form never builds the day-by-day list (`rates_used=full` does).
    """

    def __init__(self, quotes: list[dict] | None = None, *, rate_days=None):
        self._quotes, self._rate_days = quotes, rate_days

    @property
    def rate_days(self):
        return self._rate_days

    @cached_property
    def days(self) -> list[dict]:
        quotes = self._rate_days.quotes() if self._rate_days is not None else self._quotes or []
        return sorted(quotes, key=lambda q: (q["currency"], q["rate_date"]))

    @cached_property
    def ranges(self) -> list[dict]:
        if self._rate_days is None:
            return ranges(self.days)
        folded = self._rate_days.ranges()
        for entry in folded:
            entry["first_day"], entry["last_day"] = entry["first_day"].isoformat(), entry["last_day"].isoformat()
        return [_shown(entry) for entry in folded]

    def __eq__(self, other) -> bool:
        """The same rate days, folded alike (comparing the paths compares the SQL paths' fold too)."""
        return isinstance(other, Disclosed) and (self.ranges, self.days) == (other.ranges, other.days)

    def __repr__(self) -> str:
        return f"Disclosed({self.ranges!r})"
