"""Pledges and deliveries as ledger CSV (SPEC §4), streamed: re-importing it changes nothing."""

import csv
from collections.abc import Iterable, Iterator

from django.db.models import Prefetch

from aid.formulas import neutralise
from aid.models import Delivery, Pledge, Source, Valuation
from aid.rules import COLUMNS

CHUNK = 2000


class _Line:
    """A file-like object whose write() returns the line, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def _first_source(record) -> Source | None:
    sources = list(record.sources.all())
    return min(sources, key=lambda s: s.pk) if sources else None


def _amount(record) -> str:
    return "" if record.amount is None else str(record.amount)


def record_row(record) -> dict:
    """One ledger CSV row for a pledge, delivery or valuation."""
    source = _first_source(record)
    common = {
        "ref": record.ref, "date": record.date.isoformat(), "amount": _amount(record),
        "currency": record.currency, "amount_qualifier": record.amount_qualifier,
        "description": record.description, "source_url": source.url if source else "",
        "source_title": source.title if source else "", "confidence": record.confidence,
        "source_kind": source.kind if source else "",
    }  # fmt: skip
    if isinstance(record, Valuation):
        pledge = record.pledge
        return {**common, "record": "valuation", "donor": pledge.donor.code, "programme": pledge.programme.code,
                "package": pledge.package.code if pledge.package_id else "", "pledge_ref": pledge.ref}  # fmt: skip
    pledge_ref = record.pledge.ref if isinstance(record, Delivery) and record.pledge_id else ""
    return {
        **common,
        "record": "delivery" if isinstance(record, Delivery) else "pledge",
        "donor": record.donor.code,
        "programme": record.programme.code,
        "package": record.package.code if record.package_id else "",
        "pledge_ref": pledge_ref,
    }


def for_export(queryset):
    """The joins and prefetches that keep an export at a few queries per chunk."""
    related = ["donor", "programme", "package"] + (["pledge"] if queryset.model is Delivery else [])
    if queryset.model is Valuation:
        related = ["pledge__donor", "pledge__programme", "pledge__package"]
    return queryset.select_related(*related).prefetch_related(
        Prefetch("sources", queryset=Source.objects.order_by("pk"))
    )


def csv_lines(columns, rows: Iterable[dict]) -> Iterator[str]:
    """Header, then one CSV line per row, as they come: the one CSV dialect of the project.

    Text that a spreadsheet would run as a formula is written with a leading `'` (aid.formulas).
    """
    writer = csv.DictWriter(_Line(), fieldnames=list(columns), lineterminator="\n")
    yield writer.writeheader()
    for row in rows:
        yield writer.writerow({name: neutralise(value) for name, value in row.items()})


def stream_csv(querysets: Iterable) -> Iterator[str]:
    """Every record of each queryset as ledger CSV, a line at a time (memory stays flat)."""
    records = (record for qs in querysets for record in for_export(qs).iterator(chunk_size=CHUNK))
    return csv_lines(COLUMNS, (record_row(record) for record in records))


def ledger_querysets(pledges=None, deliveries=None, valuations=None):
    """Pledges, then valuations, then deliveries: the order import writes them in."""
    return [qs for qs in (pledges, valuations, deliveries) if qs is not None] or [
        Pledge.objects.order_by("date", "ref"),
        Valuation.objects.order_by("date", "ref"),
        Delivery.objects.order_by("date", "ref"),
    ]
