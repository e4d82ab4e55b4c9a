"""The reference rows a summary reads by fixed SQL (aid.reference_rows): the codes held, the names."""

from django.utils import translation

from aid.models import Donor, Programme
from aid.reference_rows import existing_codes, names
from tests.builders import donor


def test_existing_codes_are_those_the_table_holds(db):
    donor("NL"), donor("DE")
    Donor.objects.filter(code="FR").delete()
    assert existing_codes(Donor, ["NL", "XX", "DE", "FR"]) == {"NL", "DE"}
    assert existing_codes(Donor, ["XX"]) == set()
    assert existing_codes(Donor, []) == set()


def test_names_are_in_the_active_language_and_english_without_a_dutch_one(db):
    Donor.objects.update_or_create(code="NL", defaults={"name_en": "Netherlands", "name_nl": "Nederland"})
    Donor.objects.update_or_create(code="DE", defaults={"name_en": "Germany", "name_nl": ""})
    assert names(Donor, {"NL", "DE", "XX"}) == {"NL": "Netherlands", "DE": "Germany"}
    with translation.override("nl"):
        assert names(Donor, {"NL", "DE"}) == {"NL": "Nederland", "DE": "Germany"}


def test_names_of_programmes_read_their_own_table(db):
    Programme.objects.update_or_create(
        code="PURL", defaults={"name_en": "Prioritised Ukraine Requirements List", "name_nl": "PURL-lijst"}
    )
    with translation.override("nl"):
        assert names(Programme, ["PURL", "NL"]) == {"PURL": "PURL-lijst"}
    assert names(Programme, []) == {}
