"""Embeddable charts (the only framable pages) and the CSV of every chart's numbers."""

import csv
import io

import pytest


@pytest.mark.parametrize("path", ["/embed/donors/", "/embed/cumulative/", "/embed/packages/PURL/", "/embed/need/PURL/",
                                  "/embed/donor-years/NL/", "/nl/embed/donors/PURL/"])  # fmt: skip
def test_embeds_may_be_framed(seeded, client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "X-Frame-Options" not in response


@pytest.mark.parametrize("path", ["/", "/programme/PURL/", "/donor/NL/", "/data/donors.csv", "/?currency=XXX"])
def test_everything_else_may_not(seeded, client, path):
    assert client.get(path)["X-Frame-Options"] == "DENY"


def test_an_embed_is_a_minimal_page(seeded, client):
    page = client.get("/embed/donors/").content.decode()
    assert '<header class="site">' not in page
    assert "Embed this chart" not in page
    assert 'id="chart-donors-figure"' in page


def test_each_chart_offers_its_embed_code_and_csv(seeded, client):
    page = client.get("/programme/PURL/?currency=USD").content.decode()
    assert "&lt;iframe src=&quot;http://testserver/embed/need/PURL/?currency=USD&quot;" in page or (
        'src="http://testserver/embed/need/PURL/?currency=USD"' in page.replace("&lt;", "<").replace("&gt;", ">")
    )
    assert 'href="/data/need/PURL.csv?currency=USD"' in page


def rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_csv_holds_the_plotted_numbers_unformatted(seeded, client):
    response = client.get("/data/donors.csv?currency=USD&rates=latest")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="aid-ledger-donors-USD.csv"' in response["Content-Disposition"]
    api = client.get("/api/v1/summary/?group_by=donor&currency=USD&rates=latest").json()
    table = rows(response)
    assert [row["Donor"] for row in table[:-1]] == [group["key"] for group in api["groups"]]
    assert [row["Pledged"] for row in table[:-1]] == [group["pledged"] for group in api["groups"]]
    assert table[-1]["Donor"] == "total" and table[-1]["Pledged"] == api["total"]["pledged"]
    assert {row["currency"] for row in table} == {"USD"} and {row["rates"] for row in table} == {"latest"}


def test_the_need_csv_states_the_need_each_month(seeded, client):
    table = rows(client.get("/data/need/PURL.csv?currency=USD"))
    assert table[0]["Month"] == "2025-08"
    assert {row["Stated need"] for row in table} == {"1000000000.00"}
