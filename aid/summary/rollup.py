"""Keeping ConvertedTotal (PostgreSQL only) equal to LedgerTotal converted into the fast targets.

Every write refreshes the (key, month) rows it touched, in its own transaction; a bulk import
defers the refresh to the end of its transaction (`deferred()`); new rates refresh the months
from their first day on. On SQLite this module does nothing and the summary uses the exact
Python path.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from django.conf import settings
from django.db import connection, transaction

from aid import staging, writelock
from aid.models import ConvertedTotal, Kind, Status
from aid.staging import analyze, copy_rows, temp_table
from aid.summary.conversion_sql import converted_minor, missing_rate, units_values
from ledger import daily
from ledger.currencies import BASE_CURRENCY, MINOR_UNITS

_pending: ContextVar[set | None] = ContextVar("rollup_pending", default=None)

KEY_COLUMNS = "kind, status, donor, programme, package, currency"
KEY_NAMES = tuple(column.strip() for column in KEY_COLUMNS.split(","))
ROLLUP_KEY_TYPES = tuple(
    zip(
        (*KEY_NAMES, "month"),
        ("varchar(8)", "varchar(10)", "varchar(2)", "varchar(20)", "varchar(40)", "varchar(3)", "date"),
        strict=True,
    )
)
T_KEY_COLUMNS = ", ".join(f"t.{column.strip()}" for column in KEY_COLUMNS.split(","))


def fast_targets() -> list[str]:
    return list(dict.fromkeys(["EUR", *settings.SUMMARY_FAST_CURRENCIES]))


CONVERTED_KEY = ("target", *KEY_NAMES, "month")
CONVERTED_VALUES = ("amount_minor", "converted_minor", "records", "undisclosed", "days_mask")


def _insert_sql(where: str) -> str:
    """Recompute the rows selected by `where` (over aid_ledgertotal t) for every fast target."""
    return f"INSERT INTO aid_convertedtotal ({', '.join((*CONVERTED_KEY, *CONVERTED_VALUES))}) {_rows_sql(where)}"


def _rows_sql(where: str) -> str:
    """The converted rows of the daily totals selected by `where`, in CONVERTED_KEY + CONVERTED_VALUES.

    The targets are converted side by side, a column each (`c0`, `m0`, …: converted, missing),
    and the rows grouped once, then fanned out a row per target: grouping the daily rows crossed
    with the targets hashed three times as many rows on eight text keys (16 of 20 s at 100k +
    100k records).
    """
    targets = fast_targets()
    columns, joins, fan = [], [], []
    for n, code in enumerate(targets):
        rate = "NULL::numeric" if code == BASE_CURRENCY else f"tr{n}.rate"
        if code != BASE_CURRENCY:
            joins.append(f"LEFT JOIN ledger_dailyrate tr{n} ON tr{n}.currency = '{code}' AND tr{n}.day = t.day")
        scale = 10 ** MINOR_UNITS[code]
        columns.append(
            f"bool_or({missing_rate(repr(code), rate)}) AS m{n}, SUM({converted_minor(repr(code), str(scale), rate)}) AS c{n}"
        )
        fan.append(f"('{code}', g.c{n}, g.m{n})")
    return f"""
SELECT tg.code, g.kind, g.status, g.donor, g.programme, g.package, g.currency, g.month, g.amount_minor,
       CASE WHEN tg.missing THEN NULL ELSE tg.converted::bigint END, g.records, g.undisclosed, g.days_mask
