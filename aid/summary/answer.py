"""A summary's answer: its groups and total, assembled from the parts a path computed."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from aid import reference_rows
from aid.models import Donor, Package, Programme
from aid.summary.disclosure import Disclosed
from aid.summary.parts import DONOR_PACKAGE, Parts
from ledger.conversion import Rates
from ledger.money import quantum, share
from ledger.rates import ecb_rates_up_to

GROUP_BY = ("donor", "programme", "package", "year", "month")


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
        return share(self.delivered, self.pledged)

    @property
    def delivery_coverage(self) -> Decimal | None:
        """Share of the disclosed pledged value whose pledges have a delivery record."""
        return share(self.covered, self.pledged)

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
    disclosed: Disclosed = field(default_factory=Disclosed)

    @property
    def rates_used(self) -> list[dict]:
        """Every rate day used, (currency, rate_date) once (read when asked for on the SQL paths)."""
        return self.disclosed.days

    @rates_used.setter
    def rates_used(self, quotes: list[dict]) -> None:
        self.disclosed = Disclosed(quotes)

    @property
    def rates_ranges(self) -> list[dict]:
        """The rates used folded per currency and source (aid.summary.disclosure)."""
        return self.disclosed.ranges

    @cached_property
    def rates_up_to(self) -> date | None:
        """The newest ECB rate day held, so a reader knows how fresh `latest` is (one query, when asked)."""
        return ecb_rates_up_to(self.rates.held_at)


def _labels(group_by: str, keys) -> dict:
    if group_by == "donor":
        return reference_rows.names(Donor, keys)
    if group_by == DONOR_PACKAGE:  # the donor's name: the packages chart names each donor's share
        names = _labels("donor", {donor for donor, _package in keys})
        return {key: names.get(key[0]) for key in keys}
    if group_by == "programme":
        return reference_rows.names(Programme, keys)
    if group_by == "package":
        return {**Package.labels([k for k in keys if k]), None: "no package"}
    return {key: str(key) for key in keys}


def assemble(group_by: str, currency: str, rates: Rates, parts: Parts) -> Summary:
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
    return Summary(currency, rates, group_by, ordered, total, parts.disclosed())
