"""summary/: hand-computed totals for each grouping, each rates mode and a cross-currency target.

The ledger (tests/api/conftest.py): NL pledged EUR 500m (2025-08-04) and an undisclosed
amount, DE pledged USD 500m (2025-08-13); NL delivered EUR 200m and DE USD 115m (2025-09-01).
EUR→USD: 1.16 from 2025-08-04, 1.15 from 2025-09-01, 1.20 from 2025-10-01.
"""

from decimal import Decimal

import pytest

from tests.builders import rate, record


def summary(api, query: str) -> dict:
    response = api.get(f"/api/v1/summary/?{query}")
    assert response.status_code == 200, response.content
    return response.json()


def rows(data: dict) -> list[tuple]:
    return [
        (g["key"], g["pledged"], g["delivered"], g["delivered_share"], g["pledges"], g["deliveries"], g["undisclosed"])
        for g in data["groups"]
    ]


def test_by_donor_in_euro_at_each_transactions_rate(api, ledger):
    data = summary(api, "")
    assert (data["currency"], data["rates"]) == ("EUR", "transaction")
    assert data["groups"][0]["label"] == "Netherlands"
    # DE: 500m USD / 1.16 (2025-08-04 rate, the latest on 2025-08-13) and 115m USD / 1.15.
    assert rows(data) == [
        ("NL", "500000000.00", "200000000.00", "0.4000", 2, 1, 1),
        ("DE", "431034482.76", "100000000.00", "0.2320", 1, 1, 0),
    ]
    assert data["total"] == {
        "key": None, "label": "total", "pledged": "931034482.76", "delivered": "300000000.00",
        "delivered_share": "0.3222", "delivery_coverage": "1.0000", "pledged_without_delivery": "0.00",
        "pledges": 3, "deliveries": 2, "undisclosed": 1,
    }  # fmt: skip
    # 2025-08-04's rate answers for 2025-08-13: more than 7 days old, so stale.
    assert data["rates_used"] == [
        {"currency": "USD", "source": "test rate", "first_day": "2025-08-04", "last_day": "2025-09-01", "days": 2,
         "min_rate": "1.150000", "max_rate": "1.160000", "stale": True, "stale_days": 1},
    ]  # fmt: skip
    assert "rates_used_days" not in data
    assert data["rates_used_full"] == "http://testserver/api/v1/summary/?rates_used=full"


def test_rates_used_full_lists_every_rate_day_beside_the_compact_form(api, ledger):
    compact = summary(api, "donor=DE")
    data = summary(api, "donor=DE&rates_used=full")
    assert data["rates_used_days"] == [
        {"currency": "USD", "rate_date": "2025-08-04", "rate": "1.160000", "stale": True, "source": "test rate"},
        {"currency": "USD", "rate_date": "2025-09-01", "rate": "1.150000", "stale": False, "source": "test rate"},
    ]
    same_answer = {key: value for key, value in data.items() if key not in ("rates_used_days", "rates_used_full")}
    assert same_answer == {key: value for key, value in compact.items() if key != "rates_used_full"}
    assert data["rates_used_full"] == "http://testserver/api/v1/summary/?donor=DE&rates_used=full"


def test_the_compact_rates_used_does_not_grow_with_the_days(api, ledger):
    for day in ("2025-08-14", "2025-08-15", "2025-08-18", "2025-08-19"):
        rate("USD", day, "1.17")
        record(ref=f"DE-{day}", donor="DE", date=day, amount="1", currency="USD")
    data = summary(api, "donor=DE")
    assert len(data["rates_used"]) == 1
    assert data["rates_used"][0]["days"] == 6 and data["rates_used"][0]["max_rate"] == "1.170000"
    assert len(summary(api, "donor=DE&rates_used=full")["rates_used_days"]) == 6


def test_a_bad_rates_used_is_a_400_naming_it(api, ledger):
    response = api.get("/api/v1/summary/?rates_used=all")
    assert response.status_code == 400
    assert response.json()["param"] == "rates_used"


