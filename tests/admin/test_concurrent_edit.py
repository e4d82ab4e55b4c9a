"""Two people edit the same record: the second save is refused, never silently overwrites."""

from django.contrib.messages import get_messages

from aid.admin import forms
from aid.models import Pledge, Status
from tests.admin.conftest import change_post, client_for, make_user
from tests.builders import record

CHANGELIST = "/admin/aid/pledge/"


def test_the_second_save_is_refused_with_a_link_to_the_newer_version(as_researcher):
    pledge = record("pledge", ref="NL-1", amount="100", status=Status.DRAFT)
    opened_by_both = change_post(pledge)  # both pages were opened at version 1
    colleague = client_for(make_user("colin", "Researchers"))
    assert colleague.post(f"{CHANGELIST}{pledge.pk}/change/", {**opened_by_both, "amount": "200"}).status_code == 302

    response = as_researcher.post(f"{CHANGELIST}{pledge.pk}/change/", {**opened_by_both, "amount": "300"})

    assert response.status_code == 200
    [error] = response.context["adminform"].form.non_field_errors()
    assert "NL-1 was saved by someone else while you were editing it (it is now at version 2)" in error
    assert f'href="/admin/aid/pledge/{pledge.pk}/change/"' in error
    pledge.refresh_from_db()
    assert (pledge.amount_minor, pledge.version) == (20000, 2)


def test_a_save_racing_past_the_form_check_is_refused_by_the_service(as_researcher, monkeypatch):
    pledge = record("pledge", ref="NL-1", amount="100", status=Status.DRAFT)
    stale = change_post(pledge, amount="300")
    record("pledge", ref="NL-1", amount="200", status=Status.DRAFT)  # saved meanwhile: version 2
    monkeypatch.setattr(forms.RecordForm, "check_version", lambda form: None)

    response = as_researcher.post(f"{CHANGELIST}{pledge.pk}/change/", stale)

    assert response.status_code == 302 and response["Location"] == f"{CHANGELIST}{pledge.pk}/change/"
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "NL-1 was changed by someone else (now version 2)" in message
    pledge.refresh_from_db()
    assert pledge.amount_minor == 20000
    assert (
        Pledge.history.filter(ref="NL-1").count()
        == Pledge.history.filter(ref="NL-1", amount_minor__in=[10000, 20000]).count()
    )


def test_an_unchanged_resubmission_is_not_a_conflict(as_researcher):
    pledge = record("pledge", ref="NL-1", status=Status.DRAFT)
    data = change_post(pledge)
    assert as_researcher.post(f"{CHANGELIST}{pledge.pk}/change/", data).status_code == 302
    assert as_researcher.post(f"{CHANGELIST}{pledge.pk}/change/", data).status_code == 302
    pledge.refresh_from_db()
    assert pledge.version == 1
