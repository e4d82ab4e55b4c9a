"""The cross-check on the public pages: a donor's table and sentence, the overview's completeness.

The figures are those of `crosscheck/` (aid.context.crosscheck), over the whole published ledger
with the page's conversion rule: a page's own filters (a programme, a date range) would make the
comparison with a tracker's total meaningless.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from aid.charts import formatting as fmt
from aid.charts.controls import ChartParams
from aid.context.crosscheck import COMPLETE_FROM, Comparison, cross_check, ledger_definitions, newest_by_donor
from aid.summary import LedgerFilter

# Above this share the ledger holds more than the tracker counts (pledges include aid not yet allocated).
BEYOND = Decimal("1.1")


@dataclass
class Row:
    comparison: Comparison
    tracker_amount: str
    pledged: str
    delivered: str
    pledged_share: str
    delivered_share: str
    as_of: str
    sentence: str


def percent(ratio: Decimal) -> str:
    return fmt.number((ratio * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP), 0)


def sentence(comparison: Comparison) -> str:
    figure = comparison.figure
    names = {"tracker": figure.tracker, "donor": figure.donor.name, "day": fmt.day(figure.as_of)}
    share = comparison.pledged_ratio
    if share is None:
        return _(
            "This ledger holds no pledge with a known amount for %(donor)s up to %(day)s, where %(tracker)s "
            "counts %(amount)s; its records are incomplete for this donor."
        ) % {**names, "amount": fmt.amount(figure.amount, figure.currency)}
    names["percent"] = percent(share)
    if share < COMPLETE_FROM:
        text = _(
            "This ledger holds %(percent)s %% of what %(tracker)s counts for %(donor)s up to %(day)s; "
            "its records are incomplete for this donor."
        )
    elif share <= BEYOND:
        text = _(
            "This ledger holds %(percent)s %% of what %(tracker)s counts for %(donor)s up to %(day)s: "
            "close to it, though the two count different things."
        )
    else:
        text = _(
            "This ledger holds %(percent)s %% of what %(tracker)s counts for %(donor)s up to %(day)s: "
            "more, because pledges include aid not yet allocated or delivered."
        )
    return text % names


def _share(value: Decimal | None) -> str:
    return "–" if value is None else f"{percent(value)} %"


def row(comparison: Comparison) -> Row:
    figure = comparison.figure
    return Row(
        comparison=comparison,
        tracker_amount=fmt.amount(figure.amount, figure.currency),
        pledged=fmt.amount(comparison.pledged, figure.currency) if comparison.pledged is not None else "–",
        delivered=fmt.amount(comparison.delivered, figure.currency) if comparison.delivered is not None else "–",
        pledged_share=_share(comparison.pledged_ratio),
        delivered_share=_share(comparison.delivered_ratio),
        as_of=fmt.day(figure.as_of),
        sentence=sentence(comparison),
    )


def _moment(params: ChartParams) -> LedgerFilter:
    """The ledger as the page asks about it (now, or as of a moment); the rest is the tracker's."""
    return LedgerFilter(as_of=params.ledger_filter.as_of)


def donor_crosscheck(params: ChartParams, code: str) -> dict:
    """The donor page's table (every figure, newest first) and the sentence for the newest one."""
    check = cross_check(donors=(code,), rates=params.rates, ledger_filter=_moment(params))
    rows = [row(comparison) for comparison in check.comparisons]
    return {"rows": rows, "sentence": rows[0].sentence if rows else "", "definitions": ledger_definitions()}


def completeness(params: ChartParams) -> list[Row]:
    """Per donor, the ledger against its newest tracker figure, least complete first."""
    newest = newest_by_donor(cross_check(rates=params.rates, ledger_filter=_moment(params)))
    rows = [row(comparison) for comparison in newest.values()]
    return sorted(rows, key=lambda r: (r.comparison.pledged_ratio or Decimal(0), r.comparison.figure.donor.code))
