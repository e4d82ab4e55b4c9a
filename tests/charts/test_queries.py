"""Every chart view takes a fixed number of queries, whatever the size of the ledger (as the
API's, tests/api/test_queries.py): a page costs what its few queries cost. The ledger grows by
more donors funding more packages, which is what made the packages chart ask one summary per
donor before it read its data in one."""

import pytest

from tests.builders import record

# With the seed (tests/charts/seeding.py), the most either database takes (they differ by one or
# two: PostgreSQL's summary reads its rollup, SQLite's its daily totals): the chart's summaries,
# their labels, the record counts of the notes, the rates' freshness and the page's own lists.
# SQLite's transaction-rate summary (aid.summary.sqlite_daily) takes one statement for its
# figures (and one for the rates used, when a chart shows them).
# The packages chart took 85 queries on /programme/PURL/ and 106 after the growth below. Each
# count includes the one read of the ledger version that the shared cache keys on (aid.serving).
# The newest day is asked once per kind of total (three index walks, under 1 ms together, where
# one maximum over every kind read the whole table: 85 ms at 1M + 1M).
MAX_QUERIES = {
    "/": 43,
    # Each summary at one rate per currency finds the currencies rates are held for, then their
    # quotes, and converts its parts in SQL (aid.summary.one_rate) in a transaction of its own
    # with its settings: four statements more per summary (seven summaries on the page).
    "/nl/?currency=USD&rates=latest": 47,
    "/?per=gdp": 50,
    "/programme/PURL/": 47,
    "/programme/PURL/?currency=NOK": 47,
    "/programme/PURL/?confidence=high,medium": 43,  # summaries from the record tables
    "/donor/NL/": 28,  # its page of records: the count of both kinds, then one page of keys
    "/embed/donors/": 13,
    "/embed/cumulative/": 12,
    "/embed/packages/PURL/": 17,
    "/embed/need/PURL/": 16,
    "/embed/donor-years/NL/": 11,
    "/data/donors.csv": 11,
    "/data/packages/PURL.csv": 15,
    "/data/donor-years/NL.csv": 9,
}
DONORS = ("AT", "BE", "CZ", "DK", "EE", "FI", "LT", "LU", "LV", "PT", "SI", "SK")


def grow(n: int, step: int) -> None:
    """n more pledges from as many more donors (up to 12), each to one of three PURL packages."""
    for i in range(n):
        donor = DONORS[i % len(DONORS)]
        day = f"2025-0{7 + i % 3}-{i % 20 + 5:02d}"
        record(ref=f"{donor}-Q{step}-{i}", donor=donor, programme="PURL", package=f"PURL-Q{i % 3}", date=day,
               amount=f"{i + 1}000.50", currency="EUR" if i % 2 else "USD")  # fmt: skip
        record("delivery", ref=f"{donor}-QD{step}-{i}", donor=donor, programme="PURL", pledge_ref=f"{donor}-Q{step}-{i}",
               date="2025-09-02", amount="10", currency="EUR")  # fmt: skip


@pytest.mark.parametrize("url", list(MAX_QUERIES))
def test_the_query_count_stays_fixed_as_the_ledger_grows(client, seeded, django_assert_max_num_queries, url):
    for step, size in enumerate((0, 24)):
        grow(size, step)
        with django_assert_max_num_queries(MAX_QUERIES[url]):
            response = client.get(url)
        assert response.status_code == 200, response.content[:300]
