"""The stored qualifier counts (aid.summary.qualified) follow every write, and the charts read the
same counts from them as from the records."""

import importlib
from datetime import date
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aid.charts import selectors
from aid.importing import import_ledger
from aid.models import Pledge, QualifiedCount, Status
from aid.services import delete_record, set_status
from aid.summary import LedgerFilter
from aid.summary import qualified as summary_qualified
from tests.builders import rate, record

pytestmark = pytest.mark.django_db(transaction=False)

HEADER = (
    "record,ref,donor,programme,package,pledge_ref,date,amount,currency,amount_qualifier,description,"
    "source_url,source_title,confidence,source_kind\n"
)


def stored() -> set[tuple]:
    return set(
        QualifiedCount.objects.values_list(
            "kind", "status", "donor", "programme", "package", "currency", "month", "qualifier", "records"
        )
    )


def a_ledger() -> None:
    """Qualified, exact and undisclosed amounts over two donors, programmes, currencies and months."""
    rate("USD", "2024-12-31", "1.0389")
    record(ref="NL-1", amount=100, amount_qualifier="approx", package="PKG-A", date="2025-03-03")
    record(ref="NL-2", amount=50, amount_qualifier="approx", package="PKG-A", date="2025-03-20")
    record(ref="NL-3", amount=70, amount_qualifier="at_least", programme="BILATERAL", date="2025-04-01")
    record(ref="NL-4", amount=10, date="2025-04-02")  # exact: not counted
    record(ref="NL-5", amount="", currency="", amount_qualifier="approx", date="2025-04-03")  # undisclosed
    record(ref="DE-1", donor="DE", amount=200, currency="USD", amount_qualifier="at_least", date="2024-12-31")
    record("delivery", ref="NL-D1", pledge_ref="NL-1", amount=20, amount_qualifier="approx", date="2025-05-06")
    record("delivery", ref="DE-D1", donor="DE", amount=5, amount_qualifier="approx", date="2025-05-07")


def test_the_counts_follow_saves_edits_status_changes_deletions_and_imports():
    a_ledger()
    assert stored() == {
        ("pledge", "published", "NL", "PURL", "PKG-A", "EUR", date(2025, 3, 1), "approx", 2),
        ("pledge", "published", "NL", "BILATERAL", "", "EUR", date(2025, 4, 1), "at_least", 1),
        ("pledge", "published", "DE", "PURL", "", "USD", date(2024, 12, 1), "at_least", 1),
        ("delivery", "published", "NL", "PURL", "", "EUR", date(2025, 5, 1), "approx", 1),
        ("delivery", "published", "DE", "PURL", "", "EUR", date(2025, 5, 1), "approx", 1),
    }
    record(ref="NL-2", amount=50, amount_qualifier="exact", package="PKG-A", date="2025-03-20")  # qualifier only
    record(ref="NL-4", amount=10, amount_qualifier="at_least", date="2025-06-02")  # now counted, another month
    set_status(Pledge.objects.get(ref="DE-1"), Status.DRAFT)
    delete_record(Pledge.objects.get(ref="NL-3"))
    report = import_ledger(
        HEADER
        + "pledge,PL-1,PL,PURL,,,2025-06-09,30,EUR,approx,,https://example.org/pl,,,\n"
        + "pledge,PL-2,PL,PURL,,,2025-06-10,40,EUR,approx,,https://example.org/pl,,,\n"
        + "pledge,PL-3,PL,PURL,,,2025-06-11,45,EUR,,,https://example.org/pl,,,\n"
        + "delivery,PL-D1,PL,PURL,,PL-1,2025-07-01,,,approx,,https://example.org/pl,,,\n"
        + "pledge,NL-6,NL,PURL,,,2025-06-12,5,EUR,at_least,,https://example.org/nl,,,\n"
    )
    assert report.ok, report.problems
    assert stored() == {
        ("pledge", "published", "NL", "PURL", "PKG-A", "EUR", date(2025, 3, 1), "approx", 1),
        ("pledge", "published", "NL", "PURL", "", "EUR", date(2025, 6, 1), "at_least", 2),
        ("pledge", "draft", "DE", "PURL", "", "USD", date(2024, 12, 1), "at_least", 1),
        ("pledge", "published", "PL", "PURL", "", "EUR", date(2025, 6, 1), "approx", 2),
        ("delivery", "published", "NL", "PURL", "", "EUR", date(2025, 5, 1), "approx", 1),
        ("delivery", "published", "DE", "PURL", "", "EUR", date(2025, 5, 1), "approx", 1),
    }
    assert summary_qualified.differences() == []


