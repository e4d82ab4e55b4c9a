"""Pledged vs delivered, grouped and converted (SPEC §5–6): the one source of every total.

The API's `summary/`, the charts and the admin all read totals through `summarize`, so they
cannot disagree. It reads the pre-aggregated `LedgerTotal` rows (a fixed number of queries,
whatever the ledger's size), converts each (group, kind, currency) part exactly with the
rates of `ledger.rates`, rounds each part half up, and adds the rounded parts.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, localcontext

from django.db.models import F, Sum
from django.db.models.functions import ExtractYear, TruncMonth

from aid import summary_sql as in_sql
from aid.models import Donor, LedgerTotal, Package, Programme, Status
from ledger.conversion import PRECISION, exact_cross
from ledger.money import from_minor, quantum, round_money
from ledger.rates import RateBook

GROUP_BY = ("donor", "programme", "package", "year", "month")
SHARE_QUANTUM = Decimal("0.0001")


@dataclass(frozen=True)
class LedgerFilter:
    """The list filters of SPEC §6, applied alike to records and to totals."""

    donors: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    packages: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    original_currencies: tuple[str, ...] = ()
    status: str = Status.PUBLISHED

    def on_totals(self, queryset):
        queryset = queryset.filter(status=self.status)
        if self.donors:
            queryset = queryset.filter(donor__in=self.donors)
        if self.programmes:
            queryset = queryset.filter(programme__in=self.programmes)
        if self.packages:
            queryset = queryset.filter(package__in=self.packages)
        if self.date_from:
            queryset = queryset.filter(day__gte=self.date_from)
        if self.date_to:
            queryset = queryset.filter(day__lte=self.date_to)
        if self.original_currencies:
            queryset = queryset.filter(currency__in=self.original_currencies)
        return queryset


@dataclass(frozen=True)
class Rates:
    """`transaction` (each amount's own date), `latest`, or a fixed `day`."""

    mode: str = "transaction"
    day: date | None = None

    def __str__(self):
        return self.day.isoformat() if self.mode == "day" else self.mode


@dataclass
class Group:
    key: str | int | None
    label: str
    pledged: Decimal
    delivered: Decimal
    pledges: int = 0
    deliveries: int = 0
    undisclosed_pledges: int = 0
    undisclosed_deliveries: int = 0

    @property
    def undisclosed(self) -> int:
        return self.undisclosed_pledges + self.undisclosed_deliveries

    @property
    def delivered_share(self) -> Decimal | None:
        if not self.pledged:
            return None
        return (self.delivered / self.pledged).quantize(SHARE_QUANTUM)


@dataclass
class Summary:
    currency: str
    rates: Rates
    group_by: str
    groups: list[Group]
    total: Group
    rates_used: list[dict] = field(default_factory=list)


def _key_expression(group_by: str):
    return {
        "donor": F("donor"),
        "programme": F("programme"),
        "package": F("package"),
        "year": ExtractYear("day"),
        "month": TruncMonth("day"),
    }[group_by]


def _key_value(group_by: str, raw):
    if group_by == "month":
        return f"{raw.year:04d}-{raw.month:02d}"
    if group_by == "package":
        return raw or None
    if group_by == "year":
        return int(raw)  # PostgreSQL's EXTRACT gives a numeric
    return raw


def _rows(group_by: str, ledger_filter: LedgerFilter, by_day: bool):
    fields = ["group_key", "kind", "currency"] + (["day"] if by_day else [])
    return (
        ledger_filter.on_totals(LedgerTotal.objects.all())
        .annotate(group_key=_key_expression(group_by))
        .values(*fields)
        .annotate(amount=Sum("amount_minor"), records=Sum("records"), undisclosed_n=Sum("undisclosed"))
        .order_by()
    )


def _rate_book(rows: list[dict], target: str, rates: Rates) -> RateBook:
    currencies = {row["currency"] for row in rows if row["currency"]} | {target}
    if rates.mode == "latest":
        return RateBook.latest(currencies)
    if rates.mode == "day":
        return RateBook.for_days(currencies, rates.day, rates.day)
    days = [row["day"] for row in rows if row["currency"]] or [date.today()]
    return RateBook.for_days(currencies, min(days), max(days))


def _quotes(book: RateBook, currency: str, rates: Rates, row: dict):
    if rates.mode == "latest":
        return book.latest_quote(currency)
    return book.quote(currency, rates.day if rates.mode == "day" else row["day"])


def _labels(group_by: str, keys) -> dict:
    if group_by == "donor":
        return {d.code: d.name for d in Donor.objects.filter(code__in=keys)}
    if group_by == "programme":
        return {p.code: p.name for p in Programme.objects.filter(code__in=keys)}
    if group_by == "package":
        names = dict(Package.objects.filter(code__in=[k for k in keys if k]).values_list("code", "name"))
        return {**names, None: "no package"}
    return {key: str(key) for key in keys}


def summarize(
    *,
    group_by: str = "donor",
    currency: str = "EUR",
    rates: Rates = Rates(),
    ledger_filter: LedgerFilter = LedgerFilter(),
) -> Summary:
    """Raises ledger.rates.MissingRate when an amount has no rate on or before its day."""
    if rates.mode == "transaction":
        converted = in_sql.transaction_parts(_rows(group_by, ledger_filter, by_day=True), currency)
        if converted is not None:
            exact, counts, used = converted
            exact = {(_key_value(group_by, k), kind, c): v for (k, kind, c), v in exact.items()}
            counts = {(_key_value(group_by, k), kind): v for (k, kind), v in counts.items()}
            return _assemble(group_by, currency, rates, exact, counts, used)
    return _summarize_in_python(group_by, currency, rates, ledger_filter)


def _summarize_in_python(group_by, currency, rates, ledger_filter) -> Summary:
    """Every database: fetch the grouped sums, convert each exactly with a RateBook."""
    rows = list(_rows(group_by, ledger_filter, by_day=rates.mode == "transaction"))
    book = _rate_book(rows, currency, rates)
    exact = defaultdict(Decimal)  # (key, kind, source currency) -> exact converted sum
    counts = defaultdict(lambda: [0, 0])  # (key, kind) -> [records, undisclosed]
    used: dict[tuple[str, str], dict] = {}
    with localcontext() as ctx:
        ctx.prec = PRECISION
        for row in rows:
            key = _key_value(group_by, row["group_key"])
            counts[key, row["kind"]][0] += row["records"]
            counts[key, row["kind"]][1] += row["undisclosed_n"]
            if not row["currency"]:
                continue
            source, target = _quotes(book, row["currency"], rates, row), _quotes(book, currency, rates, row)
            amount = from_minor(int(row["amount"]), row["currency"])
            exact[key, row["kind"], row["currency"]] += exact_cross(amount, source, target)
            for quote in (source, target):
                disclose(used, quote)
    return _assemble(group_by, currency, rates, exact, counts, used)


def disclose(used: dict, quote) -> None:
    """Remember a rate used; it is stale if it was stale for any amount it converted."""
    if quote.currency == "EUR":  # 1 by definition: nothing to disclose
        return
    entry = used.setdefault((quote.currency, quote.rate_date.isoformat()), quote.as_dict())
    entry["stale"] = entry["stale"] or quote.stale


def _assemble(group_by, currency, rates, exact, counts, used) -> Summary:
    zero = Decimal(0).quantize(quantum(currency))
    keys = {key for key, _ in counts}
    labels = _labels(group_by, keys)
    groups = {key: Group(key, labels.get(key, str(key)), zero, zero) for key in keys}
    for (key, kind, _source), value in exact.items():
        part = round_money(value, currency)
        if kind == "pledge":
            groups[key].pledged += part
        else:
            groups[key].delivered += part
    for (key, kind), (records, undisclosed) in counts.items():
        if kind == "pledge":
            groups[key].pledges, groups[key].undisclosed_pledges = records, undisclosed
        else:
            groups[key].deliveries, groups[key].undisclosed_deliveries = records, undisclosed
    ordered = sorted(groups.values(), key=lambda g: (-g.pledged, -g.delivered, str(g.key)))
    if group_by in ("year", "month"):
        ordered = sorted(groups.values(), key=lambda g: str(g.key))
    total = Group(None, "total", zero, zero)
    for group in ordered:
        total.pledged += group.pledged
        total.delivered += group.delivered
        total.pledges += group.pledges
        total.deliveries += group.deliveries
        total.undisclosed_pledges += group.undisclosed_pledges
        total.undisclosed_deliveries += group.undisclosed_deliveries
    rates_used = sorted(used.values(), key=lambda q: (q["currency"], q["rate_date"]))
    return Summary(currency, rates, group_by, ordered, total, rates_used)
