"""The switch between amounts, % of GDP and per person, and the cross-check, in a real browser."""

import re
from decimal import Decimal

import pytest
from django.http import QueryDict

from aid.charts.controls import parse
from aid.context import charts
from tests.browser.test_charts import assert_clean, drawn, live_server, seeded  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def test_the_overview_switches_to_percent_of_gdp(seeded, page, page_log):  # noqa: F811
    page.goto("/")
    drawn(page, 2)
    page.select_option("select[name=per]", "gdp")
    page.wait_for_url(re.compile(r"/\?(.*&)?per=gdp$"))
    drawn(page, 2)
    axis = page.evaluate("document.querySelector('#chart-donors .plot').layout.xaxis.title.text")
    first_bar = page.evaluate("document.querySelector('#chart-donors .plot').data[0].x[0]")
    expected = charts.donors_chart(parse(QueryDict("per=gdp"))).series[0].values[0]
    assert axis == "% of GDP" and Decimal(str(first_bar)) == expected
    assert "GDP of 2023 (source: World Bank" in page.locator("#chart-donors figcaption").inner_text()
    assert_clean(page_log)


def test_a_dutch_donor_page_shows_the_cross_check_and_stays_dutch_per_person(seeded, page, page_log):  # noqa: F811
    page.goto("/nl/donor/US/")
    drawn(page, 1)
    sentence = page.locator("#crosscheck .sentence").inner_text()
    assert re.match(r"Dit grootboek bevat \d+ % van wat Kiel Institute .* telt voor Verenigde Staten", sentence)
    assert page.locator("#crosscheck tbody tr").count() == 2  # Kiel 2026 and the DoD IG's 2024 figure
    page.select_option("select[name=per]", "capita")
    page.wait_for_url(re.compile(r"/nl/donor/US/\?(.*&)?per=capita$"))
    drawn(page, 1)
    assert "per inwoner" in page.locator("#chart-donor-years h2").inner_text()
    assert "Bevolking van 2024" in page.locator("#chart-donor-years figcaption").inner_text()
    assert_clean(page_log)


def test_the_english_overview_lists_completeness_per_donor(seeded, page, page_log):  # noqa: F811
    page.goto("/")
    drawn(page, 2)
    rows = page.locator("#completeness tbody tr")
    assert rows.count() == 21
    assert page.locator("#completeness").get_by_text("United States").count() == 1
    assert_clean(page_log)
