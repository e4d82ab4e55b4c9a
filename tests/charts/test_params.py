"""The URL is the view: bad parameters get a 400 page naming them, never a 500."""

import pytest

from tests.builders import rate, record


@pytest.fixture
def small_ledger(db):
    rate("USD", "2025-08-01", "1.1")
    record(donor="NL", programme="PURL", amount=500, currency="EUR", ref="NL-1")


BAD = [
    ("currency=XXX", "currency"),
    ("currency=EUR&currency=USD", "currency"),
    ("rates=yesterday", "rates"),
    ("currency=USD&rates=1990-01-01", "rates"),  # no rate that early
    ("currency=USD&rates=0001-01-05", "rates"),
    ("rates=day", "rates"),
    ("date_from=2025-13-01", "date_from"),
    ("date_from=2025-06-01&date_to=2025-01-01", "date_to"),
    ("programme=NOPE", "programme"),
    ("donor=%3Cscript%3E", "donor"),
    ("original_currency=EURO", "original_currency"),
    ("programe=PURL", "programe"),  # a typo is an error, not the whole ledger
    ("currency=USD&utm_source=x", "utm_source"),
]


@pytest.mark.parametrize("path", ["/", "/programme/PURL/", "/donor/NL/", "/embed/donors/", "/data/donors.csv"])
@pytest.mark.parametrize(("query", "param"), BAD)
def test_a_bad_parameter_is_a_400_page_naming_it(small_ledger, client, path, query, param):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    assert f"<code>{param}</code>" in response.content.decode()


def test_the_form_is_folded_into_the_url_to_share(seeded, client):
    response = client.get("/?currency=USD&rates=day&rates_day=2025-01-02&programme=&date_from=&date_to=")
    assert response.status_code == 302
    assert response["Location"] == "/?currency=USD&rates=2025-01-02"


def test_a_canonical_url_is_served_as_is(seeded, client):
    assert client.get("/?currency=USD&rates=2025-01-02&programme=PURL").status_code == 200


@pytest.mark.parametrize(
    "query", ["currency=USD", "currency=nok&rates=latest", "rates=2024-02-29", "date_from=2025-01-01", "donor=nl,de"]
)
def test_good_parameters_are_shown(seeded, client, query):
    assert client.get(f"/?{query}").status_code == 200
    assert client.get(f"/nl/donor/NL/?{query}").status_code == 200


def test_a_day_without_rates_yet_uses_the_latest_earlier_rates(seeded, client):
    assert client.get("/?rates=2099-01-01").status_code == 200


def test_an_unknown_parameter_page_lists_the_known_ones(small_ledger, client):
    page = client.get("/?programe=PURL").content.decode()
    assert "<code>programe</code>" in page
    from aid.charts.controls import PARAMS

    assert {"currency", "rates", "programme", "date_from"} <= set(PARAMS)
    assert f"this page takes {', '.join(PARAMS)}" in page
