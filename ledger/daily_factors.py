"""SQLite's daily conversion factors (ledger.models.DailyFactor), kept with the rates.

The same days as PostgreSQL's DailyRate (ledger.daily: from FIRST_DAY to a year past today,
each day the publication of that day or the latest before it), as exact fractions. A day
outside them, or before a currency's first publication, has no row: the summary then falls
back to the exact Python path, which names the missing rate.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db import connection

from ledger.currencies import BASE_CURRENCY, is_currency, minor_units

TABLE = "ledger_dailyfactor"
STATISTICS_AFTER = 10_000  # rows written at once
_INSERT = f"INSERT INTO {TABLE} (currency, day, rate_day, mantissa, unit_scale) VALUES (%s, %s, %s, %s, %s)"


def factor(currency: str, rate: Decimal) -> tuple[int, int]:
    """(mantissa, unit_scale) of DailyFactor for 1 EUR = `rate`: the rate's digits without
    trailing zeros (small integers keep the products of a conversion inside 64 bits)."""
    _, digits, exponent = rate.normalize().as_tuple()
    mantissa = int("".join(map(str, digits))) * 10 ** max(exponent, 0)
    return mantissa, 10 ** (max(-exponent, 0) - minor_units(currency) + 3)


def factor_rows(currency: str, publications: list[tuple[date, Decimal]], first: date, last: date):
    """(currency, day, rate_day, num, den) for every day in [first, last] from the first
    publication on; `publications` (day, rate) in day order, the first on or before `first`."""
    if not publications:
        return
    index, day = 0, max(first, publications[0][0])
    while day <= last:
        while index + 1 < len(publications) and publications[index + 1][0] <= day:
            index += 1
        rate_day, rate = publications[index]
        mantissa, unit_scale = factor(currency, rate)
        # Every day of one publication shares its factor: computed once, written per day.
        end = publications[index + 1][0] if index + 1 < len(publications) else last + timedelta(days=1)
        while day < end and day <= last:
            yield currency, day, rate_day, mantissa, unit_scale
            day += timedelta(days=1)


def refresh(currencies, first: date, last: date, exchange_rate=None) -> None:
    """Rewrite the factors of `currencies` from `first` on (SQLite only; `exchange_rate`: the model, a
    migration's own)."""
    if exchange_rate is None:
        from ledger.models import ExchangeRate as exchange_rate
    currencies = sorted(c for c in set(currencies) if is_currency(c) and c != BASE_CURRENCY)
    if not currencies:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {TABLE} WHERE currency IN ({', '.join(['%s'] * len(currencies))}) AND day >= %s",
            [*currencies, first],
        )
        written = 0
        for currency in currencies:
            rates = exchange_rate.objects.filter(currency=currency)
            start = rates.filter(day__lte=first).order_by("-day").values_list("day", flat=True).first() or first
            publications = list(rates.filter(day__gte=start, day__lte=last).order_by("day").values_list("day", "rate"))
            rows = list(factor_rows(currency, publications, first, last))
            cursor.executemany(_INSERT, rows)
            written += len(rows)
        if written >= STATISTICS_AFTER:  # without statistics SQLite looks factors up through the narrower index
            cursor.execute(f"ANALYZE {TABLE}")
