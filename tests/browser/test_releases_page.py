"""The releases page in a real browser: the citation line is there, ready to copy."""

import pytest

from aid.releases.making import make_release
from tests.builders import record
from tests.test_releases import release_storage  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser


@pytest.fixture
def release(transactional_db, release_storage):  # noqa: F811
    record(ref="NL-1", donor="NL", amount="10")
    return make_release(note="first")


@pytest.mark.parametrize("prefix", ["", "/nl"])
def test_the_releases_page_offers_the_citation_line(release, page, page_log, prefix):
    page.goto(f"{prefix}/releases/")
    citation = page.locator("#cite-" + release.id.replace(".", "\\."))
    assert citation.input_value().startswith(f"Aid Ledger, release {release.id}, sha256:{release.package_sha256}, ")
    assert page.get_by_role("link", name=release.file_name).is_visible()
    assert page_log.console_errors == [] and page_log.outside_requests == []
