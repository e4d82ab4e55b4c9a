"""PostgreSQL's path for `rates=transaction` where the monthly rollup cannot answer: a target
it does not hold (yet: see aid.summary.held_targets) or dates that cut a month (for a fast target, only
the days of the cut months: the whole months between come from the monthly rows).

One statement over the daily LedgerTotal rows, each converted at its own day's rate from the
daily rate table with the rollup's conversion (aid.summary.conversion_sql), so a part is the
same daily row, rounded the same way, as on the exact Python path. Returns None (the exact
path answers, naming the currency and day) when an amount has no rate in the daily table.
"""

from datetime import date
from decimal import Decimal

from django.db import router

from aid.models import LedgerTotal
from aid.summary import fast_monthly, held_targets, one_rate, rollup
from aid.summary.conversion_sql import CONVERTED_MINOR, MISSING_RATE, fetch_converting, rate_joins, unit_row
from aid.summary.parts import Parts, group_expression, key_value
from aid.summary.rate_days import RateDays
from ledger import daily
from ledger.currencies import minor_units

_PARTS = """
SELECT t.group_key, t.kind, SUM({converted})::bigint, SUM(t.records), SUM(t.undisclosed), bool_or({missing})
FROM ({rows}) t
{joins}
GROUP BY t.group_key, t.kind
"""


# The parts and, in the same scan, the days each currency has amounts on per month (as the
# rollup's day masks hold them), for rows no rollup holds (aid.summary.as_of_daily).
_PARTS_AND_DAYS = """
SELECT GROUPING(t.group_key, t.kind) = 0, t.group_key, t.kind, SUM({converted})::bigint, SUM(t.records),
       SUM(t.undisclosed), t.currency, bool_or({missing}), date_trunc('month', t.day)::date,
       bit_or(1 << (extract(day FROM t.day)::int - 1))
FROM ({rows}) t
{joins}
GROUP BY GROUPING SETS ((t.group_key, t.kind), (t.currency, date_trunc('month', t.day)::date))
"""


def _daily_rows(group_by: str, ledger_filter):
    queryset = ledger_filter.on_totals(LedgerTotal.objects.all()).annotate(group_key=group_expression(group_by))
    rows = queryset.values("group_key", "kind", "currency", "day", "amount_minor", "records", "undisclosed")
    return rows.query.sql_with_params()


def parts(group_by: str, target: str, rates, ledger_filter):
    if not daily.supported():
        return None
    if rates.mode != "transaction":  # dates cutting a month (whole months: fast_monthly's rollup rows)
        return one_rate.parts(*_daily_rows(group_by, ledger_filter), group_by, target, rates)
    alias = router.db_for_read(LedgerTotal)  # a replica, for a reader
    held = target in rollup.fast_targets(alias)
    whole, cut = fast_monthly.month_split(ledger_filter) if held else (None, [ledger_filter])
    result = Parts()
    pieces = [fast_monthly.transaction_parts(group_by, target, whole)] if whole else []
    pieces += [_daily_parts(group_by, target, days) for days in cut]
    if any(piece is None for piece in pieces):
        return None  # a day without its rate: the exact path names it
    for piece in pieces:
        result.merge(piece)
    fast_monthly.disclose_transaction_rates(result, target, ledger_filter)
    if not held:
        held_targets.ask(target, alias)  # the next summary in it reads the monthly rows
    return result


def _daily_parts(group_by: str, target: str, ledger_filter) -> Parts | None:
    rows, params = _daily_rows(group_by, ledger_filter)
    return rows_parts(rows, params, group_by, target, ledger_filter, disclose=False)  # parts() discloses once


def rows_parts(rows: str, params, group_by: str, target: str, ledger_filter, *, disclose: bool = True):
    """The parts of daily rows `rows` selects (group_key, kind, currency, day, amount_minor,
    records, undisclosed: LedgerTotal's, or aid.summary.as_of_daily's), and the rate days they
    used (`disclose`: the rows' own days per month, in the same scan), or None for an amount
    without a daily rate."""
    joins = rate_joins(unit_row(target, placeholder=True), bounded=True)
    statement = _PARTS_AND_DAYS if disclose else _PARTS
    sql = statement.format(converted=CONVERTED_MINOR, missing=MISSING_RATE, rows=rows, joins=joins)
    days = (ledger_filter.date_from or date.min, ledger_filter.date_to or date.max)
    alias = router.db_for_read(LedgerTotal)  # a replica, for a reader
    fetched = fetch_converting(alias, sql, (*params, target, *days, *days))
    if not disclose:
        fetched = [(True, *row[:5], None, row[5], None, None) for row in fetched]
    if any(part and missing for part, *_, missing, _month, _mask in fetched):
        return None
    result, masks = Parts(), []
    for part, group_key, kind, converted, records, undisclosed, currency, _, month, mask in fetched:
        if part:
            value = Decimal(int(converted or 0)).scaleb(-minor_units(target))
            result.add(key_value(group_by, group_key), kind, value, int(records), int(undisclosed))
        elif currency not in ("", target):  # already in the target currency: no rate used (ledger.conversion)
            masks.append((currency, month, mask))
    if disclose:
        result.disclose_days(RateDays(masks, target, alias, ledger_filter.date_from, ledger_filter.date_to))
    return result
