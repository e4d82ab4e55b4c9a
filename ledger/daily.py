"""The forward-filled daily rate table that PostgreSQL joins against (see DailyRate).

Filled from FIRST_DAY (the war began in 2014; earlier records are converted by the exact
Python path instead) to a year past today, so new records find their day's rate; a day past
the filled range also falls back to the Python path, never to a wrong rate.
"""

from datetime import date, timedelta

from django.db import connection, transaction

FIRST_DAY = date(2014, 1, 1)
AHEAD = timedelta(days=366)

_FILL = """
INSERT INTO ledger_dailyrate (currency, day, rate, rate_day, source)
SELECT c.currency, d.day::date, r.rate, r.day, r.source
FROM (SELECT DISTINCT currency FROM ledger_exchangerate WHERE currency = ANY(%(currencies)s)) c
CROSS JOIN generate_series(%(first)s::date, %(last)s::date, interval '1 day') AS d(day)
CROSS JOIN LATERAL (
    SELECT e.rate, e.day, e.source FROM ledger_exchangerate e
    WHERE e.currency = c.currency AND e.day <= d.day
    ORDER BY e.day DESC LIMIT 1
) r
"""


def supported() -> bool:
    return connection.vendor == "postgresql"


def filled_until() -> date:
    return date.today() + AHEAD


@transaction.atomic
def refresh(currencies=None, first_day: date | None = None) -> None:
    """Rebuild the daily rows of `currencies` (all when None) from `first_day` on (from FIRST_DAY
    when None): a rate written on a day changes only the days from it on, so a new ECB day
    refills a year of days, not the twelve years before it. A no-op except on PostgreSQL."""
    if not supported():
        return
    from ledger.models import DailyRate, ExchangeRate

    if currencies is None:
        currencies = list(ExchangeRate.objects.values_list("currency", flat=True).distinct())
    currencies = sorted(set(currencies))
    first = max(first_day or FIRST_DAY, FIRST_DAY)
    DailyRate.objects.filter(currency__in=currencies, day__gte=first).delete()
    with connection.cursor() as cursor:
        cursor.execute(_FILL, {"currencies": currencies, "first": first, "last": filled_until()})
