"""A three-donor ledger with GDP and population figures, written through the real write paths."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from aid.context.rules import check_indicator
from aid.context.services import save_indicator
from aid.models import Donor
from tests.builders import donor, rate, record

WB = "https://data.worldbank.org/"


def indicator(code: str, name: str, year: int, value: str, unit: str):
    raw = {"donor": code, "indicator": name, "year": str(year), "value": value, "unit": unit, "source_url": WB,
           "source_title": "World Bank", "source_kind": "international"}  # fmt: skip
    clean, problems = check_indicator(raw, set(Donor.objects.values_list("code", flat=True)))
    assert not problems, problems
    return save_indicator(clean)[0]


@pytest.fixture
def api():
    cache.clear()  # the anonymous throttle counts requests in the cache
    return APIClient()


@pytest.fixture
def three_donors():
    """NL pledges in EUR (GDP in USD), NO in USD (GDP in USD), DE has no indicator at all.

    EUR→USD 1.1500 on 2025-08-04 and 1.2000 on 2025-09-01.
    """
    rate("USD", "2025-08-04", "1.1500")
    rate("USD", "2025-09-01", "1.2000")
    for code, name in (("NL", "Netherlands"), ("NO", "Norway"), ("DE", "Germany")):
        donor(code, name)
    record(ref="NL-P1", donor="NL", date="2025-08-04", amount="500000000")
    record("delivery", ref="NL-D1", donor="NL", pledge_ref="NL-P1", date="2025-09-01", amount="100000000")
    record(ref="NO-P1", donor="NO", date="2025-08-04", amount="500000000", currency="USD")
    record(
        "delivery", ref="NO-D1", donor="NO", pledge_ref="NO-P1", date="2025-09-01", amount="50000000", currency="USD"
    )
    record(ref="DE-P1", donor="DE", date="2025-08-04", amount="1000000")
    indicator("NL", "gdp", 2022, "1", "USD")  # an older year: the newest one is used
    indicator("NL", "gdp", 2023, "920000000000", "USD")
    indicator("NL", "population", 2024, "32000000", "persons")
    indicator("NO", "gdp", 2023, "400000000000", "USD")
    indicator("NO", "population", 2024, "5000000", "persons")
