"""Keeping ConvertedTotal (PostgreSQL only) equal to LedgerTotal converted into the fast targets
(SUMMARY_FAST_CURRENCIES and those held on demand, aid.summary.held_targets).

Every write refreshes the (key, month) rows it touched, in its own transaction; a bulk import
defers the refresh to the end of its transaction (`deferred()`), and adds the daily totals it
wrote set-wise as differences (`add_daily`); new rates refresh the months from their first day
on. On SQLite this module does nothing and the summary uses its own SQL path.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, transaction

from aid import staging, writelock
from aid.models import ConvertedTotal, DonorMonthTotal, HeldTarget, Kind, PackageTotal, ProgrammeMonthTotal, Status
from aid.phases import phase
from aid.staging import analyze, copy_rows, temp_table
from aid.summary.conversion_sql import (
    CONVERTED_MINOR,
    MISSING_RATE,
    converted_minor,
    missing_rate,
    rate_joins,
    units_values,
)
from ledger import daily
from ledger.currencies import BASE_CURRENCY, MINOR_UNITS


@dataclass
class _Deferred:
    keys: set = field(default_factory=set)  # (key, month) rows to recompute at the end
    added: int = 0  # (key, month) rows add_daily changed already


_pending: ContextVar[_Deferred | None] = ContextVar("rollup_pending", default=None)

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


def configured_targets() -> list[str]:
    return list(dict.fromkeys(["EUR", *settings.SUMMARY_FAST_CURRENCIES]))


def fast_targets(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The targets the rollup holds: the configured ones and those held on demand (HeldTarget).

    A writer reads them after taking the write lock (aid.summary.held_targets marks a target
    held under it, and only if no write came since its rows were built), so every write keeps
    every target held before it; a reader reads them where it reads the rollup (a replica has a
    target's rows exactly when it has its HeldTarget)."""
    held = HeldTarget.objects.using(using).order_by("code").values_list("code", flat=True)
    return list(dict.fromkeys([*configured_targets(), *held]))


CONVERTED_KEY = ("target", *KEY_NAMES, "month")
CONVERTED_VALUES = ("amount_minor", "converted_minor", "records", "undisclosed", "days_mask")


def insert_sql(where: str, targets: list[str] | None = None, *, keys: str = "") -> str:
    """Recompute the rows selected by `where` (over aid_ledgertotal t, joined with `keys`) for
    `targets` (every held one)."""
    columns = ", ".join((*CONVERTED_KEY, *CONVERTED_VALUES))
    return f"INSERT INTO aid_convertedtotal ({columns}) {_rows_sql(where, targets, keys=keys)}"


