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
the exact path answers. So it does for a missing rate (a row without its factors adds a float;
the exact path names the rate) and a sum past 64 bits. The rates used are disclosed from the
same factors, read only when asked for.
With a fixed day or `latest` the parts are summed per currency in SQL and converted by the
exact path's `convert_rows` (aid.summary.one_rate).

The daily totals are read through an index holding every column (total_summary_covering,
SQLite only, aid migration 0017), in (donor, kind, currency, day) order: a summary by donor is
aggregated as the index comes, without sorting, and a few donors are a range of it each. A few
donors between two dates are a range each (donor, kind) of total_donor_kind_days_covering
(migrations 0022, 0028), which then has the day; SQLite reads the whole ledger by donor from
it too (it is narrower and in the same order).
"""

from decimal import Decimal
from functools import lru_cache

from django.db import OperationalError, connection

from aid.models import Kind, LedgerTotal
from aid.summary import one_rate
from aid.summary.disclosure import SqlRateDays
from aid.summary.parts import Parts, group_expression, key_value
from ledger.conversion import Rates
from ledger.currencies import BASE_CURRENCY, minor_units

STATISTICS_AFTER = 10_000  # rows written at once (an import, a rebuild) before the statistics are refreshed
# Marks a row without a factor (a missing rate, SQLite's NULL arithmetic): the one float in an
# integer sum makes the sum a float, which the path refuses, as it refuses a product past 64 bits.
_NO_FACTOR = "0.5"


def _half_up(numerator: str, denominator: str, half: str | None = None) -> str:
    """t.amount_minor × n / d rounded half up (away from zero for a negative amount, as
    ROUND_HALF_UP does), with integers. The amount is split a = q·d + r first, so that no product
    outgrows 64 bits for any amount a real ledger holds: q·n + (2·r·n + d) div 2d, or
    q·n + (r·n + d/2) div d when `half` (d/2) is known whole. SQLite keeps no common subexpression:
    every operation written here runs once per row, so each is as short as it can be."""
    a, n, d = "t.amount_minor", numerator, denominator
    if half:
        rounded = "({a} / {d}) * {n} + (({a} %% {d}) * {n} + {h}) / {d}"
    else:
        rounded = "({a} / {d}) * {n} + (2 * ({a} %% {d}) * {n} + {d}) / (2 * {d})"
    positive, negative = (rounded.format(a=amount, n=n, d=d, h=half) for amount in (a, f"-{a}"))
    return f"CASE WHEN {a} >= 0 THEN {positive} ELSE -({negative}) END"


def _into_other(scale: str, mantissa: str) -> str:
    """The conversion of a source with factor (mantissa, scale) into the target g (ledger.models.
    DailyFactor): mantissa(g) × scale / (mantissa × scale(g)). Both scales are powers of ten: the
    larger is divided by the smaller, so that n and d stay small integers."""
    return (
        f"CASE WHEN {scale} >= g.unit_scale "
        f"THEN {_half_up(f'(g.mantissa * ({scale} / g.unit_scale))', mantissa)} "
        f"ELSE {_half_up('g.mantissa', f'({mantissa} * (g.unit_scale / {scale}))')} END"
    )


# A row's converted amount (a part, SPEC §5) by its currency: none ('', undisclosed), the target
# itself, or converted by its day's factors (ledger.models.DailyFactor): into EUR by the source's
# fraction as it stands, unit_scale / (mantissa × 10), whose denominator is even; into another
# target by the source's times the inverse of the target's (EUR has no row: mantissa 1, scale 10).
_INTO_EUR = f"CASE t.currency WHEN '' THEN 0 WHEN %s THEN t.amount_minor ELSE {_half_up('s.unit_scale', '(s.mantissa * 10)', '(s.mantissa * 5)')} END"  # noqa: E501
_INTO_TARGET = (
    "CASE t.currency WHEN '' THEN 0 WHEN %s THEN t.amount_minor "
    f"WHEN 'EUR' THEN {_into_other('10', '1')} ELSE {_into_other('s.unit_scale', 's.mantissa')} END"
)
_TARGET_JOIN = "LEFT JOIN ledger_dailyfactor g ON g.currency = %s AND g.day = t.day"

# Per group and kind, the converted sum, records and undisclosed. Grouped by (key, kind): the
# covering index's order for a summary by donor, and one sum per column rather than one
# filtered sum per kind and column (each a test per row).
_PARTS = """
SELECT t.group_key, t.kind, SUM(COALESCE({converted}, {no_factor})), SUM(t.records), SUM(t.undisclosed)
FROM ({rows}) t
LEFT JOIN ledger_dailyfactor s ON s.currency = t.currency AND s.day = t.day
{target_join}
GROUP BY t.group_key, t.kind
"""


# The rate days used, one row each (aid.summary.disclosure): every currency's on the days it has
# amounts not in the target, and the target's on those days; EUR is 1 by definition. A rate day
# is joined to its rate once, and its distance to the newest day it answered for is computed
# once (ISO days order as dates do), not per (currency, day) pair; its rate and source are read
# from an index holding them (ledger migration 0005, SQLite only), not from the table's rows.
_RATES_USED = """
WITH p AS ({pairs}),
u AS (SELECT currency, day FROM p{target_days}),
r AS (SELECT f.currency AS currency, f.rate_day AS rate_day, MAX(u.day) AS newest
      FROM u JOIN ledger_dailyfactor f ON f.currency = u.currency AND f.day = u.day
      GROUP BY f.currency, f.rate_day)
