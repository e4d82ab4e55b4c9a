"""The rules every write obeys, whether it comes from the admin, an import or the API.

`check_record` turns raw values (strings from a CSV, or form data) into a `CleanRecord`, or
into a list of `Problem`s naming the column, the value and the reason. It asks the database
nothing itself: a `Lookup` answers what it needs, so an import of 100,000 rows checks them
all against a few preloaded dictionaries.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Protocol
from urllib.parse import urlsplit

from aid.countries import NEAR_MISSES, donor_codes
from aid.models import Confidence, Qualifier, SourceKind
from ledger.currencies import is_currency, minor_units
from ledger.money import TooManyDecimals, parse_decimal, to_minor, written_scale

RECORD_KINDS = ("pledge", "delivery", "valuation")
# A further source of the record named in `ref` (its first source is on the record's own row).
SOURCE_ROW = "source"
SOURCE_ROW_COLUMNS = ("record", "ref", "source_url", "source_title", "source_kind")
COLUMNS = (
    "record", "ref", "donor", "programme", "package", "pledge_ref", "date", "amount",
    "currency", "amount_qualifier", "description", "source_url", "source_title", "confidence", "source_kind",
)  # fmt: skip
REQUIRED_COLUMNS = ("record", "ref", "donor", "programme", "date", "source_url")
REF_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,19}$")
PACKAGE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
# 10^16 major units: far above any aid budget, and sums of such amounts stay inside 64 bits.
LARGEST_AMOUNT = Decimal(10) ** 16
# Decimals an amount may be written with: 16 digits before the point and 12 after stay inside
# Decimal's 28-digit context when the written form is rebuilt for an export.
MOST_WRITTEN_DECIMALS = 12
QUALIFIERS = frozenset(Qualifier.values)
CONFIDENCES = tuple(Confidence.values)
SOURCE_KINDS = tuple(SourceKind.values)
HOST = re.compile(
    r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\.?$|^\[[0-9A-Fa-f:.]+\]$|^\d{1,3}(?:\.\d{1,3}){3}$"
)


# RFC 3986 allows only these characters in a URI; anything else (spaces, quotes, <>, non-ASCII
# letters) must be percent-encoded, and a % must start such an encoding. The API publishes
# source URLs as `format: uri`: what is stored must be one.
URI_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
BROKEN_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
SOURCE_URL_REASON = "not an http(s) URL (an RFC 3986 URI: percent-encode spaces and characters outside ASCII)"
# The common shape, accepted by one regular expression: a lower-case host name, no port, no
# percent sign, a path of URI characters. Everything it accepts the full test below accepts
# too (a test compares them); anything else takes the full test.
PLAIN_SOURCE_URL = re.compile(
    r"https?://(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(?:/[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]*)?"
)


def is_source_url(text: str) -> bool:
    """An absolute http(s) URI (RFC 3986) with a host name: cheap enough for 100,000 import rows."""
    return bool(len(text) <= 1000 and PLAIN_SOURCE_URL.fullmatch(text)) or is_uri_with_host(text)


def is_uri_with_host(text: str) -> bool:
    """The full test of is_source_url, for any URL not in the plain shape."""
    if not text or len(text) > 1000 or not URI_CHARACTERS.fullmatch(text) or BROKEN_PERCENT.search(text):
        return False
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:
        return False
    return (
        parts.scheme in ("http", "https")
        and bool(host)
        and bool(HOST.match(host.encode("idna").decode() if not host.isascii() else host))
    )


@dataclass(frozen=True)
class Problem:
    column: str
    value: str
    reason: str

    def at_line(self, line: int) -> str:
        return f"line {line}, column {self.column}: {self.value!r}: {self.reason}"


@dataclass(frozen=True)
class PledgeFacts:
    """What a delivery or valuation needs to know about the pledge it refers to."""

    donor: str
    programme: str
    date: date


class Lookup(Protocol):
    def donor_exists(self, code: str) -> bool: ...
    def kind_of_ref(self, ref: str) -> str | None: ...
    def pledge(self, ref: str) -> PledgeFacts | None: ...


@dataclass(frozen=True)
class SourceRef:
    url: str
    title: str
    kind: str = ""  # empty: not assessed


@dataclass
class CleanRecord:
    record: str
    ref: str
    donor: str
    programme: str
    package: str
    pledge_ref: str
    date: date
    amount_minor: int | None
    currency: str
    amount_qualifier: str
    description: str
    source_url: str
    source_title: str
    confidence: str = ""  # empty: not assessed
    source_kind: str = ""  # empty: not assessed (a source's kind, once known, is kept)
    warnings: list[str] = field(default_factory=list)
    amount_scale: int | None = None  # decimals as written; None when undisclosed
    more_sources: list[SourceRef] = field(default_factory=list)  # from the file's `source` rows

    @property
    def source_refs(self) -> list[SourceRef]:
        return [SourceRef(self.source_url, self.source_title, self.source_kind), *self.more_sources]


def _text(raw: dict, column: str) -> str:
    value = raw.get(column)
    return "" if value is None else str(value).strip()


def _check_date(text: str, problems: list[Problem], today: date) -> date | None:
    if not text:
        problems.append(Problem("date", text, "a date is required (YYYY-MM-DD)"))
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        problems.append(Problem("date", text, "not a date: write it as YYYY-MM-DD"))
        return None
    if day > today:
        problems.append(Problem("date", text, f"is in the future (today is {today.isoformat()})"))
        return None
    return day


def _check_amount(amount_text: str, currency: str, problems: list[Problem]) -> int | None:
    if currency and not is_currency(currency):
        problems.append(Problem("currency", currency, "unknown currency: use an ISO 4217 code such as EUR or USD"))
    if not amount_text:
        if currency:
            problems.append(
                Problem("currency", currency, "a currency without an amount: leave both empty when undisclosed")
            )
        return None
    try:
        value = parse_decimal(amount_text)
    except InvalidOperation:
        problems.append(
            Problem("amount", amount_text, "not a number: digits with '.' for decimals, no spaces or commas")
        )
        return None
    if value < 0:
        problems.append(Problem("amount", amount_text, "an amount cannot be negative"))
        return None
    if written_scale(value) > MOST_WRITTEN_DECIMALS:
        problems.append(Problem("amount", amount_text, f"at most {MOST_WRITTEN_DECIMALS} decimals"))
        return None
    if value >= LARGEST_AMOUNT:
        problems.append(Problem("amount", amount_text, "too large for the ledger (at most 16 digits before the point)"))
        return None
    if not currency:
        problems.append(Problem("currency", currency, "an amount needs its currency"))
        return None
    if not is_currency(currency):
        return None
    try:
        return to_minor(value, currency)
    except TooManyDecimals:
        units = minor_units(currency)
        problems.append(
            Problem(
                "amount", amount_text, f"{currency} amounts have at most {units} decimal{'s' if units != 1 else ''}"
            )
        )
        return None


def _check_kind(text: str, problems: list[Problem]) -> str:
    record = text.lower()
    if record not in RECORD_KINDS:
        problems.append(Problem("record", text, "must be pledge, delivery, valuation or source"))
    return record


def _check_ref(ref: str, record: str, problems: list[Problem], lookup: Lookup) -> None:
    if not ref:
        problems.append(Problem("ref", ref, "a ref is required"))
    elif not REF_PATTERN.match(ref):
        problems.append(Problem("ref", ref, "letters, digits, '.', '_' and '-' only, at most 100"))
    else:
        existing = lookup.kind_of_ref(ref)
        if existing and record in RECORD_KINDS and existing != record:
            problems.append(Problem("ref", ref, f"already used by a {existing}"))


def _check_donor(text: str, problems: list[Problem], lookup: Lookup) -> str:
    donor = text.upper()
    if not donor:
        problems.append(Problem("donor", donor, "a donor code is required"))
    elif donor not in donor_codes():
        hint = f" (for this country use {NEAR_MISSES[donor]})" if donor in NEAR_MISSES else ""
        problems.append(Problem("donor", text, f"not an ISO 3166-1 alpha-2 country code nor EU{hint}"))
    elif not lookup.donor_exists(donor):
        problems.append(Problem("donor", text, "this donor was removed in the admin: add it again"))
    return donor


def _check_programme(text: str, problems: list[Problem]) -> str:
    programme = text.upper()
    if not programme:
        problems.append(Problem("programme", programme, "a programme code is required"))
    elif not CODE_PATTERN.match(programme):
        problems.append(Problem("programme", text, "use a short code: A-Z, 0-9, '_' or '-', at most 20"))
    return programme


def _check_package(package: str, problems: list[Problem]) -> str:
    if package and not PACKAGE_PATTERN.match(package):
        problems.append(Problem("package", package, "use a short code: letters, digits, '.', '_' or '-', at most 40"))
    return package


def _check_identity(raw: dict, problems: list[Problem], lookup: Lookup) -> tuple[str, str, str, str, str]:
    record = _check_kind(_text(raw, "record"), problems)
    ref = _text(raw, "ref")
    _check_ref(ref, record, problems, lookup)
    donor = _check_donor(_text(raw, "donor"), problems, lookup)
    programme = _check_programme(_text(raw, "programme"), problems)
    package = _check_package(_text(raw, "package"), problems)
    return record, ref, donor, programme, package


def _check_link(
    record: str,
    raw: dict,
    donor: str,
    programme: str,
    day: date | None,
    problems: list[Problem],
    warnings: list[str],
    lookup: Lookup,
) -> str:
    pledge_ref = _text(raw, "pledge_ref")
    if record == "pledge" and pledge_ref:
        problems.append(Problem("pledge_ref", pledge_ref, "a pledge does not refer to another pledge"))
    if record == "valuation" and not pledge_ref:
        problems.append(Problem("pledge_ref", pledge_ref, "a valuation names the pledge it values"))
    if record not in ("delivery", "valuation") or not pledge_ref:
        return pledge_ref
    pledge = lookup.pledge(pledge_ref)
    if pledge is None:
        problems.append(Problem("pledge_ref", pledge_ref, "no pledge with this ref"))
        return pledge_ref
    if pledge.donor != donor:
        problems.append(Problem("donor", donor, f"differs from the donor of pledge {pledge_ref} ({pledge.donor})"))
    if pledge.programme != programme:
        problems.append(
            Problem("programme", programme, f"differs from the programme of pledge {pledge_ref} ({pledge.programme})")
        )
    if record == "delivery" and day and day < pledge.date:
        warnings.append(
            f"delivered on {day.isoformat()}, before pledge {pledge_ref} was announced ({pledge.date.isoformat()})"
        )
    return pledge_ref


def _check_choice(raw: dict, column: str, allowed: tuple[str, ...], problems: list[Problem]) -> str:
    return _check_word(column, _text(raw, column), allowed, problems)


def _check_word(column: str, text: str, allowed: tuple[str, ...], problems: list[Problem]) -> str:
    """An optional column of fixed words; empty means "not assessed", never a guess."""
    value = text.lower()
    if value and value not in allowed:
        problems.append(Problem(column, text, f"must be {', '.join(allowed)}, or empty (not assessed)"))
    return value


def _check_qualifier(text: str, problems: list[Problem]) -> str:
    qualifier = text or Qualifier.EXACT
    if qualifier not in QUALIFIERS:
        problems.append(Problem("amount_qualifier", qualifier, "must be exact, at_least or approx"))
    return qualifier


def check_record(raw: dict, lookup: Lookup, *, today: date | None = None) -> tuple[CleanRecord | None, list[Problem]]:
    """Check one record; returns (clean record, []) or (None, problems)."""
    today = today or date.today()
    problems: list[Problem] = []
    warnings: list[str] = []
    record, ref, donor, programme, package = _check_identity(raw, problems, lookup)
    day = _check_date(_text(raw, "date"), problems, today)
    currency = _text(raw, "currency").upper()
    amount_minor = _check_amount(_text(raw, "amount"), currency, problems)
    if record == "valuation" and not _text(raw, "amount"):
        problems.append(Problem("amount", "", "a valuation is a reported figure: it needs an amount"))
    qualifier = _check_qualifier(_text(raw, "amount_qualifier"), problems)
    pledge_ref = _check_link(record, raw, donor, programme, day, problems, warnings, lookup)
    confidence = _check_choice(raw, "confidence", CONFIDENCES, problems)
    source_kind = _check_choice(raw, "source_kind", SOURCE_KINDS, problems)
    source_url, _ = _check_source(raw, problems)
    if problems:
        return None, problems
    clean = CleanRecord(
        record=record, ref=ref, donor=donor, programme=programme, package=package,
        pledge_ref=pledge_ref, date=day, amount_minor=amount_minor,
        currency=currency if amount_minor is not None else "", amount_qualifier=qualifier,
        description=_text(raw, "description"), source_url=source_url,
        source_title=_text(raw, "source_title"), confidence=confidence, source_kind=source_kind,
        warnings=warnings,
        amount_scale=None if amount_minor is None else written_scale(parse_decimal(_text(raw, "amount"))),
    )  # fmt: skip
    return clean, []


# An amount in its plainest form (no sign, no leading zero, below LARGEST_AMOUNT, at most
# MOST_WRITTEN_DECIMALS decimals), turned into minor units by string arithmetic.
PLAIN_AMOUNT = re.compile(rf"(0|[1-9][0-9]{{0,15}})(?:\.([0-9]{{1,{MOST_WRITTEN_DECIMALS}}}))?")
REFUSED = object()  # a value some rule refuses: the row goes through check_record for its messages


def _stripped(value) -> str:
    return "" if value is None else str(value).strip()


class _Checked(dict):
    """A column's check, run once per distinct raw value: raw value -> clean value, or REFUSED."""

    def __init__(self, check):
        super().__init__()
        self.check = check

    def __missing__(self, raw):
        problems: list[Problem] = []
        clean = self.check(_stripped(raw), problems)
        self[raw] = REFUSED if problems else clean
        return self[raw]


