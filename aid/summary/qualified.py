"""Keeping `QualifiedCount` equal to the records, and reading it for the charts.

A chart says beside its totals how many of the amounts behind them are not exact ("2 amounts
approximate, 1 at least"). Counted from the records, that read every record of the selection:
at 1M + 1M records four scans, 540 ms of the overview's 620 ms, paid again after every write.
The counts are kept as the daily totals are (aid.summary.totals), in the same transaction as
the record: a save or removal moves its record's count (`move`, from totals.move), an import
adds its grouped counts (`add_imported`), `rebuild` recomputes the table and `differences`
compares it with the records (`rebuild_totals --verify`).

Only disclosed amounts given as `at_least` or `approx` are counted: exact amounts are most of
a ledger and their count is never shown.
"""

from collections import defaultdict

from django.db import connection
from django.db.models import Count, F, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

from aid import staging
from aid.models import Delivery, Pledge, QualifiedCount, Qualifier
from aid.summary.counting import add_to_row, mismatches
from aid.summary.parts import group_expression, key_value

KEY_FIELDS = ("kind", "status", "donor", "programme", "package", "currency", "month", "qualifier")
COUNTED = (("pledge", Pledge), ("delivery", Delivery))
COUNTED_KINDS = tuple(kind for kind, _model in COUNTED)


def key_of(contribution) -> dict | None:
    """The count a totals.Contribution adds to, or None when its amount is exact or undisclosed."""
    if (
        contribution is None
        or contribution.kind not in COUNTED_KINDS
        or contribution.amount_minor is None
        or contribution.qualifier == Qualifier.EXACT
    ):
        return None
    key = {name: getattr(contribution, name) for name in KEY_FIELDS if name != "month"}
    return {**key, "month": contribution.day.replace(day=1)}


def move(old, new) -> None:
    """A record's count moved from `old` to `new` (totals.Contribution or None each)."""
    before, after = key_of(old), key_of(new)
    if before == after:
        return
    if before is not None:
        add_to_row(QualifiedCount, before, {"records": -1})
    if after is not None:
        add_to_row(QualifiedCount, after, {"records": 1})


def _month_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"date({column}, 'start of month')"


def add_imported(cursor, status: str) -> None:
    """Add the counts of an import's new records (the staged rows, aid.bulk) in one statement."""
    columns = ", ".join(KEY_FIELDS)
    cursor.execute(
        f"INSERT INTO {QualifiedCount._meta.db_table} ({columns}, records) "
        f"SELECT kind, %s, donor, programme, package, currency, {_month_sql('day')}, amount_qualifier, COUNT(*) "
        f"FROM import_staging WHERE kind IN ({', '.join(['%s'] * len(COUNTED_KINDS))}) AND amount_minor IS NOT NULL AND amount_qualifier <> %s "
        f"GROUP BY kind, donor, programme, package, currency, {_month_sql('day')}, amount_qualifier "
        f"ON CONFLICT ({columns}) DO UPDATE SET records = {QualifiedCount._meta.db_table}.records + EXCLUDED.records",
        [status, *COUNTED_KINDS, Qualifier.EXACT],
    )


def _computed_sql() -> tuple[str, list]:
    """SELECT of every count from the records, in the columns of KEY_FIELDS and `records`."""
    selects, params = [], []
    for kind, model in COUNTED:
        rows = (
            model.objects.filter(amount_minor__isnull=False)
            .exclude(amount_qualifier=Qualifier.EXACT)
            .values(
                "status",
                "currency",
                "amount_qualifier",
                donor_code=F("donor__code"),
                programme_code=F("programme__code"),
                package_code=Coalesce(F("package__code"), Value("")),
                first_day=TruncMonth("date"),
            )
            .annotate(n=Count("id"))
            .order_by()
        )
        sql, sql_params = rows.query.sql_with_params()
        month = "CAST(q.first_day AS date)" if connection.vendor == "postgresql" else "q.first_day"
        selects.append(
            f"SELECT '{kind}', q.status, q.donor_code, q.programme_code, q.package_code, q.currency, {month}, "
            f"q.amount_qualifier, q.n FROM ({sql}) q"
        )
        params.extend(sql_params)
    return " UNION ALL ".join(selects), params


def rebuild(cursor) -> None:
    sql, params = _computed_sql()
    staging.make_equal(cursor, QualifiedCount, KEY_FIELDS, ("records",), sql, params)


def differences() -> list[str]:
    """Every count that differs from the records (empty when exact)."""
    stored = {tuple(row[:-1]): row[-1] for row in QualifiedCount.objects.values_list(*KEY_FIELDS, "records")}
    sql, params = _computed_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        month = QualifiedCount._meta.get_field("month")
        computed = {(*row[:6], month.to_python(row[6]), row[7]): row[8] for row in cursor.fetchall()}
    return [
        f"qualified count {key}: stored {ours}, records {theirs}" for key, ours, theirs in mismatches(stored, computed)
    ]


def answers(ledger_filter) -> bool:
    """True when the stored counts select what the filter selects: whole months of the present."""
    return not ledger_filter.reads_records and ledger_filter.whole_months


def counts(group_by: str, ledger_filter, *, by_donor: bool = False) -> dict:
    """As aid.charts.selectors.qualified, from the stored counts (`answers` must hold)."""
    rows = (
        ledger_filter.on_totals(QualifiedCount.objects.all(), day_field="month")
        .annotate(group_key=group_expression(group_by, day="month"))
        .values("group_key", "kind", "qualifier", *(["donor"] if by_donor else []))
        .annotate(n=Sum("records"))
        .order_by()
    )
    found = defaultdict(dict)
    for row in rows:
        key = key_value(group_by, row["group_key"])
        key = (row["donor"], key) if by_donor else key
        found[key, row["kind"]][row["qualifier"]] = row["n"]
    return found