@pytest.mark.parametrize(
    ("group_by", "expected"),
    [
        ("programme", [("PURL", "931034482.76", "300000000.00", "0.3222", 2, 2, 0),
                       ("BILATERAL", "0.00", None, None, 1, 0, 1)]),
        ("package", [("PURL-1", "500000000.00", "200000000.00", "0.4000", 1, 1, 0),
                     ("PURL-3", "431034482.76", "100000000.00", "0.2320", 1, 1, 0),
                     (None, "0.00", None, None, 1, 0, 1)]),
        ("year", [("2025", "931034482.76", "300000000.00", "0.3222", 3, 2, 1)]),
        ("month", [("2025-08", "931034482.76", None, None, 2, 0, 0),
                   ("2025-09", "0.00", "300000000.00", None, 1, 2, 1)]),
    ],
)  # fmt: skip
def test_each_grouping(api, ledger, group_by, expected):
    assert rows(summary(api, f"group_by={group_by}")) == expected


def test_latest_rates(api, ledger):
    data = summary(api, "rates=latest&donor=DE")
    # 500m / 1.20 and 115m / 1.20, each rounded half up.
    assert rows(data) == [("DE", "416666666.67", "95833333.33", "0.2300", 1, 1, 0)]
    assert [(r["first_day"], r["last_day"], r["min_rate"], r["max_rate"]) for r in data["rates_used"]] == [
        ("2025-10-01", "2025-10-01", "1.200000", "1.200000")
    ]


def test_rates_of_a_fixed_day(api, ledger):
    data = summary(api, "rates=2025-09-05&donor=DE")
    assert rows(data) == [("DE", "434782608.70", "100000000.00", "0.2300", 1, 1, 0)]
    assert data["rates"] == "2025-09-05"


def test_a_cross_currency_target(api, ledger):
    data = summary(api, "currency=usd")
    assert data["currency"] == "USD"
    assert rows(data) == [
        ("NL", "580000000.00", "230000000.00", "0.3966", 2, 1, 1),
        ("DE", "500000000.00", "115000000.00", "0.2300", 1, 1, 0),
    ]
    assert (data["total"]["pledged"], data["total"]["delivered"]) == ("1080000000.00", "345000000.00")


@pytest.mark.parametrize("group_by", ["donor", "programme", "package", "year", "month"])
@pytest.mark.parametrize("query", ["", "currency=USD", "rates=latest&currency=GBP"])
def test_parts_add_up_to_the_total(api, ledger, group_by, query):
    from tests.builders import rate

    rate("GBP", "2025-08-01", "0.8611")
    data = summary(api, f"group_by={group_by}&{query}")
    assert sum(Decimal(g["pledged"]) for g in data["groups"]) == Decimal(data["total"]["pledged"])
    known = [Decimal(g["delivered"]) for g in data["groups"] if g["delivered"] is not None]
    assert sum(known) == Decimal(data["total"]["delivered"])  # the total sums what is known
    unreported = sum(Decimal(g["pledged_without_delivery"]) for g in data["groups"])
    assert unreported == Decimal(data["total"]["pledged_without_delivery"])
    for count in ("pledges", "deliveries", "undisclosed"):
        assert sum(g[count] for g in data["groups"]) == data["total"][count]


def test_list_filters_apply(api, ledger):
    data = summary(api, "date_from=2025-08-10&programme=PURL")
    # NL's pledge (2025-08-04) falls outside; its delivery (2025-09-01) does not.
    assert rows(data) == [
        ("DE", "431034482.76", "100000000.00", "0.2320", 1, 1, 0),
        ("NL", "0.00", "200000000.00", None, 0, 1, 0),
    ]


def test_the_summary_as_csv(api, ledger):
    response = api.get("/api/v1/summary/?format=csv&group_by=programme")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert b"".join(response.streaming_content).decode().splitlines() == [
        "key,label,pledged,delivered,delivered_share,delivery_coverage,pledged_without_delivery,pledges,deliveries,"
        "undisclosed,currency,rates,rates_up_to",
        "PURL,PURL,931034482.76,300000000.00,0.3222,1.0000,0.00,2,2,0,EUR,transaction,",
        "BILATERAL,BILATERAL,0.00,,,,0.00,1,0,1,EUR,transaction,",
        ",total,931034482.76,300000000.00,0.3222,1.0000,0.00,3,2,1,EUR,transaction,",
    ]


def test_the_schema_documents_both_forms_of_rates_used(api):
    schema = api.get("/api/v1/schema/?format=json").json()
    answer = schema["components"]["schemas"]["Summary"]["properties"]
    assert answer["rates_used"]["items"]["$ref"].endswith("/RateRange")
    assert answer["rates_used_days"]["items"]["$ref"].endswith("/RateUsed")
    assert answer["rates_used_full"]["type"] == "string"
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/summary/"]["get"]["parameters"]}
    assert parameters["rates_used"]["schema"]["enum"] == ["compact", "full"]
