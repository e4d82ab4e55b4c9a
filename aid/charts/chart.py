"""What a chart is made of: its series, the table of the same numbers, and what it must say.

Values are exact Decimals in the chart's currency; `None` is a value that is not plotted
(undisclosed, or nothing recorded for that bar), never a zero.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from aid.charts.controls import ChartParams
from aid.summary import Group


@dataclass
class Cell:
    text: str
    raw: str = ""  # the CSV value: a plain decimal, code or ISO date
    link: str = ""
    numeric: bool = False


@dataclass
class Table:
    columns: list[str]
    rows: list[list[Cell]]


@dataclass
class Series:
    name: str
    role: str  # "pledged", "delivered", "need", or the donor code of a stacked part
    values: list[Decimal | None]
    hover: list[str]
    style: str = "bar"  # "bar", "line" (a level) or "step" (a running total)
    # Words written where a category has no bar for a reason ("no delivery reported"); '' elsewhere.
    gaps: list[str] = field(default_factory=list)


@dataclass
class Chart:
    slug: str
    subject: str | None
    title: str
    description: str  # the text alternative: what the chart shows, in words
    categories: list[str]
    series: list[Series]
    params: ChartParams
    api_url: str
    table: Table
    layout: str = "group"  # "group" or "stack"; "horizontal" or "horizontal-stack" for long labels
    notes: list[str] = field(default_factory=list)
    sources: list[tuple[str, str]] = field(default_factory=list)  # (title, url)
    total: Group | None = None
    # A chart in context (% of GDP, per person: aid.context.charts) plots its values as they are.
    context_unit: str = ""

    @property
    def currency(self) -> str:
        return self.params.currency

    @property
    def in_millions(self) -> bool:
        return not self.context_unit

    @property
    def unit(self) -> str:
        return self.context_unit or _("%(currency)s million") % {"currency": self.currency}

    @property
    def rule(self) -> str:
        return conversion_rule(self.params)

    @property
    def bars(self) -> int:
        return len(self.categories)


def conversion_rule(params: ChartParams) -> str:
    rates = params.rates
    if rates.mode == "latest":
        how = _("the newest ECB euro reference rate held for each currency")
    elif rates.mode == "day":
        how = _("the ECB euro reference rates of %(day)s (or the latest earlier publication)") % {
            "day": rates.day.isoformat()
        }
    else:
        how = _("the ECB euro reference rates of each amount's own date (or the latest earlier publication)")
    return _("Amounts in %(currency)s, converted with %(how)s.") % {"currency": params.currency, "how": how}