def _rows_sql(where: str, targets: list[str] | None = None, *, keys: str = "") -> str:
    """The converted rows of the daily totals selected by `where` (joined with `keys`), in
    CONVERTED_KEY + CONVERTED_VALUES, for `targets` (default: every target the rollup holds).

    The targets are converted side by side, a column each (`c0`, `m0`, …: converted, missing),
    and the rows grouped once, then fanned out a row per target: grouping the daily rows crossed
    with the targets hashed three times as many rows on eight text keys (16 of 20 s at 100k +
    100k records).
    """
    targets = targets or fast_targets()
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
    FROM aid_ledgertotal t {keys}
    LEFT JOIN (VALUES {units_values(MINOR_UNITS)}) AS su(code, units, scale) ON su.code = t.currency
    LEFT JOIN ledger_dailyrate sr ON sr.currency = t.currency AND sr.day = t.day
    {" ".join(joins)}
    WHERE {where}
    GROUP BY {T_KEY_COLUMNS}, 7
) g CROSS JOIN LATERAL (VALUES {", ".join(fan)}) AS tg(code, converted, missing)
"""


# The figures of rollup rows summed into one narrow row (`a`: the rows' alias and a dot, or '').
_SUMMED = """SUM({a}amount_minor) AS amount_minor,
       CASE WHEN bool_or({a}converted_minor IS NULL) THEN NULL ELSE SUM({a}converted_minor)::bigint END AS converted_minor,
       SUM({a}records) AS records, SUM({a}undisclosed) AS undisclosed, bit_or({a}days_mask) AS days_mask"""


@dataclass(frozen=True)
class Narrow:
    """A narrow form of the rollup: aid_convertedtotal summed over the keys it leaves out, so a
    question that names none of those reads fewer rows (aid.summary.fast_monthly)."""

    model: type
    key: tuple[str, ...]  # target, kind, status, ..., currency[, month]

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @property
    def columns(self) -> str:
        return ", ".join(self.key)

    @property
    def by_month(self) -> bool:
        return "month" in self.key

    @property
    def refreshed_by(self) -> tuple[str, ...]:
        """The columns that pick every rollup row one of its rows sums, in any target: a changed
        rollup row changes the narrow rows sharing these. All of its key but the target: an
        edit in no package recomputes its (kind, programme, currency)'s package rows, not every
        row of the programme's records in no package (0.54 s an edit at 1M + 1M)."""
        return tuple(name for name in self.key if name != "target")

    def rows_sql(self, where: str, *, keys: str = "") -> str:
        """Its rows recomputed from the rollup rows `c` selected by `where` (joined with `keys`),
        in key + CONVERTED_VALUES order."""
        return f"""
SELECT {", ".join(f"c.{name}" for name in self.key)}, {_SUMMED.format(a="c.")}
FROM aid_convertedtotal c {keys}
WHERE {where}
GROUP BY {", ".join(f"c.{name}" for name in self.key)}
"""

    def insert_sql(self, where: str, *, keys: str = "") -> str:
        return f"INSERT INTO {self.table} ({self.columns}, {', '.join(CONVERTED_VALUES)}) {self.rows_sql(where, keys=keys)}"


# Without programme and package (a summary by donor, year or month), without package, and
# without donor and month (a summary by package of the whole ledger).
NARROWS = (
    Narrow(DonorMonthTotal, ("target", "kind", "status", "donor", "currency", "month")),
    Narrow(ProgrammeMonthTotal, ("target", "kind", "status", "donor", "programme", "currency", "month")),
    Narrow(PackageTotal, ("target", "kind", "status", "programme", "package", "currency")),
)


def insert_narrow(cursor, where: str, params, *, keys: str = "", narrows=NARROWS) -> None:
    """Recompute the narrow forms' rows of the rollup rows `c` selected by `where`."""
    for narrow in narrows:
        cursor.execute(narrow.insert_sql(where, keys=keys), params)


def delete_narrow(cursor, where: str, params, *, narrows=NARROWS) -> None:
    """Delete the narrow forms' rows selected by `where` (over their own columns)."""
    for narrow in narrows:
        cursor.execute(f"DELETE FROM {narrow.table} WHERE {where}", params)


def refresh_narrow(cursor, changed: str, params=(), *, narrows=NARROWS) -> None:
    """Recompute the narrow forms' rows that sum a rollup row `changed` selects (a SELECT of the
    columns they are refreshed by), for every held target (`target = ANY`: the indexes lead with
    the target, so each key is a few index probes)."""
    targets = [fast_targets()]
    for narrow in narrows:
        columns = ", ".join(narrow.refreshed_by)
        keys = f"(SELECT DISTINCT {columns} FROM ({changed}) changed) k"
        same = " AND ".join(f"n.{name} = k.{name}" for name in narrow.refreshed_by)
        cursor.execute(
            f"DELETE FROM {narrow.table} n USING {keys} WHERE n.target = ANY(%s) AND {same}", [*params, *targets]
        )
        cursor.execute(
            narrow.insert_sql("c.target = ANY(%s)", keys=f"JOIN {keys} USING ({columns})"), [*params, *targets]
        )


