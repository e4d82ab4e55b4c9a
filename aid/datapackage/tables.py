"""The package's tables: name, Table Schema fields and keys, and the rows from the database."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from aid.models import Delivery, Donor, Package, Pledge, Programme, Source, SourceKind, Status, Valuation
from ledger.conversion import TRANSACTION
from ledger.money import written
from ledger.rates import MissingRate

CHUNK = 5000
# Table Schema types; booleans are written as the Python writer writes them.
BOOLEAN = {"type": "boolean", "trueValues": ["True"], "falseValues": ["False"]}
AMOUNT = {"type": "number", "description": "as announced, with the decimals it was written with; empty = undisclosed"}


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    fields: dict[str, dict]  # name → Table Schema field properties (without the name)
    rows: Callable[[], Iterator[tuple]]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = field(default=())

    @property
    def path(self) -> str:
        return f"{self.name}.csv"


def _text(value) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def _amount(minor, scale, currency) -> str:
    return "" if minor is None else f"{written(minor, currency, scale):f}"


def _published_pledges():
    return Pledge.objects.filter(status=Status.PUBLISHED)


def _published_deliveries():
    return Delivery.objects.filter(status=Status.PUBLISHED)


def _published_valuations():
    return Valuation.objects.filter(pledge__status=Status.PUBLISHED)


def _records(queryset, columns: tuple[str, ...], amount_at: int) -> Iterator[tuple]:
    """Rows of `columns`; the three after `amount_at` (minor, scale, currency) become amount, currency."""
    for row in queryset.order_by("pk").values_list(*columns).iterator(chunk_size=CHUNK):
        minor, scale, currency = row[amount_at : amount_at + 3]
        cells = (*row[:amount_at], _amount(minor, scale, currency), currency, *row[amount_at + 3 :])
        yield tuple(_text(cell) for cell in cells)


RECORD = ("ref", "donor__code", "programme__code", "package__code", "date")
MONEY = ("amount_minor", "amount_scale", "currency", "amount_qualifier", "description", "confidence")


def _pledge_rows():
    return _records(_published_pledges(), (*RECORD, *MONEY), 5)


def _delivery_rows():
    deliveries = _published_deliveries()
    columns = (*RECORD, "pledge__ref", "pledge__status", *MONEY)
    for row in _records(deliveries, columns, 7):
        pledge_ref = row[5] if row[6] == Status.PUBLISHED else ""  # a draft pledge's ref stays private
        yield (*row[:5], pledge_ref, *row[7:])


def _valuation_rows():
    return _records(_published_valuations(), ("ref", "pledge__ref", "date", *MONEY), 3)


def _links(queryset, kind: str) -> Iterator[tuple]:
    through = queryset.model.sources.through
    owner = f"{kind}__"
    links = through.objects.filter(**{f"{kind}__in": queryset.values("pk")})
    yield from (
        links.order_by(f"{owner}id", "source__url").values_list(f"{owner}ref", "source__url").iterator(chunk_size=CHUNK)
    )


def _used_sources():
    used = Q()
    for kind, queryset in (("pledge", _published_pledges), ("delivery", _published_deliveries),
                           ("valuation", _published_valuations)):  # fmt: skip
        links = queryset().model.sources.through.objects.filter(**{f"{kind}__in": queryset().values("pk")})
        used |= Q(pk__in=links.values("source_id"))
    return Source.objects.filter(used)


def _source_rows():
    columns = ("url", "title", "kind", "publisher", "published_on")
    for row in _used_sources().order_by("url").values_list(*columns).iterator(chunk_size=CHUNK):
        yield tuple(_text(cell) for cell in row)


def _in_use(column: str) -> Q:
    """Referred to by a published pledge or delivery."""
    return Q(pk__in=_published_pledges().values(column)) | Q(pk__in=_published_deliveries().values(column))


def _package_rows():
    packages = Package.objects.filter(_in_use("package_id")).order_by("programme__code", "code")
    columns = (
        "programme__code",
        "code",
        "name_en",
        "name_nl",
        "description_en",
        "description_nl",
        "date",
        "amount_minor",
        "amount_scale",
        "currency",
        "amount_qualifier",
    )
    for row in packages.values_list(*columns).iterator(chunk_size=CHUNK):
        yield tuple(_text(cell) for cell in (*row[:7], _amount(*row[7:10]), row[9], row[10]))


def _programme_rows():
    programmes = Programme.objects.filter(_in_use("programme_id")).order_by("code")
    yield from programmes.values_list("code", "name_en", "name_nl")


def _donor_rows():
    for row in Donor.objects.order_by("code").values_list("code", "name_en", "name_nl", "eu_member", "nato_member"):
        yield tuple(_text(cell) for cell in row)


def _days_in_use() -> dict[str, set[date]]:
    """Each foreign currency of the published ledger → the days its amounts are dated."""
    days: dict[str, set[date]] = {}
    for queryset in (_published_pledges(), _published_deliveries(), _published_valuations()):
        pairs = queryset.exclude(currency__in=("", "EUR")).values_list("currency", "date").distinct().order_by()
        for currency, day in pairs.iterator(chunk_size=CHUNK):
            days.setdefault(currency, set()).add(day)
    return days


def _rate_rows():
    """The ECB publication each amount's own date uses (SPEC §5), once per publication."""
    days = _days_in_use()
    if not days:
        return
    every_day = [day for per_currency in days.values() for day in per_currency]
    book = TRANSACTION.book(set(days), every_day)
    used = set()
    for currency, wanted in days.items():
        for day in wanted:
            try:
                quote = book.quote(currency, day)
            except MissingRate:
                continue  # no rate: nothing converts this amount, so no rate is used
            used.add((quote.currency, quote.rate_date, quote.rate, quote.source))
    for currency, day, rate, source in sorted(used):
        yield currency, day.isoformat(), f"{rate:f}", source


