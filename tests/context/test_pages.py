"""The public pages switch between amounts, % of GDP and per person, and show the cross-check."""

import re

import pytest
from django.test import Client

from tests.charts.conftest import figures
from tests.context.test_crosscheck import tracker_figure


@pytest.fixture
def pages(three_donors):
    tracker_figure("NL-KIEL", "NL", "2026-04-30", "8000000000", "EUR")
    return Client()


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_overview_in_percent_of_gdp_plots_the_apis_figures(pages):
    response = pages.get("/?per=gdp")
    assert response.status_code == 200
    donors = figures(response)["chart-donors-figure"]
    pledged = donors["data"][0]
    assert (pledged["y"], pledged["x"]) == (["Norway", "Netherlands"], ["0.125", "0.063"])  # DE: no GDP, not drawn
    assert donors["layout"]["xaxis"]["title"]["text"] == "% of GDP"
    page = text(response)
    assert "GDP of 2023 (source: World Bank)" in page
    assert "No GDP figure held for: Germany (not drawn)." in page


def test_the_overview_per_person_in_the_report_currency(pages):
    donors = figures(pages.get("/?per=capita&currency=USD"))["chart-donors-figure"]
    assert donors["data"][0]["x"] == ["100.00", "17.97"]
    assert donors["layout"]["xaxis"]["title"]["text"] == "USD per person"


def test_a_donor_page_per_year_as_share_of_gdp(pages):
    years = figures(pages.get("/donor/NL/?per=gdp"))["chart-donor-years-figure"]
    assert (years["data"][0]["x"], years["data"][0]["y"]) == (["2025"], ["0.063"])


def test_the_switch_is_in_the_url_and_travels(pages):
    response = pages.get("/?per=capita")
    assert 'value="capita" selected' in response.content.decode()
    assert 'href="/donor/NL/?per=capita' in response.content.decode()


def test_a_bad_per_on_a_page_is_a_400_naming_it(pages):
    response = pages.get("/?per=gdpp")
    assert response.status_code == 400 and "per" in text(response)


def test_the_donor_page_states_what_the_cross_check_means(pages):
    page = text(pages.get("/donor/NL/"))
    # EUR 500m of EUR 8bn: 6.25 % -> 6 %
    assert "This ledger holds 6 % of what Kiel counts for Netherlands up to" in page
    assert "its records are incomplete for this donor." in page
    assert "EUR 8,000,000,000.00" in page


def test_the_overview_shows_completeness_per_donor(pages):
    page = text(pages.get("/"))
    assert "How complete is this ledger?" in page
    assert "Netherlands Kiel" in page and "6 %" in page


def test_dutch_pages_say_it_in_dutch(pages):
    page = text(pages.get("/nl/donor/NL/?per=gdp"))
    assert "Dit grootboek bevat 6 % van wat Kiel telt voor Nederland" in page
    assert "% van het bbp" in page
