"""SQLite's path: the exact path's parts, rounded in SQL with integers (`rates=transaction`).

The exact path (aid.summary.exact) converts every daily LedgerTotal row in Python; at 100k +
100k records that is a quarter of a million Decimal conversions. Here each (currency, day) the
selection holds gets its conversion factor once, as a reduced fraction num/den of integers
(`r(target) / r(source)` scaled by both currencies' minor units: exact, since ECB rates are
decimals), in a temporary table; SQLite then rounds every row half up with integer arithmetic,
`(2·a·num + den) div (2·den)` (away from zero for a negative amount, as ROUND_HALF_UP does), and
sums the parts per group. Same parts, same rounding, same answer as the exact path, to the unit
(tests/test_summary_sqlite.py compares them); the rates disclosed are the same quotes.

SQLite turns an integer product that overflows 64 bits into a float, so the statement also
reports any amount past its factor's `largest` (where `2·a·num + den` would not fit); then this
path returns None and the exact path answers. So it does for a missing rate (the exact path
names it) and a sum past 64 bits. With a fixed day or `latest` the parts are summed per currency
in SQL and converted by the exact path's `convert_rows`.
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal
from math import gcd

from django.db import OperationalError, connection, transaction

from aid.models import LedgerTotal
from aid.summary import exact
from aid.summary.filter import LedgerFilter
from aid.summary.parts import Parts, group_expression, key_value
from ledger.conversion import Rates
from ledger.currencies import BASE_CURRENCY, minor_units
from ledger.rates import MissingRate

LARGEST = 2**63 - 1  # SQLite's INTEGER
FACTORS = "summary_factor"  # a TEMP table: each connection has its own
WHOLE_LEDGER = LedgerFilter()

# A covered row repeats the currency and day of a pledge row: pledges and deliveries name every
# pair. The day as text (no date parsed per row: each day is parsed once, and written back as is).
_PAIRS = """
SELECT DISTINCT t.currency, '' || t.day FROM ({rows}) t
WHERE t.kind IN ('pledge', 'delivery') AND t.currency <> '' AND t.currency <> %s
"""

_PARTS = f"""
SELECT t.group_key, t.kind,
       SUM(CASE WHEN t.currency = '' THEN 0
                WHEN t.currency = %s THEN t.amount_minor
                WHEN t.amount_minor >= 0 THEN (2 * t.amount_minor * f.num + f.den) / (2 * f.den)
                ELSE -((f.den - 2 * t.amount_minor * f.num) / (2 * f.den)) END),
       SUM(t.records), SUM(t.undisclosed), MAX(ABS(t.amount_minor) > f.largest)
FROM ({{rows}}) t LEFT JOIN temp.{FACTORS} f ON f.currency = t.currency AND f.day = t.day
GROUP BY t.group_key, t.kind
"""


STATISTICS_AFTER = 10_000  # rows written at once (an import, a rebuild) before the statistics are refreshed


_PER_CURRENCY = """
SELECT t.group_key, t.kind, t.currency, SUM(t.amount_minor), SUM(t.records), SUM(t.undisclosed)
FROM ({rows}) t GROUP BY t.group_key, t.kind, t.currency
"""


def supported() -> bool:
    return connection.vendor == "sqlite"


def refresh_statistics(rows_written: int) -> None:
    """ANALYZE the daily totals after a bulk write on SQLite. Without statistics SQLite walks the
    status index for a filtered summary (a lookup per row of the table); with them it skip-scans
    the unique key to the donors asked for (20× faster at 100k + 100k records)."""
    if supported() and rows_written >= STATISTICS_AFTER:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {LedgerTotal._meta.db_table}")


def _daily_rows(group_by: str, ledger_filter):
    queryset = ledger_filter.on_totals(LedgerTotal.objects.all()).annotate(group_key=group_expression(group_by))
    rows = queryset.values_list("group_key", "kind", "currency", "day", "amount_minor", "records", "undisclosed")
    sql, params = rows.query.sql_with_params()
    if ledger_filter == replace(WHOLE_LEDGER, status=ledger_filter.status):
        # Nearly every row has the status: reading the table straight through beats an index
        # walk with a lookup per row (SQLite takes the index when it has no statistics).
        sql = sql.replace(f'FROM "{LedgerTotal._meta.db_table}"', f'FROM "{LedgerTotal._meta.db_table}" NOT INDEXED', 1)
    return sql, params


def _factors(pairs, target: str, rates: Rates, result: Parts) -> list[tuple]:
    """(currency, day, num, den, largest amount that cannot overflow) per pair; each rate used
    disclosed in `result` once (stale if it is for its latest day). Raises MissingRate.

    Rates by publication, not by day: a factor is computed once per pair of publications."""
    days = {}
    pairs = [
        (currency, days.get(text) or days.setdefault(text, date.fromisoformat(text)), text) for currency, text in pairs
    ]
    book = rates.book_for(target, ((currency, day) for currency, day, _ in pairs))
    target_at = {}  # day -> the target's publication index (None for EUR, whose rate is 1)
    latest_use = {}  # (currency, publication index) -> the latest day it converts
    scaled = {}  # (currency, source index, target index) -> (num, den, largest)
    factors = []
    ratio = _Ratios(book)
    for currency, day, text in pairs:
        if day not in target_at:
            target_at[day] = None if target == BASE_CURRENCY else book.position(target, day)
        source_index = None if currency == BASE_CURRENCY else book.position(currency, day)
        target_index = target_at[day]
        for code, index in ((currency, source_index), (target, target_index)):
            if index is not None and latest_use.get((code, index), day) <= day:
                latest_use[code, index] = day
        key = (currency, source_index, target_index)
        if key not in scaled:
            scaled[key] = _factor(ratio(currency, source_index), ratio(target, target_index), currency, target)
        factors.append((currency, text, *scaled[key]))
    for (code, index), day in latest_use.items():
        result.disclose(book.quote_at(code, index, day))
    return factors


class _Ratios(dict):
    """A publication's rate as an integer ratio, once per publication (EUR, index None: 1/1)."""

    def __init__(self, book):
        super().__init__()
        self.book = book

    def __call__(self, currency: str, index: int | None) -> tuple[int, int]:
        if index is None:
            return 1, 1
        key = (currency, index)
        if key not in self:
            self[key] = self.book.rate_at(currency, index).as_integer_ratio()
        return self[key]


