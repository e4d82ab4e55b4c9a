"""SQLite's path: the exact path's parts, converted and rounded in one integer SQL aggregate.

The exact path (aid.summary.exact) converts every daily LedgerTotal row in Python; at 100k +
100k records that is a quarter of a million Decimal conversions. Here each row is joined to
its day's factors (ledger.models.DailyFactor, kept with the rates: the exact fraction num/den
from a currency's minor unit to EUR cents) and converted as value × r(target) / r(source):
into EUR by the source's factor, into another target by the source's factor times the inverse
of the target's. SQLite rounds every row half up (away from zero for a negative amount, as
ROUND_HALF_UP does) with integers, and sums the parts per group: the same parts, the same
rounding, the same answer as the exact path, to the unit (tests/test_summary_sqlite.py compares).

The rounding of a·n/d splits a = q·d + r first, so that no product outgrows 64 bits for any
amount a real ledger holds: q·n + (2·r·n + d) div 2d. SQLite turns an integer product that
overflows anyway into a float; a sum that comes back a float means the path returns None and
the exact path answers. So it does for a missing rate (the exact path names it) and a sum past
64 bits. The rates used are disclosed from the same factors, read only when asked for.
With a fixed day or `latest` the parts are summed per currency in SQL and converted by the
exact path's `convert_rows`.

The daily totals are read through an index holding every column (total_summary_covering,
SQLite only, aid migration 0017), in (donor, kind, currency, day) order: a summary by donor is
aggregated as the index comes, without sorting, and a few donors are a range of it each.
"""

from dataclasses import replace
from decimal import Decimal

from django.db import OperationalError, connection
from django.db.models import DateField, F, Func

from aid.models import Kind, LedgerTotal
from aid.summary import exact
from aid.summary.disclosure import SqlRateDays
from aid.summary.parts import Parts, group_expression, key_value
from ledger.conversion import Rates
from ledger.currencies import BASE_CURRENCY, minor_units

COVERING_INDEX = "total_summary_covering"
KINDS = tuple(Kind.values)
STATISTICS_AFTER = 10_000  # rows written at once (an import, a rebuild) before the statistics are refreshed

# A row's factor from its currency's minor unit to the target's, n/d (ledger.models.DailyFactor):
# mantissa(target) × unit_scale(source) / (mantissa(source) × unit_scale(target)). EUR has no
# row: mantissa 1, unit_scale 10. Into EUR (never the source then) the fraction as it stands:
# a few operations per row, and n·d stays far inside 64 bits for any ECB rate (about 10^12; a
# product past it turns into a float and the exact path answers). Between two other currencies
# the two scales (powers of ten) are divided by the smaller first, so that it stays there too.
_INTO_EUR = ("s.unit_scale", "(s.mantissa * 10)", "")
_SOURCE_SCALE = "COALESCE(s.unit_scale, 10)"
_INTO_OTHER = (
    f"(g.mantissa * ({_SOURCE_SCALE} / min({_SOURCE_SCALE}, g.unit_scale)))",
    f"(COALESCE(s.mantissa, 1) * (g.unit_scale / min({_SOURCE_SCALE}, g.unit_scale)))",
    " OR g.mantissa IS NULL",
)
_TARGET_JOIN = "LEFT JOIN ledger_dailyfactor g ON g.currency = %s AND g.day = t.day"

# Per group, each kind's converted sum, records and undisclosed, and whether a rate was missing.
# Grouped by the key alone (the kinds as filtered aggregates): the covering index's order.
_CONVERTED = """CASE WHEN t.currency = '' THEN 0
                WHEN t.currency = %s THEN t.amount_minor
                WHEN t.amount_minor >= 0 THEN (t.amount_minor / {d}) * {n} + (2 * (t.amount_minor %% {d}) * {n} + {d}) / (2 * {d})
                ELSE -((-t.amount_minor / {d}) * {n} + (2 * (-t.amount_minor %% {d}) * {n} + {d}) / (2 * {d})) END"""  # noqa: E501
_PER_KIND = "SUM({column}) FILTER (WHERE t.kind = '{kind}')"
_PARTS = """
SELECT t.group_key, {per_kind},
       MAX(t.currency NOT IN ('', %s) AND ((t.currency <> 'EUR' AND s.mantissa IS NULL){target_missing}))
FROM ({rows}) t
LEFT JOIN ledger_dailyfactor s ON s.currency = t.currency AND s.day = t.day
{target_join}
GROUP BY t.group_key
"""


# The rate days used, one row each (aid.summary.disclosure): every currency's on the days it has
# amounts not in the target, and the target's on those days; EUR is 1 by definition.
_RATES_USED = """
WITH p AS ({pairs}),
u AS (SELECT currency, day FROM p{target_days})
SELECT f.currency AS currency, f.rate_day AS rate_day, e.rate AS rate,
       MAX(julianday(u.day) - julianday(f.rate_day)) AS oldest, e.source AS source
FROM u JOIN ledger_dailyfactor f ON f.currency = u.currency AND f.day = u.day
JOIN ledger_exchangerate e ON e.currency = f.currency AND e.day = f.rate_day
GROUP BY f.currency, f.rate_day
"""

_TARGET_DAYS = " UNION ALL SELECT DISTINCT %s, day FROM p"

_PER_CURRENCY = """
SELECT t.group_key, t.kind, t.currency, SUM(t.amount_minor), SUM(t.records), SUM(t.undisclosed)
FROM ({rows}) t GROUP BY t.group_key, t.kind, t.currency
"""


