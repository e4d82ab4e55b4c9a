"""A pledge's delivered figure: its published deliveries, converted into the pledge's currency.

Deliveries in another currency are converted at their own date's rate (ledger.conversion),
one part per (currency, day), each rounded half up, so the figure is the sum of the parts.
The figure is stored on the pledge; every write that changes a delivery, and every rate that
arrives or changes, recomputes it in the same transaction (`refresh`, `follow_rates`).
"""

from dataclasses import asdict, dataclass, replace
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, Sum

from aid.models import Delivery, Pledge, Status
from ledger.conversion import TRANSACTION, convert, rates_needed
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


def follow_rates(first_day: date, currencies=None) -> None:
    """Rates of `currencies` changed from `first_day` on: recompute the pledges they convert."""
    crossed = Delivery.objects.filter(status=Status.PUBLISHED, date__gte=first_day, pledge__isnull=False).exclude(
        currency=F("pledge__currency")
    )
    crossed = crossed.exclude(currency="").exclude(pledge__currency="")
    if currencies is not None:
        crossed = crossed.filter(Q(currency__in=currencies) | Q(pledge__currency__in=currencies))
    pledge_ids = sorted(set(crossed.values_list("pledge_id", flat=True)))
    for start in range(0, len(pledge_ids), BATCH):
        refresh(pledge_ids[start : start + BATCH])


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
    ids = list(Pledge.objects.values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        refresh(ids[start : start + BATCH])
