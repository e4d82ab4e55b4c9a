"""The charts show the numbers aid.summary gives for the same parameters: the API's numbers."""

from decimal import Decimal
from html import escape

import pytest
from django.http import QueryDict

from aid.charts import data
from aid.charts.controls import parse
from aid.models import ReferenceFigure
from aid.params import summary_params
from aid.summary import summarize
from tests.charts.conftest import figures

QUERIES = [
    "",
    "currency=USD",
    "currency=NOK&rates=latest",
    "rates=2025-01-02",
    "programme=PURL",
    "date_from=2024-01-01&date_to=2025-08-31",
    "donor=NL,DE&currency=GBP",
]


def same_question(query: str, group_by: str):
    params = summary_params(QueryDict(f"{query}&group_by={group_by}"))
    return summarize(
        group_by=group_by, currency=params.currency, rates=params.rates, ledger_filter=params.ledger_filter
    )


@pytest.mark.parametrize("query", QUERIES)
def test_the_donor_chart_plots_the_summary_per_donor(seeded, query):
    chart = data.donors_chart(parse(QueryDict(query)))
    summary = same_question(query, "donor")
    assert chart.categories == [group.label for group in summary.groups]
    assert chart.series[0].values == [group.pledged for group in summary.groups]
    assert chart.series[1].values == [group.delivered for group in summary.groups]
    assert chart.total == summary.total


@pytest.mark.parametrize("query", QUERIES)
def test_the_cumulative_chart_ends_at_the_summary_total(seeded, query):
    chart = data.cumulative_chart(parse(QueryDict(query)))
    summary = same_question(query, "month")
    assert chart.series[0].values[-1] == summary.total.pledged
    assert chart.series[1].values[-1] == summary.total.delivered
    monthly = {row[0].raw: Decimal(row[1].raw) for row in chart.table.rows}
    assert {g.key: g.pledged for g in summary.groups} == {
        k: v for k, v in monthly.items() if k in {g.key for g in summary.groups}
    }


def test_the_chart_on_the_page_is_the_api_summary(seeded, client):
    page = client.get("/?currency=USD&rates=latest")
    figure = figures(page)["chart-donors-figure"]
    api = client.get("/api/v1/summary/?group_by=donor&currency=USD&rates=latest").json()
    assert figure["data"][0]["y"] == [group["label"] for group in api["groups"]]
    assert [Decimal(x) * 10**6 for x in figure["data"][0]["x"]] == [Decimal(g["pledged"]) for g in api["groups"]]
    delivered = [None if x is None else Decimal(x) * 10**6 for x in figure["data"][1]["x"]]
    assert delivered == [None if g["delivered"] is None else Decimal(g["delivered"]) for g in api["groups"]]
    # Where no delivery is reported the chart says so in words, not with a zero bar.
    unreported = [g["label"] for g in api["groups"] if g["deliveries"] == 0]
    assert unreported and figure["data"][2]["y"] == unreported
    assert set(figure["data"][2]["text"]) == {"no delivery reported"}


def test_each_chart_links_to_the_same_query_in_the_api(seeded, client):
    chart = data.donors_chart(parse(QueryDict("currency=USD&rates=2025-01-02&programme=PURL")))
    assert chart.api_url == "/api/v1/summary/?currency=USD&rates=2025-01-02&programme=PURL&group_by=donor"
    page = client.get("/?currency=USD&rates=2025-01-02&programme=PURL").content.decode()
    assert f'href="{escape(chart.api_url)}"' in page


@pytest.mark.parametrize("query", ["currency=USD", "currency=NOK&rates=latest", "rates=2025-01-02", ""])
def test_a_package_bar_is_stacked_from_each_donors_summary(seeded, query):
    """One summary by (donor, package) gives what a summary by package for each donor gives."""
    chart = data.packages_chart(parse(QueryDict(query)), "PURL")
    donors = same_question(f"{query}&programme=PURL", "donor").groups
    assert [series.role for series in chart.series] == [donor.key for donor in donors]  # largest pledge first
    for series in chart.series:
        by_package = {
            group.label: group
            for group in same_question(f"{query}&programme=PURL&donor={series.role}", "package").groups
        }
        for label, value in zip(chart.categories, series.values, strict=True):
            group = by_package.get("no package" if label == "Not part of a package" else label)
            expected = None if group is None else data.plotted(group, "pledge")
            assert value == expected, (series.role, label)
    nordic = "PURL package 2 (joint Nordic: Denmark, Norway, Sweden)"
    assert nordic in chart.categories


def test_the_monthly_need_comes_from_the_reference_figure(seeded):
    chart = data.need_chart(parse(QueryDict("currency=USD")), "PURL")
    assert set(chart.series[1].values) == {Decimal("1000000000.00")}
    ReferenceFigure.objects.filter(code="UA-NEED-PURL-MONTHLY").update(amount_minor=150_000_000_000)
    chart = data.need_chart(parse(QueryDict("currency=USD")), "PURL")
    assert set(chart.series[1].values) == {Decimal("1500000000.00")}


def test_the_need_is_converted_by_the_charts_rule(seeded):
    chart = data.need_chart(parse(QueryDict("currency=EUR&rates=2025-11-24")), "PURL")
    need = chart.series[1].values[0]
    assert Decimal("850000000") < need < Decimal("880000000")  # USD 1 bn at 1.15-1.16 USD per EUR
    assert "2025-11-24" in chart.notes[-1]


def test_the_pledged_per_month_is_the_summary_per_month(seeded):
    chart = data.need_chart(parse(QueryDict("currency=USD")), "PURL")
    summary = same_question("currency=USD&programme=PURL", "month")
    plotted = dict(zip([row[0].raw for row in chart.table.rows], chart.series[0].values, strict=True))
    assert {g.key: g.pledged for g in summary.groups} == {k: plotted[k] for k in (g.key for g in summary.groups)}


def test_a_donors_years_add_up_to_its_summary(seeded):
    chart = data.donor_years_chart(parse(QueryDict("currency=USD")), "NL")
    summary = same_question("currency=USD&donor=NL", "year")
    assert sum(chart.series[0].values) == summary.total.pledged
    assert chart.categories == ["2024", "2025"]
