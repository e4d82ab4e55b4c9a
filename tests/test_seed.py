"""The curated seed data loads, twice without change, and keeps its valuations apart."""

from decimal import Decimal

from django.utils import translation

from aid.models import Package, Pledge, Source
from aid.seed import load_seed
from aid.summary import LedgerFilter, summarize
from tests.builders import rate


def test_the_seed_loads_and_loading_again_changes_nothing():
    first = load_seed()
    assert first.ok and first.refs("created")
    again = load_seed()
    assert again.refs("created") == [] and again.refs("updated") == []


def test_the_dutch_first_package_is_one_pledge_with_a_usd_valuation():
    load_seed()
    pledge = Pledge.objects.get(package__code="PURL-1", donor__code="NL")
    assert (pledge.amount, pledge.currency) == (Decimal("500000000.00"), "EUR")
    assert list(pledge.valuations.values_list("amount_minor", "currency")) == [(57800000000, "USD")]


def test_valuations_and_package_totals_are_never_added_to_totals():
    for currency, value in (("USD", "1.1546"), ("DKK", "7.4632"), ("NOK", "11.857")):
        rate(currency, "2025-08-05", value)  # ECB reference rates of 5 August 2025
    load_seed()
    nordic = Package.objects.get(code="PURL-2")
    assert (nordic.amount, nordic.currency) == (Decimal("500000000.00"), "USD")
    summary = summarize(group_by="donor", ledger_filter=LedgerFilter(packages=("PURL-2",)))
    # Each share at its day's rate, rounded: SE USD 275m, DK DKK 580m, NO NOK 1.5bn.
    expected = {"SE": Decimal("238177723.89"), "DK": Decimal("77714653.23"), "NO": Decimal("126507548.28")}
    assert {g.key: g.pledged for g in summary.groups} == expected
    assert summary.total.pledged == sum(expected.values())


def test_every_seed_record_carries_its_confidence_and_its_sources_kind():
    load_seed()
    pledges = Pledge.objects.prefetch_related("sources")
    assert pledges.count() == 46
    assert not pledges.filter(confidence="").exists()
    assert {source.kind for pledge in pledges for source in pledge.sources.all()} <= {"official", "media", "secondary"}
    assert not Source.objects.filter(pledge__isnull=False, kind="").exists()
    # Research row PURL-030 (a weekly summary, low confidence) stays low; the Dutch release is official.
    assert Pledge.objects.get(ref="NL-PURL-2025-08-04").sources.get().kind == "official"


def test_packages_have_english_and_dutch_names_and_descriptions():
    load_seed()
    packages = Package.objects.all()
    assert packages.count() == 7
    assert all(p.name_en and p.name_nl and p.description_en and p.description_nl for p in packages)
    nordic = Package.objects.get(code="PURL-2")
    with translation.override("nl"):
        assert nordic.name == "PURL-pakket 2 (gezamenlijk Noords: Denemarken, Noorwegen, Zweden)"
        assert nordic.description.startswith("Zweden, Noorwegen en Denemarken")
    with translation.override("en"):
        assert nordic.name == "PURL package 2 (joint Nordic: Denmark, Norway, Sweden)"
