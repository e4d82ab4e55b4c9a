"""Editors enter donors' indicators in the admin, checked by the import's rules."""

from aid.models import Indicator
from tests.admin.conftest import client_for, make_user
from tests.builders import donor

URL = "/admin/aid/indicator/add/"


def form(**changes):
    data = {
        "donor": donor("NL").pk, "name": "gdp", "year": "2023", "value": "1118124749886", "unit": "USD",
        "source_url": "https://data.worldbank.org/", "source_title": "World Bank", "source_kind": "international",
    }  # fmt: skip
    return {**data, **changes}


def test_an_editor_adds_an_indicator():
    response = client_for(make_user("eddie", "Editors")).post(URL, form())
    assert response.status_code == 302
    assert Indicator.objects.get().unit == "USD"


def test_the_admin_refuses_what_the_import_refuses():
    response = client_for(make_user("eddie", "Editors")).post(URL, form(unit="persons"))
    assert response.status_code == 200
    assert "a GDP&#x27;s unit is its ISO 4217 currency" in response.content.decode()
    assert not Indicator.objects.exists()


def test_a_researcher_cannot_add_one():
    assert client_for(make_user("rita", "Researchers")).post(URL, form()).status_code == 403
