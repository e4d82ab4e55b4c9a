"""The published ledger CSV from stored blocks (aid.export_blocks) is what COPY writes now,
after any write to what the blocks show: the triggers of migration 0027 forget the blocks."""

import threading
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction

from aid import export_blocks
from aid.export_blocks import stored_ledger_csv
from aid.export_copy import KINDS, _copied, ledger_rows_sql
from aid.importing import import_ledger
from aid.models import Delivery, Donor, ExportBlock, Package, Pledge, Programme, Source, Valuation
from aid.services import delete_record, set_status
from tests.test_export_copy import odd_ledger, python_csv  # noqa: F401 (a fixture)
from tests.test_round_trip import HEADER

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only: SQLite's export is written by Python (aid.export)"
)


def live_csv() -> bytes:
    """The published ledger straight from COPY, no block read."""
    return b"".join(_copied((ledger_rows_sql(kind, published_only=True), []) for kind in KINDS))


def stored_csv() -> bytes:
    return b"".join(stored_ledger_csv())


def _source(url: str) -> Source:
    return Source.objects.get(url=url)


WRITES = {
    "a pledge's description": lambda: Pledge.objects.filter(ref="NO-P1").update(description="edited, with a comma"),
    "a pledge unpublished (its valuation leaves, its delivery hides its ref)": lambda: set_status(
        Pledge.objects.get(ref="NL-P1"), "draft"
    ),
    "a draft pledge published (its delivery shows its ref)": lambda: set_status(
        Pledge.objects.get(ref="NL-DRAFT"), "published"
    ),
    "a pledge's ref (its valuation and delivery show it)": lambda: Pledge.objects.filter(ref="NL-P1").update(
        ref="NL-P1-RENAMED"
    ),
    "a pledge's donor (its valuation shows it)": lambda: Pledge.objects.filter(ref="NL-P1").update(
        donor=Donor.objects.get(code="DE")
    ),
    "a source's title": lambda: Source.objects.filter(url="https://a.example.org/nato").update(title="NATO, renamed"),
    "a source's url (its records' sources sort again)": lambda: Source.objects.filter(
        url="https://c.example.org/news"
    ).update(url="https://0.example.org/news"),
    "a source unlinked": lambda: Pledge.objects.get(ref="NL-P1").sources.remove(_source("https://c.example.org/news")),
    "a source linked": lambda: Delivery.objects.get(ref="DE-D1").sources.add(_source("https://b.example.org/no")),
    "a donor's code": lambda: Donor.objects.filter(code="NO").update(code="NX"),
    "a programme's code": lambda: Programme.objects.filter(code="PURL").update(code="PURL2"),
    "a package's code": lambda: Package.objects.filter(code="PURL-1").update(code="PURL-1B"),
    "a delivery's pledge": lambda: Delivery.objects.filter(ref="DE-D1").update(pledge=Pledge.objects.get(ref="NL-P1")),
    "a valuation's amount": lambda: Valuation.objects.filter(ref="NL-P1-USD").update(amount_minor=123),
    "a delivery deleted": lambda: delete_record(Delivery.objects.get(ref="NL-D1")),
    "new records imported": lambda: import_ledger(
        HEADER + "\npledge,NL-P9,NL,BILATERAL,,,2025-09-09,7,EUR,exact,,https://e.example.org/new,New,,\n"
    ),
}


@pytest.fixture(params=[None, 3], ids=["blocks as configured", "blocks of 3 ids"])
def block_ids(request):
    """The database's block size (one block per kind here), or 3 ids: many blocks, so that the
    first export writes them all from one COPY per kind (export_blocks._store_all) and a write
    forgets some of them only. The size is the database's own function, which the triggers and
    the export both read (replaced in the test's transaction, rolled back after it)."""
    if request.param:
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE OR REPLACE FUNCTION aid_export_block_ids() RETURNS bigint IMMUTABLE LANGUAGE sql "
                f"AS 'SELECT {int(request.param)}::bigint'"
            )
    return request.param


