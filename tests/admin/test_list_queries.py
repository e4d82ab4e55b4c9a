"""The list pages cost the same small number of queries for 5 rows as for 50."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aid.models import Pledge
from tests.builders import record

LISTS = ["/admin/aid/pledge/", "/admin/aid/delivery/"]
# session and user (4), three related filters, the year filter, count, rows, rates (2), dates (2)
MOST_QUERIES = 14


def fill(first: int, last: int) -> None:
    """Pledges `first`..`last - 1`, each with a delivery, in EUR and USD, half with a twin."""
    for n in range(first, last):
        day = (date(2025, 8, 2) + timedelta(days=n % 40)).isoformat()
        currency = "USD" if n % 2 else "EUR"
        amount = "1000" if n % 4 < 2 else str(1000 + n)
        record("pledge", ref=f"NL-{n}", date=day, amount=amount, currency=currency)
        record("delivery", ref=f"NL-{n}-D", pledge_ref=f"NL-{n}", date=day, amount="10", currency=currency)


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", LISTS)
def test_a_list_page_costs_the_same_for_5_rows_as_for_50(as_editor, url, django_assert_max_num_queries):
    fill(0, 5)
    with django_assert_max_num_queries(MOST_QUERIES):
        few = queries_for(as_editor, url)
    fill(5, 50)
    assert Pledge.objects.count() == 50
    with django_assert_max_num_queries(few):
        assert queries_for(as_editor, url) == few


@pytest.mark.parametrize("url", LISTS)
def test_filters_and_search_keep_the_count_fixed(as_editor, url):
    fill(0, 5)
    query = "?q=NL&status__exact=published&year=2025&no_source=yes&over_delivered=yes&duplicate=yes"
    few = queries_for(as_editor, url + query)
    fill(5, 30)
    assert queries_for(as_editor, url + query) == few


def test_values_in_eur_use_each_rows_own_date(as_editor):
    record("pledge", ref="NL-A", date="2025-08-04", amount="115", currency="USD")
    record("pledge", ref="NL-B", date="2025-09-02", amount="117", currency="USD")
    page = as_editor.get("/admin/aid/pledge/")
    values = {p.ref: p.in_eur.result.amount for p in page.context["cl"].result_list}
    assert {ref: str(v) for ref, v in values.items()} == {"NL-A": "100.00", "NL-B": "100.00"}
    assert b"EUR 100.00" in page.content


def test_a_missing_rate_is_shown_not_hidden(as_editor):
    record("pledge", ref="NL-A", date="2025-08-04", amount="100", currency="GBP")
    page = as_editor.get("/admin/aid/pledge/")
    assert b"no exchange rate for GBP on or before 2025-08-04" in page.content
