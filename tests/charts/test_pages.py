"""Every public page, in English and Dutch, and what each must say."""

import pytest

from tests.charts.conftest import figures

PAGES = ["/", "/programme/PURL/", "/programme/BILATERAL/", "/donor/NL/", "/donor/no/"]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("prefix", ["", "/nl"])
def test_every_page_renders_in_both_languages(seeded, client, path, prefix):
    response = client.get(prefix + path)
    assert response.status_code == 200
    assert f'<html lang="{"nl" if prefix else "en"}">' in response.content.decode()
    assert figures(response)


def test_the_overview_states_the_totals_currency_rule_and_latest_record(seeded, client):
    page = client.get("/?currency=USD").content.decode()
    assert "Amounts in USD, converted with the ECB euro reference rates of each amount&#x27;s own date" in page
    assert "Latest record: April 21, 2026." in page
    assert "USD 71,009.6 million" in page


def test_dutch_numbers_and_dates_are_written_the_dutch_way(seeded, client):
    page = client.get("/nl/?currency=USD").content.decode()
    assert "USD 71.009,6 mln" in page
    assert "21 april 2026" in page
    assert figures(client.get("/nl/"))["chart-donors-figure"]["layout"]["separators"] == ",."


def test_the_overview_has_a_chart_per_donor_and_one_over_time(seeded, client):
    shown = figures(client.get("/"))
    assert set(shown) == {"chart-donors-figure", "chart-cumulative-figure"}
    assert len(shown["chart-donors-figure"]["data"][0]["y"]) == 18


def test_the_purl_page_shows_packages_and_the_monthly_need(seeded, client):
    page = client.get("/programme/PURL/")
    assert set(figures(page)) == {"chart-donors-figure", "chart-packages-figure", "chart-need-figure"}
    assert "https://news.liga.net/en/politics/news/ukraine-needs-about-1-billion" in page.content.decode()


def test_a_donor_page_lists_every_record_with_its_sources_and_progress(seeded, client):
    page = client.get("/donor/NL/").content.decode()
    for ref in ("NL-PURL-2025-08-04", "NL-PURL-2025-12-01", "NL-BILATERAL-2024-10-11", "NL-BILATERAL-2024-09-29-DEL"):
        assert ref in page
    assert "https://www.rijksoverheid.nl/actueel/nieuws/2025/08/04/" in page
    assert '<progress max="1" value="0.3615"' in page  # 3.76 bn delivered of 10.4 bn pledged


def test_the_donors_own_currency_is_offered(seeded, client):
    page = client.get("/donor/NO/").content.decode()
    assert '<option value="NOK">NOK</option>' in page


@pytest.mark.parametrize("path", ["/donor/ZZ/", "/programme/NOPE/", "/embed/nothing/", "/embed/need/BILATERAL/"])
def test_unknown_subjects_are_not_found(seeded, client, path):
    assert client.get(path).status_code == 404


def test_the_language_switch_keeps_the_view(seeded, client):
    page = client.get("/donor/NL/?currency=USD&rates=latest").content.decode()
    assert 'href="/nl/donor/NL/?currency=USD&amp;rates=latest"' in page
    dutch = client.get("/nl/donor/NL/?currency=USD&rates=latest").content.decode()
    assert 'href="/donor/NL/?currency=USD&amp;rates=latest"' in dutch


def test_an_english_reader_with_a_dutch_browser_stays_on_english_urls(seeded, client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_chart_labels_are_translated(seeded, client):
    dutch = figures(client.get("/nl/"))["chart-donors-figure"]
    assert [trace["name"] for trace in dutch["data"]] == ["Toegezegd", "Geleverd", "Geleverd"]
    assert set(dutch["data"][2]["text"]) == {"geen levering gemeld"}  # where no delivery is reported
    page = client.get("/nl/").content.decode()
    assert "Geleverd (gemeld)" in page and "leveringen gemeld voor" in page
    assert "Duitsland" in dutch["data"][0]["y"]


def test_the_navigation_names_the_programmes_with_a_published_pledge(seeded, client):
    from tests.builders import record

    record(ref="NL-DRAFT-ONLY", donor="NL", programme="DRAFTONLY", date="2025-08-20", amount="7", status="draft")
    nav = client.get("/").content.decode().split("</nav>")[0]
    assert '/programme/PURL/"' in nav
    assert "DRAFTONLY" not in nav, "a programme only a draft uses is not shown"
    record(ref="NL-NOW-PUBLISHED", donor="NL", programme="DRAFTONLY", date="2025-08-21", amount="8")
    assert "/programme/DRAFTONLY/" in client.get("/").content.decode().split("</nav>")[0]


def test_a_donors_own_currency_is_that_of_most_of_its_published_pledges(db):
    from aid import services
    from aid.charts import selectors
    from aid.models import Donor
    from tests.builders import rate, record

    for currency in ("USD", "NOK"):
        rate(currency, "2025-08-01", "1.1")
    first = record(ref="PL-1", donor="PL", date="2025-08-04", amount="1", currency="USD")
    record(ref="PL-2", donor="PL", date="2025-08-05", amount="1", currency="USD")
    record(ref="PL-3", donor="PL", date="2025-08-06", amount="1", currency="NOK")
    for n in range(3):
        record(ref=f"PL-D{n}", donor="PL", date="2025-08-07", amount="1", currency="NOK", status="draft")
    polish = Donor.objects.get(code="PL")
    assert selectors.own_currency(polish) == "USD", "drafts do not count"
    services.delete_record(first)
    assert selectors.own_currency(polish) == "NOK", "a tie: the first code"
    for ref in ("PL-2", "PL-3"):
        services.delete_record(type(first).objects.get(ref=ref))
    assert selectors.own_currency(polish) is None, "no published pledge left"
