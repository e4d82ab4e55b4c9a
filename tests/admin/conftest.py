"""Named users of each role, and the POST data the pledge and delivery pages send."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from aid.models import Source
from tests.builders import SOURCE, donor, rate

PASSWORD = "a-long-test-password"
INLINES = ("deliveries", "valuations")


def make_user(username: str, *groups: str, superuser: bool = False) -> User:
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True, is_superuser=superuser)
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def researcher():
    return make_user("rita", "Researchers")


@pytest.fixture
def editor():
    return make_user("eddie", "Editors")


@pytest.fixture
def superuser():
    return make_user("root", superuser=True)


@pytest.fixture
def as_researcher(researcher):
    return client_for(researcher)


@pytest.fixture
def as_editor(editor):
    return client_for(editor)


@pytest.fixture(autouse=True)
def ledger_basics():
    """Donors NL and NO, the source the builders cite, and USD rates for conversions."""
    donor("NL", "Netherlands"), donor("NO", "Norway")
    rate("USD", "2025-08-01", "1.1500")
    rate("USD", "2025-09-01", "1.1700")
    return Source.objects.get_or_create(url=SOURCE, defaults={"title": "Announcement"})[0]


def management(prefix: str, initial: int = 0, total: int | None = None) -> dict:
    total = initial if total is None else total
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def pledge_post(**fields) -> dict:
    """The add page's POST for a pledge of NL to PURL; keyword arguments replace fields."""
    from aid.models import Donor, Programme

    programme = Programme.objects.get_or_create(code="PURL", defaults={"name_en": "PURL"})[0]
    data = {
        "ref": "NL-PURL-2025-08-04",
        "donor": str(Donor.objects.get(code="NL").pk),
        "programme": str(programme.pk),
        "package": "",
        "date": "2025-08-04",
        "amount": "500000000",
        "currency": "EUR",
        "amount_qualifier": "exact",
        "description": "",
        "sources": [str(Source.objects.get(url=SOURCE).pk)],
        "status": "draft",
        "reason": "",
        "version": "",
    }
    for prefix in INLINES:
        data.update(management(prefix))
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def change_post(record, **fields) -> dict:
    """The change page's POST for an existing pledge, as the page shows it, with changes."""
    data = pledge_post(
        ref=None,
        donor=str(record.donor_id),
        programme=str(record.programme_id),
        package=str(record.package_id or ""),
        date=record.date.isoformat(),
        amount="" if record.amount is None else f"{record.written_amount:f}",
        currency=record.currency,
        amount_qualifier=record.amount_qualifier,
        description=record.description,
        sources=[str(pk) for pk in record.sources.values_list("pk", flat=True)],
        status=record.status,
        version=str(record.version),
    )
    for prefix, related in (("deliveries", "deliveries"), ("valuations", "valuations")):
        existing = list(getattr(record, related).order_by("pk")) if hasattr(record, related) else []
        data.update(management(prefix, initial=len(existing)))
        for index, item in enumerate(existing):
            data.update(inline_row(prefix, index, item))
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def inline_row(prefix: str, index: int, item) -> dict:
    row = {
        "id": str(item.pk),
        "pledge": str(item.pledge_id),
        "ref": item.ref,
        "date": item.date.isoformat(),
        "amount": "" if item.amount is None else str(item.amount),
        "currency": item.currency,
        "amount_qualifier": item.amount_qualifier,
        "description": item.description,
        "sources": [str(pk) for pk in item.sources.values_list("pk", flat=True)],
        "version": str(item.version),
    }
    if hasattr(item, "status"):
        row["status"] = item.status
    return {f"{prefix}-{index}-{name}": value for name, value in row.items()}
