"""Editors make a release from the admin's release list; researchers may only look."""

from aid.releases.models import Release
from tests.builders import record
from tests.test_releases import release_storage  # noqa: F401  (the fixture)

MAKE = "/admin/aid/release/make/"


def test_an_editor_makes_a_release_with_a_note(as_editor):
    record(ref="NL-1", donor="NL", amount="10")
    page = as_editor.get("/admin/aid/release/")
    assert page.status_code == 200 and "Make a release" in page.content.decode()
    response = as_editor.post(MAKE, {"note": "after review"})
    assert response.status_code == 302
    release = Release.objects.get()
    assert (release.note, release.created_by, release.counts["pledges"]) == ("after review", "eddie", 1)
    as_editor.post(MAKE, {"note": "again"})
    assert Release.objects.count() == 1  # nothing changed


def test_a_researcher_sees_releases_but_cannot_make_one(as_researcher):
    record(ref="NL-1", donor="NL", amount="10")
    page = as_researcher.get("/admin/aid/release/")
    assert page.status_code == 200 and "Make a release" not in page.content.decode()
    as_researcher.post(MAKE, {"note": "x"})
    assert not Release.objects.exists()
