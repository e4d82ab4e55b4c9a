"""Releases: frozen, checksummed, changelogged; none when nothing changed; files never change."""

import hashlib
import io
import stat
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from aid import services
from aid.models import Delivery
from aid.releases.making import make_release, storage
from aid.releases.models import Release
from tests.builders import record
from tests.test_datapackage import ledger  # noqa: F401  (the fixture)

EVERY_REF = ["DE-D1", "DE-P1", "NL-D1", "NL-P1", "NL-P1-USD", "NO-P1"]


@pytest.fixture(autouse=True)
def release_storage(settings, tmp_path):
    root = tmp_path / "releases"
    settings.STORAGES = {
        **settings.STORAGES,
        "releases": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root, "file_permissions_mode": 0o444},
        },
    }
    return root


def stored_sha256(release: Release) -> str:
    with storage().open(release.package_name, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def test_a_release_freezes_the_published_ledger(ledger):  # noqa: F811
    release = make_release(note="first")
    assert release.id == f"{date.today().isoformat()}.1"
    assert release.counts["pledges"] == 3 and release.counts["deliveries"] == 2 and release.counts["valuations"] == 1
    assert set(release.checksums) >= {"pledges.csv", "sources.csv", "rates.csv", "datapackage.json"}
    assert stored_sha256(release) == release.package_sha256
    assert release.changelog == {"created": EVERY_REF, "changed": {}, "removed": []}


def test_no_release_is_made_when_nothing_changed(ledger):  # noqa: F811
    assert make_release() is not None
    assert make_release() is None
    out = io.StringIO()
    call_command("make_release", stdout=out)
    assert out.getvalue() == "nothing changed since the last release: no release made\n"
    assert Release.objects.count() == 1


def test_release_files_never_change_and_the_changelog_is_exact(ledger, release_storage):  # noqa: F811
    first = make_release()
    record(ref="NL-P1", donor="NL", package="PURL-1", date="2025-08-04", amount="600000000", confidence="high",
           description="first, PURL",
           source_url="https://b.example.org/nl")  # fmt: skip
    services.delete_record(Delivery.objects.get(ref="DE-D1"))
    record(ref="NL-P7", donor="NL", amount="7")
    second = make_release(note="corrections")
    assert second.id == f"{date.today().isoformat()}.2"
    assert stored_sha256(first) == first.package_sha256 != second.package_sha256
    assert not Path(storage().path(first.package_name)).stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    assert second.changelog == {"created": ["NL-P7"], "changed": {"NL-P1": ["amount"]}, "removed": ["DE-D1"]}


def test_make_release_prints_the_new_release(ledger):  # noqa: F811
    out = io.StringIO()
    call_command("make_release", "--note", "weekly", stdout=out)
    release = Release.objects.get()
    assert release.note == "weekly"
    assert (
        out.getvalue() == f"release {release.id}: sha256:{release.package_sha256} (6 created, 0 changed, 0 removed)\n"
    )


def test_the_api_lists_releases_with_checksums_and_a_citation(ledger, client):  # noqa: F811
    release = make_release()
    listed = client.get("/api/v1/releases/").json()
    assert listed["count"] == 1
    [item] = listed["results"]
    assert item["citation"] == (
        f"Aid Ledger, release {release.id}, sha256:{release.package_sha256}, http://testserver/releases/{release.id}/"
    )
    detail = client.get(f"/api/v1/releases/{release.id}/").json()
    assert detail["checksums"] == release.checksums and detail["changelog"]["created"] == EVERY_REF
    download = client.get(item["package"]["url"])
    assert download.status_code == 200
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == release.package_sha256
    assert client.get("/api/v1/releases/2000-01-01.1/").status_code == 404


@pytest.mark.parametrize("prefix", ["", "/nl"])
def test_the_releases_page_shows_the_citation_line(ledger, client, prefix):  # noqa: F811
    release = make_release()
    for url in (f"{prefix}/releases/", f"{prefix}/releases/{release.id}/"):
        page = client.get(url)
        assert page.status_code == 200
        assert f"Aid Ledger, release {release.id}, sha256:{release.package_sha256}" in page.content.decode()
    assert ("Citeer deze versie" in page.content.decode()) == (prefix == "/nl")
    assert client.get(f"{prefix}/releases/?colour=red").status_code == 400
