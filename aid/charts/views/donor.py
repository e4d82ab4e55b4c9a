import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from aid import params as query_params
from aid.charts import data, selectors
from aid.charts import formatting as fmt
from aid.charts.views.base import headline, public, render_page
from aid.context import pages as context_pages
from aid.models import Delivery, Donor, Pledge
from aid.params import RECORD_ORDERS, records_order

# A page of the records table: a donor with a million records still costs a few queries.
RECORDS_PER_PAGE = 100


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


def order_links(request, chosen: str) -> list[dict]:
    """The record list's sort control: the same page, sorted the other way (the rest of the URL kept)."""
    words = {"date": _("Newest first"), "waiting": _("Still waiting, longest wait first")}
    links = []
    for order in RECORD_ORDERS:
        query = request.GET.copy()
        query.pop("order", None)
        query.pop("page", None)  # another order starts at its first page
        if order != "date":
            query["order"] = order
        url = f"{request.path}?{query.urlencode()}" if query else request.path
        links.append({"order": order, "label": words[order], "url": url, "current": order == chosen})
    return links


def page_links(request, number: int, pages: int) -> dict:
    def link(to: int) -> str:
        query = request.GET.copy()
        query.pop("page", None)
        if to > 1:
            query["page"] = str(to)
        return f"{request.path}?{query.urlencode()}" if query else request.path

    return {
        "number": number,
        "pages": pages,
        "previous": link(number - 1) if number > 1 else "",
        "next": link(number + 1) if number < pages else "",
    }


def page_number(request, count: int) -> tuple[int, int]:
    """(the page asked for, how many there are); a page past the last is a 400 naming `page`."""
    number = query_params.page(request.GET)
    pages = max(1, math.ceil(count / RECORDS_PER_PAGE))
    if number > pages:
        raise query_params.ParamError("page", _("there are only %(pages)s pages") % {"pages": pages})
    return number, pages


@public(own=("order", "page"))
def donor(request, params, code: str):
    donor = get_object_or_404(Donor, code=code.upper())
    order = records_order(request.GET)
    chart = data.donor_years_chart(params, donor.code)
    today = date.today()
    listed = params.only(donor=donor.code).ledger_filter
    count = selectors.record_count(listed, order)
    number, pages = page_number(request, count)
    chosen = selectors.ledger_records(listed, order, page=number, size=RECORDS_PER_PAGE)
    rows = [record_row(r, today) for r in chosen]
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
        order=order,
        order_links=order_links(request, order),
        record_count=count,
        paging=page_links(request, number, pages),
        records_api=f"/api/v1/pledges/?donor={donor.code}",
        crosscheck=context_pages.donor_crosscheck(params, donor.code),
        crosscheck_api=f"/api/v1/crosscheck/?donor={donor.code}&rates={params.rates}",
    )