def _factor(source: tuple[int, int], goal: tuple[int, int], currency: str, target: str) -> tuple[int, int, int]:
    """value × r(target) / r(source), from the source's minor units to the target's, as a reduced
    fraction num/den, and the largest amount for which 2·a·num + den fits in SQLite's INTEGER."""
    (source_num, source_den), (goal_num, goal_den) = source, goal
    num, den = goal_num * source_den, goal_den * source_num
    shift = minor_units(target) - minor_units(currency)
    num, den = (num * 10**shift, den) if shift >= 0 else (num, den * 10**-shift)
    common = gcd(num, den)
    num, den = num // common, den // common
    return num, den, (LARGEST - den) // (2 * num)


def _create_factors(cursor) -> None:
    # Not remembered per connection: a transaction that rolls back takes a temporary table with it.
    # `day` declared as the totals' column is (a date): the same affinity, so the key is used.
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {FACTORS} (currency TEXT, day date, num INTEGER, den INTEGER,"
        " largest INTEGER, PRIMARY KEY (currency, day)) WITHOUT ROWID"
    )


def parts(group_by: str, target: str, rates: Rates, ledger_filter) -> Parts | None:
    if not supported():
        return None
    rows, params = _daily_rows(group_by, ledger_filter)
    if rates.mode != "transaction":
        return one_rate_parts(rows, params, group_by, target, rates)
    return rows_parts(rows, params, group_by, target, rates)


def rows_parts(rows: str, params, group_by: str, target: str, rates: Rates) -> Parts | None:
    """The parts of the daily rows `rows` selects (LedgerTotal's, or aid.summary.as_of_daily's)."""
    result = Parts()
    # One transaction: both statements read the same ledger, and the temporary rows are written
    # at once (in autocommit, SQLite would commit each row of the factors on its own).
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(_PAIRS.format(rows=rows), (*params, target))
        try:
            factors = _factors(cursor.fetchall(), target, rates, result)
        except MissingRate:
            return None
        _create_factors(cursor)
        cursor.executemany(f"INSERT OR REPLACE INTO temp.{FACTORS} VALUES (%s, %s, %s, %s, %s)", factors)
        try:
            cursor.execute(_PARTS.format(rows=rows), (target, *params))
            fetched = cursor.fetchall()
        except OperationalError:  # a sum past 64 bits ("integer overflow"): the exact path adds in Python
            return None
        finally:
            # Left empty, so the next answer needs no DELETE first (and every pair it joins, it replaces).
            cursor.execute(f"DELETE FROM temp.{FACTORS}")
    if any(overflows for *_, overflows in fetched):
        return None
    units = minor_units(target)
    for group_key, kind, converted, records, undisclosed, _ in fetched:
        value = Decimal(int(converted or 0)).scaleb(-units)
        result.add(key_value(group_by, group_key), kind, value, int(records), int(undisclosed))
    return result


def one_rate_parts(rows: str, params, group_by: str, target: str, rates: Rates) -> Parts:
    """A fixed day or `latest`: one rate per currency, so a part is all of a currency in a group
    (a few rows, summed in SQL over the same selection), converted by the exact path's code."""
    with connection.cursor() as cursor:
        cursor.execute(_PER_CURRENCY.format(rows=rows), params)
        fetched = cursor.fetchall()
    names = ("group_key", "kind", "currency", "amount_minor", "records", "undisclosed")
    return exact.convert_rows([dict(zip(names, row, strict=True)) for row in fetched], group_by, target, rates)
