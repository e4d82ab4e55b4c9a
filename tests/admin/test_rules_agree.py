"""Every validation rule refuses the same record in the admin form and in the CSV import, with
the same words, and neither saves anything."""

import pytest

from aid.importing import import_ledger
from aid.models import Delivery, Pledge, Programme, Status
from tests.admin.conftest import management, pledge_post
from tests.builders import SOURCE, record, row
from tests.test_import import csv_of

PLEDGE_CASES = [
    # (what the researcher types, ledger CSV column, form field)
    ({"currency": "EUX"}, "currency", "currency"),
    ({"amount": "-5"}, "amount", "amount"),
    ({"currency": ""}, "currency", "currency"),
    ({"amount": ""}, "currency", "currency"),
    ({"amount": "1.234"}, "amount", "amount"),
    ({"amount": "12.5", "currency": "JPY"}, "amount", "amount"),
    ({"amount": "1,000"}, "amount", "amount"),
    ({"date": "2999-01-01"}, "date", "date"),
    ({"sources": []}, "source_url", "sources"),
]


def form_errors(response, field: str) -> list[str]:
    assert response.status_code == 200, "the form was accepted"
    return response.context["adminform"].form.errors.get(field, [])


def import_problem(csv_row: dict, column: str) -> str:
    """The import's one problem with `column`, as `line N, column C: value: reason`."""
    report = import_ledger(csv_of(csv_row), dry_run=True)
    assert not report.ok
    [problem] = [p for p in report.problems if f"column {column}:" in p]
    return problem


def assert_same_reason(form_errors: list[str], problem: str) -> None:
    [reason] = form_errors
    assert problem.endswith(f": {reason}"), (reason, problem)


def as_csv(form_values: dict) -> dict:
    values = {k: v for k, v in form_values.items() if k != "sources"}
    if "sources" in form_values and not form_values["sources"]:
        values["source_url"] = ""
    return values


@pytest.mark.parametrize("typed, column, field", PLEDGE_CASES)
def test_the_pledge_form_and_the_import_refuse_alike(as_researcher, typed, column, field):
    response = as_researcher.post("/admin/aid/pledge/add/", pledge_post(ref="NL-X", **typed))
    problem = import_problem(row("pledge", ref="NL-X", **as_csv(typed)), column)
    assert_same_reason(form_errors(response, field), problem)
    assert not Pledge.objects.exists()


def delivery_post(pledge, **fields) -> dict:
    programme = Programme.objects.get(code="PURL")
    data = {
        "ref": "NL-D1", "pledge": str(pledge.pk), "donor": str(pledge.donor_id), "programme": str(programme.pk),
        "package": "", "date": "2025-09-01", "amount": "100", "currency": "EUR", "amount_qualifier": "exact",
        "description": "", "sources": [str(pledge.sources.get().pk)], "status": "draft", "reason": "", "version": "",
    }  # fmt: skip
    data.update(fields)
    return data


@pytest.fixture
def pledge():
    record("pledge", ref="NO-1", donor="NO")
    return record("pledge", ref="NL-1")


def test_a_delivery_for_another_donors_pledge_is_refused_alike(as_researcher, pledge):
    norway = Pledge.objects.get(ref="NO-1").donor_id
    response = as_researcher.post("/admin/aid/delivery/add/", delivery_post(pledge, donor=str(norway)))
    problem = import_problem(row("delivery", ref="NL-D1", donor="NO", pledge_ref="NL-1"), "donor")
    assert form_errors(response, "donor") == ["differs from the donor of pledge NL-1 (NL)"]
    assert_same_reason(form_errors(response, "donor"), problem)
    assert not Delivery.objects.exists()


def test_a_delivery_in_another_programme_is_refused_alike(as_researcher, pledge):
    epf = Programme.objects.create(code="EPF", name_en="EPF")
    response = as_researcher.post("/admin/aid/delivery/add/", delivery_post(pledge, programme=str(epf.pk)))
    problem = import_problem(row("delivery", ref="NL-D1", programme="EPF", pledge_ref="NL-1"), "programme")
    assert_same_reason(form_errors(response, "programme"), problem)
    assert not Delivery.objects.exists()


def with_inline_delivery(data: dict, **fields) -> dict:
    row = {"ref": "NL-NEW-D1", "date": "2025-09-01", "amount": "5", "amount_qualifier": "exact", "status": "draft",
           "sources": data["sources"], **fields}  # fmt: skip
    return {**data, **management("deliveries", total=1), **{f"deliveries-0-{k}": v for k, v in row.items()}}


def test_an_inline_delivery_is_checked_against_the_pledge_being_added(as_researcher):
    data = with_inline_delivery(pledge_post(ref="NL-NEW"), currency="EUX")
    response = as_researcher.post("/admin/aid/pledge/add/", data)
    [formset] = [f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "deliveries"]
    problem = import_problem(row("delivery", ref="NL-NEW-D1", currency="EUX"), "currency")
    assert_same_reason(formset.formset.forms[0].errors["currency"], problem)
    assert not Pledge.objects.exists() and not Delivery.objects.exists()


def test_an_inline_delivery_takes_the_pledges_donor_and_programme(as_researcher):
    data = with_inline_delivery(pledge_post(ref="NL-NEW"), currency="EUR")
    assert as_researcher.post("/admin/aid/pledge/add/", data).status_code == 302
    delivery = Delivery.objects.get()
    assert (delivery.pledge.ref, delivery.donor.code, delivery.programme.code) == ("NL-NEW", "NL", "PURL")
    assert delivery.status == Status.DRAFT and delivery.sources.get().url == SOURCE


def test_a_package_of_another_programme_is_refused(as_researcher, pledge):
    from aid.models import Package

    epf = Programme.objects.create(code="EPF", name_en="EPF")
    package = Package.objects.create(programme=epf, code="EPF-1")
    response = as_researcher.post("/admin/aid/pledge/add/", pledge_post(ref="NL-X", package=str(package.pk)))
    assert form_errors(response, "package") == ["EPF-1 is a package of EPF, not PURL"]
