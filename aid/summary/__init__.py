"""Pledged vs delivered, grouped and converted (SPEC §5–6): the one source of every total.

The API's `summary/`, the charts, the cross-check and the admin read totals through
`summarize`, so they can never disagree. Totals come from the pre-aggregated tables kept by
`totals` (LedgerTotal, daily) and, on PostgreSQL, `rollup` (ConvertedTotal, monthly, and its
narrow forms summed over package, ProgrammeMonthTotal, over programme and package,
DonorMonthTotal, and over donor and month, PackageTotal: a question reads the narrowest that
holds its keys), never from a loop over records.

The rounding contract, for every path: a *part* is a sum of amounts in one currency converted
at one rate (`value × r(target) / r(source)`, exact), rounded half up to the target's minor
unit once; every figure is the sum of its rounded parts, so parts always add up. Which rate
is `ledger.conversion.Rates`' rule alone. With `rates=transaction` a part is one daily
LedgerTotal row (one donor, programme, package and currency on one day), so a total is the
same however the ledger is grouped; with a fixed day or `latest`, a part is all of one
currency within a group.

The paths (`paths.summarize` picks one; each hands back `parts.Parts`):
- fast, PostgreSQL only, in SQL with the conversion of `conversion_sql`:
  `fast_monthly` (the monthly rollup: whole months, the targets it holds) and `fast_daily` (the
  daily totals: any target; a target the rollup does not hold starts being held,
  `held_targets`); with a fixed day or `latest` both hand their rows to `one_rate`, which
  converts each currency's part in SQL at the quotes `Rates` picked;
- fast, SQLite only: `sqlite_daily` (the daily totals; each part rounded half up in SQL with an
  exact integer factor per currency and day; for one rate a currency, summed per currency by
  `one_rate` and converted by the exact path's `convert_rows`);
- exact, any database, in Python with `ledger.conversion`: `exact` (the daily totals) and
  `exact_records` (the records themselves, for a filter the totals do not carry).
The fast paths answer exactly what the exact path answers; `paths.path_differences`
(`rebuild_totals --verify`), tests/test_summary_paths.py (PostgreSQL) and
tests/test_summary_sqlite.py (SQLite) compare them.
"""

from aid.summary.answer import GROUP_BY, Group, Summary
from aid.summary.filter import LedgerFilter
from aid.summary.paths import path_differences, summarize
from ledger.conversion import TRANSACTION, Rates

__all__ = ["GROUP_BY", "TRANSACTION", "Group", "LedgerFilter", "Rates", "Summary", "path_differences", "summarize"]
