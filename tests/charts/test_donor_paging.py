"""The donor page lists its records a page at a time, newest first, with links between pages."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aid.charts.views import donor as donor_page
from tests.builders import donor, record


@pytest.fixture
def five_records(monkeypatch):
    """Three pledges and two deliveries of NL on five days; two records a page."""
    monkeypatch.setattr(donor_page, "RECORDS_PER_PAGE", 2)
    donor("NL", "Netherlands")
    for day in (1, 3, 5):
        record(ref=f"NL-P{day}", donor="NL", date=f"2025-08-0{day}", amount="10")
    for day in (2, 4):
        record("delivery", ref=f"NL-D{day}", donor="NL", pledge_ref="NL-P1", date=f"2025-08-0{day}", amount="1")


def refs(response) -> list[str]:
    table = response.content.decode().split('class="records"')[1]
    return re.findall(r"<code>(NL-[PD]\d)</code>", table)


def test_each_page_shows_its_records_newest_first(five_records, client):
    pages = [refs(client.get(f"/donor/NL/?page={n}")) for n in (1, 2, 3)]
    assert pages == [["NL-P5", "NL-D4"], ["NL-P3", "NL-D2"], ["NL-P1"]]


def test_the_page_links_to_the_previous_and_next_pages_keeping_the_view(five_records, client):
    page = client.get("/donor/NL/?date_from=2025-01-01&page=2").content.decode()
    assert 'href="/donor/NL/?date_from=2025-01-01" rel="prev"' in page
    assert 'href="/donor/NL/?date_from=2025-01-01&amp;page=3" rel="next"' in page
    assert "Page 2 of 3 (5 records)" in page


def test_the_waiting_order_is_paged_too(five_records, client):
    # NL-P1 has deliveries (waited since 4 August), NL-P3 and NL-P5 none (since their own day).
    pages = [refs(client.get(f"/donor/NL/?order=waiting&page={n}")) for n in (1, 2)]
    assert pages == [["NL-P3", "NL-P1"], ["NL-P5"]]


def test_the_dutch_page_says_it_in_dutch(five_records, client):
    page = client.get("/nl/donor/NL/?page=2").content.decode()
    assert "Pagina 2 van 3 (5 records)" in page and "Volgende pagina" in page


@pytest.mark.parametrize("page", ["0", "x", "4"])
def test_a_bad_page_is_a_400_naming_it(five_records, client, page):
    response = client.get(f"/donor/NL/?page={page}")
    assert response.status_code == 400 and "<code>page</code>" in response.content.decode()


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_page_costs_the_same_few_queries_at_any_size(five_records, client):
    few = queries(client, "/donor/NL/?page=2")
    for day in range(10, 28):
        record(ref=f"NL-X{day}", donor="NL", date=f"2025-08-{day}", amount="1")
    assert queries(client, "/donor/NL/?page=2") <= few  # fewer when the page holds one kind only


def test_the_record_count_from_the_totals_is_the_records_count(five_records):
    from datetime import date

    from aid.charts import selectors
    from aid.models import Delivery, Pledge
    from aid.summary import LedgerFilter
    from tests.builders import record

    record(ref="NL-DRAFT", donor="NL", date="2025-08-20", amount="7", status="draft")
    record(ref="NL-UNDISCLOSED", donor="NL", date="2025-08-21", amount="", currency="")
    record(ref="NL-SEPT", donor="NL", programme="OTHER", date="2025-09-02", amount="3", currency="USD")
    august = {"date_from": date(2025, 8, 1), "date_to": date(2025, 8, 31)}
    for ledger_filter in (LedgerFilter(donors=("NL",)), LedgerFilter(donors=("NL",), date_from=date(2025, 8, 21)),
                          LedgerFilter(), LedgerFilter(donors=("DE",)), LedgerFilter(donors=("NL",), **august),
                          LedgerFilter(date_from=date(2025, 9, 1)), LedgerFilter(programmes=("OTHER",)),
                          LedgerFilter(donors=("NL",), status="draft"), LedgerFilter(original_currencies=("USD",))):  # fmt: skip
        counted = sum(ledger_filter.on_records(model.objects.all()).count() for model in (Pledge, Delivery))
        assert selectors.record_count(ledger_filter) == counted, ledger_filter


def test_the_donor_pages_count_and_own_currency_read_the_monthly_rows_on_postgresql(five_records):
    """A donor's few hundred monthly rows (its daily totals are thousands at scale); SQLite has no
    rollup and reads the daily totals."""
    from aid.charts import selectors
    from aid.models import Donor
    from aid.summary import LedgerFilter

    dutch = Donor.objects.get(code="NL")
    with CaptureQueriesContext(connection) as captured:
        assert selectors.record_count(LedgerFilter(donors=("NL",))) == 5
        assert selectors.own_currency(dutch) == "EUR"
    table = "aid_donormonthtotal" if connection.vendor == "postgresql" else "aid_ledgertotal"
    assert [table in query["sql"] for query in captured] == [True, True]


@pytest.mark.parametrize("merged_up_to", [0, 10_000])
def test_pages_read_by_merging_each_kinds_newest_equal_those_of_one_sorted_union(
    five_records, monkeypatch, merged_up_to
):
    """Near the top each kind's newest keys are merged, further down one union sorts them: the same
    pages either way, another donor's records left out, records of one day in ref order."""
    from aid.charts import selectors
    from aid.summary import LedgerFilter

    record(ref="NL-P0", donor="NL", date="2025-08-03", amount="2")  # the same day as NL-P3
    record(ref="DE-P9", donor="DE", date="2025-08-04", amount="5")
    monkeypatch.setattr(selectors, "MERGED_KEYS_UP_TO", merged_up_to)
    pages = [
        [r.ref for r in selectors.ledger_records(LedgerFilter(donors=("NL",)), page=page, size=2)]
        for page in (1, 2, 3, 4)
    ]
    assert pages == [["NL-P5", "NL-D4"], ["NL-P3", "NL-P0"], ["NL-D2", "NL-P1"], []]
    everyone = [r.ref for r in selectors.ledger_records(LedgerFilter(), page=1, size=3)]
    assert everyone == ["NL-P5", "NL-D4", "DE-P9"]
