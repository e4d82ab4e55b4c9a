"""Warnings do not block a save; they are shown after it and in the lists."""

from django.contrib.messages import get_messages

from aid.models import Delivery, Pledge
from tests.admin.conftest import pledge_post
from tests.admin.test_rules_agree import delivery_post
from tests.builders import record


def warnings_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]


def test_a_delivery_before_its_pledge_is_saved_with_a_warning(as_researcher):
    pledge = record("pledge", ref="NL-1", date="2025-08-04")
    response = as_researcher.post("/admin/aid/delivery/add/", delivery_post(pledge, date="2025-08-01"))
    assert response.status_code == 302
    assert Delivery.objects.filter(ref="NL-D1").exists()
    assert warnings_of(response) == ["NL-D1: delivered on 2025-08-01, before pledge NL-1 was announced (2025-08-04)"]
    listed = as_researcher.get("/admin/aid/delivery/")
    assert b"before its pledge" in listed.content


def test_a_possible_duplicate_is_saved_with_a_warning(as_researcher):
    record("pledge", ref="NL-1", amount="500")
    response = as_researcher.post("/admin/aid/pledge/add/", pledge_post(ref="NL-2", amount="500", date="2025-08-04"))
    assert response.status_code == 302 and Pledge.objects.filter(ref="NL-2").exists()
    assert warnings_of(response) == ["NL-2: possible duplicate of NL-1: same donor, date, amount and currency"]
    listed = as_researcher.get("/admin/aid/pledge/?duplicate=yes")
    assert listed.context["cl"].result_count == 2
    assert b"possible duplicate" in listed.content


def test_deliveries_above_the_pledge_are_flagged(as_editor):
    pledge = record("pledge", ref="NL-1", amount="100")
    response = as_editor.post("/admin/aid/delivery/add/", delivery_post(pledge, amount="150", status="published"))
    assert response.status_code == 302
    assert warnings_of(response) == [
        "NL-D1: published deliveries against NL-1 (EUR 150.00) exceed its pledged amount (EUR 100.00)"
    ]
    record("pledge", ref="NL-2", amount="900", date="2025-08-05")
    over = as_editor.get("/admin/aid/pledge/?over_delivered=yes")
    assert [p.ref for p in over.context["cl"].result_list] == ["NL-1"]
    assert b"over-delivered" in over.content
