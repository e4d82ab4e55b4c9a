"""Bulk import in the admin: upload → preview line by line → confirm; export re-imports unchanged."""

from django.core.files.uploadedfile import SimpleUploadedFile

from aid.importing import import_ledger
from aid.models import Delivery, Pledge, Status, Valuation
from tests.builders import record, row
from tests.test_import import csv_of

IMPORT = "/admin/aid/pledge/import/"
GOOD = [
    row("pledge", ref="NL-1", amount="500000000"),
    row("valuation", ref="NL-1-USD", pledge_ref="NL-1", amount="578000000", currency="USD"),
    row("delivery", ref="NL-D1", pledge_ref="NL-1", amount="100", date="2025-09-01"),
]


def upload(client, text: str, **fields):
    return client.post(IMPORT, {"file": SimpleUploadedFile("ledger.csv", text.encode()), **fields})


def test_the_upload_page_says_researchers_import_drafts(as_researcher):
    page = as_researcher.get(IMPORT)
    assert page.status_code == 200 and b"Your imports arrive as drafts" in page.content


def test_the_preview_shows_each_line_and_writes_nothing(as_researcher):
    record("pledge", ref="NL-1", amount="400000000", status=Status.DRAFT)
    preview = upload(as_researcher, csv_of(*GOOD))
    assert preview.status_code == 200
    actions = [(r.line, r.clean.ref, r.action) for r, _ in preview.context["lines"]]
    assert actions == [(2, "NL-1", "updated"), (3, "NL-1-USD", "created"), (4, "NL-D1", "created")]
    assert b"3 rows: 2 would be created, 1 would be updated, 0 would be unchanged" in preview.content
    assert Pledge.objects.get().amount_minor == 40000000000 and not Delivery.objects.exists()


def test_confirming_imports_exactly_the_previewed_file(as_researcher, researcher):
    preview = upload(as_researcher, csv_of(*GOOD))
    response = as_researcher.post(IMPORT, {"digest": preview.context["digest"]})
    assert response.status_code == 302
    assert sorted(Pledge.objects.values_list("ref", "status")) == [("NL-1", Status.DRAFT)]
    assert Valuation.objects.get().ref == "NL-1-USD" and Delivery.objects.get().status == Status.DRAFT
    assert Pledge.history.filter(ref="NL-1").first().history_user == researcher


def test_a_confirmation_without_its_upload_imports_nothing(as_researcher):
    upload(as_researcher, csv_of(*GOOD))
    response = as_researcher.post(IMPORT, {"digest": "0" * 64})
    assert response.status_code == 302 and response["Location"] == IMPORT
    assert not Pledge.objects.exists()


def test_a_file_with_problems_lists_them_and_cannot_be_confirmed(as_researcher):
    bad = [GOOD[0], row("pledge", ref="NL-2", currency="EUX")]
    preview = upload(as_researcher, csv_of(*bad))
    assert preview.context["report"].problems == import_ledger(csv_of(*bad), dry_run=True).problems
    assert b"line 3, column currency: &#x27;EUX&#x27;: unknown currency" in preview.content
    assert b'id="import-confirm"' not in preview.content
    assert not Pledge.objects.exists()


def test_a_file_that_is_not_utf8_is_refused_by_the_import(as_researcher):
    preview = as_researcher.post(IMPORT, {"file": SimpleUploadedFile("l.csv", "record,ref\né".encode("latin-1"))})
    assert preview.context["report"].problems == ["line 1, column -: byte 11: the file is not UTF-8 text"]


def test_researchers_import_drafts_and_cannot_change_published_records(as_researcher):
    record("pledge", ref="NL-1", amount="400000000", status=Status.PUBLISHED)
    preview = upload(as_researcher, csv_of(GOOD[0]), publish="on")
    assert preview.context["report"].problems == ["NL-1: published: only an editor may change it"]
    assert preview.context["status"] == Status.DRAFT


def test_editors_may_publish_on_import(as_editor):
    preview = upload(as_editor, csv_of(*GOOD), publish="on")
    as_editor.post(IMPORT, {"digest": preview.context["digest"]})
    assert set(Pledge.objects.values_list("status", flat=True)) == {Status.PUBLISHED}


def test_anonymous_users_cannot_import(client):
    assert client.get(IMPORT).status_code == 302


def test_exported_rows_reimport_unchanged(as_editor):
    import_ledger(csv_of(*GOOD))
    record("pledge", ref="NL-2", amount="", currency="")
    ids = [str(pk) for pk in Pledge.objects.values_list("pk", flat=True)]
    response = as_editor.post("/admin/aid/pledge/", {"action": "export_csv", "_selected_action": ids})
    exported = b"".join(response.streaming_content).decode()
    assert exported.count("\n") == 4  # header, two pledges and NL-1's valuation
    report = import_ledger(exported, dry_run=True)
    assert report.ok and report.refs("unchanged") == ["NL-1", "NL-2", "NL-1-USD"]
