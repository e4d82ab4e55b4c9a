"""`crosscheck/`: tracker figures beside the ledger's pledged and delivered up to the same day, by hand.

EUR→USD 1.0800 on 2024-04-01 and 1.1500 on 2025-08-04. US: pledged USD 230m on 2024-04-10 and
EUR 100m on 2025-08-04, delivered USD 115m on 2025-08-04. NL: pledged EUR 500m on 2025-08-04 and
EUR 1m on 2026-05-10 (after every as-of day).
"""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from aid.context.models import TrackerFigure
from aid.models import Donor
from tests.builders import donor, rate, record

KIEL = "https://www.ifw-kiel.de/topics/war-against-ukraine/ukraine-support-tracker/"


def tracker_figure(code: str, donor_code: str, as_of: str, amount: str, currency: str) -> TrackerFigure:
    return TrackerFigure.objects.create(
        code=code, tracker="Kiel", definition_en="Military allocations", definition_nl="Militaire toewijzingen",
        donor=Donor.objects.get(code=donor_code), as_of=date.fromisoformat(as_of), amount=Decimal(amount),
        currency=currency, source_url=KIEL, source_title="Ukraine Support Tracker",
    )  # fmt: skip


@pytest.fixture
def two_donors():
    rate("USD", "2024-04-01", "1.0800")
    rate("USD", "2025-08-04", "1.1500")
    donor("US", "United States"), donor("NL", "Netherlands"), donor("DE", "Germany")
    record(ref="US-P1", donor="US", programme="BILATERAL", date="2024-04-10", amount="230000000", currency="USD")
    record(ref="US-P2", donor="US", programme="BILATERAL", date="2025-08-04", amount="100000000")
    record("delivery", ref="US-D1", donor="US", programme="BILATERAL", pledge_ref="US-P1", date="2025-08-04",
           amount="115000000", currency="USD")  # fmt: skip
    record(ref="NL-P1", donor="NL", date="2025-08-04", amount="500000000")
    record(ref="NL-P2", donor="NL", date="2026-05-10", amount="1000000")
    tracker_figure("US-2024", "US", "2024-04-30", "1000000000", "USD")
    tracker_figure("US-2026", "US", "2026-04-30", "2000000000", "EUR")
    tracker_figure("NL-2026", "NL", "2026-04-30", "8000000000", "EUR")


def check(api, query: str = "") -> dict:
    response = api.get(f"/api/v1/crosscheck/?{query}")
    assert response.status_code == 200, response.content
    return {row["code"]: row for row in response.json()["figures"]}


def ledger_side(row: dict) -> tuple:
    return tuple(row[k] for k in ("ledger_pledged", "ledger_delivered", "pledged_difference", "pledged_ratio",
                                  "delivered_difference", "delivered_ratio"))  # fmt: skip


def test_the_ledger_up_to_an_early_as_of_day_in_the_trackers_currency(api, two_donors):
    # Up to 2024-04-30 only the USD 230m pledge; no delivery yet, so delivered is unknown (null)
    assert ledger_side(check(api, "donor=US")["US-2024"]) == (
        "230000000.00",
        None,
        "-770000000.00",
        "0.2300",
        None,
        None,
    )


def test_the_ledger_up_to_a_later_day_converted_at_each_amounts_rate(api, two_donors):
    # USD 230m / 1.08 = EUR 212,962,962.96, + EUR 100m = 312,962,962.96; ÷ 2bn = 0.15648 -> 0.1565
    # delivered USD 115m / 1.15 = EUR 100,000,000.00; ÷ 2bn = 0.0500
    row = check(api, "donor=US")["US-2026"]
    assert ledger_side(row) == (
        "312962962.96", "100000000.00", "-1687037037.04", "0.1565", "-1900000000.00", "0.0500",
    )  # fmt: skip
    assert (row["tracker_amount"], row["currency"], row["as_of"]) == ("2000000000.00", "EUR", "2026-04-30")


def test_a_second_donor_counts_nothing_after_the_as_of_day(api, two_donors):
    row = check(api, "donor=NL")["NL-2026"]
    assert ledger_side(row) == ("500000000.00", None, "-7500000000.00", "0.0625", None, None)
    assert row["ledger_pledges"] == 1


def test_a_fixed_rate_day_applies_to_every_amount(api, two_donors):
    # USD 230m / 1.15 = EUR 200m, + EUR 100m
    assert check(api, "donor=US&rates=2025-08-04")["US-2026"]["ledger_pledged"] == "300000000.00"


def test_the_rates_used_are_folded_with_every_day_one_parameter_away(api, two_donors):
    compact = api.get("/api/v1/crosscheck/?donor=US").json()
    # US-2024 converts nothing (USD into USD); US-2026 converts at 2024-04-01 and 2025-08-04.
    assert compact["rates_used"] == [
        {"currency": "USD", "source": "test rate", "first_day": "2024-04-01", "last_day": "2025-08-04", "days": 2,
         "min_rate": "1.080000", "max_rate": "1.150000", "stale": True, "stale_days": 1},
    ]  # fmt: skip
    assert "rates_used_days" not in compact
    full = api.get(compact["rates_used_full"]).json()
    assert [(q["rate_date"], q["rate"]) for q in full["rates_used_days"]] == [
        ("2024-04-01", "1.080000"),
        ("2025-08-04", "1.150000"),
    ]
    assert api.get("/api/v1/crosscheck/?rates_used=days").json()["param"] == "rates_used"


def test_without_donor_every_donor_with_a_figure(api, two_donors):
    assert list(check(api)) == ["NL-2026", "US-2026", "US-2024"]  # by donor, newest first


def test_both_definitions_are_given_in_words(api, two_donors):
    row = check(api, "donor=NL")["NL-2026"]
    assert row["tracker_definition"] == "Military allocations"
    assert row["ledger_pledged_definition"].startswith("Pledges announced up to the as-of date")
    assert row["ledger_delivered_definition"].startswith("Deliveries and payments recorded")


def test_a_donor_with_no_figure_gets_an_empty_list(api, two_donors):
    assert check(api, "donor=DE") == {}


def test_an_unknown_donor_is_a_400_naming_it(api, two_donors):
    response = api.get("/api/v1/crosscheck/?donor=XX")
    assert response.status_code == 400 and response.json()["param"] == "donor"


def test_the_crosscheck_as_csv(api, two_donors):
    response = api.get("/api/v1/crosscheck/?donor=US&format=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(r["code"], r["ledger_pledged"], r["ledger_delivered"]) for r in rows] == [
        ("US-2026", "312962962.96", "100000000.00"), ("US-2024", "230000000.00", ""),
    ]  # fmt: skip
