"""Which rate applies on a day (SPEC §5): that day's publication, else the latest earlier one.

A `RateBook` holds the rates a computation needs, fetched in a fixed number of queries, and
answers `quote(currency, day)` from memory. Every conversion in the project goes through it.

`held_at` (a moment, or None for now) reads the rates as they were held then: only those
stored (`created_at`) by that moment, so a question about the past is answered with the
rates known at the time and `latest` is the newest of those.
"""

import bisect
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import connection, connections, router
from django.db.models import Q

from ledger.currencies import BASE_CURRENCY, get_currency
from ledger.models import ExchangeRate

STALE_AFTER = timedelta(days=7)
# Rates fetched before the first wanted day, so a holiday gap finds its earlier publication.
LOOKBACK = timedelta(days=31)
BASE_SOURCE = "EUR is the ECB's base currency"


class MissingRate(LookupError):
    def __init__(self, currency: str, day: date | None):
        self.currency = currency
        self.day = day
        when = f"on or before {day.isoformat()}" if day else "at all"
        super().__init__(f"no exchange rate for {currency} {when}")


@dataclass(frozen=True)
class RateQuote:
    currency: str
    rate: Decimal
    rate_date: date
    wanted: date
    source: str

    @property
    def stale(self) -> bool:
        return self.wanted - self.rate_date > STALE_AFTER

    def as_dict(self) -> dict:
        return {
            "currency": self.currency,
            "rate_date": self.rate_date.isoformat(),
            "rate": str(self.rate),
            "stale": self.stale,
            "source": self.source,
        }


def held(rates, held_at: datetime | None):
    """Rates stored by `held_at` (all of them when None)."""
    return rates if held_at is None else rates.filter(created_at__lte=held_at)


class RateBook:
    def __init__(self, rows, held_at: datetime | None = None):
        self.held_at = held_at
        self._days: dict[str, list[date]] = {}
        self._rates: dict[str, list[tuple[Decimal, str]]] = {}
        for currency, day, rate, source in sorted(rows, key=lambda r: (r[0], r[1])):
            self._days.setdefault(currency, []).append(day)
            self._rates.setdefault(currency, []).append((rate, source))

    @classmethod
    def for_days(cls, currencies, first: date, last: date, held_at: datetime | None = None) -> "RateBook":
        """Rates able to answer any day in [first, last]: a few queries whatever the span."""
        wanted = cls._checked(currencies)
        if not wanted:
            return cls([], held_at)
        # Near date.min (a query for year 1, say) the window stops there instead of overflowing.
        window_start = first - LOOKBACK if first > date.min + LOOKBACK else date.min
        earlier = Q(pk__in=[])
        for currency, day in _newest_days(wanted, before=window_start, held_at=held_at).items():
            earlier |= Q(currency=currency, day=day)
        in_window = Q(currency__in=wanted, day__gte=window_start, day__lte=last)
        rows = held(ExchangeRate.objects.filter(in_window | earlier), held_at)
        return cls(rows.values_list("currency", "day", "rate", "source"), held_at)

    @classmethod
    def latest(cls, currencies, held_at: datetime | None = None) -> "RateBook":
        """Each currency's newest rate held (by `held_at`, when given)."""
        pick = Q(pk__in=[])
        for currency, day in _newest_days(cls._checked(currencies), held_at=held_at).items():
            pick |= Q(currency=currency, day=day)
        rows = held(ExchangeRate.objects.filter(pick), held_at)
        return cls(rows.values_list("currency", "day", "rate", "source"), held_at)

    @staticmethod
    def _checked(currencies) -> list[str]:
        wanted = sorted({c for c in currencies if c != BASE_CURRENCY})
        for code in wanted:
            get_currency(code)
        return wanted

    def newest_day(self, currency: str) -> date | None:
        days = self._days.get(currency)
        return days[-1] if days else None

    def position(self, currency: str, day: date) -> int:
        """Which publication of `currency` applies on `day` (an index for `quote_at`); raises
        MissingRate. For callers that convert many days and want each publication once."""
        index = bisect.bisect_right(self._days.get(currency, ()), day) - 1
        if index < 0:
            raise MissingRate(currency, day)
        return index

    def rate_at(self, currency: str, index: int) -> Decimal:
        return self._rates[currency][index][0]

    def quote_at(self, currency: str, index: int, day: date) -> RateQuote:
        rate, source = self._rates[currency][index]
        return RateQuote(currency, rate, self._days[currency][index], day, source)

    def quote(self, currency: str, day: date) -> RateQuote:
        if currency == BASE_CURRENCY:
            return RateQuote(BASE_CURRENCY, Decimal(1), day, day, BASE_SOURCE)
        return self.quote_at(currency, self.position(currency, day), day)

    def latest_quote(self, currency: str) -> RateQuote:
        """The newest rate held, wanted for today (the day of `held_at`): stale when over a week old then."""
        today = self.held_at.date() if self.held_at else date.today()
        if currency == BASE_CURRENCY:
            return RateQuote(BASE_CURRENCY, Decimal(1), today, today, BASE_SOURCE)
        day = self.newest_day(currency)
        if day is None:
            raise MissingRate(currency, None)
        rate, source = self._rates[currency][-1]
        return RateQuote(currency, rate, day, max(today, day), source)


