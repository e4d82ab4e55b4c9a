"""Public identifiers stay (aid.identifiers): a code a published record named cannot be renamed,
and a cited source's new URL moves its citations, so the changes feed shows every change the
next release's changelog lists."""

import pytest
from rest_framework.test import APIClient

from aid.models import Delivery, Donor, Package, Pledge, Programme, Source
from aid.releases.making import make_release
from tests.admin.conftest import make_user
from tests.api.test_changes_releases import feed_between, folded
from tests.builders import SOURCE, record

PROGRAMMES = "/admin/aid/programme/"
SOURCES = "/admin/aid/source/"


def posted(page, **changes) -> dict:
    """What the change page's form sends back as shown, with `changes`."""
    form = page.context["adminform"].form
    data = {}
    for field in form:
        value = field.value()
        data[field.html_name] = "" if value is None else value
    return {**data, **changes}


def test_a_code_a_published_record_named_stays(as_editor):
    record(ref="NL-1", donor="NL", programme="PURL")
    programme = Programme.objects.get(code="PURL")
    page = as_editor.get(f"{PROGRAMMES}{programme.pk}/change/")
    assert "code" in page.context["adminform"].readonly_fields
    assert "published records name it" in page.content.decode()
    response = as_editor.post(
        f"{PROGRAMMES}{programme.pk}/change/", posted(page, code="PURL-NATO", name_en="PURL (NATO)")
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert (programme.code, programme.name_en) == ("PURL", "PURL (NATO)")


@pytest.mark.parametrize("model, code", [(Donor, "NL"), (Package, "PURL-1")])
def test_donor_and_package_codes_a_published_record_named_stay(as_editor, model, code):
    record(ref="NL-1", donor="NL", programme="PURL", package="PURL-1")
    reference = model.objects.get(code=code)
    url = f"/admin/aid/{model._meta.model_name}/{reference.pk}/change/"
    page = as_editor.get(url)
    assert "code" in page.context["adminform"].readonly_fields
    assert as_editor.post(url, posted(page, code="XX")).status_code == 302
    reference.refresh_from_db()
    assert reference.code == code


def test_a_code_once_published_stays_after_its_records_went_back_to_draft(as_editor):
    record(ref="NL-1", donor="NL", programme="PURL")
    record(ref="NL-1", donor="NL", programme="PURL", status="draft")
    programme = Programme.objects.get(code="PURL")
    page = as_editor.get(f"{PROGRAMMES}{programme.pk}/change/")
    assert "code" in page.context["adminform"].readonly_fields


def test_a_code_only_drafts_named_can_be_mended(as_editor):
    record(ref="NL-1", donor="NL", programme="PRUL", status="draft")
    programme = Programme.objects.get(code="PRUL")
    page = as_editor.get(f"{PROGRAMMES}{programme.pk}/change/")
    assert "code" not in page.context["adminform"].readonly_fields
    response = as_editor.post(f"{PROGRAMMES}{programme.pk}/change/", posted(page, code="PURL"))
    assert response.status_code == 302
    assert Pledge.objects.get(ref="NL-1").programme.code == "PURL"


def test_a_cited_sources_new_url_moves_its_citations_and_the_feed_shows_it(as_editor):
    record(ref="NL-1", donor="NL")
    record("delivery", ref="NL-D1", donor="NL", pledge_ref="NL-1", date="2025-09-01", amount="1")
    record(ref="NL-2", donor="NL", source_url="https://example.org/other")
    old = Source.objects.get(url=SOURCE)
    first = make_release()
    page = as_editor.get(f"{SOURCES}{old.pk}/change/")
    moved_to = "https://example.org/source-moved"
    response = as_editor.post(f"{SOURCES}{old.pk}/change/", posted(page, url=moved_to), follow=True)
    assert "2 records now cite https://example.org/source-moved" in response.content.decode()
    old.refresh_from_db()
    assert old.url == SOURCE  # the past reads as it stood
    assert set(Pledge.objects.get(ref="NL-1").sources.values_list("url", flat=True)) == {moved_to}
    assert set(Delivery.objects.get(ref="NL-D1").sources.values_list("url", flat=True)) == {moved_to}
    second = make_release()
    assert folded(feed_between(APIClient(), first, second)) == second.changelog == {
        "created": [], "changed": {"NL-1": ["sources"], "NL-D1": ["sources"]}, "removed": [],
    }  # fmt: skip


def test_a_source_no_record_cited_is_edited_in_place(as_editor):
    unused = Source.objects.create(url="https://example.org/typo", title="typo")
    page = as_editor.get(f"{SOURCES}{unused.pk}/change/")
    as_editor.post(f"{SOURCES}{unused.pk}/change/", posted(page, url="https://example.org/fixed"))
    unused.refresh_from_db()
    assert unused.url == "https://example.org/fixed"
    assert Source.objects.filter(url="https://example.org/typo").count() == 0


def test_only_an_editor_moves_a_source_published_records_cite(client):
    record(ref="NL-1", donor="NL")
    record(ref="NL-2", donor="NL", status="draft", source_url="https://example.org/draft-only")
    client.force_login(make_user("rita", "Researchers"))
    cited = Source.objects.get(url=SOURCE)
    page = client.get(f"{SOURCES}{cited.pk}/change/")
    assert "only an editor may move it" in page.content.decode()
    client.post(f"{SOURCES}{cited.pk}/change/", posted(page, url="https://example.org/elsewhere", title="Renamed"))
    cited.refresh_from_db()
    assert (cited.url, cited.title) == (SOURCE, "Renamed")
    assert set(Pledge.objects.get(ref="NL-1").sources.values_list("url", flat=True)) == {SOURCE}
    drafts_only = Source.objects.get(url="https://example.org/draft-only")
    page = client.get(f"{SOURCES}{drafts_only.pk}/change/")
    moved_to = "https://example.org/draft-moved"
    client.post(f"{SOURCES}{drafts_only.pk}/change/", posted(page, url=moved_to))
    assert set(Pledge.objects.get(ref="NL-2").sources.values_list("url", flat=True)) == {moved_to}