def test_an_import_adds_to_the_counts_already_stored():
    record(ref="NL-1", amount=100, amount_qualifier="approx", date="2025-03-03")
    report = import_ledger(HEADER + "pledge,NL-9,NL,PURL,,,2025-03-30,1,EUR,approx,,https://example.org/nl,,,\n")
    assert report.ok, report.problems
    assert stored() == {("pledge", "published", "NL", "PURL", "", "EUR", date(2025, 3, 1), "approx", 2)}


FILTERS = {
    "everything": LedgerFilter(),
    "a donor": LedgerFilter(donors=("NL",)),
    "whole months": LedgerFilter(date_from=date(2025, 3, 1), date_to=date(2025, 4, 30)),
    "a programme": LedgerFilter(programmes=("PURL",)),
    "a package": LedgerFilter(packages=("PKG-A",)),
    "an original currency": LedgerFilter(original_currencies=("USD",)),
    "drafts": LedgerFilter(status=Status.DRAFT),
}


@pytest.mark.parametrize("name", FILTERS)
@pytest.mark.parametrize(
    "group_by, by_donor",
    [("donor", False), ("programme", False), ("package", False), ("year", False), ("month", False),
     ("package", True), ("month", True)],
)  # fmt: skip
def test_the_charts_count_the_same_from_the_stored_counts_as_from_the_records(name, group_by, by_donor):
    a_ledger()
    record(ref="NL-7", amount=8, amount_qualifier="approx", date="2025-03-09", status=Status.DRAFT)
    ledger_filter = FILTERS[name]
    assert summary_qualified.answers(ledger_filter)
    from_counts = summary_qualified.counts(group_by, ledger_filter, by_donor=by_donor)
    from_records = selectors.qualified_from_records(group_by, ledger_filter, by_donor=by_donor)
    assert from_counts == from_records
    assert dict(selectors.qualified(group_by, ledger_filter, by_donor=by_donor)) == dict(from_records)
    if name == "everything" and group_by == "donor":  # not two empty answers
        assert from_counts[("NL", "pledge")] == {"approx": 2, "at_least": 1}


def test_dates_cutting_a_month_are_counted_from_the_records():
    a_ledger()
    cut = LedgerFilter(date_from=date(2025, 3, 10), date_to=date(2025, 4, 30))
    assert not summary_qualified.answers(cut)
    assert selectors.qualified("donor", cut)[("NL", "pledge")] == {"approx": 1, "at_least": 1}
    assert not summary_qualified.answers(LedgerFilter(confidences=("high",)))


def test_verify_notices_a_count_that_drifted_and_rebuild_mends_it(capsys):
    a_ledger()
    QualifiedCount.objects.filter(donor="DE").delete()
    QualifiedCount.objects.filter(kind="delivery").update(records=7)
    problems = summary_qualified.differences()
    assert len(problems) == 3 and all(problem.startswith("qualified count ") for problem in problems)
    with pytest.raises(CommandError, match="3 total"):
        call_command("rebuild_totals", "--verify")
    call_command("rebuild_totals")
    assert summary_qualified.differences() == []
    assert ("pledge", "published", "DE", "PURL", "", "USD", date(2024, 12, 1), "at_least", 1) in stored()


def test_the_migration_counts_the_records_already_stored():
    a_ledger()
    expected = stored()
    QualifiedCount.objects.all().delete()
    migration = importlib.import_module("aid.migrations.0021_qualified_counts")
    migration.fill(apps, SimpleNamespace(connection=connection))  # the schema editor's part fill uses
    assert stored() == expected


def test_the_overview_reads_no_record_for_its_qualifier_counts(client):
    a_ledger()
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/")
    assert page.status_code == 200
    assert "includes 1 “at least” amount, 2 approximate amounts" in page.content.decode()  # NL's pledges
    scans = [q["sql"] for q in queries.captured_queries if "amount_qualifier" in q["sql"]]
    assert scans == []
