"""What changed between two data packages: refs created, changed (which fields) and removed.

A record's state is its row in pledges, deliveries or valuations plus its sorted source URLs.
(Held in memory as one dictionary per package: fine for hundreds of thousands of records; a
merge of ref-sorted files would be needed at millions.)
"""

from collections import defaultdict
from pathlib import Path

from aid.datapackage.reading import PackageReader

RECORD_TABLES = (("pledge", "pledges.csv"), ("delivery", "deliveries.csv"), ("valuation", "valuations.csv"))


def record_states(location: Path | None) -> dict[str, dict[str, str]]:
    if location is None:
        return {}
    files = PackageReader(location)
    states: dict[str, dict[str, str]] = {}
    for kind, name in RECORD_TABLES:
        sources = defaultdict(list)
        for link in files.rows(f"{kind}_sources.csv"):
            sources[link["ref"]].append(link["source_url"])
        for row in files.rows(name):
            states[row["ref"]] = {"record": kind, **row, "sources": " ".join(sorted(sources.get(row["ref"], [])))}
    return states


def changelog(before: dict[str, dict], after: dict[str, dict]) -> dict:
    changed = {
        ref: sorted(field for field in state.keys() | before[ref].keys() if state.get(field) != before[ref].get(field))
        for ref, state in after.items()
        if ref in before and state != before[ref]
    }
    return {
        "created": sorted(after.keys() - before.keys()),
        "changed": dict(sorted(changed.items())),
        "removed": sorted(before.keys() - after.keys()),
    }
