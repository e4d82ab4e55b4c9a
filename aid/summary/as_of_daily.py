"""The daily totals as they stood at a moment: a summary `as_of` T without reading every history row.

A record nobody wrote after T stands now as it stood then, so the ledger at T is the ledger now
(LedgerTotal) with the records written since T put back as they were: their contribution now
taken out, their contribution then (aid.asof: the newest history row up to T) put in. Only those
records are read, so the cost follows the writes since T, not the size of the ledger. The rows
are netted per LedgerTotal key (kind, donor, programme, package, currency, day) — the exact
path's part — and converted by the SQL the summary uses now: PostgreSQL's daily conversion
(aid.summary.fast_daily) or SQLite's (aid.summary.sqlite_daily) when no rate was stored since T
(their daily rate and factor tables hold the rates of now), or, for a fixed day, `latest` and
rates stored since T, the exact path's `convert_rows` over the netted rows with the rates held
then. None (the exact record path answers) for a
`confidence` filter, which the totals do not carry, and where the SQL conversions give up.

"Covered" (a pledge with a published delivery linked) changes with its deliveries too: a pledge
linked, then or now, to a delivery written since T is put back as well.
"""

from django.db import connections, router
from django.db.models import Case, CharField, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce

from aid import asof
from aid.models import Delivery, LedgerTotal, Pledge, Status
from aid.summary import exact, fast_daily, one_rate, sqlite_daily
from aid.summary.exact_records import record_group_key
from aid.summary.parts import group_expression
from ledger import daily
from ledger.models import ExchangeRate

KEY = ("group_key", "kind", "donor", "programme", "package", "currency", "day")
COLUMNS = (*KEY, "amount_minor", "records", "undisclosed")
ROWS = ("group_key", "kind", "currency", "day", "amount_minor", "records", "undisclosed")
# `d`: the records written since the moment, taken out as they are and put back as they were;
# `k`: those netted per key (a few rows); `t`: the totals now, each joined to its key's change
# (a hash join on the few keys: no sort of the whole table). A key the totals do not hold now
# (every record of it written since) comes from `k` alone.
# Shared with aid.summary.as_of_now, which reads `k` more than once (so MATERIALIZED: planned on
# its own, not folded into the statement around it).
NETTED_CHANGES = """WITH d AS ({changes}),
k AS MATERIALIZED (SELECT {key}, SUM(amount_minor) AS amount_minor, SUM(records) AS records,
                          SUM(undisclosed) AS undisclosed
                   FROM d GROUP BY {key})"""
_NETTED = (
    NETTED_CHANGES
    + """
SELECT t.group_key, t.kind, t.currency, t.day, t.amount_minor + COALESCE(k.amount_minor, 0) AS amount_minor,
       CAST(t.records + COALESCE(k.records, 0) AS INTEGER) AS records,
       CAST(t.undisclosed + COALESCE(k.undisclosed, 0) AS INTEGER) AS undisclosed
FROM ({totals}) t LEFT JOIN k ON {same_t}
WHERE t.records + COALESCE(k.records, 0) <> 0
UNION ALL
SELECT k.group_key, k.kind, k.currency, k.day, k.amount_minor, CAST(k.records AS INTEGER),
       CAST(k.undisclosed AS INTEGER)
FROM k
WHERE k.records <> 0 AND NOT EXISTS (SELECT 1 FROM {table} x WHERE x.status = %s AND {same_x})
"""
)


def same_key(alias: str) -> str:
    """k's key is `alias`'s (the group key follows from the others)."""
    return " AND ".join(f"k.{name} = {alias}.{name}" for name in KEY[1:])


def _written_since(model, moment) -> set[int]:
    return set(model.history.model.objects.filter(history_date__gt=moment).values_list("id", flat=True))


def _touched(moment) -> tuple[list[int], list[int]]:
    """(pledge ids, delivery ids) whose contribution may differ between `moment` and now.

    Read first, as lists (a few index probes on history_date): as subqueries PostgreSQL could not
    tell they are few, and at a million history rows it hashed whole history tables for them."""
    deliveries = _written_since(Delivery, moment)
    their_pledges = Delivery.history.model.objects.filter(id__in=sorted(deliveries), pledge_id__isnull=False)
    pledges = _written_since(Pledge, moment) | set(their_pledges.values_list("pledge_id", flat=True))
    # An empty list would compile to no SQL at all (Django's EmptyResultSet): id 0 is no record's.
    return sorted(pledges) or [0], sorted(deliveries) or [0]


