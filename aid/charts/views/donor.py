from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.shortcuts import get_object_or_404

from aid.charts import data, selectors
from aid.charts import formatting as fmt
from aid.charts.views.base import headline, public, render_page
from aid.context import pages as context_pages
from aid.models import Delivery, Donor, Pledge
from aid.waiting import waited_since


@dataclass
class RecordRow:
    """One pledge or delivery as the donor page lists it, in its own currency."""

    record: Pledge | Delivery
    kind: str
    amount: str
    qualifier: str
    delivered: str = ""
    share: str = ""
    share_value: Decimal | None = None  # drawn by the <progress> element (0 to 1)
    confidence: str = ""
    source_kinds: list[tuple[object, str]] = field(default_factory=list)  # (source, its kind in words)
    waiting: str = ""  # "pledged 15 months ago; no delivery reported"


def record_row(record, today: date) -> RecordRow:
    pledge = isinstance(record, Pledge)
    row = RecordRow(
        record=record,
        kind="pledge" if pledge else "delivery",
        amount=fmt.amount(record.amount, record.currency),
        qualifier=fmt.qualifier(record.amount_qualifier),
        confidence=fmt.confidence(record.confidence),
        source_kinds=[(source, fmt.source_kind(source.kind)) for source in record.sources.all()],
    )
    if pledge:
        row.waiting = fmt.waiting(record.date, getattr(record, "last_delivery_date", None), today)
        row.delivered = fmt.no_delivery() if not record.deliveries_count else ""
    if pledge and record.delivered is not None:
        row.delivered = fmt.amount(record.delivered, record.currency)
        row.share = fmt.share(record.delivered_share)
        if record.delivered_share is not None:
            row.share_value = min(record.delivered_share, Decimal(1))  # a progress bar tops out at 1
    return row


def still_waiting(rows: list[RecordRow]) -> list[RecordRow]:
    """Pledges not known to be fully delivered, the longest wait for the rest first."""
    open_rows = [
        row for row in rows
        if row.kind == "pledge" and (row.record.delivered_share is None or row.record.delivered_share < 1)
    ]  # fmt: skip
    return sorted(open_rows, key=lambda row: (waited_since(row.record), row.record.ref))


@public
def donor(request, params, code: str):
    donor = get_object_or_404(Donor, code=code.upper())
    chart = data.donor_years_chart(params, donor.code)
    today = date.today()
    rows = [record_row(r, today) for r in selectors.ledger_records(params.only(donor=donor.code).ledger_filter)]
    return render_page(
        request,
        "charts/donor.html",
        params,
        [chart],
        controls_options={"own_currency": selectors.own_currency(donor), "per_switch": True},
        title=donor.name,
        donor=donor,
        headline=headline(chart.total, params, selectors.latest_day(params.only(donor=donor.code).ledger_filter)),
        records=rows,
        waiting=still_waiting(rows),
        records_api=f"/api/v1/pledges/?donor={donor.code}",
        crosscheck=context_pages.donor_crosscheck(params, donor.code),
        crosscheck_api=f"/api/v1/crosscheck/?donor={donor.code}&rates={params.rates}",
    )
