"""Writing the package a file at a time, into a zip that streams or into a folder.

Nothing holds a whole table: each CSV is written as its rows come from the database, hashed on
the way, and the zip's bytes are handed on as soon as zipfile has written them.
"""

import hashlib
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

from django.utils import timezone

from aid.datapackage.descriptor import descriptor, resource
from aid.datapackage.tables import TABLES
from aid.export import csv_lines

DESCRIPTOR = "datapackage.json"
FLUSH_AT = 1 << 16


class _Sink:
    """A write-only, unseekable file: zipfile writes data descriptors, and we take the bytes."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.pending = 0
        self.written = 0
        self.sha256 = hashlib.sha256()

    def write(self, data) -> int:
        data = bytes(data)
        self.parts.append(data)
        self.sha256.update(data)
        self.written += len(data)
        self.pending += len(data)
        return len(data)

    def tell(self) -> int:
        return self.written

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        self.pending = 0
        return data


class PackageFiles:
    """The package's files as (name, chunks of bytes); `checksums` fills in as they are written."""

    def __init__(self, *, title: str = "", created=None):
        self.title, self.created = title, created or timezone.now()
        self.zip_sha256 = ""
        self.checksums: dict[str, str] = {}
        self.counts: dict[str, int] = {}
        self.sizes: dict[str, int] = {}

    def _table_chunks(self, table) -> Iterator[bytes]:
        digest, size, rows, buffered = hashlib.sha256(), 0, -1, []
        for line in csv_lines(table.fields, (dict(zip(table.fields, row, strict=True)) for row in table.rows())):
            data = line.encode()
            digest.update(data)
            size += len(data)
            rows += 1
            buffered.append(data)
            if len(buffered) >= 512:
                yield b"".join(buffered)
                buffered.clear()
        if buffered:
            yield b"".join(buffered)
        self.checksums[table.path], self.sizes[table.path], self.counts[table.name] = digest.hexdigest(), size, rows

    def files(self) -> Iterator[tuple[str, Iterator[bytes]]]:
        for table in TABLES:
            yield table.path, self._table_chunks(table)
        yield DESCRIPTOR, self._descriptor_chunks()

    def _descriptor_chunks(self) -> Iterator[bytes]:
        resources = [
            resource(table, sha256=self.checksums[table.path], size=self.sizes[table.path]) for table in TABLES
        ]
        data = (json.dumps(descriptor(resources, title=self.title, created=self.created), indent=2) + "\n").encode()
        self.checksums[DESCRIPTOR] = hashlib.sha256(data).hexdigest()
        yield data


def zip_stream(package: PackageFiles) -> Iterator[bytes]:
    """The package as a zip, a few tens of kilobytes at a time; `package.zip_sha256` at the end."""
    sink = _Sink()
    stamp = package.created.timetuple()[:6]  # the package's time, so the same ledger zips the same
    with zipfile.ZipFile(sink, "w") as archive:
        for name, chunks in package.files():
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk)
                    if sink.pending >= FLUSH_AT:
                        yield sink.take()
            yield sink.take()
    yield sink.take()
    package.zip_sha256 = sink.sha256.hexdigest()


def write_folder(package: PackageFiles, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, chunks in package.files():
        with (folder / name).open("wb") as out:
            out.writelines(chunks)
