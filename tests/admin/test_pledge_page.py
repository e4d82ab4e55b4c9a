"""The pledge page holds its deliveries, valuations and sources; read-only when it may not change."""

from aid.models import Pledge, Source, Status, Valuation
from tests.admin.conftest import change_post, management, pledge_post
from tests.builders import record

CHANGELIST = "/admin/aid/pledge/"


def with_valuation(data: dict, **fields) -> dict:
    row = {"ref": "NL-1-USD", "date": "2025-08-04", "amount": "578000000", "currency": "USD",
           "amount_qualifier": "approx", "sources": data["sources"], **fields}  # fmt: skip
    return {**data, **management("valuations", total=1), **{f"valuations-0-{k}": v for k, v in row.items()}}


def test_a_valuation_is_added_on_its_pledges_page(as_researcher):
    response = as_researcher.post(f"{CHANGELIST}add/", with_valuation(pledge_post(ref="NL-1")))
    assert response.status_code == 302
    valuation = Valuation.objects.get()
    assert (valuation.pledge.ref, valuation.amount_minor, valuation.currency) == ("NL-1", 57800000000, "USD")


def test_a_valuation_without_an_amount_is_refused_as_by_the_import(as_researcher):
    response = as_researcher.post(f"{CHANGELIST}add/", with_valuation(pledge_post(ref="NL-1"), amount="", currency=""))
    [formset] = [f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == "valuations"]
    assert formset.forms[0].errors["amount"] == ["a valuation is a reported figure: it needs an amount"]
    assert not Pledge.objects.exists()


def test_several_sources_are_kept_and_removed_as_chosen(as_researcher):
    pledge = record("pledge", ref="NL-1", status=Status.DRAFT)
    second = Source.objects.create(url="https://example.org/second", title="Second")
    sources = [str(pk) for pk in pledge.sources.values_list("pk", flat=True)] + [str(second.pk)]
    as_researcher.post(f"{CHANGELIST}{pledge.pk}/change/", change_post(pledge, sources=sources))
    assert set(pledge.sources.values_list("url", flat=True)) == {"https://example.org/source", second.url}
    pledge.refresh_from_db()
    as_researcher.post(f"{CHANGELIST}{pledge.pk}/change/", change_post(pledge, sources=[str(second.pk)]))
    assert list(pledge.sources.values_list("url", flat=True)) == [second.url]


def test_a_researcher_reads_a_published_pledge_without_a_save_button(as_researcher):
    pledge = record("pledge", ref="NL-1", status=Status.PUBLISHED)
    page = as_researcher.get(f"{CHANGELIST}{pledge.pk}/change/")
    assert page.status_code == 200
    assert b"NL-1" in page.content and b'name="_save"' not in page.content


def test_a_published_delivery_is_changed_on_its_own_page_not_inline(as_editor):
    pledge = record("pledge", ref="NL-1", status=Status.DRAFT)
    delivery = record("delivery", ref="NL-D1", pledge_ref="NL-1", amount="10", date="2025-09-01")
    data = change_post(pledge)
    data["deliveries-0-amount"] = "20"
    response = as_editor.post(f"{CHANGELIST}{pledge.pk}/change/", data)
    [formset] = [f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == "deliveries"]
    assert formset.forms[0].non_field_errors() == ["NL-D1 is published: change it on its own page, with a reason"]
    delivery.refresh_from_db()
    assert delivery.amount_minor == 1000
