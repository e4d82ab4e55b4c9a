"""Targets the monthly rollup holds on demand (aid.summary.held_targets, rollup.hold/release).

Once a currency is held, its summaries come from the monthly rows and must equal the exact path
after every kind of write: a record saved, edited, deleted, a bulk import, a new rate. The
ledger is tests/test_summary_paths.py's (half cents, JPY, KWD). PostgreSQL only: SQLite keeps no
rollup (its one SQL path is compared in test_summary_sqlite), and the command says so there.
"""

from datetime import date

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from aid import services
from aid.importing import import_ledger
from aid.models import ConvertedTotal, DonorMonthTotal, HeldTarget, PackageTotal, Pledge, ProgrammeMonthTotal
from aid.summary import LedgerFilter, Rates, exact, fast_monthly, held_targets, rollup, summarize
from tests.builders import rate, record, row
from tests.test_import import csv_of
from tests.test_summary_paths import GROUPS, ledger  # noqa: F401 (the fixture)

postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL keeps the monthly rollup")


def answers_alike(currency: str) -> None:
    """Every grouping in `currency` from the rollup (nothing falls back) equals the exact path."""
    for group_by in GROUPS:
        assert fast_monthly.parts(group_by, currency, Rates(), LedgerFilter()) is not None, group_by
        fast = summarize(group_by=group_by, currency=currency)
        assert fast == summarize(group_by=group_by, currency=currency, use_rollup=False), group_by
    assert rollup.differences() == []


@postgresql
def test_a_held_target_is_answered_from_the_monthly_rows(ledger):  # noqa: F811
    assert fast_monthly.parts("donor", "NOK", Rates(), LedgerFilter()) is None  # not held yet
    assert held_targets.hold("NOK")
    assert "NOK" in rollup.fast_targets() and HeldTarget.objects.filter(code="NOK").exists()
    assert ConvertedTotal.objects.filter(target="NOK").count() == ConvertedTotal.objects.filter(target="EUR").count()
    assert DonorMonthTotal.objects.filter(target="NOK").count() == DonorMonthTotal.objects.filter(target="EUR").count()
    programme_rows = ProgrammeMonthTotal.objects.filter
    assert programme_rows(target="NOK").count() == programme_rows(target="EUR").count() > 0
    package_rows = PackageTotal.objects.filter
    assert package_rows(target="NOK").count() == package_rows(target="EUR").count() > 0
    answers_alike("NOK")
    assert not held_targets.hold("NOK"), "held already: nothing to do"


@postgresql
def test_dates_cutting_a_month_read_the_whole_months_of_a_held_target(ledger, monkeypatch):  # noqa: F811
    held_targets.hold("JPY")
    read = []
    monkeypatch.setattr(
        fast_monthly, "transaction_parts", lambda *a, real=fast_monthly.transaction_parts: read.append(a) or real(*a)
    )
    cut = LedgerFilter(date_from=date(2025, 7, 31), date_to=date(2025, 8, 31))  # July cut, August whole
    assert summarize(currency="JPY", ledger_filter=cut) == summarize(
        currency="JPY", ledger_filter=cut, use_rollup=False
    )
    assert read, "August came from the monthly rows"


@postgresql
def test_every_write_keeps_a_held_target(ledger):  # noqa: F811
    held_targets.hold("NOK")
    new = record("pledge", ref="NL-9", donor="NL", amount="777", currency="JPY", date="2025-08-04")
    answers_alike("NOK")
    services.delete_record(Pledge.objects.get(ref="NL-2"), reason="test")
    answers_alike("NOK")
    services.set_status(new, "draft", reason="test")
    answers_alike("NOK")
    report = import_ledger(
        csv_of(
            row("pledge", ref="IMP-1", donor="NO", amount="333.33", currency="USD", date="2025-08-01"),
            row("pledge", ref="IMP-2", donor="NL", amount="12", currency="NOK", date="2025-07-31"),
        )
    )
    assert report.written
    answers_alike("NOK")
    rate("USD", "2025-08-02", "1.1111")  # a rate between two days changes the days after it
    answers_alike("NOK")


@postgresql
def test_a_released_target_is_answered_from_the_daily_totals_again(ledger):  # noqa: F811
    held_targets.hold("NOK")
    assert held_targets.release("NOK")
    assert "NOK" not in rollup.fast_targets()
    assert not ConvertedTotal.objects.filter(target="NOK").exists()
    assert not DonorMonthTotal.objects.filter(target="NOK").exists()
    assert not PackageTotal.objects.filter(target="NOK").exists()
    assert summarize(currency="NOK") == summarize(currency="NOK", use_rollup=False)
    assert not held_targets.release("NOK")


@postgresql
def test_holding_stops_at_the_cap_and_at_a_currency_without_rates(ledger):  # noqa: F811
    assert held_targets.hold("NOK", cap=1)
    assert not held_targets.hold("JPY", cap=1)
    assert not held_targets.hold("CHF"), "no rate into CHF is stored"
    assert rollup.fast_targets() == [*rollup.configured_targets(), "NOK"]


