"""A data package read back as ledger CSV, for `import_ledger`: the package loses nothing."""

import csv
import io
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from aid.export import csv_lines
from aid.formulas import restore
from aid.rules import COLUMNS, SOURCE_ROW


class PackageReader:
    """The package's CSVs by name, from a folder or a zip."""

    def __init__(self, location: Path):
        self.location = location

    def rows(self, name: str) -> Iterator[dict]:
        """Each row with its cells as they stand for (the formula guard's quote removed)."""
        for row in self._raw_rows(name):
            yield {column: restore(cell) for column, cell in row.items()}

    def _raw_rows(self, name: str) -> Iterator[dict]:
        if self.location.is_dir():
            with (self.location / name).open(encoding="utf-8", newline="") as handle:
                yield from csv.DictReader(handle)
            return
        with zipfile.ZipFile(self.location) as archive, archive.open(name) as member:
            yield from csv.DictReader(io.TextIOWrapper(member, encoding="utf-8", newline=""))


def _sources(files: PackageReader, kind: str) -> dict[str, list[dict]]:
    known = {row["url"]: (row["title"], row["kind"]) for row in files.rows("sources.csv")}
    by_ref = defaultdict(list)
    for link in files.rows(f"{kind}_sources.csv"):
        title, source_kind = known.get(link["source_url"], ("", ""))
        by_ref[link["ref"]].append(
            {"source_url": link["source_url"], "source_title": title, "source_kind": source_kind}
        )
    return {ref: sorted(links, key=lambda link: link["source_url"]) for ref, links in by_ref.items()}


def _with_sources(kind: str, row: dict, sources: list[dict]) -> Iterator[dict]:
    first, *more = sources or [{"source_url": "", "source_title": "", "source_kind": ""}]
    yield {**row, "record": kind, **first}
    for source in more:
        yield {"record": SOURCE_ROW, "ref": row["ref"], **source}


def ledger_rows(location: Path) -> Iterator[dict]:
    files = PackageReader(location)
    pledges = {}
    sources = _sources(files, "pledge")
    for row in files.rows("pledges.csv"):
        pledges[row["ref"]] = row
        yield from _with_sources("pledge", row, sources.get(row["ref"], []))
    sources = _sources(files, "valuation")
    for row in files.rows("valuations.csv"):
        pledge = pledges[row["pledge_ref"]]
        identity = {"donor": pledge["donor"], "programme": pledge["programme"], "package": pledge["package"]}
        yield from _with_sources("valuation", {**row, **identity}, sources.get(row["ref"], []))
    sources = _sources(files, "delivery")
    for row in files.rows("deliveries.csv"):
        yield from _with_sources("delivery", row, sources.get(row["ref"], []))


def ledger_csv(location: Path) -> str:
    """The package's records as one ledger CSV (SPEC §4)."""
    return "".join(csv_lines(COLUMNS, ledger_rows(location)))
