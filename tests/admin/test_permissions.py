"""Who may do what: anonymous, researcher, editor, superuser × view, add, change, publish, delete."""

import pytest

from aid.models import Pledge, Status
from tests.admin.conftest import change_post, client_for, make_user, pledge_post
from tests.builders import record

ROLES = ["anonymous", "researcher", "editor", "superuser"]
ALLOWED = {
    "view": {"researcher", "editor", "superuser"},
    "add": {"researcher", "editor", "superuser"},
    "change_draft": {"researcher", "editor", "superuser"},
    "change_published": {"editor", "superuser"},
    "publish": {"editor", "superuser"},
    "delete": {"editor", "superuser"},
}
CHANGELIST = "/admin/aid/pledge/"


@pytest.fixture(params=ROLES)
def role(request):
    return request.param


@pytest.fixture
def client(role):
    users = {
        "anonymous": None,
        "researcher": lambda: make_user("rita", "Researchers"),
        "editor": lambda: make_user("eddie", "Editors"),
        "superuser": lambda: make_user("root", superuser=True),
    }
    maker = users[role]
    return client_for(maker() if maker else None)


def test_view_the_pledge_list(client, role):
    record("pledge", ref="NL-1")
    response = client.get(CHANGELIST)
    if role in ALLOWED["view"]:
        assert response.status_code == 200
        assert b"NL-1" in response.content
    else:
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_add_a_pledge(client, role):
    response = client.post(f"{CHANGELIST}add/", pledge_post(ref="NL-NEW"))
    added = Pledge.objects.filter(ref="NL-NEW").first()
    if role in ALLOWED["add"]:
        assert response.status_code == 302
        assert added is not None and added.status == Status.DRAFT
    else:
        assert added is None


def test_change_a_draft(client, role):
    pledge = record("pledge", ref="NL-1", status=Status.DRAFT)
    client.post(f"{CHANGELIST}{pledge.pk}/change/", change_post(pledge, description="revised"))
    pledge.refresh_from_db()
    assert (pledge.description == "revised") is (role in ALLOWED["change_draft"])


def test_change_a_published_pledge(client, role):
    pledge = record("pledge", ref="NL-1", status=Status.PUBLISHED)
    response = client.post(
        f"{CHANGELIST}{pledge.pk}/change/", change_post(pledge, description="revised", reason="MoD revision")
    )
    pledge.refresh_from_db()
    assert (pledge.description == "revised") is (role in ALLOWED["change_published"])
    if role == "researcher":
        assert response.status_code == 403


def test_publish_from_the_list(client, role):
    pledge = record("pledge", ref="NL-1", status=Status.DRAFT)
    client.post(CHANGELIST, {"action": "publish", "_selected_action": [str(pledge.pk)]})
    pledge.refresh_from_db()
    assert (pledge.status == Status.PUBLISHED) is (role in ALLOWED["publish"])


def test_the_status_field_is_fixed_for_those_who_may_not_publish(client, role):
    response = client.post(f"{CHANGELIST}add/", pledge_post(ref="NL-NEW", status="published"))
    added = Pledge.objects.filter(ref="NL-NEW").first()
    if role in ALLOWED["publish"]:
        assert added.status == Status.PUBLISHED
    elif role in ALLOWED["add"]:
        assert response.status_code == 302 and added.status == Status.DRAFT


def test_delete_a_pledge(client, role):
    pledge = record("pledge", ref="NL-1", status=Status.DRAFT)
    response = client.post(f"{CHANGELIST}{pledge.pk}/delete/", {"post": "yes", "reason": "entered twice"})
    deleted = not Pledge.objects.filter(pk=pledge.pk).exists()
    assert deleted is (role in ALLOWED["delete"])
    if role == "researcher":
        assert response.status_code == 403


def test_delete_from_the_list_asks_why_then_deletes(as_editor):
    pledge = record("pledge", ref="NL-1", status=Status.DRAFT)
    selected = {"action": "delete_records", "_selected_action": [str(pledge.pk)]}
    asked = as_editor.post(CHANGELIST, selected)
    assert b'name="reason"' in asked.content and Pledge.objects.filter(pk=pledge.pk).exists()
    as_editor.post(CHANGELIST, {**selected, "confirm": "yes", "reason": "entered twice"})
    assert not Pledge.objects.filter(pk=pledge.pk).exists()
    assert Pledge.history.filter(ref="NL-1", history_type="-").get().history_change_reason == "entered twice"


def test_unpublish_asks_why(as_editor, editor):
    pledge = record("pledge", ref="NL-1", status=Status.PUBLISHED)
    selected = {"action": "unpublish", "_selected_action": [str(pledge.pk)], "confirm": "yes"}
    as_editor.post(CHANGELIST, selected)
    pledge.refresh_from_db()
    assert pledge.status == Status.PUBLISHED  # no reason given: nothing happened
    as_editor.post(CHANGELIST, {**selected, "reason": "source withdrawn"})
    pledge.refresh_from_db()
    assert pledge.status == Status.DRAFT
    latest = pledge.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (editor, "source withdrawn")
