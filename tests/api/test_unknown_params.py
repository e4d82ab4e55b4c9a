"""SPEC §6: an unknown query parameter is a 400 naming it and listing the documented ones."""

import pytest


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/api/v1/pledges/?programe=PURL", "programe"),
        ("/api/v1/deliveries/?Donor=NL", "Donor"),
        ("/api/v1/pledges/NL-P1/?donor=NL", "donor"),
        ("/api/v1/summary/?groupby=year", "groupby"),
        ("/api/v1/donors/?currency=USD", "currency"),
        ("/api/v1/programmes/?ordering=date", "ordering"),
        ("/api/v1/changes/?since=2025-01-01&until=2025-02-01", "until"),
        ("/api/v1/schema/?colour=red", "colour"),
        ("/api/v1/?x=1", "x"),
    ],
)
def test_an_unknown_parameter_is_a_400_naming_it(api, ledger, url, param):
    response = api.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert (body["status"], body["param"]) == (400, param)
    assert body["detail"].startswith(f"unknown parameter {param!r}: this endpoint takes ")


def test_the_message_lists_the_documented_parameters(api, ledger):
    body = api.get("/api/v1/summary/?programe=PURL").json()
    assert body["detail"] == (
        "unknown parameter 'programe': this endpoint takes as_of, confidence, currency, date_from, date_to, donor, "
        "format, group_by, original_currency, package, per, programme, rates, rates_used, release"
    )


def test_several_unknown_parameters_are_all_named(api, ledger):
    body = api.get("/api/v1/pledges/?a=1&b=2&donor=NL").json()
    assert body["param"] == "a"
    assert body["detail"].startswith("unknown parameters 'a', 'b': this endpoint takes ")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/pledges/?donor=NL&programme=PURL&page=1&page_size=10&format=json&ordering=-date",
        "/api/v1/pledges/?format=csv",
        "/api/v1/summary/?group_by=year&currency=USD&rates=latest",
        "/api/v1/schema/?format=json",
        "/api/v1/schema/?lang=nl",
        "/api/v1/docs/",
        "/api/v1/?format=json",
    ],
)
def test_documented_parameters_pass(api, ledger, url):
    assert api.get(url).status_code == 200


def test_an_unknown_path_stays_a_404_whatever_its_parameters(api):
    assert api.get("/api/v1/nowhere/?x=1").status_code == 404


def test_the_api_root_names_deliveries(api):
    assert "deliveries" in api.get("/api/v1/").json()
    assert "deliverys" not in api.get("/api/v1/").json()


def test_the_schema_documents_the_400_of_every_endpoint(api):
    schema = api.get("/api/v1/schema/?format=json").json()
    for path, operations in schema["paths"].items():
        if path.endswith("/schema/"):
            continue
        for method, operation in operations.items():
            assert "400" in operation["responses"], f"{method} {path}"
