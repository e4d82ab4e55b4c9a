"""PostgreSQL fast path of aid.summary for `rates=transaction`: convert inside one aggregate.

The grouped totals are joined to the forward-filled daily rates and each (group, kind,
currency) part is summed as amount × r(target) / r(source) in NUMERIC, carried to 24
decimals per row (the Python path carries 50 significant digits); the caller rounds each part
half up exactly as the Python path does. Returns None (use the exact Python path) on
SQLite, or when any amount's day lies outside the filled daily table, so a missing rate is
still reported by ledger.rates with its currency and day.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import connection

from ledger import daily
from ledger.currencies import minor_units
from ledger.rates import STALE_AFTER

_PARTS = """
SELECT t.group_key, t.kind, t.currency, SUM(t.records), SUM(t.undisclosed_n),
       SUM(CASE WHEN t.currency = '' THEN 0
                ELSE (t.amount::numeric * COALESCE(tr.rate, 1))::numeric(60, 24) / COALESCE(sr.rate, 1) END),
       COUNT(*) FILTER (WHERE t.currency <> '' AND (
           (t.currency <> 'EUR' AND sr.rate IS NULL) OR (%s <> 'EUR' AND tr.rate IS NULL)))
FROM ({inner}) t
LEFT JOIN ledger_dailyrate sr ON sr.currency = t.currency AND sr.day = t.day
LEFT JOIN ledger_dailyrate tr ON tr.currency = %s AND tr.day = t.day
GROUP BY 1, 2, 3
"""

_USED = """
SELECT u.currency, u.rate_day, u.rate, u.oldest, e.source
FROM (
    SELECT r.currency, r.rate_day, r.rate, MAX(t.day - r.rate_day) AS oldest
    FROM (SELECT DISTINCT currency, day FROM ({inner}) q WHERE currency <> '') t
    JOIN ledger_dailyrate r ON r.day = t.day AND r.currency IN (t.currency, %s)
    GROUP BY 1, 2, 3
) u
JOIN ledger_exchangerate e ON e.currency = u.currency AND e.day = u.rate_day
"""


def transaction_parts(rows_queryset, target: str):
    if not daily.supported():
        return None
    inner, params = rows_queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(_PARTS.format(inner=inner), (target, *params, target))
        parts = cursor.fetchall()
        if any(row[6] for row in parts):
            return None
        cursor.execute(_USED.format(inner=inner), (*params, target))
        used_rows = cursor.fetchall()
    exact = defaultdict(Decimal)
    counts = defaultdict(lambda: [0, 0])
    for key, kind, currency, records, undisclosed, converted, _missing in parts:
        counts[key, kind][0] += records
        counts[key, kind][1] += undisclosed
        if currency:
            exact[key, kind, currency] += Decimal(converted).scaleb(-minor_units(currency))
    used = {
        (currency, rate_day.isoformat()): {
            "currency": currency, "rate_date": rate_day.isoformat(), "rate": str(rate),
            "stale": oldest > STALE_AFTER.days, "source": source,
        }
        for currency, rate_day, rate, oldest, source in used_rows
        if currency != "EUR"
    }  # fmt: skip
    return exact, counts, used
