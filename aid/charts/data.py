"""The plotted series, each from `aid.summary.summarize` with the reader's parameters.

So a chart and `/api/v1/summary/` with the same query show the same numbers. A group whose
amounts are all undisclosed is not plotted (it is counted in the notes and the table); amounts
given as "at least" or "approximately" are said so in the hover text and the table.
"""

import dataclasses
import operator
from decimal import Decimal
from functools import reduce

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from aid.charts import formatting as fmt
from aid.charts import selectors
from aid.charts.chart import Cell, Chart, Series, Table
from aid.charts.controls import ChartParams
from aid.context import charts as context_charts
from aid.models import Donor, Package, Programme
from aid.summary import Group, summarize
from aid.summary.filter import NO_PACKAGE
from aid.summary.parts import DONOR_PACKAGE
from ledger.conversion import convert
from ledger.money import quantum, share

ZERO = Decimal(0)


def nothing(params: ChartParams, key=None) -> Group:
    """A period with no records: zero, at the currency's precision (not undisclosed)."""
    zero = ZERO.quantize(quantum(params.currency))
    return Group(key, str(key or ""), zero, zero)


def donor_pages_source() -> tuple[str, str]:
    return (_("Each donor's page lists its records with their sources"), "")


def summarize_for(params: ChartParams, group_by: str):
    return summarize(
        group_by=group_by, currency=params.currency, rates=params.rates, ledger_filter=params.ledger_filter
    )


def plotted(group: Group, kind: str) -> Decimal | None:
    """The group's pledged or delivered amount, or None when every such record is undisclosed."""
    records, undisclosed = (
        (group.pledges, group.undisclosed_pledges)
        if kind == "pledge"
        else (group.deliveries, group.undisclosed_deliveries)
    )
    if records and records == undisclosed:
        return None
    return group.pledged if kind == "pledge" else group.delivered


def hover(label: str, what: str, value: Decimal | None, currency: str, qualified: dict, undisclosed: int = 0) -> str:
    lines = [label, f"{what}: {fmt.in_millions(value, currency) if value is not None else fmt.amount(None, '')}"]
    lines += [
        note for note in (fmt.qualified_counts(qualified), undisclosed and fmt.undisclosed_count(undisclosed)) if note
    ]
    return "<br>".join(lines)


def money_cell(value: Decimal | None, currency: str) -> Cell:
    return Cell(fmt.amount(value, currency), "" if value is None else str(value), numeric=True)


def count_cell(value: int) -> Cell:
    return Cell(fmt.number(Decimal(value), 0), str(value), numeric=True)


def notes_cell(*parts: str) -> Cell:
    text = "; ".join(part for part in parts if part)
    return Cell(text, text)


def undisclosed_note(total: Group) -> list[str]:
    if not total.undisclosed:
        return []
    return [
        _("%(count)s counted but not plotted: their value is not public.")
        % {"count": fmt.undisclosed_count(total.undisclosed)}
    ]


def _pledged_and_delivered(groups, labels, currency, qualified, key_of=lambda g: g.key):
    pledged, delivered = [], []
    for group, label in zip(groups, labels, strict=True):
        for kind, name, series in (("pledge", _("Pledged"), pledged), ("delivery", _("Delivered"), delivered)):
            value = plotted(group, kind)
            undisclosed = group.undisclosed_pledges if kind == "pledge" else group.undisclosed_deliveries
            text = hover(label, name, value, currency, qualified.get((key_of(group), kind), {}), undisclosed)
            if kind == "delivery" and not group.deliveries:
                text = f"{label}<br>{name}: {fmt.no_delivery()}"
            series.append((value, text))
    gaps = [fmt.no_delivery() if not group.deliveries else "" for group in groups]
    return [
        Series(_("Pledged"), "pledged", [v for v, _h in pledged], [h for _v, h in pledged]),
        Series(_("Delivered"), "delivered", [v for v, _h in delivered], [h for _v, h in delivered], gaps=gaps),
    ]


def reported_cell(value: Decimal | None, currency: str) -> Cell:
    """A delivered amount, or the words for none reported: a blank raw value, never 0."""
    return Cell(fmt.no_delivery(), "", numeric=True) if value is None else money_cell(value, currency)


