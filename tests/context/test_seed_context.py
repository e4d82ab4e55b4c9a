"""The seed's indicators and tracker figures, curated from the research files (CURATION.md)."""

from decimal import Decimal

from aid.models import Indicator, TrackerFigure
from aid.seed import load_seed


def test_the_seed_keeps_the_world_bank_years_as_given():
    load_seed()
    assert set(Indicator.objects.filter(name="gdp").values_list("year", flat=True)) == {2023}
    assert set(Indicator.objects.filter(name="population").values_list("year", flat=True)) == {2024}
    assert Indicator.objects.count() == 42  # 21 donors x (GDP, population); the OECD supplement is left out


def test_the_seed_holds_the_kiel_allocations_and_is_idempotent():
    load_seed()
    load_seed()
    us = TrackerFigure.objects.get(code="AGG-101")
    assert (us.donor.code, us.as_of.isoformat(), us.amount, us.currency) == (
        "US", "2026-04-30", Decimal("64616886000.00"), "EUR",
    )  # fmt: skip
    assert TrackerFigure.objects.count() == 23
