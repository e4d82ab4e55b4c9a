"""Seeding the context figures from fixtures/ (see fixtures/CURATION.md): idempotent."""

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

from aid.context.importing import import_indicators
from aid.context.models import TrackerFigure
from aid.models import Donor

FIXTURES = Path(__file__).resolve().parent.parent.parent / "fixtures"


def load_indicators() -> list[str]:
    return import_indicators((FIXTURES / "indicators.csv").read_bytes()).problems


def load_tracker_figures() -> None:
    with open(FIXTURES / "tracker_figures.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            TrackerFigure.objects.update_or_create(
                code=row["code"],
                defaults={
                    "tracker": row["tracker"], "definition_en": row["definition_en"],
                    "definition_nl": row["definition_nl"], "donor": Donor.objects.get(code=row["donor"]),
                    "scope": row["scope"], "as_of": date.fromisoformat(row["as_of"]),
                    "amount": Decimal(row["amount"]), "currency": row["currency"],
                    "source_url": row["source_url"], "source_title": row["source_title"],
                },
            )  # fmt: skip


def load_context() -> list[str]:
    """Returns the indicator file's problems (none written then), else loads the tracker figures."""
    problems = load_indicators()
    if not problems:
        load_tracker_figures()
    return problems
