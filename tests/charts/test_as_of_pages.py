"""Chart pages as of a moment or a release: the ledger as it stood, said prominently, kept in links."""

import re
from urllib.parse import quote

import pytest
from django.utils import timezone

from aid.releases.making import make_release
from tests.builders import rate, record


@pytest.fixture
def edited(db):
    """NL pledged 500m (and delivered 200m) at T; after T, NL's pledge became 900m and PL pledged 7."""
    rate("USD", "2025-08-01", "1.1600")
    record(ref="NL-P1", donor="NL", date="2025-08-04", amount="500000000")
    record("delivery", ref="NL-D1", donor="NL", pledge_ref="NL-P1", date="2025-09-01", amount="200000000")
    t = timezone.now()
    record(ref="NL-P1", donor="NL", date="2025-08-04", amount="900000000")
    record(ref="PL-P1", donor="PL", date="2025-10-01", amount="7")
    return t


def test_the_overview_as_of_t_shows_the_ledger_then_and_says_so(client, edited):
    response = client.get(f"/?as_of={quote(edited.isoformat())}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "As of " in html and "the ledger as it stood then" in html
    assert "500" in re.search(r'<dl class="headline">(.*?)</dl>', html, re.S).group(1)
    assert "Poland" not in html.split('<main id="main">')[1].split("<footer")[0]
    now = client.get("/").content.decode()
    assert "Poland" in now and "As of " not in now


def test_the_dutch_page_says_it_in_dutch(client, edited):
    html = client.get(f"/nl/?as_of={quote(edited.isoformat())}").content.decode()
    assert "Stand van " in html and "het grootboek zoals het toen was" in html


def test_a_release_permalink_names_the_release_and_links_keep_it(client, edited):
    release = make_release()
    html = client.get(f"/?release={release.id}").content.decode()
    assert f"As of release {release.id}" in html
    assert f"release={release.id}" in html.split('class="brand" href="')[1].split('"')[0]  # navigation keeps it
    assert re.search(rf'href="/api/v1/summary/\?[^"]*release={re.escape(release.id)}', html)
    assert f'<input type="hidden" name="release" value="{release.id}">' in html  # Apply keeps it
    programme = client.get(f"/programme/PURL/?release={release.id}")
    assert programme.status_code == 200 and f"As of release {release.id}" in programme.content.decode()


@pytest.mark.parametrize(
    ("query", "param"),
    [("as_of=2999-01-01", "as_of"), ("as_of=soon", "as_of"), ("release=1999-01-01.9", "release")],
)
def test_a_bad_moment_is_a_400_page_naming_it(client, edited, query, param):
    response = client.get(f"/?{query}")
    assert response.status_code == 400
    assert param in response.content.decode()


def test_the_releases_page_links_each_release_to_the_charts_as_of_it(client, edited):
    release = make_release()
    html = client.get("/releases/").content.decode()
    assert f'href="/?release={release.id}"' in html


@pytest.mark.parametrize("order", ["", "&order=waiting"])
def test_the_donor_page_lists_the_records_as_they_stood(client, edited, order):
    html = client.get(f"/donor/NL/?as_of={quote(edited.isoformat())}{order}").content.decode()
    records = html.split('class="records')[1]
    assert "NL-P1" in records and "500,000,000" in records.replace("\u202f", ",").replace(".", ",")
    assert "900,000,000" not in records.replace(".", ",")
    assert ("NL-D1" in records) is (not order)  # the waiting list holds pledges only


def test_an_embedded_chart_as_of_t_says_so_too(client, edited):
    html = client.get(f"/embed/donors/?as_of={quote(edited.isoformat())}").content.decode()
    assert "the ledger as it stood then" in html


def test_the_donor_page_as_of_t_is_cut_in_sql_as_the_records_stood(edited, django_assert_num_queries):
    """A page of the records as they stood is cut over the history rows, not from all of them."""
    from aid.charts import selectors
    from aid.summary import LedgerFilter

    as_of_t = LedgerFilter(donors=("NL",), as_of=edited)
    with django_assert_num_queries(
        7
    ):  # the donor's id, each kind's newest keys; its rows, sources and pledges as they stood
        first = selectors.ledger_records(as_of_t, page=1, size=1)
    second = selectors.ledger_records(as_of_t, page=2, size=1)
    assert [(r.ref, r.amount) for r in first + second] == [("NL-D1", 200000000), ("NL-P1", 500000000)]
    assert selectors.ledger_records(as_of_t, page=3, size=1) == []