def _contributions(queryset, group_by: str, kind: str):
    """One row per record, shaped as the LedgerTotal row it adds to (aid.summary.totals.Contribution)."""
    undisclosed = Q(amount_minor=None)
    values = {
        "group_key": record_group_key(group_by),
        "kind": Value(kind, output_field=CharField()),
        "donor": F("donor__code"),
        "programme": F("programme__code"),
        "package": Coalesce(F("package__code"), Value("")),
        "currency": Case(When(undisclosed, then=Value("")), default=F("currency"), output_field=CharField()),
        "day": F("date"),
        "amount_minor": Coalesce(F("amount_minor"), Value(0)),
        "records": Value(1, output_field=IntegerField()),
        "undisclosed": Case(When(undisclosed, then=Value(1)), default=Value(0), output_field=IntegerField()),
    }
    annotated = queryset.annotate(**{f"c_{name}": value for name, value in values.items()})
    return annotated.values_list(*(f"c_{name}" for name in COLUMNS)).order_by()


def _branch(queryset, sign: int, prefix: str = "c_") -> tuple[str, tuple]:
    """`queryset`'s rows as the netting reads them, its amounts and counts times `sign`."""
    sql, params = queryset.query.sql_with_params()
    counted = COLUMNS[len(KEY) :]
    values = [f"{sign} * {prefix}{name}" if name in counted else f"{prefix}{name}" for name in COLUMNS]
    selected = ", ".join(f"{value} AS {name}" for value, name in zip(values, COLUMNS, strict=True))
    return f"SELECT {selected} FROM ({sql}) b", params


def changes(group_by: str, ledger_filter) -> tuple[str, list, str, tuple]:
    """(SQL of the records written since the moment, taken out as they are and put back as they
    were, its parameters; SQL of the totals now, its parameters), each row of COLUMNS."""
    moment = ledger_filter.as_of
    pledge_ids, delivery_ids = _touched(moment)
    pledges, deliveries = Q(id__in=pledge_ids), Q(id__in=delivery_ids)
    now_linked = Delivery.objects.filter(pledge=OuterRef("pk"), status=Status.PUBLISHED)
    ever_linked = Q(id__in=Delivery.history.model.objects.filter(pledge_id__in=pledge_ids).values("id"))
    then_linked = asof.published(Delivery, moment, ever_linked).filter(pledge_id=OuterRef("id"))
    now_pledges, then_pledges = Pledge.objects.filter(pledges), asof.records(Pledge, moment, pledges)
    totals = ledger_filter.on_totals(LedgerTotal.objects.all()).annotate(group_key=group_expression(group_by))
    totals_sql, totals_params = _branch(totals.values_list(*COLUMNS).order_by(), +1, prefix="")
    branches = []
    for records, kind, sign in (
        (now_pledges, "pledge", -1),
        (Delivery.objects.filter(deliveries), "delivery", -1),
        (now_pledges.filter(Exists(now_linked)), "covered", -1),
        (then_pledges, "pledge", +1),
        (asof.records(Delivery, moment, deliveries), "delivery", +1),
        (then_pledges.filter(Exists(then_linked)), "covered", +1),
    ):
        branches.append(_branch(_contributions(ledger_filter.on_records(records), group_by, kind), sign))
    changes_sql = " UNION ALL ".join(sql for sql, _ in branches)
    return changes_sql, [param for _, params in branches for param in params], totals_sql, totals_params


def netted_rows(group_by: str, ledger_filter) -> tuple[str, tuple]:
    """SQL (and its parameters) of the daily rows (group_key, kind, currency, day, amount_minor,
    records, undisclosed) of the published ledger as it stood at `ledger_filter.as_of`."""
    changes_sql, changes_params, totals_sql, totals_params = changes(group_by, ledger_filter)
    sql = _NETTED.format(
        changes=changes_sql, key=", ".join(KEY), totals=totals_sql,
        same_t=same_key("t"), table=LedgerTotal._meta.db_table, same_x=same_key("x"),
    )  # fmt: skip
    return sql, (*changes_params, *totals_params, ledger_filter.status)


def _rates_held_then_are_rates_now(moment) -> bool:
    """No rate stored since `moment` (the newest rate is the one stored last: a primary-key probe)."""
    newest = ExchangeRate.objects.order_by("-pk").values_list("created_at", flat=True).first()
    return newest is None or newest <= moment


def parts(group_by: str, target: str, rates, ledger_filter):
    if ledger_filter.as_of is None or ledger_filter.confidences:
        return None
    rows, params = netted_rows(group_by, ledger_filter)
    if rates.mode != "transaction":
        return one_rate.parts(rows, params, group_by, target, rates)
    if _rates_held_then_are_rates_now(ledger_filter.as_of):  # the SQL paths convert at the rates of now
        if sqlite_daily.supported():
            return sqlite_daily.rows_parts(rows, params, group_by, target)
        if daily.supported():
            return fast_daily.rows_parts(rows, params, group_by, target, ledger_filter)
    alias = router.db_for_read(LedgerTotal)
    with connections[alias].cursor() as cursor:
        cursor.execute(rows, params)
        fetched = [dict(zip(ROWS, (*row[:4], *map(int, row[4:])), strict=True)) for row in cursor.fetchall()]
    return exact.convert_rows(fetched, group_by, target, rates)
