"""A pledge's delivered figure: its published deliveries, converted into the pledge's currency.

Deliveries in another currency are converted at their own date's rate (ledger.conversion),
one part per (currency, day), each rounded half up, so the figure is the sum of the parts.
The figure is stored on the pledge; every write that changes a delivery, and every rate that
arrives or changes, recomputes it in the same transaction (`refresh`, `follow_rates`).
"""

from dataclasses import asdict, dataclass, replace
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, F, Q, Sum

from aid import staging
from aid.models import Delivery, Pledge, Status
from aid.summary.conversion_sql import CONVERTED_MINOR, MISSING_RATE, day_rate_joins, units_values
from ledger import daily
from ledger.conversion import TRANSACTION, convert, rates_needed
from ledger.currencies import MINOR_UNITS
from ledger.money import Money, from_minor, to_minor
from ledger.rates import MissingRate, RateBook

BATCH = 2000


class NoRateForDelivery(ValidationError):
    """A delivery cannot be converted into its pledge's currency; `missing` names currency and day."""

    def __init__(self, missing: MissingRate):
        super().__init__({"currency": str(missing)})
        self.missing = missing


@dataclass(frozen=True)
class Progress:
    delivered_minor: int = 0
    deliveries_count: int = 0
    undisclosed_deliveries: int = 0


def _parts(pledge_ids) -> list[dict]:
    """Published deliveries summed per (pledge, currency, day): the parts that are converted."""
    deliveries = Delivery.objects.filter(status=Status.PUBLISHED)
    if pledge_ids is not None:
        deliveries = deliveries.filter(pledge_id__in=pledge_ids)
    else:
        deliveries = deliveries.filter(pledge__isnull=False)
    return list(
        deliveries.values("pledge_id", "currency", "date", pledge_currency=F("pledge__currency"))
        .annotate(total=Sum("amount_minor"), n=Count("id"), undisclosed=Count("id", filter=Q(amount_minor=None)))
        .order_by()
    )


def computed(pledge_ids=None) -> dict[int, Progress]:
    """{pledge id: Progress} from the deliveries (all pledges with one when `pledge_ids` is None).

    Raises MissingRate when a delivery has no rate on or before its day.
    """
    return figures(_parts(pledge_ids))


def figures(parts: list[dict], held_at=None) -> dict[int, Progress]:
    """{pledge id: Progress} from parts (pledge_id, currency, date, pledge_currency, total, n, undisclosed),
    converted with the rates held at `held_at` (all rates when None)."""
    foreign = [p for p in parts if _priced(p) and p["currency"] != p["pledge_currency"]]
    currencies = {c for p in foreign for c in rates_needed([p["currency"]], p["pledge_currency"])}
    # each delivery at its own day's rate (as held at `held_at`)
    book = replace(TRANSACTION, held_at=held_at).book(currencies, (p["date"] for p in foreign))
    figures: dict[int, list[int]] = {}
    for part in parts:
        figure = figures.setdefault(part["pledge_id"], [0, 0, 0])
        figure[0] += _converted_minor(part, book) if _priced(part) else 0
        figure[1] += part["n"]
        figure[2] += part["undisclosed"]
    return {pledge_id: Progress(*figure) for pledge_id, figure in figures.items()}


def _priced(part: dict) -> bool:
    """A disclosed amount against a pledge whose own amount has a currency to convert into."""
    return bool(part["currency"] and part["pledge_currency"])


def _converted_minor(part: dict, book: RateBook) -> int:
    currency, target = part["currency"], part["pledge_currency"]
    money = Money(from_minor(int(part["total"]), currency), currency)
    return to_minor(convert(money, to=target, on=part["date"], book=book).result.amount, target)


def refresh(pledge_ids) -> None:
    """Store the delivered figures of these pledges; a delivery without a rate refuses the write."""
    pledge_ids = list(pledge_ids)
    try:
        figures = computed(pledge_ids)
    except MissingRate as missing:
        raise NoRateForDelivery(missing) from None
    stored = Pledge.objects.filter(pk__in=pledge_ids).values_list(
        "pk", "delivered_minor", "deliveries_count", "undisclosed_deliveries"
    )
    changed = []
    for pk, *figure in stored:
        wanted = figures.get(pk, Progress())
        if tuple(figure) != (wanted.delivered_minor, wanted.deliveries_count, wanted.undisclosed_deliveries):
            changed.append(Pledge(pk=pk, **asdict(wanted)))
    Pledge.objects.bulk_update(changed, ["delivered_minor", "deliveries_count", "undisclosed_deliveries"], BATCH)


def _crossed(first_day: date, currencies=None):
    """Published deliveries from `first_day` on converted into their pledge's currency by `currencies`' rates."""
    crossed = Delivery.objects.filter(status=Status.PUBLISHED, date__gte=first_day, pledge__isnull=False).exclude(
        currency=F("pledge__currency")
    )
    crossed = crossed.exclude(currency="").exclude(pledge__currency="")
    if currencies is not None:
        crossed = crossed.filter(Q(currency__in=currencies) | Q(pledge__currency__in=currencies))
    return crossed


