"""Every ISO 3166-1 country and the EU are donors from the migrations on: no donor is entered first."""

import csv
import io

import pytest
from django.core.management import call_command

from aid.countries import add_missing_donors
from aid.importing import import_ledger
from aid.models import Donor, Pledge
from aid.rules import COLUMNS
from tests.builders import row

TEN_NEVER_ENTERED = ["AT", "CZ", "FR", "IE", "IT", "JP", "KR", "LU", "RO", "UA"]


def ledger_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_the_migrations_hold_every_country_with_english_and_dutch_names(db):
    assert Donor.objects.count() == 250
    names = dict(Donor.objects.values_list("code", "name_nl"))
    assert (names["NL"], names["UA"], names["KR"], names["EU"]) == (
        "Nederland", "Oekraïne", "Zuid-Korea", "Europese Unie (instellingen)",
    )  # fmt: skip
    assert Donor.objects.get(code="KR").name_en == "South Korea"


def test_eu_and_nato_membership_is_seeded_with_the_year_joined(db):
    assert Donor.objects.filter(eu_member=True).count() == 27
    assert Donor.objects.filter(nato_member=True).count() == 32
    assert Donor.objects.filter(nato_member=True, nato_joined=None).count() == 0
    joined = dict(Donor.objects.filter(nato_member=True).values_list("code", "nato_joined"))
    assert (joined["US"], joined["DE"], joined["FI"], joined["SE"]) == (1949, 1955, 2023, 2024)
    eu, norway = Donor.objects.get(code="EU"), Donor.objects.get(code="NO")
    assert (eu.eu_member, eu.nato_member, norway.eu_member, norway.nato_member) == (False, False, False, True)


def test_a_fresh_database_imports_a_csv_naming_ten_donors_never_entered(db):
    rows = [row("pledge", ref=f"{code}-1", donor=code, amount="1000") for code in TEN_NEVER_ENTERED]
    report = import_ledger(ledger_csv(rows))
    assert report.ok, report.problems
    assert sorted(Pledge.objects.values_list("donor__code", flat=True)) == TEN_NEVER_ENTERED


@pytest.mark.parametrize(
    "code, reason",
    [
        ("XX", "'XX': not an ISO 3166-1 alpha-2 country code nor EU"),
        ("UK", "'UK': not an ISO 3166-1 alpha-2 country code nor EU (for this country use GB)"),
    ],
)
def test_a_code_outside_iso_3166_is_an_error_naming_line_and_column(db, code, reason):
    rows = [row("pledge", ref="NL-1", donor="NL"), row("pledge", ref="X-1", donor=code)]
    report = import_ledger(ledger_csv(rows))
    assert report.problems == [f"line 3, column donor: {reason}"]
    assert not Pledge.objects.exists()


def test_seeding_again_adds_nothing_and_keeps_an_edited_donor(db):
    Donor.objects.filter(code="NL").update(name_en="The Netherlands")
    assert add_missing_donors(Donor) == 0
    assert Donor.objects.count() == 250 and Donor.objects.get(code="NL").name_en == "The Netherlands"


def test_load_seed_creates_no_donor(db):
    call_command("load_seed", verbosity=0)
    assert Donor.objects.count() == 250
