"""Reading the public query parameters (SPEC §6) shared by the API and the charts.

A bad value raises `ParamError` naming the parameter and the reason; the API answers it with
a 400 JSON body, the charts with a 400 page. Both then ask `aid.summary` the same question.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.utils import timezone

from aid import asof, reference_rows
from aid.context.normalise import PER
from aid.models import Confidence, Donor, Package, Programme, Release
from aid.summary import GROUP_BY, LedgerFilter, Rates
from ledger.currencies import is_currency

NOT_ASSESSED = "not_assessed"
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")


class ParamError(ValueError):
    def __init__(self, param: str, reason: str):
        self.param = param
        self.reason = reason
        super().__init__(f"{param}: {reason}")


@dataclass(frozen=True)
class SummaryParams:
    ledger_filter: LedgerFilter
    currency: str
    rates: Rates
    group_by: str


def _one(query, name: str) -> str:
    values = query.getlist(name) if hasattr(query, "getlist") else [query.get(name)]
    values = [v for v in values if v not in (None, "")]
    if len(values) > 1:
        raise ParamError(name, "give it once (use commas for several values)")
    return values[0].strip() if values else ""


def _codes(query, name: str, model, *, upper: bool = False) -> tuple[str, ...]:
    """Comma-separated codes, each of which must exist (a typo is an error, not an empty result)."""
    text = _one(query, name).upper() if upper else _one(query, name)
    if not text:
        return ()
    codes = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    bad = [c for c in codes if not CODE.match(c)]
    if bad or not codes:
        raise ParamError(name, f"{(bad or [text])[0]!r} is not a code")
    unknown = sorted(set(codes) - reference_rows.existing_codes(model, codes))
    if unknown:
        raise ParamError(name, f"unknown code {', '.join(unknown)}")
    return codes


ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_day(text: str, param: str) -> date:
    # Only YYYY-MM-DD, as documented (Python would also take 20250801 or 2025-W31-5).
    try:
        if not ISO_DAY.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise ParamError(param, f"{text!r} is not a date (YYYY-MM-DD)") from None


# What the schema tells clients (aid.api): the syntax; the code must also be a known ISO 4217 one.
# An empty value means "not given" (the chart forms send empty fields), so each allows it.
CURRENCY_PATTERN = "^([A-Za-z]{3})?$"
RATES_PATTERN = "^(transaction|latest|[0-9]{4}-[0-9]{2}-[0-9]{2})?$"
DAY_PATTERN = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$"


def _currency(text: str, param: str) -> str:
    code = text.upper()
    if not is_currency(code):
        raise ParamError(param, f"{text!r} is not an ISO 4217 currency code")
    return code


@dataclass(frozen=True)
class AsOf:
    """The moment a question is about: given as `as_of`, or as a release (its time)."""

    at: datetime
    release: str = ""

    def query(self) -> dict[str, str]:
        """How a link asks the same again."""
        return {"release": self.release} if self.release else {"as_of": self.at.isoformat().replace("+00:00", "Z")}


def _moment(text: str, param: str) -> datetime:
    """An ISO 8601 date or date-time; without an offset it is UTC (a date alone: 00:00 UTC)."""
    # An unencoded '+' of an offset arrives as a space.
    text = re.sub(r" (\d\d:?\d\d)$", r"+\1", text)
    try:
        moment = datetime.fromisoformat(text)
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, OverflowError):
        raise ParamError(param, f"{text!r} is not an ISO 8601 date or date-time") from None


_RESOLVED = "_aid_as_of"  # a request's moment, kept on its query: the filters, rates and page all ask


def as_of(query) -> AsOf | None:
    """`as_of=<ISO 8601>` or `release=<id>`: the published ledger as it stood then; None for now.

    Resolved once per query object (a release's time, or the check against the first record)."""
    given = (_one(query, "as_of"), _one(query, "release"))
    kept = getattr(query, _RESOLVED, None)
    if kept is not None and kept[0] == given:
        return kept[1]
    moment = _resolved_as_of(*given)
    try:
        setattr(query, _RESOLVED, (given, moment))
    except AttributeError:  # a plain dict: asked again, resolved again
        pass
    return moment


def _resolved_as_of(text: str, release: str) -> AsOf | None:
    if text and release:
        raise ParamError("release", "give as_of or release, not both")
    if release:
        created = Release.objects.filter(pk=release).values_list("created_at", flat=True).first()
        if created is None:
            raise ParamError("release", f"unknown release {release!r}")
        return AsOf(created.astimezone(UTC), release)
    if not text:
        return None
    moment = _moment(text, "as_of")
    if moment > timezone.now():
        raise ParamError("as_of", f"{text!r} is in the future")
    first = asof.first_record_at()
    if first is None or moment < first:
        when = first.astimezone(UTC).isoformat(timespec="seconds") if first else "none yet"
        raise ParamError("as_of", f"{text!r} is before the first record ({when})")
    return AsOf(moment)


def _moment_at(query) -> datetime | None:
    moment = as_of(query)
    return moment.at if moment else None


def ledger_filter(query, *, status: str = "published") -> LedgerFilter:
    date_from = parse_day(_one(query, "date_from"), "date_from") if _one(query, "date_from") else None
    date_to = parse_day(_one(query, "date_to"), "date_to") if _one(query, "date_to") else None
    if date_from and date_to and date_from > date_to:
        raise ParamError("date_to", "is before date_from")
    original = _one(query, "original_currency")
    return LedgerFilter(
        donors=_codes(query, "donor", Donor, upper=True),
        programmes=_codes(query, "programme", Programme, upper=True),
        packages=_codes(query, "package", Package),
        date_from=date_from,
        date_to=date_to,
        original_currencies=tuple(_currency(c.strip(), "original_currency") for c in original.split(",") if c.strip()),
        status=status,
        confidences=confidences(query),
        as_of=_moment_at(query),
    )


def confidences(query) -> tuple[str, ...]:
    """`high,medium`: records judged so; `not_assessed` picks those nobody has judged yet."""
    text = _one(query, "confidence").lower()
    words = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    allowed = (*Confidence.values, NOT_ASSESSED)
    bad = [word for word in words if word not in allowed]
    if bad or (text and not words):
        raise ParamError("confidence", f"{(bad or [text])[0]!r} is not one of {', '.join(allowed)}")
    return tuple("" if word == NOT_ASSESSED else word for word in words)


def currency(query, default: str = "EUR") -> str:
    text = _one(query, "currency")
    return _currency(text, "currency") if text else default


def rates(query) -> Rates:
    """The rate rule; with `as_of`/`release`, reading only the rates held then."""
    text = _one(query, "rates") or "transaction"
    if text in ("transaction", "latest"):
        return Rates(text, held_at=_moment_at(query))
    return Rates("day", parse_day(text, "rates"), _moment_at(query))


def _choice(query, name: str, choices: tuple[str, ...], default: str) -> str:
    text = _one(query, name) or default
    if text not in choices:
        raise ParamError(name, f"{text!r} is not one of {', '.join(choices)}")
    return text


def group_by(query) -> str:
    return _choice(query, "group_by", GROUP_BY, "donor")


def donors(query) -> tuple[str, ...]:
    """`donor`: comma-separated codes that must exist."""
    return _codes(query, "donor", Donor, upper=True)


def per(query, grouped_by: str) -> str:
    """`gdp` or `capita` (aid.context.normalise), or '' for plain amounts; donors only."""
    text = _one(query, "per").lower()
    if text and text not in PER:
        raise ParamError("per", f"{text!r} is not one of {', '.join(PER)}")
    if text and grouped_by != "donor":
        raise ParamError("per", "a share of GDP or an amount per person is given per donor: use group_by=donor")
    return text


RATES_USED = ("compact", "full")


def rates_used(query) -> str:
    """`compact` (per currency and source: days and rate range) or `full` (every rate day too)."""
    text = _one(query, "rates_used") or "compact"
    if text not in RATES_USED:
        raise ParamError("rates_used", f"{text!r} is not one of {', '.join(RATES_USED)}")
    return text


def summary_params(query) -> SummaryParams:
    return SummaryParams(ledger_filter(query), currency(query), rates(query), group_by(query))


# Parameters of the API's lists and feeds (SPEC §6), read by the same rules as those above.

ORDERINGS = ("date", "-date", "amount", "-amount")
FORMATS = ("json", "csv")


def ordering(query, default: str = "-date") -> str:
    return _choice(query, "ordering", ORDERINGS, default)


# The donor page's record list: newest first, or the pledges still waiting, longest wait first.
RECORD_ORDERS = ("date", "waiting")


def records_order(query) -> str:
    return _choice(query, "order", RECORD_ORDERS, "date")


def _whole_number(query, name: str, default: int, maximum: int) -> int:
    text = _one(query, name)
    if not text and not _given_empty(query, name):
        return default
    if not re.fullmatch(r"[0-9]{1,12}", text) or not 1 <= int(text) <= maximum:
        raise ParamError(name, f"{text!r} is not a whole number from 1 to {maximum}")
    return int(text)


LAST_PAGE = 10**9


def _given_empty(query, name: str) -> bool:
    # `page=` is no whole number: the schema types it integer, so an empty value is a 400 (other
    # parameters, typed by a pattern that admits '', take empty as not given).
    return hasattr(query, "getlist") and bool(query.getlist(name))


def page(query) -> int:
    return _whole_number(query, "page", 1, LAST_PAGE)


def page_size(query, default: int, maximum: int) -> int:
    return _whole_number(query, "page_size", default, maximum)


def output_format(query) -> str:
    # Exactly as the schema's enum says: `CSV` or a padded ` csv` is a 400 naming `format`
    # (DRF's negotiation, which reads the raw value, would answer 404).
    raw = query.get("format") if hasattr(query, "get") else None
    text = _one(query, "format") or "json"
    if raw is not None and raw != text:
        text = raw  # an empty `format=` too: the enum has no empty value
    if text not in FORMATS:
        raise ParamError("format", f"{text!r} is not one of {', '.join(FORMATS)}")
    return text


def since(query) -> datetime:
    """An ISO 8601 date or date-time; without an offset it is UTC."""
    text = _one(query, "since")
    if not text:
        raise ParamError("since", "required: an ISO 8601 date or date-time, e.g. 2025-08-01T00:00:00Z")
    return _moment(text, "since")