def delivered_cell(group: Group, currency: str) -> Cell:
    if not group.deliveries:
        return reported_cell(None, currency)
    return money_cell(plotted(group, "delivery"), currency)


def _group_row(first: Cell, group: Group, currency: str, qualified: dict) -> list[Cell]:
    return [
        first,
        money_cell(plotted(group, "pledge"), currency),
        delivered_cell(group, currency),
        Cell(
            fmt.share(group.delivered_share),
            "" if group.delivered_share is None else str(group.delivered_share),
            numeric=True,
        ),
        Cell(
            fmt.share(group.delivery_coverage),
            "" if group.delivery_coverage is None else str(group.delivery_coverage),
            numeric=True,
        ),
        count_cell(group.pledges),
        count_cell(group.deliveries),
        count_cell(group.undisclosed),
        notes_cell(
            fmt.qualified_counts(qualified.get((group.key, "pledge"), {})),
            fmt.qualified_counts(qualified.get((group.key, "delivery"), {})),
        ),
    ]


def _group_columns(first: str) -> list[str]:
    return [first, _("Pledged"), _("Delivered"), _("Delivered share"), _("Delivery coverage"), _("Pledges"),
            _("Deliveries"),
            _("Undisclosed amounts"), _("Notes")]  # fmt: skip


def donors_chart(params: ChartParams, subject: str | None = None) -> Chart:
    """Pledged vs delivered per donor, largest pledge first (all programmes, or one)."""
    programme = get_object_or_404(Programme, code=subject) if subject else None
    if programme:
        params = params.only(programme=programme.code)
    if params.per:
        return context_charts.donors_chart(params, programme)
    summary = summarize_for(params, "donor")
    qualified = selectors.qualified("donor", params.ledger_filter)
    labels = [group.label for group in summary.groups]
    rows = [
        _group_row(Cell(g.label, g.key, reverse("charts:donor", args=[g.key])), g, params.currency, qualified)
        for g in summary.groups
    ]
    rows.append(_group_row(Cell(_("Total"), "total"), summary.total, params.currency, {}))
    title = _("Pledged and delivered per donor")
    if programme:
        title = _("Pledged and delivered per donor: %(programme)s") % {"programme": programme.name}
    return Chart(
        slug="donors", subject=programme.code if programme else None, title=title,
        description=_("Horizontal bars, two per donor (pledged, delivered), %(count)d donors, largest pledge first.")
        % {"count": len(labels)},
        categories=labels, series=_pledged_and_delivered(summary.groups, labels, params.currency, qualified),
        params=params, api_url=params.api_url("donor"), table=Table(_group_columns(_("Donor")), rows),
        layout="horizontal", notes=undisclosed_note(summary.total), total=summary.total,
        sources=[donor_pages_source()],
    )  # fmt: skip


