"""Small builders: every record goes in through aid.rules and aid.services, like real writes."""

from datetime import date
from decimal import Decimal

from aid.lookups import DatabaseLookup
from aid.models import Donor, Status
from aid.rules import check_record
from aid.services import save_record
from ledger.models import ExchangeRate
from ledger.services import enter_rate

SOURCE = "https://example.org/source"


def rate(currency: str, day: str, value: str) -> ExchangeRate:
    """A published rate, written like any other rate (so PostgreSQL's daily table follows)."""
    return enter_rate(currency=currency, day=date.fromisoformat(day), rate=Decimal(value), source="test rate")


def donor(code: str, name: str = "", **flags) -> Donor:
    return Donor.objects.get_or_create(code=code, defaults={"name_en": name or code, "name_nl": name or code, **flags})[
        0
    ]


def row(record: str = "pledge", **values) -> dict:
    base = {
        "record": record, "ref": f"{values.get('donor', 'NL')}-{record}-{values.get('date', '2025-08-04')}",
        "donor": "NL", "programme": "PURL", "package": "", "pledge_ref": "", "date": "2025-08-04",
        "amount": "100", "currency": "EUR", "amount_qualifier": "", "description": "",
        "source_url": SOURCE, "source_title": "",
    }  # fmt: skip
    base.update({k: str(v) for k, v in values.items()})
    return base


def record(kind: str = "pledge", *, status: str = Status.PUBLISHED, **values):
    data = row(kind, **values)
    donor(data["donor"])
    clean, problems = check_record(data, DatabaseLookup())
    assert not problems, problems
    return save_record(clean, status=status).record
