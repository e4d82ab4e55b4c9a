"""Loading the curated seed data in fixtures/ (see fixtures/CURATION.md): idempotent."""

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from aid.context.seed import load_context
from aid.countries import add_missing_donors
from aid.importing import ImportReport, import_ledger
from aid.models import Donor, Package, Programme, ReferenceFigure, Source
from ledger.money import to_minor

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


class SeedError(ValueError):
    pass


def _rows(name: str):
    with open(FIXTURES / name, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _optional_date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _money(amount: str, currency: str) -> dict:
    if not amount:
        return {"amount_minor": None, "currency": ""}
    return {"amount_minor": to_minor(Decimal(amount), currency), "currency": currency}


def _source(url: str, title: str) -> Source | None:
    if not url:
        return None
    source, _ = Source.objects.update_or_create(url=url, defaults={"title": title})
    return source


def load_reference_tables() -> None:
    add_missing_donors(Donor)  # the migrations hold them; a flushed test database does not
    for row in _rows("programmes.csv"):
        Programme.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_en": row["name_en"], "name_nl": row["name_nl"],
                "description_en": row["description_en"], "description_nl": row["description_nl"],
                "start_date": _optional_date(row["start_date"]),
            },
        )  # fmt: skip
    for row in _rows("packages.csv"):
        package, _ = Package.objects.update_or_create(
            programme=Programme.objects.get(code=row["programme"]),
            code=row["code"],
            defaults={
                "name_en": row["name_en"], "name_nl": row["name_nl"],
                "description_en": row["description_en"], "description_nl": row["description_nl"],
                "date": _optional_date(row["date"]),
                "amount_qualifier": row["amount_qualifier"] or "exact",
                "source": _source(row["source_url"], row["source_title"]),
                **_money(row["amount"], row["currency"]),
            },
        )  # fmt: skip
        package.donors.set(Donor.objects.filter(code__in=[c for c in row["donors"].split(";") if c]))


def load_reference_figures() -> None:
    for row in _rows("reference_figures.csv"):
        ReferenceFigure.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_en": row["name_en"], "name_nl": row["name_nl"], "period": row["period"],
                "amount_qualifier": row["amount_qualifier"] or "exact", "date": date.fromisoformat(row["date"]),
                "programme": Programme.objects.filter(code="PURL").first(),
                "source": _source(row["source_url"], row["source_title"]),
                **_money(row["amount"], row["currency"]),
            },
        )  # fmt: skip


def load_seed() -> ImportReport:
    with transaction.atomic():
        load_reference_tables()
        load_reference_figures()
        if problems := load_context():
            raise SeedError("fixtures/indicators.csv does not import:\n" + "\n".join(problems))
        report = import_ledger((FIXTURES / "ledger.csv").read_bytes())
        if not report.ok:
            raise SeedError("fixtures/ledger.csv does not import:\n" + "\n".join(report.problems))
    return report
