"""SPEC §5: an amount in the target currency needs no rate; stored figures follow the rates."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from aid.importing import import_ledger
from aid.models import Delivery, Pledge
from aid.services import delete_record
from aid.summary import Rates, summarize, totals
from ledger.models import ExchangeRate
from ledger.services import delete_rates, load_ecb_history
from tests.builders import donor, rate, record
from tests.test_import import csv_of, row


def delivered(ref: str = "P") -> Decimal:
    return Pledge.objects.get(ref=ref).delivered


def test_a_uah_delivery_against_a_uah_pledge_saves_without_a_uah_rate():
    record("pledge", ref="P", amount="1000", currency="UAH")
    record("delivery", ref="D", pledge_ref="P", amount="250", currency="UAH", date="2025-09-01")
    assert delivered() == Decimal("250.00")


@pytest.mark.parametrize("use_rollup", [True, False], ids=["fast path", "exact path"])
def test_a_usd_summary_of_usd_records_needs_no_usd_rate(use_rollup):
    record("pledge", ref="P", amount="1000.10", currency="USD")
    record("delivery", ref="D", pledge_ref="P", amount="250.05", currency="USD", date="2025-09-01")
    for rates in (Rates(), Rates("latest"), Rates("day", date(2025, 9, 1))):
        summary = summarize(currency="USD", rates=rates, use_rollup=use_rollup)
        assert (summary.total.pledged, summary.total.delivered) == (Decimal("1000.10"), Decimal("250.05"))
        assert summary.rates_used == []


def test_a_summary_discloses_no_rate_for_amounts_already_in_its_currency():
    rate("USD", "2025-08-01", "1.25")
    record("pledge", ref="P", amount="1000", currency="USD")
    record("pledge", ref="Q", amount="100", currency="EUR")
    for use_rollup in (True, False):
        summary = summarize(currency="USD", use_rollup=use_rollup)
        assert summary.total.pledged == Decimal("1125.00")
        assert [(u["currency"], u["rate_date"]) for u in summary.rates_used] == [("USD", "2025-08-01")]


def test_a_rate_entered_after_a_delivery_changes_the_pledges_delivered_figure():
    rate("USD", "2025-09-01", "1.25")
    record("pledge", ref="P", amount="1000")
    record("delivery", ref="D", pledge_ref="P", amount="100", currency="USD", date="2025-09-05")
    assert delivered() == Decimal("80.00")
    rate("USD", "2025-09-04", "2")  # a publication nearer the delivery's day
    assert delivered() == Decimal("50.00")
    assert totals.differences() == []


def test_a_manual_rate_for_the_pledges_currency_changes_its_delivered_figure():
    rate("UAH", "2025-09-01", "50")
    record("pledge", ref="P", amount="10000", currency="UAH")
    record("delivery", ref="D", pledge_ref="P", amount="100", currency="EUR", date="2025-09-05")
    assert delivered() == Decimal("5000.00")
    rate("UAH", "2025-09-05", "48.5")
    assert delivered() == Decimal("4850.00")


def test_a_newer_ecb_file_changes_the_pledges_delivered_figure(tmp_path):
    rate("USD", "2025-09-01", "1.25")
    record("pledge", ref="P", amount="1000")
    record("delivery", ref="D", pledge_ref="P", amount="100", currency="USD", date="2025-09-05")
    history = tmp_path / "eurofxref-hist.csv"
    history.write_text("Date,USD,\n2025-09-05,1.0000,\n2025-09-01,1.2000,\n")
    load_ecb_history(history)
    assert delivered() == Decimal("100.00")
    call_command("rebuild_totals", "--verify")


def test_verify_finds_a_pledges_delivered_figure_that_disagrees():
    record("pledge", ref="P", amount="1000")
    record("delivery", ref="D", pledge_ref="P", amount="100", date="2025-09-05")
    Pledge.objects.filter(ref="P").update(delivered_minor=1)
    with pytest.raises(CommandError, match="differ"):
        call_command("rebuild_totals", "--verify")
    call_command("rebuild_totals")
    assert delivered() == Decimal("100.00")
    call_command("rebuild_totals", "--verify")


def test_deleting_a_stale_copy_removes_what_is_stored():
    record("pledge", ref="P", amount="1000")
    stale_copy = record("delivery", ref="D", pledge_ref="P", amount="100", date="2025-09-05")
    record("delivery", ref="D", pledge_ref="P", amount="300", date="2025-09-06")
    delete_record(stale_copy)
    assert not Delivery.objects.filter(ref="D").exists()
    assert delivered() is None  # no delivery left: unknown, not zero
    assert totals.differences() == []


def test_a_problem_found_only_while_writing_is_reported_with_its_line_and_nothing_is_written():
    donor("NL")
    data = csv_of(
        row("pledge", ref="P", amount="1000", currency="UAH"),
        row("delivery", ref="D", pledge_ref="P", amount="10", currency="USD", date="2025-09-01"),
    )
    report = import_ledger(data)
    assert report.problems == [
        "line 3, column currency: 'USD': no exchange rate for USD on or before 2025-09-01",
    ]
    assert not report.written
    assert not Pledge.objects.exists() and not Delivery.objects.exists()


def test_the_import_command_exits_non_zero_on_a_write_time_problem(tmp_path, capsys):
    donor("NL")
    path = tmp_path / "ledger.csv"
    path.write_text(
        csv_of(
            row("pledge", ref="P", amount="1000", currency="UAH"),
            row("delivery", ref="D", pledge_ref="P", amount="10", currency="USD", date="2025-09-01"),
        )
    )
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_ledger", str(path))
    assert "line 3, column currency: 'USD': no exchange rate for USD" in capsys.readouterr().err


def test_a_same_currency_ledger_imports_without_any_rate():
    donor("NL")
    data = csv_of(
        row("pledge", ref="P", amount="1000", currency="UAH"),
        row("delivery", ref="D", pledge_ref="P", amount="10", currency="UAH", date="2025-09-01"),
    )
    assert import_ledger(data).problems == []
    assert delivered() == Decimal("10.00")


def test_deleting_a_manual_rate_recomputes_the_figures_that_used_it():
    rate("UAH", "2025-09-01", "50")
    newer = rate("UAH", "2025-09-05", "40")
    record("pledge", ref="P", amount="10000", currency="UAH")
    record("delivery", ref="D", pledge_ref="P", amount="100", currency="EUR", date="2025-09-05")
    assert delivered() == Decimal("4000.00")
    delete_rates(ExchangeRate.objects.filter(pk=newer.pk))
    assert delivered() == Decimal("5000.00")


def test_deleting_the_only_rate_a_delivery_needs_is_refused():
    only = rate("UAH", "2025-09-01", "50")
    record("pledge", ref="P", amount="10000", currency="UAH")
    record("delivery", ref="D", pledge_ref="P", amount="100", currency="EUR", date="2025-09-05")
    with pytest.raises(ValidationError, match="no exchange rate for UAH"):
        delete_rates(ExchangeRate.objects.filter(pk=only.pk))
    assert ExchangeRate.objects.filter(pk=only.pk).exists()
    assert delivered() == Decimal("5000.00")