def supported() -> bool:
    return connection.vendor == "sqlite"


def refresh_statistics(rows_written: int) -> None:
    """ANALYZE the daily totals after a bulk write on SQLite: with statistics the planner reads a
    few donors through their index and the whole ledger through the covering index."""
    if supported() and rows_written >= STATISTICS_AFTER:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {LedgerTotal._meta.db_table}")


def _selected(ledger_filter):
    if not ledger_filter.donors:
        return ledger_filter.on_totals(LedgerTotal.objects.all())
    # A few donors: their ranges of the covering index, the dates checked in it. Compared as
    # `+day`, which no index can serve, or SQLite takes the narrower (status, donor, day) index
    # with a lookup in the table per row (3x slower).
    undated = replace(ledger_filter, date_from=None, date_to=None).on_totals(LedgerTotal.objects.all())
    undated = undated.alias(unindexed_day=Func(F("day"), template="+%(expressions)s", output_field=DateField()))
    bounds = {"unindexed_day__gte": ledger_filter.date_from, "unindexed_day__lte": ledger_filter.date_to}
    return undated.filter(**{lookup: day for lookup, day in bounds.items() if day})


def _daily_rows(group_by: str, ledger_filter):
    rows = _selected(ledger_filter).annotate(group_key=group_expression(group_by))
    return rows.values_list("group_key", "kind", "currency", "day", "amount_minor", "records", "undisclosed").query


def _parts_sql(target: str, rows: str) -> str:
    into_eur = target == BASE_CURRENCY
    n, d, target_missing = _INTO_EUR if into_eur else _INTO_OTHER
    converted = _CONVERTED.format(n=n, d=d)
    columns = [_PER_KIND.format(column=c, kind=k) for k in KINDS for c in (converted, "t.records", "t.undisclosed")]
    target_join = "" if into_eur else _TARGET_JOIN
    return _PARTS.format(per_kind=", ".join(columns), target_missing=target_missing, rows=rows, target_join=target_join)


def parts(group_by: str, target: str, rates: Rates, ledger_filter) -> Parts | None:
    if not supported():
        return None
    rows, params = _daily_rows(group_by, ledger_filter).sql_with_params()
    if rates.mode != "transaction":
        return one_rate_parts(rows, params, group_by, target, rates)
    result = _converted(rows, params, group_by, target)
    if result is not None:  # the pairs used, from the totals' own index
        pairs = _selected(ledger_filter).exclude(currency__in=("", target)).values("currency", "day").distinct()
        _disclose(result, target, *pairs.query.sql_with_params())
    return result


def rows_parts(rows: str, params, group_by: str, target: str) -> Parts | None:
    """The parts of other daily rows `rows` selects (aid.summary.as_of_daily's: group_key, kind,
    currency, day, amount_minor, records, undisclosed), converted at the rates held now, and the
    rate days they used."""
    result = _converted(rows, params, group_by, target)
    if result is not None:
        pairs_sql = f"SELECT DISTINCT r.currency, r.day FROM ({rows}) r WHERE r.currency NOT IN ('', %s)"
        _disclose(result, target, pairs_sql, (*params, target))
    return result


def _converted(rows: str, params, group_by: str, target: str) -> Parts | None:
    params = (*[target] * len(KINDS), target, *params, *(() if target == BASE_CURRENCY else (target,)))
    with connection.cursor() as cursor:
        try:
            cursor.execute(_parts_sql(target, rows), params)
            fetched = cursor.fetchall()
        except OperationalError:  # a sum past 64 bits ("integer overflow"): the exact path adds in Python
            return None
    if any(row[-1] or any(isinstance(value, float) for value in row[1:-1]) for row in fetched):
        return None  # a missing rate (the exact path names it), or a product past 64 bits
    result = Parts()
    units = minor_units(target)
    for group_key, *sums, _ in fetched:
        key = key_value(group_by, group_key)
        for index, kind in enumerate(KINDS):
            converted, records, undisclosed = sums[3 * index : 3 * index + 3]
            if records:  # a kind the group holds no row of is not a part
                result.add(key, kind, Decimal(converted or 0).scaleb(-units), records, undisclosed)
    return result


def _disclose(result: Parts, target: str, pairs_sql: str, pairs_params) -> None:
    """The rate days of the (currency, day) pairs `pairs_sql` selects, read when the answer shows
    them (an amount in the target used none)."""
    if target == BASE_CURRENCY:
        sql, params = _RATES_USED.format(pairs=pairs_sql, target_days=""), pairs_params
    else:
        sql, params = _RATES_USED.format(pairs=pairs_sql, target_days=_TARGET_DAYS), (*pairs_params, target)
    result.disclose_days(SqlRateDays(sql, params, connection.alias))


def one_rate_parts(rows: str, params, group_by: str, target: str, rates: Rates) -> Parts:
    """A fixed day or `latest`: one rate per currency, so a part is all of a currency in a group
    (a few rows, summed in SQL over the same selection), converted by the exact path's code."""
    with connection.cursor() as cursor:
        cursor.execute(_PER_CURRENCY.format(rows=rows), params)
        fetched = cursor.fetchall()
    names = ("group_key", "kind", "currency", "amount_minor", "records", "undisclosed")
    return exact.convert_rows([dict(zip(names, row, strict=True)) for row in fetched], group_by, target, rates)
