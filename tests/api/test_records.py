"""Pledges and deliveries: exact output shapes, filters, ordering, pagination, conversion."""

from datetime import date

from tests.builders import record

SOURCE = [{"url": "https://example.org/source", "title": "", "kind": None}]


def test_it_shows_a_pledge_with_its_sources_valuations_and_progress_converted(api, ledger):
    response = api.get("/api/v1/pledges/NL-P1/?currency=USD")
    assert response.status_code == 200
    assert response.json() == {
        "ref": "NL-P1", "donor": "NL", "programme": "PURL", "package": "PURL-1", "date": "2025-08-04",
        "amount": "500000000.00", "currency": "EUR", "amount_qualifier": "exact", "description": "", "confidence": None,
        "sources": SOURCE,
        "converted": {
            "currency": "USD", "amount": "580000000.00", "rate": "1.1600000000", "rate_date": "2025-08-04",
            "stale": False,
            "rates_used": [
                {"currency": "USD", "rate_date": "2025-08-04", "rate": "1.160000", "stale": False, "source": "test rate"}
            ],
        },
        "valuations": [
            {"ref": "NL-P1-USD", "date": "2025-08-04", "amount": "578000000.00", "currency": "USD",
             "amount_qualifier": "exact", "description": "", "confidence": None, "sources": SOURCE}
        ],
        "delivered": "200000000.00", "delivered_share": "0.4000", "deliveries": 1, "undisclosed_deliveries": 0,
        "age_days": (date.today() - date(2025, 8, 4)).days, "last_delivery_date": "2025-09-01",
    }  # fmt: skip


def test_it_lists_deliveries_with_their_pledge_ref_and_no_conversion_unless_asked(api, ledger):
    response = api.get("/api/v1/deliveries/?ordering=date")
    assert response.status_code == 200
    assert response.json() == {
        "count": 2, "next": None, "previous": None,
        "results": [
            {"ref": "DE-D1", "donor": "DE", "programme": "PURL", "package": "PURL-3", "date": "2025-09-01",
             "amount": "115000000.00", "currency": "USD", "amount_qualifier": "exact", "description": "", "confidence": None,
             "sources": SOURCE, "converted": None, "pledge_ref": "DE-P1"},
            {"ref": "NL-D1", "donor": "NL", "programme": "PURL", "package": "PURL-1", "date": "2025-09-01",
             "amount": "200000000.00", "currency": "EUR", "amount_qualifier": "exact", "description": "", "confidence": None,
             "sources": SOURCE, "converted": None, "pledge_ref": "NL-P1"},
        ],
    }  # fmt: skip


def test_an_undisclosed_amount_is_null_and_never_converted(api, ledger):
    pledge = api.get("/api/v1/pledges/NL-P2/?currency=USD").json()
    assert (pledge["amount"], pledge["currency"], pledge["converted"], pledge["delivered"]) == (None, None, None, None)


def test_a_record_in_the_asked_currency_needs_no_rate(api, ledger):
    converted = api.get("/api/v1/pledges/DE-P1/?currency=USD").json()["converted"]
    assert converted["amount"] == "500000000.00"
    assert (converted["rate"], converted["stale"], converted["rates_used"]) == ("1.0000000000", False, [])


def test_conversion_follows_the_rates_parameter(api, ledger):
    latest = api.get("/api/v1/pledges/NL-P1/?currency=USD&rates=latest").json()["converted"]
    fixed_day = api.get("/api/v1/pledges/NL-P1/?currency=USD&rates=2025-09-20").json()["converted"]
    assert (latest["amount"], latest["rate_date"]) == ("600000000.00", "2025-10-01")
    assert (fixed_day["amount"], fixed_day["rate_date"], fixed_day["stale"]) == ("575000000.00", "2025-09-01", True)


def test_deliveries_convert_into_a_currency_through_eur(api, ledger):
    results = api.get("/api/v1/deliveries/?currency=EUR&donor=DE").json()["results"]
    assert [(r["ref"], r["converted"]["amount"]) for r in results] == [("DE-D1", "100000000.00")]