@pytest.mark.parametrize("write", list(WRITES), ids=list(WRITES))
def test_after_a_write_the_stored_export_is_what_copy_writes_now(odd_ledger, block_ids, write):  # noqa: F811
    before = stored_csv()
    assert before == live_csv()
    blocks = ExportBlock.objects.count()
    assert blocks > (5 if block_ids else 0)
    WRITES[write]()
    after = live_csv()
    assert after != before  # the write shows in the CSV
    assert stored_csv() == after == python_csv(published_only=True)


def test_a_second_export_reads_the_stored_blocks_only(odd_ledger, monkeypatch):  # noqa: F811
    first = stored_csv()
    assert first == python_csv(published_only=True)

    def no_writing(*args, **kwargs):
        raise AssertionError("a block was written again")

    monkeypatch.setattr(export_blocks, "copied_rows", no_writing)
    assert stored_csv() == first


def test_a_write_of_what_the_csv_does_not_show_keeps_the_blocks(odd_ledger):  # noqa: F811
    stored_csv()
    blocks = ExportBlock.objects.count()
    Pledge.objects.update(delivered_minor=1, deliveries_count=5)  # derived figures, not in the CSV
    Source.objects.update(publisher="someone")
    assert ExportBlock.objects.count() == blocks


def test_a_block_written_by_other_sql_is_written_again(odd_ledger):  # noqa: F811
    expected = stored_csv()
    ExportBlock.objects.update(recipe="0" * 40, csv=b"stale,bytes\r\n")
    assert stored_csv() == expected
    assert not ExportBlock.objects.filter(recipe="0" * 40).exists()


def test_a_block_missing_from_the_snapshot_is_written_from_it(odd_ledger, monkeypatch):  # noqa: F811
    """A write between storing the blocks and reading them: that block is written in the read."""
    monkeypatch.setattr(export_blocks, "_store_missing", lambda *args: None)
    assert stored_csv() == live_csv() == python_csv(published_only=True)
    assert not ExportBlock.objects.exists()


def test_truncating_a_table_forgets_every_block(odd_ledger):  # noqa: F811
    stored_csv()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's transaction defers the foreign keys
        cursor.execute("TRUNCATE aid_delivery_sources")
    assert not ExportBlock.objects.exists()
    assert stored_csv() == live_csv()


@pytest.mark.django_db(transaction=True)  # the writer's thread has its own connection
def test_a_block_is_stored_from_committed_records_only(odd_ledger):  # noqa: F811
    """A writer in flight when the export stores a block: the export waits for its commit, or
    it would store the block as it was, and the writer's trigger, run already, not forget it."""
    ExportBlock.objects.all().delete()
    written = threading.Event()

    def writer():
        try:
            with transaction.atomic():
                Pledge.objects.filter(ref="NO-P1").update(description="written while the export stores")
                written.set()
                time.sleep(1)  # the export starts meanwhile
        finally:
            connections.close_all()  # this thread's own connection

    thread = threading.Thread(target=writer)
    thread.start()
    assert written.wait(30)
    exported = stored_csv()
    thread.join(30)
    assert b"written while the export stores" in exported
    assert stored_csv() == live_csv()


def test_verify_names_a_block_a_write_around_the_triggers_left_and_deletes_it(odd_ledger):  # noqa: F811
    expected = stored_csv()
    call_command("rebuild_totals", "--verify", stdout=StringIO())  # every block as COPY writes it
    with connection.cursor() as cursor:  # a write the triggers do not see, as a restore without them would be
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("UPDATE aid_pledge SET description = 'changed behind the triggers' WHERE ref = 'NO-P1'")
        cursor.execute("SET session_replication_role = DEFAULT")
    assert stored_csv() == expected  # the stale block is read
    errors = StringIO()
    with pytest.raises(CommandError, match="1 total"):
        call_command("rebuild_totals", "--verify", stdout=StringIO(), stderr=errors)
    assert "export block of pledges" in errors.getvalue()
    assert b"changed behind the triggers" in stored_csv() == live_csv()
