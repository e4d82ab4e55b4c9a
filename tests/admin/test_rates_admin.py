"""Exchange rates: the ECB's are read-only; rates for other currencies are entered with a source."""

from datetime import date
from decimal import Decimal

import pytest

from ledger.models import ECB_SOURCE, ExchangeRate
from ledger.rates import rate_on

RATES = "/admin/ledger/exchangerate/"
UAH = {"currency": "UAH", "day": "2025-08-04", "rate": "48.1234", "source": "National Bank of Ukraine",
       "source_url": "https://bank.gov.ua/en/markets/exchangerates"}  # fmt: skip


@pytest.fixture
def ecb_gbp():
    ExchangeRate.objects.create(currency="GBP", day=date(2024, 12, 31), rate=Decimal("0.83"), source=ECB_SOURCE)
    return ExchangeRate.objects.create(currency="GBP", day=date(2025, 8, 1), rate=Decimal("0.86"), source=ECB_SOURCE)


def test_ecb_rates_are_listed_and_filtered_but_never_changed(as_editor, ecb_gbp):
    listed = as_editor.get(f"{RATES}?currency=GBP&origin=ecb&day__year=2025")
    assert [(r.currency, r.day) for r in listed.context["cl"].result_list] == [("GBP", date(2025, 8, 1))]
    page = as_editor.get(f"{RATES}{ecb_gbp.pk}/change/")
    assert page.status_code == 200 and b'name="rate"' not in page.content  # read-only view
    as_editor.post(f"{RATES}{ecb_gbp.pk}/change/", {**UAH, "currency": "GBP"})
    as_editor.post(f"{RATES}{ecb_gbp.pk}/delete/", {"post": "yes"})
    ecb_gbp.refresh_from_db()
    assert (ecb_gbp.rate, ecb_gbp.source) == (Decimal("0.860000"), ECB_SOURCE)


def test_an_editor_enters_a_rate_the_ecb_does_not_publish(as_editor, editor):
    response = as_editor.post(f"{RATES}add/", UAH)
    assert response.status_code == 302
    entered = ExchangeRate.objects.get(currency="UAH")
    assert (entered.rate, entered.source, entered.entered_by) == (Decimal("48.1234"), UAH["source"], "eddie")
    assert rate_on("UAH", date(2025, 8, 5)).rate == Decimal("48.1234")


def test_a_manual_rate_needs_its_source(as_editor):
    response = as_editor.post(f"{RATES}add/", {**UAH, "source": ""})
    assert "source" in response.context["adminform"].form.errors
    assert not ExchangeRate.objects.filter(currency="UAH").exists()


def test_a_currency_the_ecb_publishes_is_not_entered_by_hand(as_editor, ecb_gbp):
    response = as_editor.post(f"{RATES}add/", {**UAH, "currency": "GBP"})
    assert response.context["adminform"].form.errors["currency"] == [
        "the ECB publishes GBP: its rates come from the ECB, not by hand"
    ]


def test_researchers_read_rates_but_do_not_enter_them(as_researcher):
    assert as_researcher.get(RATES).status_code == 200
    assert as_researcher.post(f"{RATES}add/", UAH).status_code == 403
    assert not ExchangeRate.objects.filter(currency="UAH").exists()
