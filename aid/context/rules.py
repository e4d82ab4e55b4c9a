"""The rules a donor's indicator obeys, from the admin or from `import_indicators` alike.

Problems name the column, the value and the reason, as the ledger's rules do (aid.rules).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from aid.context.models import IndicatorName, SourceKind
from aid.rules import Problem, is_source_url
from ledger.currencies import is_currency
from ledger.money import parse_decimal

COLUMNS = ("donor", "indicator", "year", "value", "unit", "source_url", "source_title", "source_kind")
REQUIRED_COLUMNS = ("donor", "indicator", "year", "value", "unit", "source_url")
PERSONS = "persons"
FIRST_YEAR = 1950
# SQLite keeps a decimal exactly only up to 15 significant digits; PostgreSQL any. The smaller
# limit keeps both databases answering the same (a GDP of USD 27 trillion has 14 digits).
SIGNIFICANT_DIGITS = 15


@dataclass(frozen=True)
class CleanIndicator:
    donor: str
    name: str
    year: int
    value: Decimal
    unit: str
    source_url: str
    source_title: str
    source_kind: str


def _text(raw: dict, column: str) -> str:
    value = raw.get(column)
    return "" if value is None else str(value).strip()


def _check_year(text: str, problems: list[Problem], today: date) -> int | None:
    if not text.isdigit() or not FIRST_YEAR <= int(text) <= today.year:
        problems.append(Problem("year", text, f"a year from {FIRST_YEAR} to {today.year}, e.g. 2023"))
        return None
    return int(text)


def _check_value(text: str, problems: list[Problem]) -> Decimal | None:
    try:
        value = parse_decimal(text)
    except InvalidOperation:
        problems.append(Problem("value", text, "not a number: digits with '.' for decimals, no spaces or commas"))
        return None
    if value <= 0:
        problems.append(Problem("value", text, "must be greater than zero"))
        return None
    if -value.as_tuple().exponent > 2:
        problems.append(Problem("value", text, "at most 2 decimals"))
        return None
    if len(value.normalize().as_tuple().digits) > SIGNIFICANT_DIGITS or value >= Decimal(10) ** 18:
        problems.append(Problem("value", text, f"at most {SIGNIFICANT_DIGITS} significant digits"))
        return None
    return value


def _check_unit(name: str, text: str, problems: list[Problem]) -> str:
    if name == IndicatorName.POPULATION and text != PERSONS:
        problems.append(Problem("unit", text, f"a population is counted in {PERSONS}"))
    if name == IndicatorName.GDP and not is_currency(text.upper()):
        problems.append(Problem("unit", text, "a GDP's unit is its ISO 4217 currency, e.g. USD"))
    return text.upper() if name == IndicatorName.GDP else text


def check_indicator(raw: dict, donors, *, today: date | None = None) -> tuple[CleanIndicator | None, list[Problem]]:
    """`donors` is the set of known donor codes; returns (clean, []) or (None, problems)."""
    problems: list[Problem] = []
    donor = _text(raw, "donor").upper()
    if donor not in donors:
        problems.append(Problem("donor", _text(raw, "donor"), "unknown donor code"))
    name = _text(raw, "indicator").lower()
    if name not in IndicatorName.values:
        problems.append(Problem("indicator", _text(raw, "indicator"), "must be gdp or population"))
    year = _check_year(_text(raw, "year"), problems, today or date.today())
    value = _check_value(_text(raw, "value"), problems)
    unit = _check_unit(name, _text(raw, "unit"), problems)
    source_url = _text(raw, "source_url")
    if not is_source_url(source_url):
        reason = "a source is required: the http(s) URL of a public page" if not source_url else "not an http(s) URL"
        problems.append(Problem("source_url", source_url, reason))
    title = _text(raw, "source_title")
    if len(title) > 500:
        problems.append(Problem("source_title", title[:40] + "…", "longer than 500 characters"))
    kind = _text(raw, "source_kind").lower()
    if kind and kind not in SourceKind.values:
        problems.append(Problem("source_kind", kind, f"must be one of {', '.join(SourceKind.values)} (or empty)"))
    if problems:
        return None, problems
    return CleanIndicator(donor, name, year, value, unit, source_url, title, kind), []
