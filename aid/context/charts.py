"""The overview's and donor pages' charts in context: % of GDP or per person (`?per=gdp|capita`).

The numbers are those of `summary/?per=` (aid.context.normalise); the caption names each
indicator's year and source, and the donors without one are named, never drawn as zero.
"""

import dataclasses
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from aid.charts import formatting as fmt
from aid.charts.chart import Cell, Chart, Series, Table
from aid.charts.controls import ChartParams
from aid.context.normalise import INDICATOR, newest_indicators, normalise, ratio
from aid.models import Donor
from aid.summary import summarize


def unit(params: ChartParams) -> str:
    if params.per == "gdp":
        return _("% of GDP")
    return _("%(currency)s per person") % {"currency": params.currency}


def per_text(value: Decimal | None, params: ChartParams) -> str:
    if value is None:
        return "–"
    if params.per == "gdp":
        return f"{fmt.number(value, 3)} %"
    return f"{params.currency} {fmt.number(value, 2)}"


def indicator_caption(indicators, params: ChartParams) -> str:
    years = sorted({indicator.year for indicator in indicators})
    what = capfirst(_("GDP") if params.per == "gdp" else _("population"))
    if params.per == "gdp":
        rule = _("each donor's amounts converted into the currency of its GDP with the same rates, divided by it")
    else:
        rule = _("each donor's amounts in %(currency)s divided by its population") % {"currency": params.currency}
    titles = ", ".join(dict.fromkeys(indicator.source_title or indicator.source_url for indicator in indicators))
    return _("%(what)s of %(years)s (source: %(sources)s): %(rule)s; rounded half up.") % {
        "what": what, "years": ", ".join(str(year) for year in years) or "–", "rule": rule, "sources": titles or "–",
    }  # fmt: skip


def sources(indicators) -> list[tuple[str, str]]:
    seen = {}
    for indicator in indicators:
        seen.setdefault(indicator.source_url, indicator.source_title or indicator.source_url)
    return [(title, url) for url, title in seen.items()]


def missing_note(names: list[str], params: ChartParams) -> list[str]:
    if not names:
        return []
    what = _("GDP") if params.per == "gdp" else _("population")
    return [_("No %(what)s figure held for: %(donors)s (not drawn).") % {"what": what, "donors": ", ".join(names)}]


def _in_currency(params: ChartParams, group_by: str):
    def ask(currency: str, donors: tuple[str, ...]):
        narrowed = dataclasses.replace(params.ledger_filter, donors=donors)
        return summarize(group_by=group_by, currency=currency, rates=params.rates, ledger_filter=narrowed)

    return ask


