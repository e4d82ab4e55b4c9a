"""Issue 8 §8: at 1280 px the pledge and delivery lists show every column a researcher reads
without sideways scrolling, and the import page looks like the rest of the admin."""

import pytest
from django.contrib.auth.models import User

from tests.builders import rate, record
from tests.charts.seeding import seed_with_rates

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password"
WIDTH = 1280
NO_OVERFLOW = """() => {
    const page = document.scrollingElement, results = document.querySelector('.results');
    return {page: [page.scrollWidth, page.clientWidth], results: [results.scrollWidth, results.clientWidth]};
}"""
# Column classes (Django's `column-<name>`): ref, donor, programme, date, amount with currency,
# delivered (a delivery: the pledge it delivers), status and confidence.
COLUMNS = {
    "pledge": ["ref", "donor", "programme", "day", "amount_and_eur", "delivered_share", "status", "confidence"],
    "delivery": ["ref", "donor", "programme", "pledge", "day", "amount_and_eur", "status", "confidence"],
}


@pytest.fixture
def ledger():
    seed_with_rates()
    # The widest cells a list meets: a long package code, a large qualified foreign amount.
    rate("USD", "2025-08-01", "1.1")
    record("pledge", ref="GB-PURL-LONGEST-2025-08-04", donor="GB", package="PURL-GB-NL-NO-SE-2026-02",
           amount="1234567890.12", currency="USD", amount_qualifier="at_least", confidence="medium")  # fmt: skip
    record("delivery", ref="GB-PURL-LONGEST-D1", donor="GB", pledge_ref="GB-PURL-LONGEST-2025-08-04",
           package="PURL-GB-NL-NO-SE-2026-02", amount="999999999.99", currency="USD", date="2025-09-01")  # fmt: skip
    User.objects.create_superuser("ada", password=PASSWORD)


def log_in(page) -> None:
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")


@pytest.mark.parametrize("model", ["pledge", "delivery"])
def test_the_list_fits_1280_px_with_every_column(page, page_log, ledger, model, tmp_path):
    page.set_viewport_size({"width": WIDTH, "height": 900})
    log_in(page)
    page.goto(f"/admin/aid/{model}/?all=")
    classes = page.eval_on_selector_all("#result_list thead th", "ths => ths.map(th => th.className)")
    shown = [c.removeprefix("column-") for th in classes for c in th.split() if c.startswith("column-")]
    assert [name for name in shown if name in COLUMNS[model]] == COLUMNS[model]
    widths = page.evaluate(NO_OVERFLOW)
    page.screenshot(path=str(tmp_path / f"{model}-list-1280.png"), full_page=True)
    assert widths["page"][0] <= widths["page"][1], widths
    assert widths["results"][0] <= widths["results"][1], widths
    assert page.locator("#result_list td.field-amount_and_eur", has_text="≥ USD 1,234,567,890.12").count() == (
        1 if model == "pledge" else 0
    )
    assert page_log.console_errors == []


def test_the_import_page_has_the_admins_form_style(page, page_log, ledger):
    page.set_viewport_size({"width": WIDTH, "height": 900})
    log_in(page)
    page.goto("/admin/aid/pledge/import/")
    assert page.locator("#import-form fieldset.module.aligned .form-row").count() == 2
    label_weight = page.eval_on_selector("#import-form label[for=id_file]", "el => getComputedStyle(el).fontWeight")
    assert label_weight in ("bold", "700")  # admin/css/forms.css applied
    assert page.evaluate("document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth")
    assert page_log.console_errors == []
