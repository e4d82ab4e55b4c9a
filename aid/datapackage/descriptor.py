"""datapackage.json: what the package is, its licence, sources, conversion rule and schemas."""

from django.utils import timezone

from aid.datapackage.tables import Table

LICENSES = [
    {
        "name": "CC-BY-4.0",
        "path": "https://creativecommons.org/licenses/by/4.0/",
        "title": "Creative Commons Attribution 4.0 (the compilation; facts are not copyrighted)",
    }
]
SOURCES = [
    {"title": "Public sources of every record: sources.csv and the *_sources.csv links"},
    {
        "title": "European Central Bank euro foreign exchange reference rates (Source: European Central Bank)",
        "path": "https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/html/index.en.html",
    },
]
CONVERSION = (
    "Any currency converts through EUR with the ECB reference rates (1 EUR = r units): value × r(target) / "
    "r(source). Each amount uses the rate of its own date, or else the latest publication before it, never a "
    "later one; a rate published more than 7 days before the day is stale. Converted figures are rounded half "
    "up to the target currency's minor unit per part, and totals are sums of rounded parts. Valuations and "
    "package totals are never added to totals; an empty amount is undisclosed, never zero."
)


def _schema(table: Table) -> dict:
    schema = {
        "fields": [{"name": name, **properties} for name, properties in table.fields.items()],
        "primaryKey": list(table.primary_key),
    }
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": list(fields), "reference": {"resource": resource, "fields": list(keys)}}
            for fields, resource, keys in table.foreign_keys
        ]
    return schema


def resource(table: Table, *, sha256: str, size: int) -> dict:
    return {
        "name": table.name,
        "title": table.title,
        "path": table.path,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "hash": f"sha256:{sha256}",
        "bytes": size,
        "schema": _schema(table),
    }


def descriptor(resources: list[dict], *, title: str = "", created=None) -> dict:
    return {
        "profile": "tabular-data-package",
        "name": "aid-ledger",
        "title": title or "Aid Ledger: military aid to Ukraine, pledged and delivered",
        "description": "The published ledger of the Aid Ledger project. " + CONVERSION,
        "created": (created or timezone.now()).isoformat(timespec="seconds"),
        "licenses": LICENSES,
        "sources": SOURCES,
        "conversion": CONVERSION,
        "resources": resources,
    }