def _refresh_keys(keys: set[tuple]) -> None:
    """keys: (kind, status, donor, programme, package, currency, month).

    The keys go into a temporary table joined by equality and a day range, which the
    unique index of aid_ledgertotal serves (a row-value IN list over date_trunc had no index
    and re-read the whole table per chunk: minutes at 1M records). A join, not EXISTS: for a
    semi-join PostgreSQL hashed the keys and read all 1.36M daily rows (0.7 s for one edit at
    1M + 1M), where each key is a range of the index (1 ms); the keys are a set, so no daily row
    joins twice. The range's end is a date: `date + interval` is a timestamp, which the index on
    the day cannot compare with.
    """
    if not keys:
        return
    with connection.cursor() as cursor:
        temp_table(cursor, "rollup_keys", ROLLUP_KEY_TYPES)
        copy_rows(cursor, "rollup_keys", (*KEY_NAMES, "month"), sorted(keys))
        analyze(cursor, "rollup_keys")
        same_key = " AND ".join(f"k.{name} = {{t}}.{name}" for name in KEY_NAMES)
        cursor.execute(  # `target = ANY`: the unique index leads with the target (without it, 55 ms a key)
            f"DELETE FROM aid_convertedtotal c USING rollup_keys k "
            f"WHERE c.target = ANY(%s) AND {same_key.format(t='c')} AND k.month = c.month",
            [fast_targets()],
        )
        month = "t.day >= k.month AND t.day < (k.month + interval '1 month')::date"
        cursor.execute(insert_sql("TRUE", keys=f"JOIN rollup_keys k ON {same_key.format(t='t')} AND {month}"))
        refresh_narrow(cursor, "SELECT * FROM rollup_keys")
        cursor.execute("DROP TABLE rollup_keys")


# A bulk write touching this many (key, month) rows leaves the planner's statistics of the totals
# stale (or absent: autovacuum may be off, or not yet round); the summary's aggregates were then
# planned for a handful of rows (sorts spilling to disk instead of a hash). A summary never
# analyzes; the write that changed the tables does, once.
FRESH_STATISTICS_AFTER = 1000


def analyze_totals() -> None:
    """Fresh statistics for every pre-aggregate after a bulk write: the daily totals, the qualifier
    counts beside them and the rollup (planned as nearly empty, the overview's counts for PURL
    sorted 57,000 rows on disk: 177 ms, 33 ms once analyzed)."""
    if not daily.supported():
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE aid_ledgertotal")
        cursor.execute("ANALYZE aid_qualifiedcount")
    analyze_rollup()


def analyze_rollup() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE aid_convertedtotal")
        for narrow in NARROWS:
            cursor.execute(f"ANALYZE {narrow.table}")


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
        pending.keys.update(keys)
    else:
        _refresh_keys(keys)


def _same(columns, left: str, right: str) -> str:
    return " AND ".join(f"{left}.{name} = {right}.{name}" for name in columns)


def add_daily(cursor, table: str) -> None:
    """Add to the rollup what was just added to aid_ledgertotal: `table` holds, per daily key
    (kind, status, donor, programme, package, currency, day), the amount_minor, records and
    undisclosed added (a bulk import's new rows) and the day_total the key's row holds now
    (null: a new row, holding what was added). Inside deferred() only.

    A month's converted figure is the sum of its days' rounded conversions, so a day that grew
    changes it by conversion(new day total) - conversion(old day total): only the days the
    import touched are read, where recomputing their months re-read every day of them (13-18 s
    of a 100,000-row import into a 1M + 1M ledger). A month already without a rate for some day
    stays without (null); a touched day without a rate makes it so.
    """
    pending = _pending.get()
    if pending is None:
        raise RuntimeError("rollup.add_daily runs inside rollup.deferred()")
    if not daily.supported():
        return
    targets = fast_targets()  # one query, read under the import's write lock
    old = converted_minor(amount="t.old_minor")  # the day total before the import
    cursor.execute(
        f"""CREATE TEMPORARY TABLE rollup_added AS
SELECT tg.code AS target, t.kind, t.status, t.donor, t.programme, t.package, t.currency,
       date_trunc('month', t.day)::date AS month, SUM(t.added_minor) AS amount_minor,
       CASE WHEN bool_or({MISSING_RATE}) THEN NULL ELSE SUM(({CONVERTED_MINOR}) - ({old}))::bigint END AS converted_minor,
       SUM(t.added_records) AS records, SUM(t.added_undisclosed) AS undisclosed,
       bit_or(1 << (extract(day FROM t.day)::int - 1)) AS days_mask
FROM (SELECT n.kind, n.status, n.donor, n.programme, n.package, n.currency, n.day,
             COALESCE(n.day_total, n.amount_minor) AS amount_minor,
             COALESCE(n.day_total, n.amount_minor) - n.amount_minor AS old_minor, n.amount_minor AS added_minor,
             n.records AS added_records, n.undisclosed AS added_undisclosed
      FROM {table} n) t
{rate_joins(units_values(targets))}
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8"""
    )
    analyze(cursor, "rollup_added")
    changed = _add_rows(cursor, "rollup_added", "aid_convertedtotal", ("target", *KEY_NAMES, "month"))
    pending.added += changed // len(targets)
    for narrow in NARROWS:
        cursor.execute(
            f"CREATE TEMPORARY TABLE narrow_added AS "
            f"SELECT {narrow.columns}, {_SUMMED.format(a='')} FROM rollup_added GROUP BY {narrow.columns}"
        )
        _add_rows(cursor, "narrow_added", narrow.table, narrow.key)
        cursor.execute("DROP TABLE narrow_added")
    cursor.execute("DROP TABLE rollup_added")