def _string(description: str = "", **more) -> dict:
    return {"type": "string", **({"description": description} if description else {}), **more}


REQUIRED = {"constraints": {"required": True}}
RECORD_FIELDS = {
    "ref": _string("stable reference, unique in the ledger", **REQUIRED),
    "donor": _string("ISO 3166-1 alpha-2 code, or EU", **REQUIRED),
    "programme": _string("programme code", **REQUIRED),
    "package": _string("package code inside the programme: with programme, a key of packages"),
    "date": {"type": "date", **REQUIRED},
}
MONEY_FIELDS = {
    "amount": AMOUNT,
    "currency": _string("ISO 4217 code"),
    "amount_qualifier": _string(constraints={"enum": ["exact", "at_least", "approx"]}),
    "description": _string(),
    "confidence": _string("empty: not assessed", constraints={"enum": ["high", "medium", "low"]}),
}
RECORD_KEYS = (
    (("donor",), "donors", ("code",)),
    (("programme",), "programmes", ("code",)),
)  # (programme, package) → packages is not declared: Table Schema refuses a half-empty composite key


def _link_table(kind: str, records: str, queryset) -> Table:
    return Table(
        f"{kind}_sources",
        f"Sources of each {kind}",
        {"ref": _string(**REQUIRED), "source_url": _string(**REQUIRED)},
        lambda: _links(queryset(), kind),
        ("ref", "source_url"),
        ((("ref",), records, ("ref",)), (("source_url",), "sources", ("url",))),
    )


TABLES = (
    Table(
        "donors", "Donors",
        {"code": _string(**REQUIRED), "name_en": _string(), "name_nl": _string(), "eu_member": BOOLEAN,
         "nato_member": BOOLEAN},
        _donor_rows, ("code",),
    ),
    Table("programmes", "Programmes", {"code": _string(**REQUIRED), "name_en": _string(), "name_nl": _string()},
          _programme_rows, ("code",)),
    Table(
        "packages", "Packages inside programmes; a package's own total is never added to its donors' pledges",
        {"programme": _string(**REQUIRED), "code": _string(**REQUIRED), "name_en": _string(), "name_nl": _string(),
         "description_en": _string(), "description_nl": _string(), "date": {"type": "date"},
         "amount": AMOUNT, "currency": _string(), "amount_qualifier": _string()},
        _package_rows, ("programme", "code"), ((("programme",), "programmes", ("code",)),),
    ),
    Table("pledges", "Pledges", {**RECORD_FIELDS, **MONEY_FIELDS}, _pledge_rows, ("ref",), RECORD_KEYS),
    Table(
        "deliveries", "Deliveries and payments",
        {**RECORD_FIELDS, "pledge_ref": _string("the pledge this delivery fulfils"), **MONEY_FIELDS},
        _delivery_rows, ("ref",), (*RECORD_KEYS, (("pledge_ref",), "pledges", ("ref",))),
    ),
    Table(
        "valuations", "Other sources' figures for a pledge: never added to any total",
        {"ref": _string(**REQUIRED), "pledge_ref": _string(**REQUIRED), "date": {"type": "date", **REQUIRED},
         **MONEY_FIELDS},
        _valuation_rows, ("ref",), ((("pledge_ref",), "pledges", ("ref",)),),
    ),
    Table(
        "sources", "Public sources",
        {"url": _string(format="uri", **REQUIRED), "title": _string(),
         "kind": _string("empty: not assessed", constraints={"enum": list(SourceKind.values)}), "publisher": _string(),
         "published_on": {"type": "date"}},
        _source_rows, ("url",),
    ),
    _link_table("pledge", "pledges", _published_pledges),
    _link_table("delivery", "deliveries", _published_deliveries),
    _link_table("valuation", "valuations", _published_valuations),
    Table(
        "rates", "ECB euro reference rates the records' own dates use (1 EUR = rate units of currency)",
        {"currency": _string(**REQUIRED), "rate_date": {"type": "date", **REQUIRED},
         "rate": {"type": "number", **REQUIRED}, "source": _string()},
        _rate_rows, ("currency", "rate_date"),
    ),
)  # fmt: skip
