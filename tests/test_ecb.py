"""load_ecb_rates: the ECB history file in, re-runs adding only new days."""

import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from ledger.ecb import bundled_history
from ledger.models import ExchangeRate

HISTORY = """Date,USD,JPY,CYP,NOK,
2025-08-04,1.1572,170.58,N/A,11.8345,
2025-08-01,1.1404,170.25,N/A,11.7245,
"""
NEWER = "Date,USD,NOK,\n2025-08-05,1.1546,11.857,\n" + HISTORY.split("\n", 1)[1].replace(",170.58,N/A", "").replace(
    ",170.25,N/A", ""
)


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_it_loads_every_published_rate_and_skips_na_and_legacy_currencies(tmp_path):
    call_command("load_ecb_rates", str(write(tmp_path, "h.csv", HISTORY)))
    assert ExchangeRate.objects.count() == 6  # USD, JPY, NOK on two days; CYP is not ISO 4217 any more
    assert ExchangeRate.objects.get(currency="NOK", day=date(2025, 8, 4)).rate == Decimal("11.8345")


def test_a_rerun_adds_only_new_days_and_changes_nothing_else(tmp_path):
    call_command("load_ecb_rates", str(write(tmp_path, "h.csv", HISTORY)))
    before = {(r.currency, r.day): (r.rate, r.created_at) for r in ExchangeRate.objects.all()}
    call_command("load_ecb_rates", str(write(tmp_path, "n.csv", NEWER)))
    after = {(r.currency, r.day): (r.rate, r.created_at) for r in ExchangeRate.objects.all()}
    assert set(after) - set(before) == {("USD", date(2025, 8, 5)), ("NOK", date(2025, 8, 5))}
    assert all(after[key] == value for key, value in before.items())


def test_it_reads_the_zipped_history(tmp_path):
    path = tmp_path / "eurofxref-hist.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("eurofxref-hist.csv", HISTORY)
    call_command("load_ecb_rates", str(path))
    assert ExchangeRate.objects.count() == 6


@pytest.mark.parametrize(
    "text, message",
    [
        ("Day,USD\n2025-08-04,1.1\n", "line 1 should start with 'Date'"),
        ("Date,USD\n2025-13-04,1.1\n", "line 2, column Date: '2025-13-04' is not a date"),
        ("Date,USD\n2025-08-04,abc\n", "line 2, column USD: 'abc' is not a rate"),
        ("Date,USD\n2025-08-04,-1\n", "line 2, column USD: '-1' is not a rate"),
    ],
)
def test_a_bad_file_is_refused_with_its_line_and_nothing_is_loaded(tmp_path, text, message):
    with pytest.raises(CommandError, match=message):
        call_command("load_ecb_rates", str(write(tmp_path, "bad.csv", text)))
    assert not ExchangeRate.objects.exists()


def test_the_bundled_history_covers_1999_to_october_2026():
    path = bundled_history()
    with zipfile.ZipFile(path) as archive:
        lines = archive.read(archive.namelist()[0]).decode().splitlines()
    assert lines[1].startswith("2026-10-30") and lines[-1].startswith("1999-01-04")
    assert len(lines) - 1 > 7000
