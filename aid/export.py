"""Pledges, valuations and deliveries as ledger CSV (SPEC §4), streamed.

Lossless: every source of every record (further ones as `source` rows after the record),
valuations as `valuation` rows, amounts with the decimals they were written with. Exported,
imported into an empty database and exported again, the file comes back byte for byte.
"""

import csv
from collections.abc import Iterable, Iterator

from django.db.models import Prefetch

from aid import asof
from aid.formulas import neutralise
from aid.models import Delivery, Pledge, Source, Status, Valuation
from aid.rules import COLUMNS, SOURCE_ROW

CHUNK = 2000
KIND_OF = {Pledge: "pledge", Delivery: "delivery", Valuation: "valuation"}
SOURCES = Prefetch("sources", queryset=Source.objects.order_by())


class _Line:
    """A file-like object whose write() returns the line, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def _amount(record) -> str:
    return "" if record.amount_minor is None else f"{record.written_amount:f}"  # never "0E-12"


def _pledge_ref(record, public: bool) -> str:
    if isinstance(record, Valuation):
        return record.pledge.ref
    if not isinstance(record, Delivery) or not record.pledge_id:
        return ""
    if public and record.pledge.status != Status.PUBLISHED:
        return ""  # a draft pledge's ref stays private
    return record.pledge.ref


def _identity(record) -> dict:
    owner = record.pledge if isinstance(record, Valuation) else record
    return {
        "record": KIND_OF[type(record)],
        "donor": owner.donor.code,
        "programme": owner.programme.code,
        "package": owner.package.code if owner.package_id else "",
    }


def record_rows(record, *, public: bool = True) -> Iterator[dict]:
    """A record's ledger CSV row (with its first source), then a `source` row per further source.

    Sources go in URL order: it does not depend on the database's ids, so an export re-imported
    into an empty database exports the same again.
    """
    sources = sorted(record.sources.all(), key=lambda source: source.url)  # code point order, as COLLATE "C"
    first = sources[0] if sources else None
    yield {
        **_identity(record),
        "ref": record.ref, "pledge_ref": _pledge_ref(record, public), "date": record.date.isoformat(),
        "amount": _amount(record), "currency": record.currency, "amount_qualifier": record.amount_qualifier,
        "description": record.description, "source_url": first.url if first else "",
        "source_title": first.title if first else "", "confidence": record.confidence,
        "source_kind": first.kind if first else "",
    }  # fmt: skip
    for source in sources[1:]:
        yield {"record": SOURCE_ROW, "ref": record.ref, "source_url": source.url, "source_title": source.title,
               "source_kind": source.kind}  # fmt: skip


def for_export(queryset):
    """The joins and prefetches that keep an export at a few queries per chunk."""
    related = ["donor", "programme", "package"] + (["pledge"] if queryset.model is Delivery else [])
    if queryset.model is Valuation:
        related = ["pledge__donor", "pledge__programme", "pledge__package"]
    return queryset.select_related(*related).prefetch_related(SOURCES)


def records_of(querysets: Iterable, moment=None) -> Iterator:
    """The records of each queryset; with a `moment`, history rows as the records stood then (aid.asof)."""
    if moment is not None:
        return (record for qs in querysets for record in asof.stood(qs, moment, CHUNK))
    return (record for qs in querysets for record in for_export(qs).iterator(chunk_size=CHUNK))


def csv_lines(columns, rows: Iterable[dict]) -> Iterator[str]:
    """Header, then one CSV line per row, as they come: the one CSV dialect of the project.

    Text that a spreadsheet would run as a formula is written with a leading `'` (aid.formulas).
    """
    writer = csv.DictWriter(_Line(), fieldnames=list(columns), lineterminator="\n")
    yield writer.writeheader()
    for row in rows:
        yield writer.writerow({name: neutralise(value) for name, value in row.items()})


def stream_csv(querysets: Iterable, *, public: bool = True) -> Iterator[str]:
    """Every record of each queryset as ledger CSV, a line at a time (memory stays flat)."""
    rows = (row for record in records_of(querysets) for row in record_rows(record, public=public))
    return csv_lines(COLUMNS, rows)


def ledger_querysets(*, published_only: bool = True) -> list:
    """The whole ledger in the order import writes it: pledges, valuations, deliveries, each by id.

    Import creates records in this order, so ids keep it, and an export re-imported into an
    empty database exports the same file again.
    """
    pledges, deliveries = Pledge.objects.all(), Delivery.objects.all()
    valuations = Valuation.objects.all()
    if published_only:
        pledges, deliveries = pledges.filter(status=Status.PUBLISHED), deliveries.filter(status=Status.PUBLISHED)
        valuations = valuations.filter(pledge__status=Status.PUBLISHED)
    return [qs.order_by("pk") for qs in (pledges, valuations, deliveries)]


def with_valuations(pledges, moment=None) -> list:
    """Listed pledges, then their valuations: a pledge list's CSV carries everything import reads."""
    valuations = asof.records(Valuation, moment).filter(pledge_id__in=pledges.values("id"))
    return [pledges, valuations.order_by("id")]
