"""PostgreSQL's fast path of aid.summary, reading the monthly ConvertedTotal rollup (or a narrow
form of it: DonorMonthTotal, without programme and package, when the question names neither;
ProgrammeMonthTotal, without package, when it names a programme but no package; PackageTotal,
without donor and month, for a summary by package naming neither donors nor dates).

Used when the answer can come from whole months (no date filter cutting a month) and, for
`rates=transaction`, when the rollup holds the target (SUMMARY_FAST_CURRENCIES, or held on
demand: aid.summary.held_targets) and every amount had its rate. Otherwise returns None and the exact Python path answers (with the same rounding).
"""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.postgres.aggregates import BitOr
from django.db import connections, router

from aid.models import ConvertedTotal, DonorMonthTotal, PackageTotal, ProgrammeMonthTotal
from aid.summary import one_rate, rollup
from aid.summary.parts import Parts, group_expression, key_value
from aid.summary.rate_days import RateDays, next_month
from ledger import daily
from ledger.currencies import minor_units

# A part per (group, kind) and, in the same scan, the days each currency has amounts on per month.
_PARTS_AND_MASKS = """
SELECT GROUPING(r.group_key, r.kind) = 0, r.group_key, r.kind, r.currency, r.month, SUM(r.converted_minor),
       SUM(r.records), SUM(r.undisclosed), bool_or(r.converted_minor IS NULL), bit_or(r.days_mask)
FROM ({rows}) r
GROUP BY GROUPING SETS ((r.group_key, r.kind), (r.currency, r.month))
"""

# A part per (group, kind), from rows without months (PackageTotal): the day masks come from a
# monthly form when the rates are shown (disclose_transaction_rates).
_PARTS = """
SELECT r.group_key, r.kind, SUM(r.converted_minor), SUM(r.records), SUM(r.undisclosed), bool_or(r.converted_minor IS NULL)
FROM ({rows}) r
GROUP BY r.group_key, r.kind
"""


# The groupings ProgrammeMonthTotal (the rollup without package) can answer; DonorMonthTotal
# (without programme too) all but "programme".
PROGRAMME_GROUPS = ("donor", "year", "month", "programme")


def _monthly_model(ledger_filter, group_by: str = "donor"):
    """The narrowest monthly rows that hold what the grouping and the filter name: without
    programme and package (~20,000 rows per target at 1M + 1M), without package (~73,000), or
    the whole rollup (~580,000). (By package without donors or dates: _rollup_model.)"""
    if ledger_filter.packages or group_by not in PROGRAMME_GROUPS:
        return ConvertedTotal
    if ledger_filter.programmes or group_by == "programme":
        return ProgrammeMonthTotal
    return DonorMonthTotal


def record_rows(ledger_filter):
    """Monthly rows whose `records` count the filter's records per kind and currency (EUR's, a
    target always held; every target's rows count alike): a donor's few hundred where its daily
    totals are thousands. None where they cannot answer: SQLite, dates cutting a month."""
    if not daily.supported() or not ledger_filter.whole_months:
        return None
    return ledger_filter.on_totals(_monthly_model(ledger_filter).objects.filter(target="EUR"), day_field="month")


def month_split(ledger_filter):
    """(the filter narrowed to the whole months within its dates, or None; the filters of the days
    of the months its dates cut), which together select the same days once."""
    first, last = ledger_filter.date_from, ledger_filter.date_to
    start = first if first is None or first.day == 1 else next_month(first)
    end = (
        last
        if last is None or next_month(last) - timedelta(days=1) == last
        else last.replace(day=1) - timedelta(days=1)
    )
    cut = []
    if first is not None and start != first:
        cut.append(replace(ledger_filter, date_to=min(start - timedelta(days=1), last or date.max)))
    if last is not None and end != last and not (cut and last.replace(day=1) <= first):  # not the head's month
        cut.append(replace(ledger_filter, date_from=max(last.replace(day=1), first or date.min)))
    whole = None if start and end and start > end else replace(ledger_filter, date_from=start, date_to=end)
    return whole, cut


def _rollup_model(ledger_filter, group_by: str):
    """The narrowest form of the rollup that answers: PackageTotal (~108,000 rows per target,
    summed over donor and month) for a summary by package naming no donor and no dates."""
    if group_by == "package" and not ledger_filter.donors and not (ledger_filter.date_from or ledger_filter.date_to):
        return PackageTotal
    return _monthly_model(ledger_filter, group_by)


def _rollup_rows(target: str, ledger_filter, group_by: str):
    model = _rollup_model(ledger_filter, group_by)
    queryset = ledger_filter.on_totals(model.objects.filter(target=target), day_field="month")
    return queryset.annotate(group_key=group_expression(group_by, day="month"))