@postgresql
def test_rebuild_and_verify_keep_the_held_targets(ledger):  # noqa: F811
    held_targets.hold("KWD")
    ConvertedTotal.objects.filter(target="KWD").update(converted_minor=1)
    assert rollup.differences(), "verify sees a wrong held row"
    call_command("rebuild_totals")
    assert rollup.differences() == []
    answers_alike("KWD")


@postgresql
def test_the_command_holds_lists_and_releases(ledger, capsys):  # noqa: F811
    call_command("hold_targets", "nok")
    assert "NOK: held" in capsys.readouterr().out
    call_command("hold_targets")
    assert capsys.readouterr().out.strip().endswith("NOK")
    call_command("hold_targets", "NOK", "--release")
    assert "NOK: released" in capsys.readouterr().out
    with pytest.raises(CommandError, match="SUMMARY_FAST_CURRENCIES"):
        call_command("hold_targets", "EUR", "--release")


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite's answer to the command")
def test_the_command_says_sqlite_keeps_no_rollup():
    with pytest.raises(CommandError, match="only PostgreSQL"):
        call_command("hold_targets", "NOK")


@postgresql
@pytest.mark.django_db(transaction=True)  # the holding thread has its own connection: it sees committed rows
def test_a_summary_in_a_target_not_held_starts_holding_it(ledger, settings, client, monkeypatch):  # noqa: F811
    settings.SUMMARY_HOLD_ON_DEMAND = True
    fell_back = []
    exact_parts = exact.parts
    monkeypatch.setattr(exact, "parts", lambda *question: fell_back.append(question) or exact_parts(*question))
    first = client.get("/api/v1/summary/?currency=NOK")
    assert first.status_code == 200
    held_targets.wait(timeout=60)
    assert "NOK" in rollup.fast_targets()
    assert not fell_back, "answered by SQL, the daily totals, then the monthly rows"
    assert fast_monthly.parts("donor", "NOK", Rates(), LedgerFilter()) is not None
    settings.RESPONSE_CACHE = False  # computed again, from the monthly rows now
    second = client.get("/api/v1/summary/?currency=NOK")
    assert second.json() == first.json()
    answers_alike("NOK")


@postgresql
def test_no_holding_past_the_cap_or_when_turned_off(ledger, settings):  # noqa: F811
    settings.SUMMARY_HOLD_ON_DEMAND, settings.SUMMARY_HELD_TARGETS_MAX = True, 0
    summarize(currency="NOK")
    assert held_targets._holding == {}
    settings.SUMMARY_HOLD_ON_DEMAND, settings.SUMMARY_HELD_TARGETS_MAX = False, 4
    summarize(currency="NOK")
    assert held_targets._holding == {}


def write_after_each_build(monkeypatch, builds: list, times: int) -> None:
    """The first `times` builds of a target are followed, once committed, by a write of a record."""
    real = held_targets._build

    def build_then_write(code, cap):
        built_at = real(code, cap)
        if len(builds) < times:
            late = f"NL-LATE-{len(builds)}"
            transaction.on_commit(
                lambda: record("pledge", ref=late, donor="NL", amount="9.99", currency="USD", date="2025-08-01")
            )
        builds.append(built_at)
        return built_at

    monkeypatch.setattr(held_targets, "_build", build_then_write)


@postgresql
@pytest.mark.django_db(transaction=True)  # outside a transaction: built from a snapshot, then marked
def test_a_write_while_a_target_is_built_makes_it_build_again(ledger, monkeypatch):  # noqa: F811
    builds = []
    write_after_each_build(monkeypatch, builds, times=1)
    assert held_targets.hold("NOK")
    assert len(builds) == 2 and builds[0] != builds[1], "built again after the write"
    assert Pledge.objects.filter(ref="NL-LATE-0").exists()
    answers_alike("NOK")


@postgresql
@pytest.mark.django_db(transaction=True)
def test_writes_that_keep_coming_leave_the_target_unheld_and_its_rows_gone(ledger, monkeypatch):  # noqa: F811
    builds = []
    write_after_each_build(monkeypatch, builds, times=held_targets.ATTEMPTS)
    assert not held_targets.hold("NOK")
    assert len(builds) == held_targets.ATTEMPTS
    assert "NOK" not in rollup.fast_targets()
    assert not ConvertedTotal.objects.filter(target="NOK").exists()
    assert not DonorMonthTotal.objects.filter(target="NOK").exists()
    assert rollup.differences() == []


@postgresql
@pytest.mark.django_db(transaction=True)
def test_one_builder_at_a_time(ledger):  # noqa: F811
    other = psycopg.connect(**connection.get_connection_params())
    try:
        other.execute("SELECT pg_advisory_lock(%s, hashtext('NOK'))", [held_targets.HOLDING_LOCK])
        assert not held_targets.hold("NOK"), "another session builds NOK"
        assert not ConvertedTotal.objects.filter(target="NOK").exists()
        # Released as the other builder's finally does; a closed connection's backend lets go of
        # its locks only when it has exited, a moment after close() returns (CI saw it still held).
        other.execute("SELECT pg_advisory_unlock(%s, hashtext('NOK'))", [held_targets.HOLDING_LOCK])
    finally:
        other.close()
    assert held_targets.hold("NOK")