FROM (
    SELECT {T_KEY_COLUMNS}, date_trunc('month', t.day)::date AS month, SUM(t.amount_minor) AS amount_minor,
           SUM(t.records) AS records, SUM(t.undisclosed) AS undisclosed,
           bit_or(1 << (extract(day FROM t.day)::int - 1)) AS days_mask, {", ".join(columns)}
    FROM aid_ledgertotal t
    LEFT JOIN (VALUES {units_values(MINOR_UNITS)}) AS su(code, units, scale) ON su.code = t.currency
    LEFT JOIN ledger_dailyrate sr ON sr.currency = t.currency AND sr.day = t.day
    {" ".join(joins)}
    WHERE {where}
    GROUP BY {T_KEY_COLUMNS}, 7
) g CROSS JOIN LATERAL (VALUES {", ".join(fan)}) AS tg(code, converted, missing)
"""


def _refresh_keys(keys: set[tuple]) -> None:
    """keys: (kind, status, donor, programme, package, currency, month).

    The keys go into a temporary table joined by equality and a day range, which the
    unique index of aid_ledgertotal serves (a row-value IN list over date_trunc had no index
    and re-read the whole table per chunk: minutes at 1M records).
    """
    if not keys:
        return
    with connection.cursor() as cursor:
        temp_table(cursor, "rollup_keys", ROLLUP_KEY_TYPES)
        copy_rows(cursor, "rollup_keys", (*KEY_NAMES, "month"), sorted(keys))
        analyze(cursor, "rollup_keys")
        same_key = " AND ".join(f"k.{name} = {{t}}.{name}" for name in KEY_NAMES)
        cursor.execute(
            f"DELETE FROM aid_convertedtotal c USING rollup_keys k WHERE {same_key.format(t='c')} AND k.month = c.month"
        )
        cursor.execute(
            _insert_sql(
                f"EXISTS (SELECT 1 FROM rollup_keys k WHERE {same_key.format(t='t')} "
                f"AND t.day >= k.month AND t.day < (k.month + interval '1 month'))"
            )
        )
        cursor.execute("DROP TABLE rollup_keys")


# A bulk write touching this many (key, month) rows leaves the planner's statistics of the totals
# stale (or absent: autovacuum may be off, or not yet round); the summary's aggregates were then
# planned for a handful of rows (sorts spilling to disk instead of a hash). A summary never
# analyzes; the write that changed the tables does, once.
FRESH_STATISTICS_AFTER = 1000


def _analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE aid_ledgertotal")
        cursor.execute("ANALYZE aid_convertedtotal")


def touch(contributions) -> None:
    """Refresh the rows of these totals.Contribution keys now, or at the end of deferred()."""
    if not daily.supported():
        return
    keys = {
        (c.kind, c.status, c.donor, c.programme, c.package, c.currency, c.day.replace(day=1))
        for c in contributions
        if c
    }
    pending = _pending.get()
    if pending is not None:
        pending.update(keys)
    else:
        _refresh_keys(keys)


@contextmanager
def deferred():
    """Collect the keys touched inside (a bulk import) and refresh them once, before leaving."""
    if _pending.get() is not None:
        yield
        return
    token = _pending.set(set())
    try:
        yield
        if daily.supported():
            keys = _pending.get()
            _refresh_keys(keys)
            if len(keys) >= FRESH_STATISTICS_AFTER:
                _analyze()
    finally:
        _pending.reset(token)


def _newest_day(cursor):
    """The newest day of any daily total, read from the (status, kind, day) index: one probe per pair."""
    newest = " UNION ALL ".join(
        f"(SELECT day FROM aid_ledgertotal WHERE status = '{status}' AND kind = '{kind}' ORDER BY day DESC LIMIT 1)"
        for status in Status.values
        for kind in Kind.values
    )
    cursor.execute(f"SELECT max(day) FROM ({newest}) newest")
    return cursor.fetchone()[0]


@transaction.atomic
def refresh_from(day: date, currencies=None) -> None:
    """New or changed rates from `day` on: recompute every month from day's month on.

    Every target's row mixes currencies, so the months are recomputed whatever `currencies` changed.
    Only totals dated `day` or later convert with the changed rates: when none is (a new ECB day
    after the newest record, the daily case), nothing converted changes.
    """
    if not daily.supported():
        return
    writelock.take()  # a rate arriving during an import waits, instead of deadlocking on the rows
    month = day.replace(day=1)
    with connection.cursor() as cursor:
        newest = _newest_day(cursor)
        if newest is None or newest < day:
            return
        cursor.execute("DELETE FROM aid_convertedtotal WHERE month >= %s", [month])
        cursor.execute(_insert_sql("t.day >= %s"), [month])


@transaction.atomic
def rebuild() -> None:
    if not daily.supported():
        return
    writelock.take()
    with connection.cursor() as cursor, staging.batch_planner(cursor, staging.HASH_JOIN_ROWS):
        staging.make_equal(cursor, ConvertedTotal, CONVERTED_KEY, CONVERTED_VALUES, _rows_sql("TRUE"), [])


def differences() -> list[str]:
    """Rows that differ from a fresh recomputation (empty when exact)."""
    if not daily.supported():
        return []
    columns = f"target, {KEY_COLUMNS}, month, amount_minor, converted_minor, records, undisclosed, days_mask"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE expected_converted AS SELECT {columns} FROM aid_convertedtotal WITH NO DATA")
        cursor.execute(f"INSERT INTO expected_converted ({columns}) {_rows_sql('TRUE')}")
        cursor.execute(
            f"(SELECT {columns} FROM aid_convertedtotal EXCEPT SELECT {columns} FROM expected_converted) "
            f"UNION ALL (SELECT {columns} FROM expected_converted EXCEPT SELECT {columns} FROM aid_convertedtotal)"
        )
        rows = cursor.fetchall()
        cursor.execute("DROP TABLE expected_converted")
    return [f"converted total differs: {row}" for row in rows]