SELECT r.currency AS currency, r.rate_day AS rate_day, e.rate AS rate,
       julianday(r.newest) - julianday(r.rate_day) AS oldest, e.source AS source
FROM r JOIN ledger_exchangerate e INDEXED BY exchangerate_covering ON e.currency = r.currency AND e.day = r.rate_day
"""

_TARGET_DAYS = " UNION ALL SELECT DISTINCT %s, day FROM p"


def supported() -> bool:
    return connection.vendor == "sqlite"


def refresh_statistics(rows_written: int) -> None:
    """ANALYZE the daily totals after a bulk write on SQLite: with statistics the planner reads a
    few donors through their index and the whole ledger through the covering index."""
    if supported() and rows_written >= STATISTICS_AFTER:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {LedgerTotal._meta.db_table}")


def _selected(ledger_filter):
    """The daily totals the filter selects. SQLite reads a few donors between two dates as a range
    of total_donor_kind_days_covering per (donor, kind) (aid migration 0028: the kinds are named
    so that the day is a range), a few donors without dates and the whole ledger from
    total_summary_covering, each in the order a summary by donor adds them."""
    selected = ledger_filter.on_totals(LedgerTotal.objects.all())
    if ledger_filter.donors and (ledger_filter.date_from or ledger_filter.date_to):
        return selected.filter(kind__in=Kind.values)
    return selected


@lru_cache(maxsize=256)
def _daily_rows(group_by: str, ledger_filter) -> tuple[str, tuple]:
    """The SQL (and parameters) of the daily rows a question reads, compiled once per question in
    a process: a question asked again (after every write, the cached answer is gone) skips the
    0.5 ms Django took to build the queryset, a tenth of a small summary."""
    rows = _selected(ledger_filter).annotate(group_key=group_expression(group_by))
    rows = rows.values_list("group_key", "kind", "currency", "day", "amount_minor", "records", "undisclosed")
    sql, params = rows.query.sql_with_params()
    return sql, tuple(params)


def _parts_sql(target: str, rows: str) -> str:
    """The parts' SQL over `rows`; its parameters: `_parts_params`."""
    if target == BASE_CURRENCY:
        return _PARTS.format(converted=_INTO_EUR, no_factor=_NO_FACTOR, rows=rows, target_join="")
    return _PARTS.format(converted=_INTO_TARGET, no_factor=_NO_FACTOR, rows=rows, target_join=_TARGET_JOIN)