def _add_rows(cursor, added: str, table: str, key: tuple[str, ...]) -> int:
    """Add the rows of `added` (one per key) to the rows of `table` with the same `key`, inserting
    those it lacks; returns how many rows changed or were added.

    One upsert through the key's unique index: an UPDATE joined to the table, then an INSERT of
    the keys it lacked, each hashed the whole rollup (3M rows at 1M + 1M, five targets) to touch
    the 78,000 rows an import of 30,000 records adds to (the batch planner forbids the nested
    loop, which the planner misjudges on these seven-column keys: 107 s when allowed)."""
    columns = f"{', '.join(key)}, amount_minor, converted_minor, records, undisclosed, days_mask"
    cursor.execute(  # null + a number is null: a month without a rate stays so
        f"INSERT INTO {table} AS c ({columns}) SELECT {columns} FROM {added} "
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET amount_minor = c.amount_minor + excluded.amount_minor, "
        "converted_minor = c.converted_minor + excluded.converted_minor, records = c.records + excluded.records, "
        "undisclosed = c.undisclosed + excluded.undisclosed, days_mask = c.days_mask | excluded.days_mask"
    )
    return cursor.rowcount


@contextmanager
def deferred():
    """Collect the keys touched inside (a bulk import) and refresh them once, before leaving."""
    if _pending.get() is not None:
        yield
        return
    token = _pending.set(_Deferred())
    try:
        yield
        if daily.supported():
            pending = _pending.get()
            with phase("rollup refresh"):
                _refresh_keys(pending.keys)
            if len(pending.keys) + pending.added >= FRESH_STATISTICS_AFTER:
                with phase("analyze totals"):
                    analyze_totals()
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
        monthly = [narrow for narrow in NARROWS if narrow.by_month]
        without_months = [narrow for narrow in NARROWS if not narrow.by_month]
        for narrow in without_months:
            _converted_of_months(cursor, narrow, "rates_removed", month)
        cursor.execute("DELETE FROM aid_convertedtotal WHERE month >= %s", [month])
        cursor.execute(insert_sql("t.day >= %s"), [month])
        delete_narrow(cursor, "month >= %s", [month], narrows=monthly)
        insert_narrow(cursor, "c.month >= %s", [month], narrows=monthly)
        for narrow in without_months:
            _shift_converted(cursor, narrow, month)


def _converted_of_months(cursor, narrow: "Narrow", table: str, month: date) -> None:
    """Per row of a narrow form without months, the converted sum of its rollup rows from
    `month` on (and whether one of them lacked a rate), into the temporary `table`."""
    cursor.execute(
        f"CREATE TEMPORARY TABLE {table} AS SELECT {narrow.columns}, SUM(converted_minor)::bigint AS converted_minor, "
        f"bool_or(converted_minor IS NULL) AS missing FROM aid_convertedtotal "
        # Each (target, status) a range of the (target, status, month) index, not the whole rollup.
        f"WHERE target = ANY(%s) AND status = ANY(%s) AND month >= %s GROUP BY {narrow.columns}",
        [fast_targets(), list(Status.values), month],
    )
    analyze(cursor, table)  # joined to the narrow rows next: planned for what it holds


