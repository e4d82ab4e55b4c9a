"""The ledger checked against other trackers' figures (SPEC §6 `crosscheck/`, §7 donor pages).

For each tracker figure (a donor's total up to an as-of day, in the tracker's currency) the
ledger's pledged and delivered for that donor up to the same day, asked of the summary in the
tracker's currency with the request's rate rule: so the comparison is converted and rounded as
every other total. Figures sharing an as-of day and currency are answered by one summary.

`difference` is ledger − tracker; `ratio` is ledger ÷ tracker (4 decimals, half up). A ledger
with no record for the donor up to that day has null figures, never zero.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property

from django.utils.translation import gettext as _

from aid.context.models import TrackerFigure
from aid.context.normalise import merged_rates
from aid.summary import LedgerFilter, Rates, disclosure, summarize
from ledger.money import share

# At or above this share of a tracker's figure the ledger is called close to complete for the donor.
COMPLETE_FROM = Decimal("0.9")


@dataclass(frozen=True)
class Comparison:
    figure: TrackerFigure
    pledged: Decimal | None  # in figure.currency, up to figure.as_of
    delivered: Decimal | None
    pledges: int
    deliveries: int

    @property
    def pledged_difference(self) -> Decimal | None:
        return None if self.pledged is None else self.pledged - self.figure.amount

    @property
    def delivered_difference(self) -> Decimal | None:
        return None if self.delivered is None else self.delivered - self.figure.amount

    @property
    def pledged_ratio(self) -> Decimal | None:
        return share(self.pledged, self.figure.amount)

    @property
    def delivered_ratio(self) -> Decimal | None:
        return share(self.delivered, self.figure.amount)


@dataclass
class CrossCheck:
    rates: Rates
    comparisons: list[Comparison] = field(default_factory=list)
    disclosed: list[disclosure.Disclosed] = field(default_factory=list)  # each summary's rates used

    @cached_property
    def rates_used(self) -> list[dict]:
        """Every rate day the summaries used (read only when shown: a chart does not show them)."""
        return merged_rates(*(rates.days for rates in self.disclosed))

    @property
    def rates_ranges(self) -> list[dict]:
        return disclosure.ranges(self.rates_used)


def ledger_definitions() -> dict[str, str]:
    return {
        "pledged": _(
            "Pledges announced up to the as-of date, as published in this ledger from public statements; "
            "undisclosed amounts are not counted."
        ),
        "delivered": _(
            "Deliveries and payments recorded in this ledger up to the as-of date; many deliveries are never "
            "reported with a value."
        ),
    }


def figures(donors: tuple[str, ...] = ()):
    chosen = TrackerFigure.objects.select_related("donor").order_by("donor__code", "-as_of", "code")
    return chosen.filter(donor__code__in=donors) if donors else chosen


def _ask(currency: str, rates: Rates, ledger_filter: LedgerFilter):
    return summarize(group_by="donor", currency=currency, rates=rates, ledger_filter=ledger_filter)


def cross_check(
    *,
    donors: tuple[str, ...] = (),
    rates: Rates | None = None,
    ledger_filter: LedgerFilter | None = None,
    ask: Callable = _ask,
) -> CrossCheck:
    """Every tracker figure of `donors` (all donors with one when empty) beside the ledger's figures.

    `ledger_filter` carries what else the request narrows (its donors and end day are replaced);
    `ask(currency, rates, ledger_filter)` is the summary by donor (a caller may add a point in time).
    """
    rates = rates or Rates()
    ledger_filter = ledger_filter or LedgerFilter()
    result = CrossCheck(rates)
    chosen = list(figures(donors))
    batches: dict[tuple, list[TrackerFigure]] = {}
    for figure in chosen:
        batches.setdefault((figure.as_of, figure.currency), []).append(figure)
    ledger = {}
    for (as_of, currency), batch in sorted(batches.items()):
        codes = tuple(sorted({figure.donor.code for figure in batch}))
        summary = ask(currency, rates, replace(ledger_filter, donors=codes, date_to=as_of))
        for group in summary.groups:
            ledger[as_of, currency, group.key] = group
        result.disclosed.append(summary.disclosed)
    for figure in chosen:
        group = ledger.get((figure.as_of, figure.currency, figure.donor.code))
        if group is None:
            result.comparisons.append(Comparison(figure, None, None, 0, 0))
            continue
        pledged = group.pledged if group.pledges > group.undisclosed_pledges else None
        delivered = group.delivered if group.deliveries > group.undisclosed_deliveries else None
        result.comparisons.append(Comparison(figure, pledged, delivered, group.pledges, group.deliveries))
    return result


def newest_by_donor(check: CrossCheck) -> dict[str, Comparison]:
    """Each donor's comparison with its newest tracker figure (for the overview's completeness)."""
    newest: dict[str, Comparison] = {}
    for comparison in check.comparisons:
        held = newest.get(comparison.figure.donor.code)
        if held is None or comparison.figure.as_of > held.figure.as_of:
            newest[comparison.figure.donor.code] = comparison
    return newest
