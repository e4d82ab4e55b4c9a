"""A researcher's path through the admin, in a real browser: enter a pledge, get a wrong
currency explained, correct it, add a delivery on the same page; an editor publishes it;
the researcher sees who changed what in its history."""

from importlib import import_module

import pytest
from django.contrib.auth.models import Group, Permission, User

from aid.models import Delivery, Pledge, Programme, Source, Status
from tests.builders import SOURCE, donor

# serialized_rollback: the Researchers and Editors groups come from a data migration, which
# an earlier transactional test may have flushed away.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password"


@pytest.fixture
def people():
    # The groups come from a data migration; an earlier transactional test may have flushed them.
    import_module("aid.migrations.0003_researchers_and_editors").grant(Group, Permission)
    for name, group in (("rita", "Researchers"), ("eddie", "Editors")):
        user = User.objects.create_user(name, password=PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name=group))
    donor("NL", "Netherlands")
    Programme.objects.create(code="PURL", name_en="Prioritized Ukraine Requirements List")
    Source.objects.create(url=SOURCE, title="Defence ministry announcement")


def log_in(page, username: str) -> None:
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")


def log_out(page) -> None:
    page.click("#logout-form button")
    page.wait_for_url("**/admin/logout/")


def choose(page, select_id: str, search: str, option: str) -> None:
    """Pick `option` in the select2 autocomplete that replaces the <select id=select_id>."""
    page.click(f"#{select_id} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", search)
    page.click(f".select2-results__option:has-text('{option}')")


def test_a_researcher_enters_a_pledge_with_a_delivery_and_an_editor_publishes_it(page, page_log, people):
    log_in(page, "rita")
    page.goto("/admin/aid/pledge/add/")
    page.fill("#id_ref", "NL-PURL-2025-08-04")
    choose(page, "id_donor", "NL", "Netherlands")
    choose(page, "id_programme", "PURL", "PURL")
    page.fill("#id_date", "2025-08-04")
    page.fill("#id_amount", "500000000")
    page.fill("#id_currency", "EUX")
    choose(page, "id_sources", "Defence", "Defence ministry announcement")
    page.click("input[name=_save]")

    error = page.locator(".field-currency .errorlist")
    assert error.inner_text() == "unknown currency: use an ISO 4217 code such as EUR or USD"
    assert not Pledge.objects.exists()

    page.fill("#id_currency", "EUR")
    page.click("#deliveries-group .add-row a")
    page.fill("#id_deliveries-0-ref", "NL-PURL-2025-08-04-D1")
    page.fill("#id_deliveries-0-date", "2025-09-01")
    page.fill("#id_deliveries-0-amount", "125000000")
    page.fill("#id_deliveries-0-currency", "EUR")
    choose(page, "id_deliveries-0-sources", "Defence", "Defence ministry announcement")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    pledge = Pledge.objects.get()
    delivery = Delivery.objects.get()
    assert (pledge.status, pledge.amount_minor, delivery.pledge_id) == (Status.DRAFT, 50000000000, pledge.pk)
    log_out(page)

    log_in(page, "eddie")
    page.goto("/admin/aid/pledge/")
    page.check(f"input.action-select[value='{pledge.pk}']")
    page.select_option("select[name=action]", "publish")
    page.click("button[name=index]")
    assert "1 pledges published." in page.locator(".messagelist").inner_text()
    pledge.refresh_from_db()
    assert pledge.status == Status.PUBLISHED
    log_out(page)

    log_in(page, "rita")
    page.goto(f"/admin/aid/pledge/{pledge.pk}/history/")
    history = page.locator("#change-history").inner_text()
    assert "entered in the admin" in history and "rita" in history
    assert "published after review" in history and "eddie" in history
    assert "draft → published" in history.replace("\xa0", " ").replace("  ", " ")
    assert page_log.outside_requests == []
    assert page_log.console_errors == []