def parts(group_by: str, target: str, rates, ledger_filter):
    if not daily.supported() or not ledger_filter.whole_months:
        return None
    if rates.mode == "transaction":
        if target not in rollup.fast_targets(router.db_for_read(ConvertedTotal)):
            return None  # fast_daily answers, and asks for the target to be held
        return transaction_parts(group_by, target, ledger_filter)
    return _fixed_rate_parts(group_by, target, rates, ledger_filter)


def transaction_parts(group_by: str, target: str, ledger_filter):
    """The parts and the day masks of the rates used in one scan of the rollup (GROUPING SETS);
    from rows without months, the parts, and the masks from a monthly form when shown."""
    if _rollup_model(ledger_filter, group_by) is PackageTotal:
        return _parts_without_months(group_by, target, ledger_filter)
    columns = ("group_key", "kind", "currency", "month", "converted_minor", "records", "undisclosed", "days_mask")
    rows, params = _rollup_rows(target, ledger_filter, group_by).values(*columns).query.sql_with_params()
    alias = router.db_for_read(ConvertedTotal)  # a replica, for a reader
    with connections[alias].cursor() as cursor:
        cursor.execute(_PARTS_AND_MASKS.format(rows=rows), params)
        fetched = cursor.fetchall()
    if any(part and unconverted for part, *_, unconverted, _mask in fetched):
        return None  # an amount without a rate: the exact path names its currency and day
    result, masks, units = Parts(), [], minor_units(target)
    for part, group_key, kind, currency, month, converted, records, undisclosed, _, mask in fetched:
        if part:
            _add_part(result, group_by, units, group_key, kind, converted, records, undisclosed)
        elif currency not in ("", target):  # already in the target currency: no rate used (ledger.conversion)
            masks.append((currency, month, mask))
    result.disclose_days(RateDays(masks, target, alias))
    return result


def _parts_without_months(group_by: str, target: str, ledger_filter):
    columns = ("group_key", "kind", "converted_minor", "records", "undisclosed")
    rows, params = _rollup_rows(target, ledger_filter, group_by).values(*columns).query.sql_with_params()
    with connections[router.db_for_read(PackageTotal)].cursor() as cursor:
        cursor.execute(_PARTS.format(rows=rows), params)
        fetched = cursor.fetchall()
    if any(unconverted for *_, unconverted in fetched):
        return None  # an amount without a rate: the exact path names its currency and day
    result, units = Parts(), minor_units(target)
    for group_key, kind, converted, records, undisclosed, _ in fetched:
        _add_part(result, group_by, units, group_key, kind, converted, records, undisclosed)
    disclose_transaction_rates(result, target, ledger_filter)
    return result


def _add_part(result: Parts, group_by: str, units: int, group_key, kind, converted, records, undisclosed) -> None:
    value = Decimal(int(converted or 0)).scaleb(-units)
    result.add(key_value(group_by, group_key), kind, value, records, undisclosed)


def disclose_transaction_rates(result, target: str, ledger_filter) -> None:
    """The rate days `rates=transaction` used, for any target and dates cutting a month too: the
    rollup's day masks say on which days each currency has amounts (a few hundred rows per
    (currency, month), however large the ledger), so the daily totals are not read a second time.
    The masks of the EUR rows serve every target (each target's rows have the same keys)."""
    first = ledger_filter.date_from
    months = replace(ledger_filter, date_from=first.replace(day=1)) if first else ledger_filter
    masks = (
        months.on_totals(_monthly_model(ledger_filter).objects.filter(target="EUR"), day_field="month")
        .exclude(currency="")
        .exclude(currency=target)  # already in the target currency: no rate used (ledger.conversion)
        .values("currency", "month")
        .annotate(mask=BitOr("days_mask"))
        .values_list("currency", "month", "mask")
        .order_by()
    )  # read when the rates are shown; the days of a month the filter keeps are the bounds
    alias = router.db_for_read(ConvertedTotal)  # a replica, for a reader
    result.disclose_days(RateDays(masks.using(alias), target, alias, first, ledger_filter.date_to))


def _fixed_rate_parts(group_by: str, target: str, rates, ledger_filter):
    """A fixed day or `latest`: one rate per currency, so parts are per (group, currency)."""
    columns = ("group_key", "kind", "currency", "amount_minor", "records", "undisclosed")
    rows = _rollup_rows("EUR", ledger_filter, group_by).values(*columns)  # every rollup row carries the raw amounts
    return one_rate.parts(*rows.query.sql_with_params(), group_by, target, rates)
