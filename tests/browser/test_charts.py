"""The public charts in a real browser, served as in production (whitenoise, compressed static).

Static files are collected once for the module with whitenoise's compressed manifest storage,
and the live server lets the WhiteNoise middleware serve them, so the measured first load is
what a reader's browser would transfer.
"""

import re
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.test.utils import override_settings

from aid.charts import data
from aid.charts.controls import parse
from bench.page_weight import BUDGET, collect_static, first_load, production_static, whitenoise_server
from tests.charts.seeding import seed_with_rates

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_server(tmp_path_factory, django_db_blocker):
    """Overrides pytest-django's live server: static files through whitenoise, compressed."""
    with override_settings(**production_static(tmp_path_factory.mktemp("static"))):
        collect_static()
        server = whitenoise_server()
        yield server
        server.stop()


@pytest.fixture
def seeded(live_server, transactional_db):
    seed_with_rates()


def drawn(page, count: int) -> None:
    page.wait_for_function(f"document.querySelectorAll('.plot[data-drawn=true]').length === {count}")


def bars(page, chart: str) -> list[int]:
    """How many visible bars (of some length) each bar trace of a chart drew."""
    return page.evaluate(
        """id => Array.from(document.querySelectorAll(`#${id} .trace.bars`)).map(trace =>
                Array.from(trace.querySelectorAll('.point path'))
                    .filter(bar => { const box = bar.getBBox(); return box.width * box.height > 0; }).length)""",
        f"chart-{chart}",
    )


def expected_bars(chart) -> list[int]:
    """A bar for every value that is neither zero nor undisclosed (None)."""
    return [sum(1 for value in series.values if value) for series in chart.series if series.style == "bar"]


def assert_clean(page_log) -> None:
    assert page_log.outside_requests == []
    assert page_log.console_errors == []


@pytest.mark.parametrize(("prefix", "heading"), [("", "Pledged and delivered per donor"),
                                                 ("/nl", "Toegezegd en geleverd per donor")])  # fmt: skip
def test_the_overview_draws_a_bar_pair_per_donor(seeded, page, page_log, prefix, heading):
    page.goto(f"{prefix}/")
    drawn(page, 2)
    chart = data.donors_chart(parse(QueryDict("")))
    # 18 donors pledged; delivered amounts are reported for three (NL, CA, PL): the others show
    # "no delivery reported" or a delivery of undisclosed amount, never a zero bar.
    assert expected_bars(chart) == [18, 3]
    assert bars(page, "donors") == expected_bars(chart)
    # The words stand on the rows of the donors without a delivery figure, not on a row of their own.
    rows = page.locator("#chart-donors .yaxislayer-above .ytick text").all_inner_texts()
    assert len(rows) == 18 and "NaN" not in rows
    worded = [category for category, gap in zip(chart.categories, chart.series[1].gaps, strict=True) if gap]
    assert page.locator("#chart-donors .scatterlayer .textpoint").count() == len(worded) == 11
    assert page.locator("#chart-donors h2").inner_text() == heading
    assert page.locator("#chart-cumulative .scatterlayer .trace").count() == 2
    assert_clean(page_log)


@pytest.mark.parametrize("prefix", ["", "/nl"])
def test_a_donor_page_draws_its_years_and_lists_its_records(seeded, page, page_log, prefix):
    page.goto(f"{prefix}/donor/NL/")
    drawn(page, 1)
    assert bars(page, "donor-years") == [2, 1]  # pledged in 2024 and 2025, delivered in 2024
    assert page.locator(".records tbody tr").count() == 5
    assert page.locator(".records progress").count() == 1  # the one pledge with a delivered amount reported
    assert_clean(page_log)


@pytest.mark.parametrize("prefix", ["", "/nl"])
def test_the_purl_page_draws_packages_and_the_monthly_need(seeded, page, page_log, prefix):
    page.goto(f"{prefix}/programme/PURL/")
    drawn(page, 3)
    packages = bars(page, "packages")
    assert packages == expected_bars(data.packages_chart(parse(QueryDict("")), "PURL"))
    assert len(packages) == 17 and sum(packages) == 25  # a part per donor and package it funds
    assert bars(page, "need") == [7]  # August 2025 to April 2026, with nothing pledged in January and March
    assert page.locator("#chart-need .scatterlayer .trace").count() == 1  # the stated need
    assert_clean(page_log)


def test_changing_the_currency_updates_the_url_and_the_figures(seeded, page, page_log):
    page.goto("/")
    drawn(page, 2)
    before = page.locator(".headline dd").first.inner_text()
    page.select_option("select[name=currency]", "USD")
    page.wait_for_url(re.compile(r"/\?currency=USD&rates=transaction$"))
    drawn(page, 2)
    after = page.locator(".headline dd").first.inner_text()
    assert before.startswith("EUR ") and after.startswith("USD ") and before[4:] != after[4:]
    first_bar = page.evaluate("document.querySelector('#chart-donors .plot').data[0].x[0]")
    expected = data.donors_chart(parse(QueryDict("currency=USD"))).series[0].values[0]
    assert Decimal(str(first_bar)) == expected.scaleb(-6)
    assert_clean(page_log)


def test_the_fixed_day_rule_travels_in_the_url(seeded, page, page_log):
    page.goto("/nl/?currency=USD")
    drawn(page, 2)
    page.select_option("select[name=rates]", "day")
    page.fill("input[name=rates_day]", "2025-01-02")
    page.locator("input[name=rates_day]").dispatch_event("change")
    page.wait_for_url(re.compile(r"/nl/\?currency=USD&rates=2025-01-02$"))
    drawn(page, 2)
    assert "koersen van 2025-01-02" in page.locator(".headline + .rule, p.rule").first.inner_text()
    assert_clean(page_log)


def test_the_overview_first_load_stays_under_budget(seeded, page, page_log):
    loads = first_load(page, "/")
    total = sum(size for _url, size, _encoding in loads)
    print(f"overview first load: {total:,} bytes in {len(loads)} requests")
    plotly = next(load for load in loads if "/plotly.min." in load[0])
    assert plotly[2] == "br" and plotly[1] < 1_200_000
    assert total < BUDGET
    assert_clean(page_log)
