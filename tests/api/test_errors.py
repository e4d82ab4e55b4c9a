"""Every bad parameter is a 400 whose JSON body names the parameter and the reason."""

import pytest


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/api/v1/summary/?currency=XYZ", "currency"),
        ("/api/v1/summary/?currency=12345", "currency"),
        ("/api/v1/summary/?date_from=2025-02-30", "date_from"),
        ("/api/v1/summary/?date_from=2025-09-01&date_to=2025-08-01", "date_to"),
        ("/api/v1/summary/?group_by=colour", "group_by"),
        ("/api/v1/summary/?rates=2001-02-30", "rates"),
        ("/api/v1/summary/?rates=1990-01-01", "rates"),  # before any rate
        ("/api/v1/summary/?rates=0001-01-01", "rates"),
        ("/api/v1/summary/?donor=XX", "donor"),
        ("/api/v1/summary/?donor=NL&donor=DE", "donor"),
        ("/api/v1/summary/?format=xml", "format"),
        ("/api/v1/pledges/?ordering=colour", "ordering"),
        ("/api/v1/pledges/?page=2", "page"),  # past the end
        ("/api/v1/pledges/?page=0", "page"),
        ("/api/v1/pledges/?page=%C2%B2", "page"),
        ("/api/v1/pledges/?page_size=501", "page_size"),
        ("/api/v1/pledges/?page_size=", "page_size"),
        ("/api/v1/releases/?page=", "page"),
        ("/api/v1/pledges/?original_currency=EURO", "original_currency"),
        ("/api/v1/pledges/?currency=USD&rates=1990-01-01", "rates"),
        ("/api/v1/pledges/NL-P1/?currency=XYZ", "currency"),
        ("/api/v1/pledges/?format=csv&currency=USD&rates=1990-01-01", "rates"),
        ("/api/v1/deliveries/?package=bad%20code", "package"),
        ("/api/v1/changes/", "since"),
        ("/api/v1/changes/?since=yesterday", "since"),
        ("/api/v1/changes/?since=0001-01-01T00:00:00%2B14:00", "since"),
    ],
)
def test_it_rejects_a_bad_parameter_by_name(api, ledger, url, param):
    response = api.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert (body["status"], body["param"]) == (400, param)
    assert body["detail"]


def test_a_missing_rate_names_the_currency_and_the_day(api, ledger):
    body = api.get("/api/v1/summary/?rates=1990-01-01").json()
    assert body["detail"] == "no exchange rate for USD on or before 1990-01-01"


def test_an_unknown_record_is_a_json_404(api, ledger):
    response = api.get("/api/v1/pledges/NO-SUCH-REF/")
    assert response.status_code == 404
    assert response.json() == {"status": 404, "param": None, "detail": "No Pledge matches the given query."}
