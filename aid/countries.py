"""Every donor the ledger knows from its first migration on: ISO 3166-1 countries, plus `EU`.

Names come from pycountry (the Debian iso-codes data and its Dutch translation, shipped with the
package, no network), never typed by hand. Membership is public fact, with its source:
- EU: the 27 member states, https://european-union.europa.eu/principles-countries-history/eu-countries_en
- NATO: the 32 allies and the year each joined, https://www.nato.int/cps/en/natohq/topics_52044.htm
Both are editable in the admin afterwards; seeding adds missing donors and never overwrites one.
"""

import gettext
from functools import cache

import pycountry

EU_CODE = "EU"
EU_NAMES = ("European Union (institutions)", "Europese Unie (instellingen)")
EU_MEMBERS = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
)  # fmt: skip
NATO_JOINED = {
    **dict.fromkeys("BE CA DK FR IS IT LU NL NO PT GB US".split(), 1949),
    "GR": 1952, "TR": 1952, "DE": 1955, "ES": 1982,
    **dict.fromkeys("CZ HU PL".split(), 1999),
    **dict.fromkeys("BG EE LV LT RO SK SI".split(), 2004),
    "AL": 2009, "HR": 2009, "ME": 2017, "MK": 2020, "FI": 2023, "SE": 2024,
}  # fmt: skip
# Codes people write that ISO 3166-1 does not have, with the one they mean.
NEAR_MISSES = {"UK": "GB", "EL": "GR"}


@cache
def _dutch() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["nl"], fallback=True)


def _names(country) -> tuple[str, str]:
    # The short form readers know ("South Korea", not "Korea, Republic of") where ISO gives one.
    english = getattr(country, "common_name", None) or country.name
    return english, _dutch().gettext(english)


@cache
def donor_codes() -> frozenset[str]:
    return frozenset(country.alpha_2 for country in pycountry.countries) | {EU_CODE}


def donor_rows() -> list[dict]:
    rows = [{"code": EU_CODE, "name_en": EU_NAMES[0], "name_nl": EU_NAMES[1]}]
    for country in pycountry.countries:
        name_en, name_nl = _names(country)
        rows.append({"code": country.alpha_2, "name_en": name_en, "name_nl": name_nl})
    for row in rows:
        row["eu_member"] = row["code"] in EU_MEMBERS
        row["nato_joined"] = NATO_JOINED.get(row["code"])
        row["nato_member"] = row["nato_joined"] is not None
    return sorted(rows, key=lambda row: row["code"])


def add_missing_donors(donor_model) -> int:
    """Creates the donors not held yet (the migration's model or the live one); returns how many."""
    held = set(donor_model.objects.values_list("code", flat=True))
    missing = [donor_model(**row) for row in donor_rows() if row["code"] not in held]
    donor_model.objects.bulk_create(missing)
    return len(missing)
