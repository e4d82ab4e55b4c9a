"""A small ledger for the API tests: every record goes in through the real write path."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.builders import donor, rate, record


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # the anonymous throttle counts requests in the cache
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def ledger():
    """NL and DE pledges in EUR and USD, one undisclosed, deliveries against them, and a draft.

    EUR→USD 1.1600 on 2025-08-04, 1.1500 on 2025-09-01, 1.2000 on 2025-10-01 (latest).
    """
    for day, value in (("2025-08-04", "1.1600"), ("2025-09-01", "1.1500"), ("2025-10-01", "1.2000")):
        rate("USD", day, value)
    donor("NL", "Netherlands")
    donor("DE", "Germany")
    records = {
        "nl_pledge": record(ref="NL-P1", donor="NL", package="PURL-1", date="2025-08-04", amount="500000000"),
        "de_pledge": record(
            ref="DE-P1", donor="DE", package="PURL-3", date="2025-08-13", amount="500000000", currency="USD"
        ),
        "nl_undisclosed": record(
            ref="NL-P2", donor="NL", programme="BILATERAL", date="2025-09-01", amount="", currency=""
        ),
        "nl_delivery": record(
            "delivery",
            ref="NL-D1",
            donor="NL",
            package="PURL-1",
            pledge_ref="NL-P1",
            date="2025-09-01",
            amount="200000000",
        ),  # fmt: skip
        "de_delivery": record(
            "delivery",
            ref="DE-D1",
            donor="DE",
            package="PURL-3",
            pledge_ref="DE-P1",
            date="2025-09-01",
            amount="115000000",
            currency="USD",
        ),  # fmt: skip
        "draft": record(
            ref="NL-SECRET", donor="NL", programme="SECRETPROG", date="2025-08-20", amount="7", status="draft"
        ),
        "valuation": record(
            "valuation",
            ref="NL-P1-USD",
            donor="NL",
            package="PURL-1",
            pledge_ref="NL-P1",
            date="2025-08-04",
            amount="578000000",
            currency="USD",
        ),  # fmt: skip
    }
    return records
