"""make_release: freeze the published ledger as a data package in the releases storage."""

import hashlib
import json
import tempfile
from pathlib import Path

from django.core.files import File
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone

from aid.datapackage.writing import DESCRIPTOR, PackageFiles, zip_stream
from aid.releases.changelog import changelog, record_states
from aid.releases.models import Release


def storage():
    return storages["releases"]


def _fingerprint(checksums: dict[str, str]) -> str:
    tables = {name: digest for name, digest in checksums.items() if name != DESCRIPTOR}
    return hashlib.sha256(json.dumps(tables, sort_keys=True).encode()).hexdigest()


def _next_id(day) -> str:
    taken = Release.objects.filter(id__startswith=f"{day.isoformat()}.").values_list("id", flat=True)
    return f"{day.isoformat()}.{max((int(i.rsplit('.', 1)[1]) for i in taken), default=0) + 1}"


def _previous_states(previous: Release | None, folder: Path) -> dict:
    if previous is None:
        return {}
    copy = folder / "previous.zip"
    with storage().open(previous.package_name, "rb") as stored, copy.open("wb") as out:
        for chunk in iter(lambda: stored.read(1 << 20), b""):
            out.write(chunk)
    return record_states(copy)


def make_release(*, note: str = "", user=None, now=None) -> Release | None:
    """A new release of the published ledger, or None when nothing changed since the last one."""
    now = now or timezone.now()
    with tempfile.TemporaryDirectory() as work, transaction.atomic():
        # One release at a time: the newest release row is locked while this one is made.
        previous = Release.objects.select_for_update().order_by("-created_at").first()
        release_id = _next_id(now.date())
        package = PackageFiles(created=now, title=f"Aid Ledger, release {release_id}")
        zipped = Path(work) / f"aid-ledger-{release_id}.zip"
        with zipped.open("wb") as out:
            out.writelines(zip_stream(package))
        fingerprint = _fingerprint(package.checksums)
        if previous is not None and previous.fingerprint == fingerprint:
            return None
        log = changelog(_previous_states(previous, Path(work)), record_states(zipped))
        with zipped.open("rb") as data:
            name = storage().save(f"{release_id}/{zipped.name}", File(data, name=zipped.name))
        return Release.objects.create(
            id=release_id, created_at=now, note=note, created_by=getattr(user, "username", "") or "",
            counts=package.counts, checksums=package.checksums, fingerprint=fingerprint, package_name=name,
            package_sha256=package.zip_sha256, package_bytes=zipped.stat().st_size, changelog=log,
        )  # fmt: skip
