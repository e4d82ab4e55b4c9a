"""rebuild_totals from scratch (set-wise SQL) and a new ECB day refreshing only what it changes."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from aid import staging
from aid.models import (
    ConvertedTotal,
    DonorMonthTotal,
    LedgerTotal,
    PackageTotal,
    Pledge,
    ProgrammeMonthTotal,
    Status,
)
from ledger import daily
from ledger.models import DailyRate
from ledger.services import load_ecb_rates
from tests.builders import rate, record

FIGURES = ("ref", "delivered_minor", "deliveries_count", "undisclosed_deliveries")


def _ledger_with_rounding_cases() -> None:
    """Deliveries converted into their pledges' currencies with half-unit results (0.625 EUR,
    1.5 JPY, 0.1875 KWD), a day before the daily rate table begins, undisclosed and draft ones."""
    rate("USD", "2013-06-03", "1.3")
    rate("USD", "2025-09-01", "1.6")
    rate("JPY", "2025-09-01", "150")
    rate("KWD", "2025-09-01", "0.3")
    record("pledge", ref="P-EUR", amount="1000")
    record("pledge", ref="P-JPY", amount="100000", currency="JPY")
    record("pledge", ref="P-KWD", amount="500.000", currency="KWD")
    record("pledge", ref="P-OLD", amount="100", date="2013-06-03")
    record("pledge", ref="P-NONE", amount="", currency="")
    record("pledge", ref="P-DRAFT", amount="5", status=Status.DRAFT)
    record("delivery", ref="D1", pledge_ref="P-EUR", amount="1.00", currency="USD", date="2025-09-02")
    record("delivery", ref="D2", pledge_ref="P-EUR", amount="1.00", currency="USD", date="2025-09-03")
    record("delivery", ref="D3", pledge_ref="P-EUR", amount="", currency="", date="2025-09-03")
    record("delivery", ref="D4", pledge_ref="P-JPY", amount="0.01", currency="EUR", date="2025-09-02")
    record("delivery", ref="D5", pledge_ref="P-KWD", amount="1.00", currency="USD", date="2025-09-02")
    record("delivery", ref="D6", pledge_ref="P-OLD", amount="13.00", currency="USD", date="2013-06-04")
    record("delivery", ref="D7", pledge_ref="P-NONE", amount="10", currency="EUR", date="2025-09-04")
    record("delivery", ref="D8", pledge_ref="P-EUR", amount="7", date="2025-09-04", status=Status.DRAFT)


@pytest.mark.parametrize("refill_after", [0, 50_000], ids=["tables refilled", "changed rows written"])
def test_rebuild_from_scratch_gives_what_every_write_stored(refill_after, monkeypatch):
    monkeypatch.setattr(staging, "REFILL_AFTER", refill_after)
    _ledger_with_rounding_cases()
    stored = set(Pledge.objects.values_list(*FIGURES))
    assert Pledge.objects.get(ref="P-EUR").delivered == Decimal("1.26")  # 0.625 + 0.625, each half up
    assert Pledge.objects.get(ref="P-JPY").delivered == Decimal("2")
    assert Pledge.objects.get(ref="P-KWD").delivered == Decimal("0.188")
    assert Pledge.objects.get(ref="P-OLD").delivered == Decimal("10.00")
    keys = (
        "kind",
        "status",
        "donor",
        "programme",
        "package",
        "currency",
        "day",
        "amount_minor",
        "records",
        "undisclosed",
    )
    totals_before = set(LedgerTotal.objects.values_list(*keys))
    converted_before = ConvertedTotal.objects.count()
    # Everything derived is wrong or gone: the rebuild must recompute, not keep.
    LedgerTotal.objects.all().delete()
    LedgerTotal.objects.create(kind="pledge", status="published", donor="XX", programme="X", day=date(2020, 1, 1))
    ConvertedTotal.objects.all().delete()
    DonorMonthTotal.objects.update(converted_minor=1)  # the narrow monthly rows too
    ProgrammeMonthTotal.objects.update(records=0)
    PackageTotal.objects.update(amount_minor=0)
    Pledge.objects.update(delivered_minor=7, deliveries_count=9, undisclosed_deliveries=3)

    call_command("rebuild_totals")

    assert set(Pledge.objects.values_list(*FIGURES)) == stored
    assert set(LedgerTotal.objects.values_list(*keys)) == totals_before
    assert ConvertedTotal.objects.count() == converted_before
    call_command("rebuild_totals", "--verify")


def _ecb_day(day: str, **rates: str) -> int:
    return load_ecb_rates([(currency, date.fromisoformat(day), Decimal(value)) for currency, value in rates.items()])


def test_a_new_ecb_day_after_the_newest_record_changes_no_figure():
    _ecb_day("2025-09-01", USD="1.25", JPY="150")
    record("pledge", ref="P", amount="1000")
    record("delivery", ref="D", pledge_ref="P", amount="100", currency="USD", date="2025-09-05")
    converted = list(ConvertedTotal.objects.order_by("pk").values_list("pk", "converted_minor"))

    assert _ecb_day("2025-09-08", USD="2", JPY="160") == 2

    assert Pledge.objects.get(ref="P").delivered == Decimal("80.00")
    # Nothing dated from the new day on: the converted totals were not even rewritten.
    assert list(ConvertedTotal.objects.order_by("pk").values_list("pk", "converted_minor")) == converted
    call_command("rebuild_totals", "--verify")


def test_a_new_ecb_day_before_a_record_changes_what_it_converts():
    _ecb_day("2025-09-01", USD="1.25", JPY="150")
    record("pledge", ref="P", amount="1000")
    record("pledge", ref="Q", amount="1000", date="2025-08-01")
    record("delivery", ref="D", pledge_ref="P", amount="100", currency="USD", date="2025-09-05")
    record("delivery", ref="E", pledge_ref="Q", amount="100", currency="USD", date="2025-09-02")

    _ecb_day("2025-09-03", USD="2", JPY="160")

    assert Pledge.objects.get(ref="P").delivered == Decimal("50.00")  # the new day's rate
    assert Pledge.objects.get(ref="Q").delivered == Decimal("80.00")  # dated before it: unchanged
    call_command("rebuild_totals", "--verify")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the daily rate table is PostgreSQL's (SQLite reads rates)"
)
def test_a_new_ecb_day_fills_the_daily_rates_from_that_day_on_only():
    _ecb_day("2025-09-01", USD="1.25")
    before = dict(DailyRate.objects.filter(currency="USD", day__lt="2025-09-08").values_list("day", "pk"))
    _ecb_day("2025-09-08", USD="2")
    assert dict(DailyRate.objects.filter(currency="USD", day__lt="2025-09-08").values_list("day", "pk")) == before
    days = DailyRate.objects.filter(currency="USD", day__gte="2025-09-07").order_by("day")
    assert [(d.rate, d.rate_day) for d in days[:3]] == [
        (Decimal("1.25"), date(2025, 9, 1)),
        (Decimal("2"), date(2025, 9, 8)),
        (Decimal("2"), date(2025, 9, 8)),
    ]
    assert days.last().day == daily.filled_until()
