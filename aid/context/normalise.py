"""Totals in context: a donor's pledged and delivered as a share of its GDP, or per person (SPEC §6).

The rule, in one place:
- `per=gdp`: the donor's value converted into the currency its GDP is stated in, by the request's
  rate rule (the summary's own conversion, asked again in that currency), divided by the GDP,
  times 100: a percentage rounded half up to 3 decimals.
- `per=capita`: the donor's value in the report currency divided by its population, rounded half
  up to 2 decimals.
Each donor uses its newest year of the indicator, named in the answer. A donor without the
indicator gets null and is listed in `missing`: never dropped, never zero.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext

from aid.context.models import Indicator, IndicatorName

PER = ("gdp", "capita")
INDICATOR = {"gdp": IndicatorName.GDP, "capita": IndicatorName.POPULATION}
QUANTUM = {"gdp": Decimal("0.001"), "capita": Decimal("0.01")}
PRECISION = 50


@dataclass(frozen=True)
class PerGroup:
    pledged: Decimal | None
    delivered: Decimal | None
    indicator: Indicator | None


@dataclass
class Normalised:
    per: str
    groups: dict = field(default_factory=dict)  # donor code -> PerGroup
    missing: list[str] = field(default_factory=list)
    rates_used: list[dict] = field(default_factory=list)  # of the conversions into GDP currencies


def newest_indicators(name: str, codes) -> dict[str, Indicator]:
    """Each donor's newest figure of the indicator, in one query."""
    newest: dict[str, Indicator] = {}
    for indicator in Indicator.objects.filter(name=name, donor__code__in=codes).select_related("donor"):
        held = newest.get(indicator.donor.code)
        if held is None or indicator.year > held.year:
            newest[indicator.donor.code] = indicator
    return newest


def ratio(value: Decimal | None, denominator: Decimal, per: str) -> Decimal | None:
    if value is None:
        return None
    with localcontext() as ctx:
        ctx.prec = PRECISION
        exact = value / denominator * (100 if per == "gdp" else 1)
        return exact.quantize(QUANTUM[per], rounding=ROUND_HALF_UP)


def _values_in(summary, currency: str, codes: list[str], summarize_in, rates_used: list) -> dict:
    """(pledged, delivered) per donor code in `currency`, by the summary's own conversion."""
    if currency != summary.currency:
        summary = summarize_in(currency, tuple(codes))
        rates_used += summary.rates_used
    return {group.key: (group.pledged, group.delivered) for group in summary.groups}


def normalise(summary, per: str, summarize_in: Callable) -> Normalised:
    """`summary` is grouped by donor; `summarize_in(currency, donor_codes)` asks the same question
    (same rates, filters and point in time) in another currency, for GDPs stated in it."""
    codes = [group.key for group in summary.groups]
    indicators = newest_indicators(INDICATOR[per], codes)
    result = Normalised(per, missing=sorted(code for code in codes if code not in indicators))
    by_currency: dict[str, list[str]] = {}
    for code, indicator in indicators.items():
        currency = indicator.unit if per == "gdp" else summary.currency
        by_currency.setdefault(currency, []).append(code)
    values = {}
    for currency, members in sorted(by_currency.items()):
        values.update(_values_in(summary, currency, members, summarize_in, result.rates_used))
    for code in codes:
        indicator = indicators.get(code)
        if indicator is None:
            result.groups[code] = PerGroup(None, None, None)
            continue
        pledged, delivered = values[code]
        result.groups[code] = PerGroup(
            ratio(pledged, indicator.value, per), ratio(delivered, indicator.value, per), indicator
        )
    return result


def merged_rates(*lists) -> list[dict]:
    """Rates disclosed by several summaries, each (currency, day) once, stale if stale for any."""
    merged: dict[tuple, dict] = {}
    for quotes in lists:
        for quote in quotes:
            held = merged.setdefault((quote["currency"], str(quote["rate_date"])), dict(quote))
            held["stale"] = held["stale"] or quote["stale"]
    return [merged[key] for key in sorted(merged)]


def plain(value: Decimal) -> str:
    """An indicator's value without trailing zero decimals (a population is a whole number)."""
    return str(value.quantize(Decimal(1))) if value == value.to_integral_value() else str(value)


def indicator_data(indicator: Indicator | None) -> dict | None:
    if indicator is None:
        return None
    return {
        "name": indicator.name,
        "year": indicator.year,
        "value": plain(indicator.value),
        "unit": indicator.unit,
        "source": {"url": indicator.source_url, "title": indicator.source_title, "kind": indicator.source_kind or None},
    }


def annotate(data: dict, normalised: Normalised) -> dict:
    """Adds `per`, `missing_indicator` and each group's `pledged_per`, `delivered_per`, `indicator`
    (the rates that converted into a GDP's currency are merged into the summary's by the caller)."""
    for group in data["groups"]:
        per_group = normalised.groups[group["key"]]
        group["pledged_per"] = None if per_group.pledged is None else str(per_group.pledged)
        group["delivered_per"] = None if per_group.delivered is None else str(per_group.delivered)
        group["indicator"] = indicator_data(per_group.indicator)
    return {
        **data,
        "per": normalised.per,
        "missing_indicator": normalised.missing,
    }