def _shift_converted(cursor, narrow: "Narrow", month: date) -> None:
    """New rates from `month` on, for a narrow form without months (PackageTotal): its rows sum
    every month, so recomputing those a package touched from `month` on re-read all of their
    months (41 s for a rate corrected in the newest month at 1M + 1M). New rates change only the
    converted figures: each row moves by what its months from `month` on convert to now minus
    what they converted to before (rows whose figure stays are not written). A month now lacking
    a rate makes the row unknown (null); a row whose months from `month` on lacked a rate and
    no longer do is recomputed from the rollup (a null cannot be subtracted)."""
    _converted_of_months(cursor, narrow, "rates_added", month)
    same, changes = _same(narrow.key, "n", "r"), f"FROM rates_removed r JOIN rates_added a USING ({narrow.columns})"
    cursor.execute(
        f"UPDATE {narrow.table} n SET converted_minor = n.converted_minor - r.converted_minor + a.converted_minor "
        f"{changes} WHERE {same} AND NOT r.missing AND NOT a.missing AND r.converted_minor <> a.converted_minor "
        "AND n.converted_minor IS NOT NULL"
    )
    cursor.execute(
        f"UPDATE {narrow.table} n SET converted_minor = NULL {changes} "
        f"WHERE {same} AND a.missing AND n.converted_minor IS NOT NULL"
    )
    cursor.execute(  # kept apart: recomputing them deletes the rows this selection reads
        f"CREATE TEMPORARY TABLE rates_lacking AS SELECT r.* {changes} WHERE r.missing AND NOT a.missing"
    )
    refresh_narrow(cursor, "SELECT * FROM rates_lacking", narrows=[narrow])
    cursor.execute("DROP TABLE rates_removed, rates_added, rates_lacking")


@transaction.atomic
def rebuild() -> None:
    if not daily.supported():
        return
    writelock.take()
    with connection.cursor() as cursor, staging.batch_planner(cursor, staging.HASH_JOIN_ROWS):
        staging.make_equal(cursor, ConvertedTotal, CONVERTED_KEY, CONVERTED_VALUES, _rows_sql("TRUE"), [])
        for narrow in NARROWS:
            staging.make_equal(cursor, narrow.model, narrow.key, CONVERTED_VALUES, narrow.rows_sql("TRUE"), [])


def differences() -> list[str]:
    """Rows that differ from a fresh recomputation (empty when exact): the rollup from the daily
    totals, the narrow rows from the rollup."""
    if not daily.supported():
        return []
    values = "amount_minor, converted_minor, records, undisclosed, days_mask"
    rollup = _differing("aid_convertedtotal", f"target, {KEY_COLUMNS}, month, {values}", _rows_sql("TRUE"))
    differing = [f"converted total differs: {row}" for row in rollup]
    for narrow in NARROWS:
        rows = _differing(narrow.table, f"{narrow.columns}, {values}", narrow.rows_sql("TRUE"))
        differing += [f"{narrow.model._meta.verbose_name} differs: {row}" for row in rows]
    return differing


def _differing(table: str, columns: str, rows_sql: str) -> list[tuple]:
    """The rows of `table` and of its recomputation (`rows_sql`, into a copy) that only one holds."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE expected_rows AS SELECT {columns} FROM {table} WITH NO DATA")
        cursor.execute(f"INSERT INTO expected_rows ({columns}) {rows_sql}")
        cursor.execute(
            f"(SELECT {columns} FROM {table} EXCEPT SELECT {columns} FROM expected_rows) "
            f"UNION ALL (SELECT {columns} FROM expected_rows EXCEPT SELECT {columns} FROM {table})"
        )
        rows = cursor.fetchall()
        cursor.execute("DROP TABLE expected_rows")
    return rows