def refs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["ref"] for item in response.json()["results"]]


def test_filters_combine(api, ledger):
    assert refs(api.get("/api/v1/pledges/?donor=NL")) == ["NL-P2", "NL-P1"]
    assert refs(api.get("/api/v1/pledges/?donor=nl,de&programme=PURL&ordering=date")) == ["NL-P1", "DE-P1"]
    assert refs(api.get("/api/v1/pledges/?package=PURL-3")) == ["DE-P1"]
    assert refs(api.get("/api/v1/pledges/?date_from=2025-08-05&date_to=2025-08-31")) == ["DE-P1"]
    assert refs(api.get("/api/v1/pledges/?original_currency=USD")) == ["DE-P1"]
    assert refs(api.get("/api/v1/deliveries/?original_currency=EUR")) == ["NL-D1"]


def test_ordering_by_amount_puts_undisclosed_amounts_last(api, ledger):
    record(ref="NL-P3", donor="NL", date="2025-08-10", amount="1000")
    assert refs(api.get("/api/v1/pledges/?ordering=amount")) == ["NL-P3", "DE-P1", "NL-P1", "NL-P2"]
    assert refs(api.get("/api/v1/pledges/?ordering=-amount")) == ["DE-P1", "NL-P1", "NL-P3", "NL-P2"]


def test_pages_link_to_each_other_and_count_everything(api, ledger):
    first = api.get("/api/v1/pledges/?page_size=2&ordering=date").json()
    assert (first["count"], first["previous"], [r["ref"] for r in first["results"]]) == (3, None, ["NL-P1", "DE-P1"])
    assert first["next"] == "http://testserver/api/v1/pledges/?ordering=date&page=2&page_size=2"
    second = api.get(first["next"]).json()
    assert [r["ref"] for r in second["results"]] == ["NL-P2"]
    assert second["next"] is None and second["previous"].startswith("http://testserver/api/v1/pledges/?")


def test_a_page_may_hold_500_records(api, ledger):
    assert api.get("/api/v1/pledges/?page_size=500").status_code == 200


def test_donors_and_programmes_with_their_packages(api, ledger):
    donors = {d["code"]: d for d in api.get("/api/v1/donors/?page_size=500").json()["results"]}
    assert len(donors) == 250  # every ISO 3166-1 country and EU, from the migrations on
    assert donors["NL"] == {
        "code": "NL", "name_en": "Netherlands", "name_nl": "Nederland",
        "eu_member": True, "nato_member": True, "nato_joined": 1949,
    }  # fmt: skip
    programmes = api.get("/api/v1/programmes/").json()["results"]
    assert [(p["code"], [k["code"] for k in p["packages"]]) for p in programmes] == [
        ("BILATERAL", []),
        ("PURL", ["PURL-1", "PURL-3"]),
    ]


def test_a_pledge_without_a_delivery_says_unknown_not_zero(api, ledger):
    record(ref="DE-P2", donor="DE", date="2025-10-01", amount="10")
    pledge = api.get("/api/v1/pledges/DE-P2/").json()
    assert (pledge["delivered"], pledge["delivered_share"], pledge["last_delivery_date"]) == (None, None, None)
    assert pledge["deliveries"] == 0


def test_a_pledge_with_only_an_undisclosed_delivery_is_covered_but_its_delivered_unknown(api, ledger):
    record(ref="DE-P2", donor="DE", date="2025-10-01", amount="10")
    record("delivery", ref="DE-D2", donor="DE", pledge_ref="DE-P2", date="2025-10-02", amount="", currency="")
    pledge = api.get("/api/v1/pledges/DE-P2/").json()
    assert (pledge["delivered"], pledge["deliveries"], pledge["undisclosed_deliveries"]) == (None, 1, 1)
    assert pledge["last_delivery_date"] == "2025-10-02"


def test_age_days_counts_to_date_to_when_given(api, ledger):
    results = api.get("/api/v1/pledges/?donor=DE&date_to=2025-08-23").json()["results"]
    assert [(p["ref"], p["age_days"]) for p in results] == [("DE-P1", 10)]
