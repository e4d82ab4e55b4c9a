"""`summary/?per=gdp|capita`: each donor's figures as a share of its GDP or per person, by hand.

NL pledged EUR 500m on 2025-08-04 (USD 575m at 1.15) and delivered EUR 100m on 2025-09-01 (USD
120m at 1.20); GDP USD 920bn, 32m people. NO pledged USD 500m (EUR 434,782,608.70) and delivered
USD 50m (EUR 41,666,666.67); GDP USD 400bn, 5m people. DE has no indicator.
"""

import csv
import io

import pytest


def per(api, query: str) -> dict:
    response = api.get(f"/api/v1/summary/?{query}")
    assert response.status_code == 200, response.content
    return {group["key"]: group for group in response.json()["groups"]} | {"": response.json()}


def test_share_of_gdp_converts_into_the_gdps_currency_and_rounds_half_up(api, three_donors):
    groups = per(api, "per=gdp")
    # NL: 575,000,000 / 920,000,000,000 x 100 = 0.0625 -> 0.063 (half up); 120m -> 0.01304.. -> 0.013
    assert (groups["NL"]["pledged_per"], groups["NL"]["delivered_per"]) == ("0.063", "0.013")
    # NO: 500,000,000 / 400,000,000,000 x 100 = 0.125; 50m -> 0.0125 -> 0.013 (half up)
    assert (groups["NO"]["pledged_per"], groups["NO"]["delivered_per"]) == ("0.125", "0.013")
    assert groups["NL"]["indicator"] == {
        "name": "gdp", "year": 2023, "value": "920000000000", "unit": "USD",
        "source": {"url": "https://data.worldbank.org/", "title": "World Bank", "kind": "international"},
    }  # fmt: skip


def test_a_donor_without_the_indicator_is_null_and_named(api, three_donors):
    groups = per(api, "per=gdp")
    assert (groups["DE"]["pledged_per"], groups["DE"]["delivered_per"], groups["DE"]["indicator"]) == (
        None, None, None,
    )  # fmt: skip
    assert groups["DE"]["pledged"] == "1000000.00"  # kept, with its amount
    assert groups[""]["missing_indicator"] == ["DE"]
    assert groups[""]["per"] == "gdp"


def test_per_capita_is_in_the_report_currency_with_two_decimals(api, three_donors):
    groups = per(api, "per=capita")
    # NL: 500,000,000 / 32,000,000 = 15.625 -> 15.63 (half up); 100m / 32m = 3.125 -> 3.13
    assert (groups["NL"]["pledged_per"], groups["NL"]["delivered_per"]) == ("15.63", "3.13")
    # NO: 434,782,608.70 / 5,000,000 = 86.956.. -> 86.96; 41,666,666.67 / 5m = 8.33
    assert (groups["NO"]["pledged_per"], groups["NO"]["delivered_per"]) == ("86.96", "8.33")
    assert groups["NO"]["indicator"]["unit"] == "persons"
    assert groups[""]["missing_indicator"] == ["DE"]


def test_per_capita_in_dollars(api, three_donors):
    groups = per(api, "per=capita&currency=USD")
    assert (groups["NL"]["pledged_per"], groups["NO"]["pledged_per"]) == ("17.97", "100.00")  # 575m/32m; 500m/5m


def test_share_of_gdp_follows_the_requests_rate_rule(api, three_donors):
    groups = per(api, "per=gdp&rates=2025-09-01")
    # NL: EUR 500m at 1.20 = USD 600m; / 920bn x 100 = 0.06521.. -> 0.065
    assert groups["NL"]["pledged_per"] == "0.065"
    assert [(q["first_day"], q["last_day"]) for q in groups[""]["rates_used"] if q["currency"] == "USD"] == [
        ("2025-09-01", "2025-09-01")
    ]


def test_the_rates_into_the_gdps_currency_are_disclosed(api, three_donors):
    used = per(api, "per=gdp&rates_used=full")[""]["rates_used_days"]
    assert {(q["currency"], q["rate_date"]) for q in used} == {("USD", "2025-08-04"), ("USD", "2025-09-01")}


def test_a_summary_without_per_keeps_its_shape(api, three_donors):
    data = per(api, "")[""]
    assert "per" not in data and "missing_indicator" not in data
    assert "pledged_per" not in data["groups"][0]


def test_the_csv_carries_the_figures_and_the_indicator(api, three_donors):
    response = api.get("/api/v1/summary/?per=gdp&format=csv")
    rows = {row["key"]: row for row in csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))}
    assert (rows["NL"]["pledged_per"], rows["NL"]["indicator_year"], rows["NL"]["indicator_unit"]) == (
        "0.063", "2023", "USD",
    )  # fmt: skip
    assert (rows["DE"]["pledged_per"], rows["DE"]["indicator_name"]) == ("", "")


@pytest.mark.parametrize(
    "query, detail",
    [
        ("per=gdpp", "'gdpp' is not one of gdp, capita"),
        ("per=capita&group_by=year", "use group_by=donor"),
        ("per=gdp&group_by=programme", "use group_by=donor"),
        ("per=gdp&per=capita", "give it once"),
    ],
)
def test_a_bad_per_is_a_400_naming_it(api, three_donors, query, detail):
    response = api.get(f"/api/v1/summary/?{query}")
    assert response.status_code == 400
    assert response.json()["param"] == "per" and detail in response.json()["detail"]
