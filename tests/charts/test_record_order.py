"""The donor page's record list sorts by date or by how long a pledge's undelivered part has waited."""

import re

import pytest

from tests.builders import record


def refs_in_table(page: str) -> list[str]:
    table = page[page.index('id="records-title"') :]
    return re.findall(r"<code>([A-Z0-9-]+)</code></th>", table)


@pytest.fixture
def waiting_ledger(db):
    record(ref="NL-OLD", donor="NL", amount="100", date="2024-01-10")  # nothing delivered: waits since Jan 2024
    record(ref="NL-PART", donor="NL", amount="100", date="2023-05-01")
    record("delivery", ref="NL-PART-D", donor="NL", pledge_ref="NL-PART", amount="40", date="2025-06-01")
    record(ref="NL-FULL", donor="NL", amount="100", date="2022-03-01")
    record("delivery", ref="NL-FULL-D", donor="NL", pledge_ref="NL-FULL", amount="100", date="2022-09-01")
    record(ref="NL-BEGUN", donor="NL", amount="100", date="2024-06-01")
    record("delivery", ref="NL-BEGUN-D", donor="NL", pledge_ref="NL-BEGUN", amount="", currency="", date="2024-09-01")


def test_by_default_every_record_is_listed_newest_first(waiting_ledger, client):
    page = client.get("/donor/NL/").content.decode()
    assert refs_in_table(page) == [
        "NL-PART-D", "NL-BEGUN-D", "NL-BEGUN", "NL-OLD", "NL-PART", "NL-FULL-D", "NL-FULL",
    ]  # fmt: skip


def test_waiting_lists_the_pledges_not_known_to_be_fully_delivered_longest_wait_first(waiting_ledger, client):
    page = client.get("/donor/NL/?order=waiting").content.decode()
    # NL-OLD has waited since Jan 2024, NL-BEGUN since its undisclosed delivery (Sep 2024), NL-PART
    # since its partial delivery (Jun 2025); NL-FULL is fully delivered and deliveries are not pledges.
    assert refs_in_table(page) == ["NL-OLD", "NL-BEGUN", "NL-PART"]
    assert "still waiting" in page and "no delivery reported" in page


def test_the_sort_control_keeps_the_rest_of_the_url_and_marks_the_current_order(waiting_ledger, client):
    page = client.get("/donor/NL/?date_from=2020-01-01&rates=2025-01-02").content.decode()
    nav = page[page.index('class="record-order"') :]
    nav = nav[: nav.index("</nav>")]
    assert '<strong aria-current="true">Newest first</strong>' in nav
    link = re.search(r'href="([^"]+)" data-order="waiting"', nav).group(1).replace("&amp;", "&")
    assert link.startswith("/donor/NL/?") and "date_from=2020-01-01" in link and "rates=2025-01-02" in link
    assert "order=waiting" in link
    assert client.get(link).status_code == 200


def test_the_order_is_dutch_too(waiting_ledger, client):
    page = client.get("/nl/donor/NL/?order=waiting").content.decode()
    assert "Nog wachtend, langst wachtend eerst" in page and "Nieuwste eerst" in page


def test_a_bad_order_is_a_400_naming_it_and_other_pages_refuse_it(waiting_ledger, client):
    bad = client.get("/donor/NL/?order=amount")
    assert bad.status_code == 400 and "order" in bad.content.decode()
    elsewhere = client.get("/?order=waiting")
    assert elsewhere.status_code == 400 and "order" in elsewhere.content.decode()
