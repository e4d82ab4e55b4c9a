"""A summary `as_of` a moment from the answer now, on PostgreSQL: the answer now minus the
parts the records written since touched as they are now, plus those parts as they stood then.

aid.summary.as_of_daily converts every daily total of the ledger as it stood (the totals now
with the records written since put back): ~860,000 rows at 1M + 1M records, tens of seconds.
But a part is one daily total row, rounded on its own (SPEC §5), so the answer then differs
from the answer now (the monthly rollup: tens of ms) only in the rows whose key (kind, donor,
programme, package, currency, day) a record written since touched. Those few rows are
converted by the same SQL (aid.summary.fast_daily): taken out as they are now, put back as they
stood then. The rate days
disclosed are the answer now's, with the days of the touched rows set or cleared as they
were used then.

Both at the rates now: that is the answer then only if every amount then had, then, the rate
it has now. A rate stored
since the moment answers for its own day and the days after (ledger.daily), so the path holds
when no amount then needing a rate lies on or after the first day of a rate stored since: the
daily ECB job stores today's rates, and a release made yesterday holds no amount dated today.
Otherwise (and for a rate edited rather than added, which is read as edited, as everywhere)
it returns None and as_of_daily answers. Rates other than `transaction`, a `confidence` filter
and SQLite go there too.
"""

from dataclasses import replace
from datetime import date

from django.db import connections, router

from aid.models import Kind, LedgerTotal
from aid.summary import as_of_daily, fast_daily, fast_monthly
from ledger import daily
from ledger.models import ExchangeRate

KINDS = ", ".join(f"'{kind.value}'" for kind in Kind)  # constants, so written into the SQL

# Per key the records written since touched (`k`, netted), its row now (null when the key holds
# none now) and its change (`j`). The row now is probed through the totals' unique key (LIMIT 1
# keeps PostgreSQL from hashing the whole table for a few keys).
_TOUCHED = (
    as_of_daily.NETTED_CHANGES
    + """,
j AS (SELECT k.group_key, k.kind, k.currency, k.day,
             COALESCE(n.amount_minor, 0) AS now_amount, COALESCE(n.records, 0) AS now_records,
             COALESCE(n.undisclosed, 0) AS now_undisclosed,
             COALESCE(n.amount_minor, 0) + k.amount_minor AS then_amount,
             COALESCE(n.records, 0) + k.records AS then_records,
             COALESCE(n.undisclosed, 0) + k.undisclosed AS then_undisclosed
      FROM k LEFT JOIN LATERAL (SELECT t.amount_minor, t.records, t.undisclosed FROM ({totals}) t
                                WHERE {same} LIMIT 1) n ON TRUE)
"""
)
# The parts to correct: each touched row taken out as it is now, put back as it stood then.
_CORRECTIONS = """{touched}
SELECT group_key, kind, currency, day, -now_amount AS amount_minor, -now_records AS records,
       -now_undisclosed AS undisclosed
FROM j WHERE now_records <> 0
UNION ALL
SELECT group_key, kind, currency, day, then_amount, then_records, then_undisclosed FROM j WHERE then_records <> 0
"""
# Per touched currency and day needing a rate: whether a touched row was on it then, and how
# many touched rows are on it now.
_DAYS = """{touched}
SELECT currency, day, bool_or(then_records <> 0), COUNT(*) FILTER (WHERE now_records <> 0)
FROM j WHERE currency NOT IN ('', %s) GROUP BY currency, day
"""
# How many rows now lie on each of some currencies and days.
_ROWS_ON = """SELECT p.currency, p.day, (SELECT COUNT(*) FROM ({totals}) x
        WHERE x.currency = p.currency AND x.day = p.day AND x.kind IN ({kinds}) AND x.records <> 0)
FROM unnest(%s::text[], %s::date[]) AS p(currency, day)"""
# The rows now on or after a day that need a rate.
_LATE = """SELECT COUNT(*) FROM ({totals}) x
WHERE x.day >= %s AND x.kind IN ({kinds}) AND x.records <> 0 AND x.currency NOT IN ('', %s)"""


def _first_day_of_rates_stored_since(moment):
    return ExchangeRate.objects.filter(created_at__gt=moment).order_by("day").values_list("day", flat=True).first()


def _fetch(sql: str, params) -> list[tuple]:
    with connections[router.db_for_read(LedgerTotal)].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class Touched:
    """The rows the records written since the moment touched, and the days they lie on."""

    def __init__(self, group_by: str, ledger_filter, target: str):
        changes, changes_params, self.totals, self.totals_params = as_of_daily.changes(group_by, ledger_filter)
        same = as_of_daily.same_key("t")
        self.sql = _TOUCHED.format(changes=changes, key=", ".join(as_of_daily.KEY), totals=self.totals, same=same)
        self.params = (*changes_params, *self.totals_params)
        self.target = target
        days = _DAYS.format(touched=self.sql.rstrip())
        # {(currency, day): (used then by a touched row, touched rows on it now)}
        self.days = {(currency, day): (then, now) for currency, day, then, now in _fetch(days, (*self.params, target))}

    def corrections(self) -> tuple[str, tuple]:
        """SQL of the rows to take out and put back (as aid.summary.fast_daily.rows_parts reads them)."""
        return _CORRECTIONS.format(touched=self.sql.rstrip()), self.params

    def days_used_then(self) -> dict:
        """{(currency, day): whether an amount then needing a rate lay on it}, for the days whose
        use may have changed; a day no touched row was on then, and none is now, stays as it is."""
        used = {pair: True for pair, (then, _) in self.days.items() if then}
        doubtful = [pair for pair, (then, now) in self.days.items() if not then and now]
        if doubtful:  # used then only if rows nobody touched lie on it
            currencies, days = [currency for currency, _ in doubtful], [day for _, day in doubtful]
            sql = _ROWS_ON.format(totals=self.totals, kinds=KINDS)
            for currency, day, rows_now in _fetch(sql, (*self.totals_params, currencies, days)):
                used[currency, day] = rows_now > self.days[currency, day][1]
        return used

    def amounts_then_from(self, first: date) -> bool:
        """Whether an amount then needing a rate lay on or after `first`: a touched row then, or a
        row now nobody touched (it stood then as now)."""
        if any(then for (_, day), (then, _) in self.days.items() if day >= first):
            return True
        late = _LATE.format(totals=self.totals, kinds=KINDS)
        (rows_now,) = _fetch(late, (*self.totals_params, first, self.target))[0]
        return rows_now > sum(now for (_, day), (_, now) in self.days.items() if day >= first)


def parts(group_by: str, target: str, rates, ledger_filter):
    if not daily.supported() or rates.mode != "transaction" or ledger_filter.as_of is None:
        return None
    if ledger_filter.confidences:
        return None
    touched = Touched(group_by, ledger_filter, target)
    first_new_rate_day = _first_day_of_rates_stored_since(ledger_filter.as_of)
    if first_new_rate_day is not None and touched.amounts_then_from(first_new_rate_day):
        return None
    now_filter = replace(ledger_filter, as_of=None)
    result = fast_monthly.parts(group_by, target, rates, now_filter) or fast_daily.parts(
        group_by, target, rates, now_filter
    )
    if result is None or result.sql_rates is None:
        return None
    rows, params = touched.corrections()
    corrections = fast_daily.rows_parts(rows, params, group_by, target, ledger_filter, disclose=False)
    if corrections is None:
        return None  # an amount without a rate: the exact path names it
    result.merge(corrections)
    result.drop_empty()
    result.days_used_then(touched.days_used_then())
    return result
