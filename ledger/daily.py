"""The forward-filled daily rate table that PostgreSQL joins against (see DailyRate), and
SQLite's daily factors (ledger.daily_factors), both rebuilt here whenever rates are written.

Filled from FIRST_DAY (the war began in 2014; earlier records are converted by the exact
Python path instead) to a year past today, so new records find their day's rate; a day past
the filled range also falls back to the Python path, never to a wrong rate.
"""

from datetime import date, timedelta

from django.db import connection, transaction

from ledger import daily_factors

FIRST_DAY = date(2014, 1, 1)
AHEAD = timedelta(days=366)

# Each publication fills the days from it to the day before the currency's next one: a row per
# day, written without looking anything up per day (a LATERAL probe per day and currency took
# 2 to 3 s for the year a new ECB day refills). `start`: each currency's publication in force on
# the first day, so that the days before its own next publication are filled too; each
# currency's publications read from its index.
_FILL = """
INSERT INTO ledger_dailyrate (currency, day, rate, rate_day, source)
SELECT p.currency, d.day::date, p.rate, p.day, p.source
FROM unnest(%(currencies)s::text[]) AS c(currency)
CROSS JOIN LATERAL (
    SELECT COALESCE(
        (SELECT max(day) FROM ledger_exchangerate WHERE currency = c.currency AND day <= %(first)s), %(first)s
    ) AS day
) start
CROSS JOIN LATERAL (
    SELECT e.currency, e.day, e.rate, e.source, lead(e.day) OVER (ORDER BY e.day) AS next_day
    FROM ledger_exchangerate e WHERE e.currency = c.currency AND e.day >= start.day
) p
CROSS JOIN LATERAL generate_series(
    GREATEST(p.day, %(first)s::date), LEAST(p.next_day - 1, %(last)s::date), interval '1 day'
) AS d(day)
"""


def supported() -> bool:
    return connection.vendor == "postgresql"


def filled_until() -> date:
    return date.today() + AHEAD


@transaction.atomic
def refresh(currencies=None, first_day: date | None = None) -> None:
    """Rebuild the daily rows of `currencies` (all when None) from `first_day` on (from FIRST_DAY
    when None): DailyRate on PostgreSQL, DailyFactor on SQLite. A rate written on a day changes
    only the days from it on, so a new ECB day refills a year of days, not the twelve before it."""
    from ledger.models import DailyRate, ExchangeRate

    if currencies is None:
        currencies = list(ExchangeRate.objects.values_list("currency", flat=True).distinct())
    currencies = sorted(set(currencies))
    first = max(first_day or FIRST_DAY, FIRST_DAY)
    if connection.vendor == "sqlite":
        daily_factors.refresh(currencies, first, filled_until())
        return
    if not supported():
        return
    DailyRate.objects.filter(currency__in=currencies, day__gte=first).delete()
    with connection.cursor() as cursor:
        cursor.execute(_FILL, {"currencies": currencies, "first": first, "last": filled_until()})
        if len(currencies) > 1:  # an ECB load (a rate entered by hand is one currency: the statistics hold)
            # Without statistics (autovacuum off, or not round yet) the summaries' joins on this
            # table were planned for ~100 rows: merge joins sorting ~100,000 rows on text keys.
            cursor.execute("ANALYZE ledger_dailyrate")