class BatchChecker:
    """`check_record` for the many rows of an import, with the same answers.

    The columns with few distinct values (record, donor, programme, package, date, currency and
    the word columns) are checked once per distinct value by the functions check_record calls;
    ref, pledge_ref and the source by those functions row by row; a plain amount by string
    arithmetic. A row any of these refuses, or whose amount is not plain, goes through
    check_record itself, so every message comes from the one rule set above.
    """

    def __init__(self, lookup: Lookup, *, today: date | None = None):
        self.lookup = lookup
        self.today = today or date.today()
        self.kind = _Checked(_check_kind)
        self.donor = _Checked(lambda text, problems: _check_donor(text, problems, lookup))
        self.programme = _Checked(_check_programme)
        self.package = _Checked(_check_package)
        self.date = _Checked(lambda text, problems: _check_date(text, problems, self.today))
        self.currency = _Checked(self._currency)
        self.qualifier = _Checked(_check_qualifier)
        self.confidence = _Checked(lambda text, problems: _check_word("confidence", text, CONFIDENCES, problems))
        self.source_kind = _Checked(lambda text, problems: _check_word("source_kind", text, SOURCE_KINDS, problems))

    @staticmethod
    def _currency(text: str, problems: list[Problem]) -> tuple[str, int]:
        """(code, minor units); an unknown code is refused here and worded by _check_amount."""
        currency = text.upper()
        if currency and not is_currency(currency):
            problems.append(Problem("currency", currency, "unknown"))
            return currency, 0
        return currency, minor_units(currency) if currency else 0

    def check(self, raw: dict) -> tuple[CleanRecord | None, list[Problem]]:
        clean = self._plain(raw)
        return (clean, []) if clean is not None else check_record(raw, self.lookup, today=self.today)

    def _plain(self, raw: dict) -> CleanRecord | None:
        get = raw.get
        record, donor, programme, package, day, currency, qualifier, confidence, source_kind = checked = (
            self.kind[get("record")], self.donor[get("donor")], self.programme[get("programme")],
            self.package[get("package")], self.date[get("date")], self.currency[get("currency")],
            self.qualifier[get("amount_qualifier")], self.confidence[get("confidence")],
            self.source_kind[get("source_kind")],
        )  # fmt: skip
        if REFUSED in checked:
            return None
        (currency, units), amount_text = currency, _stripped(get("amount"))
        if not amount_text:
            if currency or record == "valuation":
                return None
            amount_minor = amount_scale = None
        else:
            plain = PLAIN_AMOUNT.fullmatch(amount_text)
            decimals = (plain.group(2) or "") if plain else None
            if decimals is None or not currency or len(decimals) > units:
                return None
            amount_minor = int(plain.group(1) + decimals) * 10 ** (units - len(decimals))
            amount_scale = len(decimals)
        problems: list[Problem] = []
        warnings: list[str] = []
        ref = _stripped(get("ref"))
        _check_ref(ref, record, problems, self.lookup)
        pledge_ref = _check_link(record, raw, donor, programme, day, problems, warnings, self.lookup)
        source_url, source_title = _check_source(raw, problems)
        if problems:
            return None
        return CleanRecord(
            record=record, ref=ref, donor=donor, programme=programme, package=package,
            pledge_ref=pledge_ref, date=day, amount_minor=amount_minor, currency=currency if amount_text else "",
            amount_qualifier=qualifier, description=_stripped(get("description")), source_url=source_url,
            source_title=source_title, confidence=confidence, source_kind=source_kind, warnings=warnings,
            amount_scale=amount_scale,
        )  # fmt: skip


def _check_source(raw: dict, problems: list[Problem]) -> tuple[str, str]:
    url, title = _text(raw, "source_url"), _text(raw, "source_title")
    if not is_source_url(url):
        reason = "a source is required: the http(s) URL of a public page" if not url else SOURCE_URL_REASON
        problems.append(Problem("source_url", url, reason))
    if len(title) > 500:
        problems.append(Problem("source_title", title[:40] + "…", "longer than 500 characters"))
    return url, title


def check_source_row(raw: dict) -> tuple[str, SourceRef | None, list[Problem]]:
    """A `source` row: (the ref it adds a source to, the source, problems)."""
    problems: list[Problem] = []
    ref = _text(raw, "ref")
    if not ref:
        problems.append(Problem("ref", ref, "a source row names the record it belongs to"))
    for column in raw:
        if column not in SOURCE_ROW_COLUMNS and column in COLUMNS and _text(raw, column):
            problems.append(
                Problem(column, _text(raw, column), "a source row holds only ref and the source's url, title and kind")
            )
    url, title = _check_source(raw, problems)
    kind = _check_choice(raw, "source_kind", SOURCE_KINDS, problems)
    return ref, (None if problems else SourceRef(url, title, kind)), problems
