"""The exact path of aid.summary straight from the pledge and delivery tables.

Used when a filter reads a field the pre-aggregates do not carry (a record's `confidence`), or
asks about a past moment (`as_of`: the records as they stood, aid.asof):
one grouped aggregate per table, in the same row shape as aid.summary.exact reads from
LedgerTotal, converted and rounded by the same `convert_rows`. Slower than the totals on a
large ledger (it reads every selected record), but exact.
"""

from django.db.models import Count, Exists, F, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce

from aid import asof
from aid.models import Delivery, Pledge
from aid.summary.exact import convert_rows
from aid.summary.parts import group_expression


def record_group_key(group_by: str):
    """The group key of a record row, as the totals' group key reads (shared with as_of_daily)."""
    package = Coalesce(F("package__code"), Value(""))  # as LedgerTotal writes no package
    return group_expression(
        group_by, day="date", donor=F("donor__code"), programme=F("programme__code"), package=package
    )


def _rows(queryset, kind: str, group_by: str, rates) -> list[dict]:
    fields = ["group_key", "currency"]
    if rates.mode == "transaction":  # a part is what one LedgerTotal row would hold: rounded alike
        fields += ["donor_id", "programme_id", "package_id", "date"]
    rows = (
        queryset.annotate(group_key=record_group_key(group_by))
        .values(*fields)
        .annotate(
            sum_minor=Sum("amount_minor"),
            records=Count("id"),
            undisclosed=Count("id", filter=Q(amount_minor=None)),
        )
        .order_by()
    )
    return [{**row, "kind": kind, "day": row.get("date"), "amount_minor": row["sum_minor"]} for row in rows]


def selected_deliveries(ledger_filter):
    return ledger_filter.on_records(asof.records(Delivery, ledger_filter.as_of))


def parts(group_by: str, target: str, rates, ledger_filter):
    pledges = ledger_filter.on_records(asof.records(Pledge, ledger_filter.as_of))
    deliveries = selected_deliveries(ledger_filter)
    # Covered, as in the totals: a published delivery is linked, whatever its date; with a
    # confidence filter only a delivery of a chosen confidence counts. (`id`, not `pk`: a
    # history row's primary key is its history_id.)
    linked = asof.published(Delivery, ledger_filter.as_of).filter(pledge_id=OuterRef("id"))
    if ledger_filter.confidences:
        linked = linked.filter(confidence__in=ledger_filter.confidences)
    covered = pledges.filter(Exists(linked))
    rows = _rows(pledges, "pledge", group_by, rates) + _rows(deliveries, "delivery", group_by, rates)
    rows += _rows(covered, "covered", group_by, rates)
    return convert_rows(rows, group_by, target, rates)