def _newest_days(
    currencies: list[str], *, before: date | None = None, held_at: datetime | None = None
) -> dict[str, date]:
    """Each currency's newest publication day (before `before`, held by `held_at`, when given), in one query.

    One indexed "newest first, take one" lookup per currency, where a grouped MAX would read
    every rate since 1999.
    """
    if not currencies:
        return {}
    table = ExchangeRate._meta.db_table
    held_then, held_params = _held_clause(held_at)
    lookup = f"(SELECT day FROM {table} WHERE currency = %s AND day < %s{held_then} ORDER BY day DESC LIMIT 1)"
    end = before or date.max
    values = [v for c in currencies for v in (c, end, *held_params)]
    with connections[router.db_for_read(ExchangeRate)].cursor() as cursor:  # a replica, for a reader
        cursor.execute("SELECT " + ", ".join([lookup] * len(currencies)), values)
        days = cursor.fetchone()
    return {
        currency: day if isinstance(day, date) else date.fromisoformat(day)  # SQLite answers text
        for currency, day in zip(currencies, days, strict=True)
        if day is not None
    }


def _held_clause(held_at: datetime | None) -> tuple[str, list]:
    """The SQL twin of `held` for the raw "newest first" probes."""
    if held_at is None:
        return "", []
    return " AND created_at <= %s", [connection.ops.adapt_datetimefield_value(held_at)]


def rate_on(currency: str, day: date) -> RateQuote:
    """The rate for one currency and day (a convenience over RateBook, same rule)."""
    return RateBook.for_days([currency], day, day).quote(currency, day)


# Each currency the rate table holds, found by an index skip: a recursive step to the next code.
_HELD_CURRENCIES = """
WITH RECURSIVE held(currency) AS (
  SELECT MIN(currency) FROM {table}
  UNION ALL
  SELECT (SELECT MIN(currency) FROM {table} WHERE currency > held.currency) FROM held WHERE held.currency IS NOT NULL
)"""


def held_currencies() -> list[str]:
    """The currencies any rate is held for (a few dozen probes of the currency index, where a
    DISTINCT read every rate since 1999)."""
    query = _HELD_CURRENCIES.format(table=ExchangeRate._meta.db_table) + " SELECT currency FROM held"
    with connections[router.db_for_read(ExchangeRate)].cursor() as cursor:  # a replica, for a reader
        cursor.execute(query)
        return [currency for (currency,) in cursor.fetchall() if currency is not None]


def ecb_rates_up_to(held_at: datetime | None = None) -> date | None:
    """The newest day of ECB rates held ("ECB rates up to 30 Oct 2026"), None when none is.

    One query: each currency held (found by an index skip: a recursive step to the next code) gets
    its newest rate by an indexed "newest first" probe (a maximum over the whole table would read
    every rate since 1999 on every page), kept when the ECB published it; the admin refuses manual
    rates for the ECB's currencies, so none hides one. (A probe per ISO currency, 154 subqueries,
    cost PostgreSQL ~40 ms to plan and ~17 ms to run on every summary.)
    """
    from ledger.models import ECB_SOURCE

    table = ExchangeRate._meta.db_table
    held_then, held_params = _held_clause(held_at)
    query = f"""
{_HELD_CURRENCIES.format(table=table)}
SELECT MAX(e.day) FROM held
JOIN {table} e ON e.id = (SELECT id FROM {table} WHERE currency = held.currency{held_then} ORDER BY day DESC LIMIT 1)
WHERE e.source = %s AND e.currency <> %s
"""
    with connections[router.db_for_read(ExchangeRate)].cursor() as cursor:  # a replica, for a reader
        cursor.execute(query, [*held_params, ECB_SOURCE, BASE_CURRENCY])
        day = cursor.fetchone()[0]
    return day if isinstance(day, date) or day is None else date.fromisoformat(day)


def stale_today(day: date | None, today: date | None = None) -> bool:
    """Rates from `day` are stale for use today (SPEC §5: published more than 7 days before)."""
    return day is None or (today or date.today()) - day > STALE_AFTER
