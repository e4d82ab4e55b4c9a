"""Lists, details, the summary and the changes feed take a fixed number of queries, whatever the size."""

import pytest

from tests.builders import rate, record

# One query for the conditional-GET state, then the view's own: count, page, prefetches, rates.
MAX_QUERIES = {
    "/api/v1/pledges/?currency=USD&page_size=500": 8,
    "/api/v1/pledges/?currency=GBP&rates=latest&donor=NL,DE&ordering=-amount": 9,
    "/api/v1/deliveries/?currency=USD": 6,
    "/api/v1/pledges/NL-P1/?currency=USD": 7,
    "/api/v1/donors/": 3,
    "/api/v1/programmes/": 5,
    # + the newest ECB rate day (rates_up_to); SQLite's path (aid.summary.sqlite_daily) takes one
    # statement for the figures and one for the rates used, as PostgreSQL's daily path does
    "/api/v1/summary/?currency=USD": 10,
    # PostgreSQL converts one-rate parts in SQL at the quotes of every currency a rate is held
    # for (aid.summary.one_rate): one query finds them, where SQLite fetches the parts to convert;
    # the statement runs in a transaction of its own with its settings (three statements more)
    "/api/v1/summary/?group_by=package&rates=latest&currency=GBP": 10,
    "/api/v1/changes/?since=2000-01-01": 11,  # the sources of the page's rows: one query over the three kinds
}


def grow(n: int) -> None:
    """n more pledges, each with a delivery and a valuation, in EUR and USD, on different days."""
    for i in range(n):
        day = f"2025-08-{i % 20 + 5:02d}"  # USD rates start on 2025-08-04
        currency = "USD" if i % 2 else "EUR"
        record(ref=f"DE-G{i}", donor="DE", package=f"PURL-G{i % 3}", date=day, amount=f"{i + 1}.50", currency=currency)
        record(
            "delivery",
            ref=f"DE-GD{i}",
            donor="DE",
            pledge_ref=f"DE-G{i}",
            date="2025-09-02",
            amount="1",
            currency=currency,
        )
        record("valuation", ref=f"DE-GV{i}", donor="DE", pledge_ref=f"DE-G{i}", date=day, amount="2", currency="GBP")


@pytest.mark.parametrize("url", list(MAX_QUERIES))
def test_the_query_count_stays_fixed_as_the_ledger_grows(api, ledger, django_assert_max_num_queries, url):
    rate("GBP", "2025-07-01", "0.85")
    for size in (0, 25):
        grow(size)
        with django_assert_max_num_queries(MAX_QUERIES[url]):
            response = api.get(url)
        assert response.status_code == 200, response.content