def month_range(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _by_month(params: ChartParams) -> tuple[list[str], dict, Group]:
    summary = summarize_for(params, "month")
    keys = [group.key for group in summary.groups]
    months = month_range(keys[0], keys[-1]) if keys else []
    return months, {group.key: group for group in summary.groups}, summary.total


def cumulative_chart(params: ChartParams, subject: str | None = None) -> Chart:
    """Pledged and delivered to date, month by month."""
    months, groups, total = _by_month(params)
    qualified = selectors.qualified("month", params.ledger_filter)
    empty = nothing(params)
    pledged = delivered_sum = empty.pledged
    undisclosed = 0
    reported = False  # until a delivery amount is reported, delivered to date is unknown, not zero
    labels, rows, points, values = [fmt.month(m) for m in months], [], [], []
    for key, label in zip(months, labels, strict=True):
        group = groups.get(key, empty)
        pledged, delivered_sum, undisclosed = (
            pledged + group.pledged,
            delivered_sum + group.delivered_sum,
            undisclosed + group.undisclosed,
        )
        reported = reported or group.delivered is not None
        delivered = delivered_sum if reported else None
        to_date = {"pledge": pledged, "delivery": delivered}
        values.append((pledged, delivered))
        notes = {kind: qualified.get((key, kind), {}) for kind in to_date}
        points.append([hover(label, what, to_date[kind], params.currency, {}, undisclosed) for kind, what in
                       (("pledge", _("Pledged to date")), ("delivery", _("Delivered to date")))])  # fmt: skip
        if delivered is None:
            points[-1][1] = f"{label}<br>{_('Delivered to date')}: {fmt.no_delivery()}"
        rows.append([
            Cell(label, key), money_cell(group.pledged, params.currency), delivered_cell(group, params.currency),
            money_cell(pledged, params.currency), reported_cell(delivered, params.currency), count_cell(group.undisclosed),
            notes_cell(fmt.qualified_counts(notes["pledge"]), fmt.qualified_counts(notes["delivery"])),
        ])  # fmt: skip
    series = [
        Series(_("Pledged to date"), "pledged", [v[0] for v in values], [p[0] for p in points], style="step"),
        Series(_("Delivered to date"), "delivered", [v[1] for v in values], [p[1] for p in points], style="step"),
    ]
    columns = [_("Month"), _("Pledged in the month"), _("Delivered in the month"), _("Pledged to date"),
               _("Delivered to date"), _("Undisclosed amounts"), _("Notes")]  # fmt: skip
    return Chart(
        slug="cumulative", subject=None, title=_("Pledged and delivered over time"),
        description=_("Two step lines, pledged to date and delivered to date, month by month over %(count)d months.")
        % {"count": len(months)},
        categories=labels, series=series, params=params, api_url=params.api_url("month"),
        table=Table(columns, rows), notes=undisclosed_note(total), total=total, sources=[donor_pages_source()],
    )  # fmt: skip


def _package_labels(programme: Programme, keys) -> dict:
    names = {p.code: p.label for p in Package.objects.filter(programme=programme, code__in=keys)}
    return {**names, None: _("Not part of a package")}


def _package_notes(programme: Programme, keys) -> list[str]:
    notes = []
    for package in Package.objects.filter(programme=programme, code__in=keys).exclude(amount_minor=None):
        qualifier = fmt.qualifier(package.amount_qualifier)
        notes.append(
            _("%(package)s: announced as %(qualifier)s%(amount)s for the whole package (shown, not added).")
            % {
                "package": package.label,
                "qualifier": f"{qualifier} " if qualifier else "",
                "amount": fmt.amount(package.amount, package.currency),
            }  # fmt: skip
        )
    return notes


def _donors_and_packages(params: ChartParams) -> tuple[list[Group], dict]:
    """The donors (largest pledge first) and each donor's groups by package, from one summary by
    (donor, package): the same parts, rounded alike, as a summary by package for each donor."""
    by_donor: dict[str, dict] = {}
    donors: dict[str, Group] = {}
    zero = nothing(params).pledged
    for pair in summarize_for(params, DONOR_PACKAGE).groups:
        donor, package = pair.key
        by_donor.setdefault(donor, {})[package] = pair
        total = donors.setdefault(donor, Group(donor, pair.label, zero, zero))
        total.pledged, total.delivered_sum = total.pledged + pair.pledged, total.delivered_sum + pair.delivered_sum
    ordered = sorted(donors.values(), key=lambda g: (-g.pledged, -g.delivered_sum, g.key))
    return ordered, by_donor


# A chart draws a programme's most recent packages, a bar each (PURL has a few dozen); the chart's
# CSV holds them all. At 1M + 1M generated records 5,000 packages made the programme page 36 MB
# (a bar and a table row for each donor of each package) in 17 s.
PACKAGES_DRAWN = 30


def packages_chart(params: ChartParams, subject: str | None = None, *, whole: bool = False) -> Chart:
    """A programme's packages, each bar stacked from the donors that fund it: the PACKAGES_DRAWN
    most recent ones (every one when `whole`) and the records in no package.

    Only the drawn packages are summed: by donor and package over every pair, 5,000 generated
    packages took 6.5 s at 1M + 1M records for the 30 drawn. The donors are ordered by what
    they gave to what is drawn."""
    programme = get_object_or_404(Programme, code=subject)
    params = params.only(programme=programme.code)
    packages = _packages_with_records(programme, params.ledger_filter)
    drawn = packages if whole else packages[-PACKAGES_DRAWN:]
    summed = params
    if len(drawn) < len(packages):
        chosen = params.ledger_filter.packages
        rest = (NO_PACKAGE,) if not chosen or NO_PACKAGE in chosen else ()
        summed = dataclasses.replace(
            params, ledger_filter=dataclasses.replace(params.ledger_filter, packages=(*drawn, *rest))
        )
    donors, by_donor = _donors_and_packages(summed)
    keys = [key for key in [*drawn, None] if any(key in groups for groups in by_donor.values())]
    labels = _package_labels(programme, keys)
    qualified = selectors.qualified("package", summed.ledger_filter, by_donor=True)
    series, rows = [], []
    for donor in donors:
        values, hovers = [], []
        for key in keys:
            group = by_donor[donor.key].get(key)
            value = plotted(group, "pledge") if group else None
            values.append(value)
            notes = qualified.get(((donor.key, key), "pledge"), {})
            undisclosed = group.undisclosed_pledges if group else 0
            hovers.append(
                hover(f"{labels[key]} · {donor.label}", _("Pledged"), value, params.currency, notes, undisclosed)
            )
            if group:
                rows.append([Cell(labels[key], key or ""), Cell(donor.label, donor.key), money_cell(value, params.currency),
                             count_cell(group.pledges), notes_cell(fmt.qualified_counts(notes),
                                                                   undisclosed and fmt.undisclosed_count(undisclosed))])  # fmt: skip
        series.append(Series(donor.label, donor.key, values, hovers))
    return Chart(
        slug="packages", subject=programme.code,
        title=_("%(programme)s: packages and the donors that fund them") % {"programme": programme.name},
        description=_("Horizontal stacked bars, one per package (%(count)d), each split by the donors that fund it.")
        % {"count": len(keys)},
        categories=[labels[k] for k in keys], series=series, params=params, api_url=params.api_url("package"),
        table=Table([_("Package"), _("Donor"), _("Pledged"), _("Pledges"), _("Notes")], rows),
        layout="horizontal-stack", notes=_cut_note(len(drawn), len(packages)) + _package_notes(programme, drawn),
    )  # fmt: skip


def _packages_with_records(programme: Programme, ledger_filter) -> list[str]:
    """The codes of the programme's packages that the filter selects a record of, oldest first."""
    named = reduce(
        operator.or_,
        (
            Exists(selectors.records(model, ledger_filter).filter(package_id=OuterRef("pk")))
            for _, model in selectors.KINDS
        ),
    )
    packages = Package.objects.filter(programme=programme).filter(named)
    return list(packages.order_by("date", "code").values_list("code", flat=True))


def _cut_note(drawn: int, count: int) -> list[str]:
    if drawn == count:
        return []
    return [
        _("The %(drawn)d most recent of %(count)d packages; the CSV holds every package.")
        % {"drawn": drawn, "count": count}
    ]


def whole_packages_chart(params: ChartParams, subject: str | None = None) -> Chart:
    """packages_chart with every package: for its CSV."""
    return packages_chart(params, subject, whole=True)


def need_in(figure, params: ChartParams):
    """The reference figure in the chart's currency, by the chart's conversion rule, and how."""
    money = figure.money
    conversion = convert(money, to=params.currency, on=figure.date, rates=params.rates)
    if not conversion.converted:
        return money.amount, ""
    how = _("%(original)s converted with the rates of %(day)s") % {
        "original": fmt.amount(money.amount, money.currency),
        "day": max(conversion.source_quote.rate_date, conversion.target_quote.rate_date).isoformat(),
    }
    return conversion.result.amount, how


def need_chart(params: ChartParams, subject: str | None = None) -> Chart:
    """Pledged per month against the stated monthly need (a ReferenceFigure, with its source)."""
    programme = get_object_or_404(Programme, code=subject)
    figure = selectors.monthly_need(programme)
    if figure is None:
        raise Http404("no monthly reference figure for this programme")
    params = params.only(programme=programme.code)
    months, groups, total = _by_month(params)
    need, how = need_in(figure, params)
    qualified = selectors.qualified("month", params.ledger_filter)
    labels = [fmt.month(m) for m in months]
    empty = nothing(params)
    pledged = [plotted(groups.get(m, empty), "pledge") for m in months]
    need_label = fmt.qualifier(figure.amount_qualifier)
    need_hover = f"{figure.name}<br>{need_label} {fmt.in_millions(need, params.currency)}".strip()
    rows = []
    for key, label, value in zip(months, labels, pledged, strict=True):
        group = groups.get(key, empty)
        of_need = share(value, need)
        rows.append([Cell(label, key), money_cell(value, params.currency), money_cell(need, params.currency),
                     Cell(fmt.share(of_need), "" if of_need is None else str(of_need), numeric=True),
                     count_cell(group.pledges), notes_cell(fmt.qualified_counts(qualified.get((key, "pledge"), {})),
                                                         group.undisclosed_pledges and fmt.undisclosed_count(group.undisclosed_pledges))])  # fmt: skip
    series = [
        Series(_("Pledged in the month"), "pledged", pledged,
               [hover(label, _("Pledged"), v, params.currency, qualified.get((m, "pledge"), {}), groups.get(m, empty).undisclosed_pledges)
                for m, label, v in zip(months, labels, pledged, strict=True)]),
        Series(figure.name, "need", [need] * len(months), [need_hover] * len(months), style="line"),
    ]  # fmt: skip
    notes = undisclosed_note(total) + [
        _("The need is %(qualifier)s %(amount)s a month as stated on %(day)s; %(how)s.")
        % {
            "qualifier": need_label,
            "amount": fmt.amount(figure.amount, figure.currency),
            "day": fmt.day(figure.date),
            "how": how or _("no conversion needed"),
        }  # fmt: skip
    ]
    return Chart(
        slug="need", subject=programme.code,
        title=_("%(programme)s: pledged per month against Ukraine's stated need") % {"programme": programme.name},
        description=_("Bars of the amount pledged in each of %(count)d months, and a line at the stated monthly need.")
        % {"count": len(months)},
        categories=labels, series=series, params=params, api_url=params.api_url("month"),
        table=Table([_("Month"), _("Pledged"), _("Stated need"), _("Share of the need"), _("Pledges"), _("Notes")], rows),
        notes=notes, sources=[(figure.source.title or figure.source.url, figure.source.url)], total=total,
    )  # fmt: skip


def donor_years_chart(params: ChartParams, subject: str | None = None) -> Chart:
    """One donor's pledged and delivered amounts, year by year."""
    if params.per:
        return context_charts.donor_years_chart(params, subject)
    donor = get_object_or_404(Donor, code=(subject or "").upper())
    params = params.only(donor=donor.code)
    summary = summarize_for(params, "year")
    years = [g.key for g in summary.groups]
    groups = {g.key: g for g in summary.groups}
    all_years = list(range(years[0], years[-1] + 1)) if years else []
    filled = [groups.get(year, nothing(params, year)) for year in all_years]
    labels = [str(year) for year in all_years]
    qualified = selectors.qualified("year", params.ledger_filter)
    rows = [_group_row(Cell(str(g.key), str(g.key)), g, params.currency, qualified) for g in filled]
    rows.append(_group_row(Cell(_("Total"), "total"), summary.total, params.currency, {}))
    return Chart(
        slug="donor-years", subject=donor.code,
        title=_("%(donor)s: pledged and delivered per year") % {"donor": donor.name},
        description=_("Bars, two per year (pledged, delivered), over %(count)d years.") % {"count": len(labels)},
        categories=labels, series=_pledged_and_delivered(filled, labels, params.currency, qualified),
        params=params, api_url=params.api_url("year"), table=Table(_group_columns(_("Year")), rows),
        notes=undisclosed_note(summary.total), total=summary.total,
        sources=[(_("The table of records below lists every source"), "")],
    )  # fmt: skip


CHARTS = {
    "donors": donors_chart,
    "cumulative": cumulative_chart,
    "packages": packages_chart,
    "need": need_chart,
    "donor-years": donor_years_chart,
}
# A chart's CSV holds every row, where the page draws a readable part.
CSV_CHARTS = {**CHARTS, "packages": whole_packages_chart}
