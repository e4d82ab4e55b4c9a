"""An edit refreshes the monthly rows of its own (key, month) only: the months of the same key
before and after it stay as they were (PostgreSQL's rollup, aid.summary.rollup)."""

import pytest
from django.db import connection

from aid.models import ConvertedTotal, PackageTotal, Pledge, Status
from aid.services import delete_record, set_status
from aid.summary import rollup, summarize
from tests.builders import rate, record

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the monthly rollup is PostgreSQL's")


@pytest.fixture
def three_months(db):
    rate("USD", "2025-07-01", "1.1000")
    rate("USD", "2025-08-01", "1.1500")
    rate("USD", "2025-09-01", "1.2000")
    rate("GBP", "2025-07-01", "0.8500")  # every held target converts (none lacks a rate)
    for day in ("2025-07-14", "2025-08-04", "2025-08-20", "2025-09-09"):  # one key, three months
        record(ref=f"P-{day}", date=day, amount="1000.05", currency="USD", package="PURL-1")


def months_of_the_key() -> dict:
    rows = ConvertedTotal.objects.filter(target="EUR", kind="pledge", status="published", package="PURL-1")
    return {row.month.isoformat(): (row.amount_minor, row.converted_minor, row.records) for row in rows}


@pytest.mark.parametrize(
    "edit",
    [
        lambda: record(ref="P-2025-08-04", date="2025-08-04", amount="7", currency="USD", package="PURL-1"),
        lambda: set_status(Pledge.objects.get(ref="P-2025-08-20"), Status.DRAFT),
        lambda: delete_record(Pledge.objects.get(ref="P-2025-08-04")),
    ],
    ids=["amount changed", "unpublished", "deleted"],
)
def test_an_edit_changes_its_month_and_no_other_month_of_the_key(three_months, edit):
    before = months_of_the_key()
    assert sorted(before) == ["2025-07-01", "2025-08-01", "2025-09-01"]
    edit()
    after = months_of_the_key()
    assert after["2025-07-01"] == before["2025-07-01"] and after["2025-09-01"] == before["2025-09-01"]
    assert after["2025-08-01"] != before["2025-08-01"]
    assert rollup.differences() == []
    assert summarize(group_by="month") == summarize(group_by="month", use_rollup=False)


def package_rows() -> dict:
    rows = PackageTotal.objects.filter(package="PURL-1", kind="pledge", status="published")
    return {row.target: row.converted_minor for row in rows}


def test_a_corrected_rate_moves_the_package_rows_by_what_its_months_convert_to_now(three_months):
    before = package_rows()
    rate("USD", "2025-08-10", "1.3000")  # nearer the 20 August pledge: August and September convert anew
    after = package_rows()
    assert after["EUR"] != before["EUR"] and after["EUR"] is not None
    assert rollup.differences() == []
    assert summarize(group_by="package") == summarize(group_by="package", use_rollup=False)


def test_package_rows_without_a_rate_are_recomputed_when_the_rate_arrives(db):
    for day in ("2025-07-14", "2025-08-04", "2025-09-09"):  # no USD rate yet: nothing converts
        record(ref=f"P-{day}", date=day, amount="1000.05", currency="USD", package="PURL-1")
    assert package_rows()["EUR"] is None
    rate("USD", "2025-08-01", "1.1500")  # August and September convert; July still has no rate
    assert package_rows()["EUR"] is None, "a month without a rate leaves the sum unknown"
    assert rollup.differences() == []
    rate("USD", "2025-07-01", "1.1000")  # now every month converts
    assert package_rows()["EUR"] is not None
    assert rollup.differences() == []
    assert summarize(group_by="package") == summarize(group_by="package", use_rollup=False)