def _parts_params(target: str, rows_params) -> tuple:
    return (target, *rows_params, *(() if target == BASE_CURRENCY else (target,)))


def parts(group_by: str, target: str, rates: Rates, ledger_filter) -> Parts | None:
    if not supported():
        return None
    rows, params = _daily_rows(group_by, ledger_filter)
    if rates.mode != "transaction":
        return one_rate.parts(rows, params, group_by, target, rates)
    return _converted_and_disclosed(rows, params, group_by, target, whole_ledger_of=_whole_ledger_of(ledger_filter))


def _whole_ledger_of(ledger_filter) -> str | None:
    """The status, when the filter selects every row of it; else None."""
    return ledger_filter.status if ledger_filter == type(ledger_filter)(status=ledger_filter.status) else None


def rows_parts(rows: str, params, group_by: str, target: str) -> Parts | None:
    """The parts of other daily rows `rows` selects (aid.summary.as_of_daily's: group_key, kind,
    currency, day, amount_minor, records, undisclosed), converted at the rates held now, and the
    rate days they used."""
    return _converted_and_disclosed(rows, params, group_by, target)


def _converted_and_disclosed(rows: str, params, group_by: str, target: str, *, whole_ledger_of=None) -> Parts | None:
    """`whole_ledger_of`: the status when `rows` are all of the ledger's rows of that status."""
    result = _converted(rows, params, group_by, target)
    if result is not None:
        _disclose(result, target, *_converted_pairs(rows, params, target, whole_ledger_of))
    return result


def _converted_pairs(rows: str, params, target: str, whole_ledger_of: str | None) -> tuple[str, tuple]:
    """The (currency, day) pairs converted, read as the parts read their rows (the statement is
    compiled once: building a second queryset cost a small question a millisecond). Over the
    whole published ledger, from the totals' own index instead: the currencies below the target
    and those above it, two ranges of (status, currency, day), each read in order, so that the
    target's own days (most of a ledger in EUR) are not read."""
    if whole_ledger_of is None:
        return f"SELECT DISTINCT r.currency, r.day FROM ({rows}) r WHERE r.currency NOT IN ('', %s)", (*params, target)
    selected = LedgerTotal.objects.filter(status=whole_ledger_of).values("currency", "day")
    below = selected.filter(currency__gt="", currency__lt=target).distinct()
    above = selected.filter(currency__gt=target).distinct()
    return below.union(above, all=True).query.sql_with_params()


def _converted(rows: str, params, group_by: str, target: str) -> Parts | None:
    with connection.cursor() as cursor:
        try:
            cursor.execute(_parts_sql(target, rows), _parts_params(target, params))
            fetched = cursor.fetchall()
        except OperationalError:  # a sum past 64 bits ("integer overflow"): the exact path adds in Python
            return None
    if any(isinstance(value, float) for row in fetched for value in row[2:]):
        return None  # a missing rate (the exact path names it), or a product past 64 bits
    result = Parts()
    units = minor_units(target)
    for group_key, kind, converted, records, undisclosed in fetched:
        if records:  # a kind the group holds no row of is not a part
            result.add(key_value(group_by, group_key), kind, Decimal(converted).scaleb(-units), records, undisclosed)
    return result


def _disclose(result: Parts, target: str, pairs_sql: str, pairs_params) -> None:
    """The rate days of the (currency, day) pairs `pairs_sql` selects, read when the answer shows
    them (an amount in the target used none)."""
    if target == BASE_CURRENCY:
        sql, params = _RATES_USED.format(pairs=pairs_sql, target_days=""), pairs_params
    else:
        sql, params = _RATES_USED.format(pairs=pairs_sql, target_days=_TARGET_DAYS), (*pairs_params, target)
    result.disclose_days(SqlRateDays(sql, params, connection.alias))