def donors_chart(params: ChartParams, programme=None) -> Chart:
    """Pledged and delivered per donor as % of GDP or per person, largest first."""
    summary = summarize(
        group_by="donor", currency=params.currency, rates=params.rates, ledger_filter=params.ledger_filter
    )
    result = normalise(summary, params.per, _in_currency(params, "donor"))
    groups = sorted(summary.groups, key=lambda g: (result.groups[g.key].pledged is None,
                                                    -(result.groups[g.key].pledged or 0), g.label))  # fmt: skip
    drawn = [g for g in groups if result.groups[g.key].indicator is not None]
    labels = [g.label for g in drawn]
    series = []
    for role, name in (("pledged", _("Pledged")), ("delivered", _("Delivered"))):
        values = [getattr(result.groups[g.key], role) for g in drawn]
        hovers = [f"{label}<br>{name}: {per_text(v, params)}" for label, v in zip(labels, values, strict=True)]
        series.append(Series(name, role, values, hovers))
    rows = []
    for g in groups:
        per = result.groups[g.key]
        indicator = per.indicator
        rows.append([
            Cell(g.label, g.key, reverse("charts:donor", args=[g.key])),
            Cell(per_text(per.pledged, params), "" if per.pledged is None else str(per.pledged), numeric=True),
            Cell(per_text(per.delivered, params), "" if per.delivered is None else str(per.delivered), numeric=True),
            Cell(fmt.amount(g.pledged, params.currency), str(g.pledged), numeric=True),
            Cell(str(indicator.year) if indicator else "–", str(indicator.year) if indicator else ""),
            Cell(f"{indicator.unit} {fmt.number(indicator.value, 0)}" if indicator else "–",
                 str(indicator.value) if indicator else "", numeric=True),
        ])  # fmt: skip
    indicators = [p.indicator for p in result.groups.values() if p.indicator]
    missing = [g.label for g in groups if result.groups[g.key].indicator is None]
    columns = [_("Donor"), _("Pledged") + f" ({unit(params)})", _("Delivered") + f" ({unit(params)})",
               _("Pledged"), _("Year"), _("GDP") if params.per == "gdp" else _("Population")]  # fmt: skip
    title = (
        _("Pledged and delivered per donor, as a share of GDP")
        if params.per == "gdp"
        else _("Pledged and delivered per donor, per person")
    )
    if programme:
        title = f"{title}: {programme.name}"
    return Chart(
        slug="donors", subject=programme.code if programme else None, title=title,
        description=_("Horizontal bars, two per donor (pledged, delivered), %(count)d donors, largest first.")
        % {"count": len(labels)} + " " + indicator_caption(indicators, params),
        categories=labels, series=series, params=params, api_url=params.api_url("donor"),
        table=Table(columns, rows), layout="horizontal", notes=missing_note(missing, params),
        sources=sources(indicators), total=summary.total, context_unit=unit(params),
    )  # fmt: skip


def donor_years_chart(params: ChartParams, subject: str | None = None) -> Chart:
    """One donor's pledged and delivered per year, as % of its GDP or per person."""
    donor = get_object_or_404(Donor, code=(subject or "").upper())
    params = params.only(donor=donor.code)
    indicator = newest_indicators(INDICATOR[params.per], [donor.code]).get(donor.code)
    summary = summarize(
        group_by="year", currency=params.currency, rates=params.rates, ledger_filter=params.ledger_filter
    )
    in_indicator = summary
    if indicator and params.per == "gdp" and indicator.unit != params.currency:
        in_indicator = _in_currency(params, "year")(indicator.unit, (donor.code,))
    values = {g.key: g for g in in_indicator.groups}
    years = [g.key for g in summary.groups]
    labels = [str(year) for year in years]
    series, rows = [], []
    for role, name in (("pledged", _("Pledged")), ("delivered", _("Delivered"))):
        points = [ratio(getattr(values[y], role), indicator.value, params.per) if indicator else None for y in years]
        hovers = [f"{label}<br>{name}: {per_text(v, params)}" for label, v in zip(labels, points, strict=True)]
        series.append(Series(name, role, points, hovers))
    for index, year in enumerate(years):
        pledged, delivered = series[0].values[index], series[1].values[index]
        rows.append([
            Cell(str(year), str(year)),
            Cell(per_text(pledged, params), "" if pledged is None else str(pledged), numeric=True),
            Cell(per_text(delivered, params), "" if delivered is None else str(delivered), numeric=True),
        ])  # fmt: skip
    columns = [_("Year"), _("Pledged") + f" ({unit(params)})", _("Delivered") + f" ({unit(params)})"]
    title = (_("%(donor)s: pledged and delivered per year, as a share of GDP") if params.per == "gdp"
             else _("%(donor)s: pledged and delivered per year, per person")) % {"donor": donor.name}  # fmt: skip
    return Chart(
        slug="donor-years", subject=donor.code, title=title,
        description=_("Bars, two per year (pledged, delivered), over %(count)d years.") % {"count": len(labels)}
        + " " + indicator_caption([indicator] if indicator else [], params),
        categories=labels, series=series, params=params, api_url=params.api_url("year"),
        table=Table(columns, rows), notes=missing_note([] if indicator else [donor.name], params),
        sources=sources([indicator] if indicator else []), total=summary.total, context_unit=unit(params),
    )  # fmt: skip
