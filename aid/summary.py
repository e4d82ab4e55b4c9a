"""Pledged vs delivered, grouped and converted (SPEC §5–6): the one source of every total.

The API's `summary/`, the charts and the admin read totals through `summarize`, so they can
never disagree. Totals come from the pre-aggregated tables, never from a loop over records.

Rounding (SPEC §5): a *part* is a sum of amounts converted at one rate, converted once and
rounded half up to the target's minor unit; every figure is the sum of its rounded parts.
With `rates=transaction` a part is one daily LedgerTotal row (one donor, programme, package
and currency on one day), so a total is the same however the ledger is grouped; with a fixed
day or `latest`, a part is all of one currency within a group.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from aid import summary_daily, summary_python, summary_records, summary_sql
from aid.models import Donor, Package, Programme, Status
from aid.summary_parts import Parts
from ledger.conversion import TRANSACTION, Rates  # noqa: F401  (Rates: the API and charts import it from here)
from ledger.money import quantum
from ledger.rates import MissingRate, ecb_rates_up_to

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
    confidences: tuple[str, ...] = ()  # '' among them: records not assessed

    @property
    def reads_records(self) -> bool:
        """True when a filter needs a field the pre-aggregated totals do not carry."""
        return bool(self.confidences)

    def on_totals(self, queryset, *, day_field: str = "day"):
        """Select rows of a totals table (codes stored as plain columns)."""
        return self._select(queryset, codes=("donor", "programme", "package"), day_field=day_field)

    def on_records(self, queryset):
        """The same selection on the pledge or delivery table (codes through the relations)."""
        queryset = self._select(queryset, codes=("donor__code", "programme__code", "package__code"), day_field="date")
        return queryset.filter(confidence__in=self.confidences) if self.confidences else queryset

    def _select(self, queryset, *, codes: tuple[str, str, str], day_field: str):
        donor, programme, package = codes
        wanted = {
            f"{donor}__in": self.donors,
            f"{programme}__in": self.programmes,
            f"{package}__in": self.packages,
            f"{day_field}__gte": self.date_from,
            f"{day_field}__lte": self.date_to,
            "currency__in": self.original_currencies,
        }
        return queryset.filter(status=self.status, **{lookup: value for lookup, value in wanted.items() if value})


@dataclass
class Group:
    """One group's figures. Unknown is not zero: `delivered` is None when no delivery with a
    disclosed amount is recorded; `delivered_sum` is what is known (0 when nothing is)."""

    key: str | int | None
    label: str
    pledged: Decimal
    delivered_sum: Decimal
    pledges: int = 0
    deliveries: int = 0
    undisclosed_pledges: int = 0
    undisclosed_deliveries: int = 0
    covered: Decimal = Decimal(0)  # pledged value of the pledges with at least one delivery record

    @property
    def undisclosed(self) -> int:
        return self.undisclosed_pledges + self.undisclosed_deliveries

    @property
    def delivered(self) -> Decimal | None:
        return self.delivered_sum if self.deliveries > self.undisclosed_deliveries else None

    @property
    def delivered_share(self) -> Decimal | None:
        if not self.pledged or self.delivered is None:
            return None
        return (self.delivered / self.pledged).quantize(SHARE_QUANTUM)

    @property
    def delivery_coverage(self) -> Decimal | None:
        """Share of the disclosed pledged value whose pledges have a delivery record."""
        if not self.pledged:
            return None
        return (self.covered / self.pledged).quantize(SHARE_QUANTUM)

    @property
    def pledged_without_delivery(self) -> Decimal:
        """Disclosed pledged value with no delivery reported: what `delivered` cannot speak for."""
        return self.pledged - self.covered


@dataclass
class Summary:
    currency: str
    rates: Rates
    group_by: str
    groups: list[Group]
    total: Group
    rates_used: list[dict] = field(default_factory=list)

    @cached_property
    def rates_up_to(self) -> date | None:
        """The newest ECB rate day held, so a reader knows how fresh `latest` is (one query, when asked)."""
        return ecb_rates_up_to()


def summarize(
    *,
    group_by: str = "donor",
    currency: str = "EUR",
    rates: Rates = TRANSACTION,
    ledger_filter: LedgerFilter = LedgerFilter(),
    use_rollup: bool = True,
) -> Summary:
    """Raises ledger.rates.MissingRate when an amount has no rate on or before its day.

    `use_rollup=False` forces the exact Python path (to verify the fast one against it).
    """
    parts = None
    if ledger_filter.reads_records:
        parts = summary_records.parts(group_by, currency, rates, ledger_filter)
    elif use_rollup:
        parts = summary_sql.parts(group_by, currency, rates, ledger_filter)
        if parts is None:  # a target or dates the monthly rollup does not hold: the daily totals
            parts = summary_daily.parts(group_by, currency, rates, ledger_filter)
    if parts is None:
        parts = summary_python.parts(group_by, currency, rates, ledger_filter)
    return _assemble(group_by, currency, rates, parts)


def _labels(group_by: str, keys) -> dict:
    if group_by == "donor":
        return {d.code: d.name for d in Donor.objects.filter(code__in=keys)}
    if group_by == "programme":
        return {p.code: p.name for p in Programme.objects.filter(code__in=keys)}
    if group_by == "package":
        names = {p.code: p.label for p in Package.objects.filter(code__in=[k for k in keys if k])}
        return {**names, None: "no package"}
    return {key: str(key) for key in keys}


def _assemble(group_by: str, currency: str, rates: Rates, parts: Parts) -> Summary:
    zero = Decimal(0).quantize(quantum(currency))
    keys = {key for key, _ in parts.counts}
    labels = _labels(group_by, keys)
    groups = {key: Group(key, labels.get(key) or str(key), zero, zero, covered=zero) for key in keys}
    for (key, kind), value in parts.converted.items():
        if kind == "pledge":
            groups[key].pledged += value
        elif kind == "covered":
            groups[key].covered += value
        else:
            groups[key].delivered_sum += value
    for (key, kind), (records, undisclosed) in parts.counts.items():
        if kind == "pledge":
            groups[key].pledges, groups[key].undisclosed_pledges = records, undisclosed
        elif kind == "delivery":
            groups[key].deliveries, groups[key].undisclosed_deliveries = records, undisclosed
    if group_by in ("year", "month"):
        ordered = sorted(groups.values(), key=lambda g: str(g.key))
    else:
        ordered = sorted(groups.values(), key=lambda g: (-g.pledged, -g.delivered_sum, str(g.key)))
    total = Group(None, "total", zero, zero, covered=zero)
    for group in ordered:
        total.pledged += group.pledged
        total.delivered_sum += group.delivered_sum
        total.covered += group.covered
        total.pledges += group.pledges
        total.deliveries += group.deliveries
        total.undisclosed_pledges += group.undisclosed_pledges
        total.undisclosed_deliveries += group.undisclosed_deliveries
    rates_used = sorted(parts.used.values(), key=lambda q: (q["currency"], q["rate_date"]))
    return Summary(currency, rates, group_by, ordered, total, rates_used)


def path_differences() -> list[str]:
    """PostgreSQL's SQL paths against the exact path, by donor and by month, with transaction rates,
    into each rollup target and one currency outside it (`rebuild_totals --verify`)."""
    from aid import rollup
    from ledger import daily

    if not daily.supported():
        return []  # SQLite has only the exact path
    outside = next(code for code in ("NOK", "JPY", "CHF", "SEK") if code not in rollup.fast_targets())
    problems = []
    for currency in (*rollup.fast_targets(), outside):
        for group_by in ("donor", "month"):
            fast, exact = (_answer(group_by, currency, use_rollup) for use_rollup in (True, False))
            if fast != exact:
                problems.append(f"summary by {group_by} in {currency}: the SQL path differs from the exact path")
    return problems


def _answer(group_by: str, currency: str, use_rollup: bool):
    """The summary, or the missing rate both paths must name alike."""
    try:
        return summarize(group_by=group_by, currency=currency, use_rollup=use_rollup)
    except MissingRate as missing:
        return str(missing)
