"""The conversion of ledger.conversion in SQL, for PostgreSQL's fast paths and the rollup.

A daily total row `t` (amount in minor units, currency, day) converted into a target `tg`
with `rates=transaction`: the rates of the row's own day from ledger_dailyrate (which holds,
for every day, the publication of that day or the latest before it: the rule of
`ledger.conversion.Rates`), `value × r(target) / r(source)` in exact NUMERIC, rounded half up
to the target's minor unit once per row: the same part, rounded the same way, as the exact
Python path (tests/test_summary_paths.py and `rebuild_totals --verify` compare them).
An amount already in the target currency needs no rate.

The rounding is integer arithmetic: in the target's minor units the value is the fraction
n / d = amount_minor × r(target) × 10^target_units / (r(source) × 10^source_units), and half up
(away from zero, as Decimal's ROUND_HALF_UP) is sign(n) × div(2|n| + d, 2d), exact whatever the
digits (`div` truncates exactly). It gives what rounding the quotient at 24 decimals gave (a
fraction with a denominator below 10^13 is 0 or at least 10^-13 away from a half), at half the
cost: one exact integer division instead of two divisions at 24 decimals, a round and a product.
"""

from django.db import connections, transaction

from ledger.currencies import MINOR_UNITS

# For a converting statement only (run inside a transaction: the settings end with it), as a DBA
# would run it: a whole-ledger question converts ~860,000 daily rows (or groups 580,000 monthly
# ones) at 1M + 1M records, enough for PostgreSQL to JIT-compile it (hundreds of ms, more than it
# saves), and its hashes and sorts outgrow the default 4 MB work_mem (they spilled to disk).
STATEMENT_SETTINGS = "SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)"


def fetch_converting(alias: str, sql: str, params) -> list[tuple]:
    """The rows of a converting statement, run with STATEMENT_SETTINGS in a transaction of its own."""
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute(STATEMENT_SETTINGS)
        cursor.execute(sql, params)
        return cursor.fetchall()


def unit_row(code: str, placeholder: bool = False) -> str:
    """A VALUES row (code, minor units, 10^units) of a currency (`placeholder`: the code as %s)."""
    units = MINOR_UNITS[code]
    return f"({'%s' if placeholder else repr(code)}, {units}, {10**units})"


def units_values(codes) -> str:
    return ", ".join(unit_row(code) for code in sorted(codes))


def rate_joins(targets: str, *, bounded: bool = False) -> str:
    """The joins that give `t` its target `tg` (`targets`: VALUES rows of `unit_row`), the source's minor units `su` and both rates of t's day (`sr`, `tr`).

    `bounded`: two more placeholders pairs, the first and last day of t, so that PostgreSQL reads
    only those days of the rate table (it does not carry t's day range over the join by itself,
    and hashed every rate since 1999 for a few months of records)."""
    return f"CROSS JOIN (VALUES {targets}) AS tg(code, units, scale)\n{day_rate_joins(bounded=bounded)}"


def day_rate_joins(*, bounded: bool = False) -> str:
    """rate_joins without the targets: for a caller whose rows name their own target `tg`."""
    days = " AND {rate}.day BETWEEN %s AND %s" if bounded else ""
    return f"""LEFT JOIN (VALUES {units_values(MINOR_UNITS)}) AS su(code, units, scale) ON su.code = t.currency
LEFT JOIN ledger_dailyrate sr ON sr.currency = t.currency AND sr.day = t.day{days.format(rate="sr")}
LEFT JOIN ledger_dailyrate tr ON tr.currency = tg.code AND tr.day = t.day{days.format(rate="tr")}"""


def missing_rate(code: str = "tg.code", rate: str = "tr.rate") -> str:
    """True for a row that needs a rate the daily table does not hold (the exact path names it).

    `code` and `rate`: SQL for the target's code and its rate of t's day (a literal code and
    its own join's rate where one row is converted into several targets side by side)."""
    return (
        f"t.currency <> '' AND t.currency <> {code}"
        f" AND ((t.currency <> 'EUR' AND sr.rate IS NULL) OR ({code} <> 'EUR' AND {rate} IS NULL))"
    )


def converted_minor(
    code: str = "tg.code", scale: str = "tg.scale", rate: str = "tr.rate", amount: str = "t.amount_minor"
) -> str:
    """The row's converted amount in the target's minor units (0 for an undisclosed amount).
    `amount`: the column converted (t's amount, or another amount of the same currency and day)."""
    return f"""CASE WHEN t.currency = '' THEN 0
     WHEN t.currency = {code} THEN {amount}
     ELSE sign({amount}::numeric) * div(
            2 * abs({amount}) * COALESCE({rate}, 1) * {scale} + COALESCE(sr.rate, 1) * su.scale,
            2 * COALESCE(sr.rate, 1) * su.scale) END"""


MISSING_RATE = missing_rate()
CONVERTED_MINOR = converted_minor()
