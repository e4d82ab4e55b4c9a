"""Keeping `LedgerTotal` exact: every write adds or removes its record's contribution.

Called only from aid.services, inside the write's transaction. `rebuild` recomputes the
table from the base tables; `differences` compares the two without changing anything.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import connection, transaction
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from aid import progress, staging, writelock
from aid.models import Delivery, LedgerTotal, Pledge, Status
from aid.summary import qualified, rollup, sqlite_daily
from aid.summary.counting import add_to_row, mismatches

KEY_FIELDS = ("kind", "status", "donor", "programme", "package", "currency", "day")


@dataclass(frozen=True)
class Contribution:
    kind: str
    status: str
    donor: str
    programme: str
    package: str
    currency: str
    day: date
    amount_minor: int | None
    # Not part of the total's key or figures (a change of it alone moves no total): only
    # aid.summary.qualified counts it.
    qualifier: str = field(default="", compare=False)

    @classmethod
    def of(cls, kind: str, record) -> "Contribution":
        return cls(
            kind=kind,
            status=record.status,
            donor=record.donor.code,
            programme=record.programme.code,
            package=record.package.code if record.package_id else "",
            currency=record.currency if record.amount_minor is not None else "",
            day=record.date,
            amount_minor=record.amount_minor,
            qualifier=record.amount_qualifier,
        )

    def key(self) -> dict:
        return {name: getattr(self, name) for name in KEY_FIELDS}


def count(contribution: Contribution, sign: int) -> None:
    """Add (sign=+1) or remove (sign=-1) one record from its total row."""
    added = {
        "amount_minor": (contribution.amount_minor or 0) * sign,
        "records": sign,
        "undisclosed": sign if contribution.amount_minor is None else 0,
    }
    add_to_row(LedgerTotal, contribution.key(), added)


def covered(pledge) -> Contribution | None:
    """The pledge's "covered" contribution: present while a published delivery is linked to it."""
    return Contribution.of("covered", pledge) if pledge.deliveries_count else None


def move(old: Contribution | None, new: Contribution | None) -> None:
    qualified.move(old, new)
    if old == new:
        return
    if old is not None:
        count(old, -1)
    if new is not None:
        count(new, +1)
    rollup.touch([old, new])


def _computed_sql() -> tuple[str, list]:
    """SELECT of every total row from the base tables, in the columns of TOTAL_COLUMNS.

    One GROUP BY per kind, written by the ORM (so it runs on both databases) and read or inserted
    set-wise: building 862,522 model instances was most of a rebuild at 1M + 1M records.
    An undisclosed record counts under currency '' (as Contribution.of keys it).
    """
    with_delivery = Exists(Delivery.objects.filter(pledge=OuterRef("pk"), status=Status.PUBLISHED))
    selects, params = [], []
    for kind, records in (
        ("pledge", Pledge.objects.all()),
        ("delivery", Delivery.objects.all()),
        ("covered", Pledge.objects.filter(with_delivery)),
    ):
        rows = (
            records.values(
                "status",
                donor_code=F("donor__code"),
                programme_code=F("programme__code"),
                package_code=Coalesce(F("package__code"), Value("")),
                currency_code=Case(When(amount_minor__isnull=True, then=Value("")), default=F("currency")),
                day=F("date"),
            )
            .annotate(
                amount=Coalesce(Sum("amount_minor"), 0),
                n=Count("id"),
                undisclosed_n=Count("id", filter=Q(amount_minor__isnull=True)),
            )
            .order_by()
        )
        sql, sql_params = rows.query.sql_with_params()
        selects.append(
            f"SELECT '{kind}', q.status, q.donor_code, q.programme_code, q.package_code, q.currency_code, q.day, "
            f"q.amount, q.n, q.undisclosed_n FROM ({sql}) q"
        )
        params.extend(sql_params)
    return " UNION ALL ".join(selects), params


TOTAL_COLUMNS = (*KEY_FIELDS, "amount_minor", "records", "undisclosed")


def _computed_rows():
    sql, params = _computed_sql()
    day = LedgerTotal._meta.get_field("day")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(5000):
            for row in chunk:
                values = dict(zip(TOTAL_COLUMNS, row, strict=True))
                yield LedgerTotal(**{**values, "day": day.to_python(values["day"])})  # SQLite reads text


def _as_map(rows) -> dict[tuple, tuple[int, int, int]]:
    return {tuple(getattr(r, f) for f in KEY_FIELDS): (int(r.amount_minor), r.records, r.undisclosed) for r in rows}


def differences() -> list[str]:
    """Every key where the stored totals and the base tables disagree (empty when exact)."""
    stored = _as_map(LedgerTotal.objects.iterator(chunk_size=5000))
    computed = _as_map(_computed_rows())
    problems = [f"{key}: stored {ours}, base tables {theirs}" for key, ours, theirs in mismatches(stored, computed)]
    return problems + rollup.differences() + progress.differences() + qualified.differences()


@transaction.atomic
def rebuild() -> int:
    """Recompute every total from the base tables; returns how many total rows there are."""
    writelock.take()
    sql, params = _computed_sql()
    with connection.cursor() as cursor, staging.batch_planner(cursor, staging.HASH_JOIN_ROWS):
        staging.make_equal(cursor, LedgerTotal, KEY_FIELDS, TOTAL_COLUMNS[len(KEY_FIELDS) :], sql, params)
        qualified.rebuild(cursor)
    rows = LedgerTotal.objects.count()
    rollup.rebuild()
    progress.rebuild()
    sqlite_daily.refresh_statistics(rows)
    rollup.analyze_totals()  # every table was rewritten
    return rows
