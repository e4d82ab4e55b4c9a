"""Package.labels: many packages' labels in one query, by the rule of Package.label."""

import pytest
from django.utils import translation

from aid.models import Package, Programme


@pytest.fixture
def packages(db):
    programme = Programme.objects.create(code="PURL", name_en="PURL")
    Package.objects.bulk_create(
        Package(programme=programme, code=f"P-{n}", name_en=f"Package {n}" if n % 3 else "", name_nl=f"Pakket {n}" if n % 2 else "")
        for n in range(400)
    )  # fmt: skip
    return Package.objects.all()


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("asked", [12, 301], ids=["a few (a list of codes)", "many (every package read)"])
def test_the_labels_of_many_packages_are_each_packages_label(packages, language, asked):
    codes = [f"P-{n}" for n in range(asked)] + ["NOT-A-PACKAGE"]
    with translation.override(language):
        expected = {package.code: package.label for package in packages.filter(code__in=codes)}
        assert Package.labels(codes) == expected
    assert len(expected) == asked
    assert any(label.startswith("Pakket" if language == "nl" else "Package") for label in expected.values())
    assert "P-0" in expected and expected["P-0"] == "P-0"  # no name in either language: the code
