"""Every write to what the public sees moves the ledger version, inside its own transaction."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction

from aid import services
from aid.importing import import_ledger
from aid.models import Donor, Pledge, Status
from aid.serving import version
from ledger.models import ExchangeRate
from ledger.services import delete_rates, load_ecb_rates
from tests.builders import record

CSV = (
    "record,ref,donor,programme,package,pledge_ref,date,amount,currency,amount_qualifier,description,source_url,source_title\n"
    "pledge,NL-IMP-1,NL,PURL,,,2025-08-05,5,EUR,,,https://example.org/s,\n"
)


def number() -> int:
    return version.current()[0]


def moves(write) -> bool:
    before = version.current()
    write()
    return version.current() != before


def test_saving_a_record_moves_the_version(ledger):
    assert moves(lambda: record(ref="NL-P2", donor="NL", date="2025-08-04", amount="7"))


def test_publishing_and_deleting_move_it(ledger):
    assert moves(lambda: services.set_status(ledger, Status.DRAFT))
    assert moves(lambda: services.delete_record(Pledge.objects.get(ref="NL-P1")))


def test_a_bulk_import_moves_it_and_a_dry_run_does_not(ledger):
    assert not moves(lambda: import_ledger(CSV, dry_run=True))
    assert moves(lambda: import_ledger(CSV))


def test_a_new_rate_day_moves_it_and_a_removed_rate_too(ledger):
    assert moves(lambda: load_ecb_rates([("USD", date(2025, 8, 5), Decimal("1.17"))]))
    assert moves(lambda: delete_rates(ExchangeRate.objects.filter(currency="USD")))


def test_an_edit_of_a_reference_table_moves_it(ledger):
    netherlands = Donor.objects.get(code="NL")
    netherlands.name_nl = "Nederland"
    assert moves(netherlands.save)


def test_rebuilding_the_totals_moves_it(ledger):
    assert moves(lambda: call_command("rebuild_totals", stdout=io.StringIO()))


def test_a_rolled_back_write_leaves_it_where_it_was(ledger):
    before = number()
    with pytest.raises(RuntimeError), transaction.atomic():
        record(ref="NL-P3", donor="NL", date="2025-08-04", amount="7")
        raise RuntimeError("roll back")
    assert number() == before
