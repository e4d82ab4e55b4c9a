"""An as-of chart permalink in a real browser: the ledger as it stood, said prominently, EN and NL."""

import pytest

from aid.releases.making import make_release
from tests.builders import record
from tests.test_releases import release_storage  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser

NOTICE = {"": "As of release {id}", "/nl": "Stand van versie {id}"}


@pytest.fixture
def release(transactional_db, release_storage):  # noqa: F811
    record(ref="NL-1", donor="NL", amount="500000000")
    made = make_release(note="first")
    record(ref="PL-1", donor="PL", amount="7")  # after the release: not in the ledger as it stood
    return made


@pytest.mark.parametrize("prefix", ["", "/nl"])
def test_a_release_permalink_shows_the_ledger_as_of_it(release, page, page_log, prefix):
    page.goto(f"{prefix}/?release={release.id}")
    notice = page.locator("p.as-of")
    assert notice.is_visible()
    assert NOTICE[prefix].format(id=release.id) in notice.inner_text()
    page.locator("#chart-donors .barlayer .trace").first.wait_for()  # the chart is drawn
    headline = page.locator(".headline dd").first.inner_text()
    assert "500" in headline  # NL's 500 million, without PL's 7 made after the release
    rows = page.locator("#chart-donors table tbody tr")
    assert rows.count() == 2  # NL and the total
    page.get_by_role("link", name="Show the ledger now" if not prefix else "Toon het grootboek nu").click()
    page.wait_for_load_state()
    assert page.locator("p.as-of").count() == 0
    assert page.locator("#chart-donors table tbody tr").count() == 3  # the ledger now: NL, PL and the total
    assert page_log.console_errors == [] and page_log.outside_requests == []
