"""Nothing is lost: who changed what, when and why; a reason for published records; restore."""

import pytest

from aid.models import Pledge, Status
from tests.admin.conftest import change_post, pledge_post
from tests.builders import record

CHANGELIST = "/admin/aid/pledge/"


def history_rows(pledge) -> list[tuple]:
    return list(
        Pledge.history.filter(ref=pledge.ref)
        .order_by("history_date", "history_id")
        .values_list("history_type", "history_user__username", "history_change_reason", "amount_minor")
    )


def test_every_save_is_kept_with_who_and_why(as_researcher, as_editor):
    as_researcher.post(f"{CHANGELIST}add/", pledge_post(ref="NL-1", amount="100"))
    pledge = Pledge.objects.get(ref="NL-1")
    as_editor.post(CHANGELIST, {"action": "publish", "_selected_action": [str(pledge.pk)]})
    pledge.refresh_from_db()
    as_editor.post(f"{CHANGELIST}{pledge.pk}/change/", change_post(pledge, amount="120", reason="MoD revised it"))
    rows = history_rows(pledge)
    assert ("+", "rita", "entered in the admin", 10000) in rows
    assert ("~", "eddie", "published after review", 10000) in rows
    assert rows[-1] == ("~", "eddie", "MoD revised it", 12000)
    page = as_editor.get(f"{CHANGELIST}{pledge.pk}/history/")
    assert page.status_code == 200
    for shown in (b"rita", b"eddie", b"MoD revised it", b"published after review"):
        assert shown in page.content


def test_a_published_record_asks_why_it_changes(as_editor):
    pledge = record("pledge", ref="NL-1", status=Status.PUBLISHED)
    response = as_editor.post(f"{CHANGELIST}{pledge.pk}/change/", change_post(pledge, amount="120"))
    assert response.context["adminform"].form.errors["reason"] == [
        "this record is published: say in a few words why it changes"
    ]
    pledge.refresh_from_db()
    assert pledge.amount_minor == 10000


def test_a_draft_changes_without_a_reason(as_researcher):
    pledge = record("pledge", ref="NL-1", status=Status.DRAFT)
    response = as_researcher.post(f"{CHANGELIST}{pledge.pk}/change/", change_post(pledge, amount="120"))
    assert response.status_code == 302
    assert history_rows(pledge)[-1][1:] == ("rita", "edited in the admin", 12000)


@pytest.fixture
def deleted(as_editor):
    pledge = record("pledge", ref="NL-1", amount="100", status=Status.PUBLISHED)
    as_editor.post(f"{CHANGELIST}{pledge.pk}/delete/", {"post": "yes", "reason": "entered twice by mistake"})
    assert not Pledge.objects.filter(ref="NL-1").exists()
    return Pledge.history.get(ref="NL-1", history_type="-")


def test_a_deleted_record_is_listed_with_who_and_why(as_editor, deleted):
    page = as_editor.get(f"{CHANGELIST}deleted/")
    assert b"NL-1" in page.content and b"entered twice by mistake" in page.content and b"eddie" in page.content


def test_a_deleted_record_is_restored_from_its_history(as_editor, deleted):
    url = f"{CHANGELIST}{deleted.id}/history/{deleted.history_id}/"
    form_page = as_editor.get(url)
    assert form_page.status_code == 200
    form = form_page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(reason="not a duplicate after all", _save="Revert")
    response = as_editor.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    restored = Pledge.objects.get(ref="NL-1")
    assert (restored.amount_minor, restored.status, restored.sources.count()) == (10000, Status.PUBLISHED, 1)
    assert history_rows(restored)[-1][:3] == ("~", "eddie", "not a duplicate after all")
    assert list(as_editor.get(f"{CHANGELIST}deleted/").context["records"]) == []


def test_a_researcher_cannot_restore_a_published_record(as_researcher, deleted):
    url = f"{CHANGELIST}{deleted.id}/history/{deleted.history_id}/"
    page = as_researcher.get(url)
    assert b'value="Revert"' not in page.content


def test_an_earlier_version_is_restored_through_the_rules(as_editor):
    pledge = record("pledge", ref="NL-1", amount="100", status=Status.DRAFT)
    as_editor.post(f"{CHANGELIST}{pledge.pk}/change/", change_post(pledge, amount="250"))
    first = Pledge.history.filter(ref="NL-1", history_type="+").get()
    url = f"{CHANGELIST}{pledge.pk}/history/{first.history_id}/"
    form = as_editor.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    response = as_editor.post(url, {**data, "_save": "Revert"})
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert (pledge.amount_minor, pledge.version) == (10000, 3)
    assert history_rows(pledge)[-1][2] == "reverted to an earlier version"
