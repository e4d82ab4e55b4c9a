"""SPEC §5/§7: every summary and chart page names the newest ECB rate day held, and pages warn
when `latest` rates are stale."""

from datetime import date, timedelta

import pytest

from ledger.rates import ecb_rates_up_to
from ledger.services import load_ecb_rates
from tests.builders import rate, record


def ecb(day: date, currency: str = "USD", value: str = "1.10") -> None:
    from decimal import Decimal

    load_ecb_rates([(currency, day, Decimal(value))])


def test_the_newest_ecb_day_ignores_rates_entered_by_hand(db):
    ecb(date(2026, 10, 30))
    ecb(date(2026, 10, 29), "GBP", "0.83")
    rate("UAH", "2026-11-20", "48")  # a manual rate: not the ECB's
    assert ecb_rates_up_to() == date(2026, 10, 30)


def test_no_ecb_rate_held_is_none(db):
    assert ecb_rates_up_to() is None


def test_the_summary_says_how_fresh_the_rates_are(client, db):
    ecb(date(2026, 10, 30))
    record("pledge", ref="P", amount="10")
    assert client.get("/api/v1/summary/").json()["rates_up_to"] == "2026-10-30"


def test_the_summary_csv_says_it_on_every_row(client, db):
    ecb(date(2026, 10, 30))
    record("pledge", ref="P", amount="10")
    lines = b"".join(client.get("/api/v1/summary/?format=csv").streaming_content).decode().splitlines()
    assert lines[0].endswith(",rates_up_to")
    assert all(line.endswith(",2026-10-30") for line in lines[1:]) and len(lines) == 3


def test_the_summary_says_null_without_ecb_rates(client, db):
    record("pledge", ref="P", amount="10")
    assert client.get("/api/v1/summary/").json()["rates_up_to"] is None


@pytest.mark.parametrize(
    ("prefix", "text"), [("", "ECB rates up to 30 Oct 2026."), ("/nl", "ECB-koersen tot en met 30 oktober 2026.")]
)
@pytest.mark.parametrize("path", ["/", "/donor/NL/", "/programme/PURL/", "/embed/donors/"])
def test_every_chart_page_names_the_newest_rate_day(client, db, prefix, text, path):
    ecb(date(2026, 10, 30))
    record("pledge", ref="P", amount="10", donor="NL", programme="PURL")
    page = client.get(f"{prefix}{path}").content.decode()
    assert text in page


def test_the_400_page_names_it_too(client, db):
    ecb(date(2026, 10, 30))
    response = client.get("/?currency=NOPE")
    assert response.status_code == 400
    assert "ECB rates up to 30 Oct 2026." in response.content.decode()


@pytest.mark.parametrize(
    ("prefix", "warning"),
    [
        ("", "The latest exchange rates held are 10 days old"),
        ("/nl", "De nieuwste wisselkoersen in de database zijn 10 dagen oud"),
    ],
)
def test_a_page_warns_when_latest_rates_are_stale(client, db, prefix, warning):
    ecb(date.today() - timedelta(days=10))
    record("pledge", ref="P", amount="10", currency="USD", date=(date.today() - timedelta(days=10)).isoformat())
    assert warning in client.get(f"{prefix}/?rates=latest").content.decode()


def test_no_warning_for_fresh_latest_rates_or_for_other_rules(client, db):
    ecb(date.today() - timedelta(days=10))
    ecb(date.today() - timedelta(days=3), "GBP", "0.8")
    record("pledge", ref="P", amount="10", date=(date.today() - timedelta(days=10)).isoformat())
    assert 'class="warning"' not in client.get("/?rates=latest").content.decode()


def test_no_latest_warning_under_the_transaction_rule(client, db):
    ecb(date.today() - timedelta(days=40))
    record("pledge", ref="P", amount="10", date=(date.today() - timedelta(days=40)).isoformat())
    assert 'class="warning"' not in client.get("/").content.decode()
