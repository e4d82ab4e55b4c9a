from dataclasses import dataclass
from decimal import Decimal

from django.shortcuts import get_object_or_404

from aid.charts import data, selectors
from aid.charts import formatting as fmt
from aid.charts.views.base import headline, public, render_page
from aid.models import Delivery, Donor, Pledge


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


def record_row(record) -> RecordRow:
    pledge = isinstance(record, Pledge)
    row = RecordRow(
        record=record,
        kind="pledge" if pledge else "delivery",
        amount=fmt.amount(record.amount, record.currency),
        qualifier=fmt.qualifier(record.amount_qualifier),
    )
    if pledge and record.delivered is not None:
        row.delivered = fmt.amount(record.delivered, record.currency)
        row.share = fmt.share(record.delivered_share)
        if record.delivered_share is not None:
            row.share_value = min(record.delivered_share, Decimal(1))  # a progress bar tops out at 1
    return row


@public
def donor(request, params, code: str):
    donor = get_object_or_404(Donor, code=code.upper())
    chart = data.donor_years_chart(params, donor.code)
    rows = [record_row(r) for r in selectors.ledger_records(params.only(donor=donor.code).ledger_filter)]
    return render_page(
        request,
        "charts/donor.html",
        params,
        [chart],
        controls_options={"own_currency": selectors.own_currency(donor)},
        title=donor.name,
        donor=donor,
        headline=headline(chart.total, params, selectors.latest_day(params.only(donor=donor.code).ledger_filter)),
        records=rows,
        records_api=f"/api/v1/pledges/?donor={donor.code}",
    )