def follow_rates(first_day: date, currencies=None) -> None:
    """Rates of `currencies` changed from `first_day` on: recompute the pledges they convert."""
    crossed = _crossed(first_day, currencies)
    if daily.supported():
        sql, params = crossed.values("pledge_id").query.sql_with_params()
        _store_set_wise(f"IN ({sql})", params)
        return
    pledge_ids = sorted(set(crossed.values_list("pledge_id", flat=True)))
    for start in range(0, len(pledge_ids), BATCH):
        refresh(pledge_ids[start : start + BATCH])


# PostgreSQL: the delivered figures of a set of pledges in one statement, each (pledge, currency,
# day) part converted with ledger_dailyrate (each day's publication, as RateBook picks it) and
# rounded as _converted_minor rounds (aid.summary.conversion_sql; `rebuild_totals --verify`
# compares with the Python path). `missing`: a part the daily table cannot convert (a day before
# ledger.daily.FIRST_DAY, a currency without rates): that pledge goes the Python way.
_FIGURES = f"""
CREATE TEMPORARY TABLE progress_figures AS
WITH parts AS (
    SELECT d.pledge_id, d.currency, d.date AS day, p.currency AS pledge_currency,
           SUM(d.amount_minor) AS amount_minor, COUNT(*) AS n, COUNT(*) - COUNT(d.amount_minor) AS undisclosed
    FROM aid_delivery d JOIN aid_pledge p ON p.id = d.pledge_id
    WHERE d.status = 'published' AND d.pledge_id {{scope}}
    GROUP BY 1, 2, 3, 4
)
SELECT t.pledge_id,
       SUM(CASE WHEN t.currency = '' OR t.pledge_currency = '' THEN 0 ELSE {CONVERTED_MINOR} END)::bigint AS delivered,
       SUM(t.n)::int AS n, SUM(t.undisclosed)::int AS undisclosed,
       bool_or(t.currency <> '' AND t.pledge_currency <> ''
               AND (tg.code IS NULL OR su.code IS NULL OR {MISSING_RATE})) AS missing
FROM parts t
LEFT JOIN (VALUES {units_values(MINOR_UNITS)}) AS tg(code, units, scale) ON tg.code = t.pledge_currency
{day_rate_joins()}
GROUP BY t.pledge_id
"""

_STORE = """
UPDATE aid_pledge p SET delivered_minor = f.delivered, deliveries_count = f.n, undisclosed_deliveries = f.undisclosed
FROM progress_figures f
WHERE f.pledge_id = p.id AND NOT f.missing
  AND (p.delivered_minor, p.deliveries_count, p.undisclosed_deliveries) IS DISTINCT FROM (f.delivered, f.n, f.undisclosed)
"""

_CLEAR = """
UPDATE aid_pledge p SET delivered_minor = 0, deliveries_count = 0, undisclosed_deliveries = 0
WHERE p.id {scope} AND (p.delivered_minor <> 0 OR p.deliveries_count <> 0 OR p.undisclosed_deliveries <> 0)
  AND NOT EXISTS (SELECT 1 FROM progress_figures f WHERE f.pledge_id = p.id)
"""


def _store_set_wise(scope: str, params) -> None:
    """refresh() for the pledges whose id is `scope` (SQL after the id: "IN (…)", or "IS NOT NULL"
    for all), on PostgreSQL, writing only the figures that changed."""
    with connection.cursor() as cursor, staging.batch_planner(cursor, staging.HASH_JOIN_ROWS):
        cursor.execute("DROP TABLE IF EXISTS progress_figures")
        cursor.execute(_FIGURES.format(scope=scope), params)
        cursor.execute(_STORE)
        cursor.execute(_CLEAR.format(scope=scope), params)
        cursor.execute("SELECT pledge_id FROM progress_figures WHERE missing ORDER BY pledge_id")
        missing = [pledge_id for (pledge_id,) in cursor.fetchall()]
        cursor.execute("DROP TABLE progress_figures")
    for start in range(0, len(missing), BATCH):
        refresh(missing[start : start + BATCH])


def differences() -> list[str]:
    """Pledges whose stored delivered figure differs from their deliveries (empty when exact)."""
    try:
        figures = computed()
    except MissingRate as missing:
        return [f"delivered figures cannot be computed: {missing}"]
    problems = []
    rows = Pledge.objects.values_list("ref", "pk", "delivered_minor", "deliveries_count", "undisclosed_deliveries")
    for ref, pk, *figure in rows.order_by("ref").iterator(chunk_size=5000):
        wanted = figures.get(pk, Progress())
        expected = (wanted.delivered_minor, wanted.deliveries_count, wanted.undisclosed_deliveries)
        if tuple(figure) != expected:
            problems.append(f"pledge {ref}: stored delivered {tuple(figure)}, deliveries give {expected}")
    return problems


def rebuild() -> None:
    if daily.supported():
        _store_set_wise("IS NOT NULL", [])
        return
    ids = list(Pledge.objects.values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        refresh(ids[start : start + BATCH])
