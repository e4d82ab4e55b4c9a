"""Streamed answers (the ledger CSVs) are kept as files per ledger version, and read from them."""

import os
import time
from pathlib import Path

import django.test.client
from django.contrib.auth.models import User
from django.core.signals import request_finished
from django.db import close_old_connections

from aid.serving import file_cache
from tests.builders import record

CSV = "/api/v1/pledges/?format=csv"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def files(settings) -> list[str]:
    folder = Path(settings.ANSWER_FILES_DIR)
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_a_second_download_is_read_from_its_file_without_the_database(
    ledger, client, settings, django_assert_num_queries
):
    first = client.get(CSV)
    computed = body(first)
    assert b"NL-P1" in computed
    assert [name.rsplit(".", 1)[1] for name in files(settings)] == ["body", "json"]
    with django_assert_num_queries(1):  # the ledger version, nothing else
        again = client.get(CSV)
        stored = body(again)
    assert stored == computed
    assert (
        again["Content-Type"] == first["Content-Type"] and again["Content-Disposition"] == first["Content-Disposition"]
    )
    assert again["ETag"] == first["ETag"] and int(again["Content-Length"]) == len(computed)
    assert client.get(CSV, HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 304


def test_an_edit_is_in_the_next_download_and_the_old_file_goes(ledger, client, settings):
    body(client.get(CSV))
    before = files(settings)
    record(ref="NL-NEW-1", donor="NL", date="2025-08-05", amount="250")
    assert b"NL-NEW-1" in body(client.get(CSV))
    after = files(settings)
    assert len(after) == 2 and not set(before) & set(after), "only the new version's answer is kept"


def test_another_question_is_another_file(ledger, client, settings):
    everything, dutch = body(client.get(CSV)), body(client.get(CSV + "&donor=NL&date_from=2025-08-05"))
    assert everything != dutch and len(files(settings)) == 4


def leave(response, monkeypatch) -> None:
    """What the WSGI server does when the reader leaves mid-download: close the response. Django
    then closes connections opened inside a transaction, here the test's own: kept open, as a
    server keeps its connection (the test client's wrapper connects the signal again, hence
    its name patched too)."""
    request_finished.disconnect(close_old_connections)
    monkeypatch.setattr(django.test.client, "close_old_connections", lambda **kwargs: None)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def test_a_download_broken_off_leaves_no_file(ledger, client, settings, monkeypatch):
    record(ref="NL-P2", donor="NL", date="2025-08-06", amount="300")
    response = client.get(CSV)
    next(iter(response.streaming_content))  # the header: then the reader leaves
    leave(response, monkeypatch)
    monkeypatch.undo()
    assert files(settings) == []
    assert b"NL-P2" in body(client.get(CSV)) and len(files(settings)) == 2


def test_a_folder_that_cannot_be_written_still_answers(ledger, client, settings, tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    settings.ANSWER_FILES_DIR = str(tmp_path / "a-file" / "answers")
    first, again = body(client.get(CSV)), body(client.get(CSV))
    assert first == again and b"NL-P1" in first


def test_a_head_request_and_an_editor_write_no_file(ledger, client, settings):
    assert client.head(CSV).status_code == 200
    client.force_login(User.objects.create_superuser("editor", password="x"))
    assert b"NL-P1" in body(client.get(CSV))
    assert files(settings) == []


def test_the_cache_switched_off_keeps_no_file(ledger, client, settings):
    settings.RESPONSE_CACHE = False
    assert body(client.get(CSV)) == body(client.get(CSV))
    assert files(settings) == []


def _file(folder: Path, name: str, size: int, age_seconds: float) -> None:
    path = folder / name
    path.write_bytes(b"x" * size)
    stamp = time.time() - age_seconds
    os.utime(path, (stamp, stamp))


def test_pruning_drops_older_versions_expired_parts_then_the_oldest_past_the_limit(settings, tmp_path):
    folder = tmp_path / "answers"
    folder.mkdir()
    settings.ANSWER_FILES_DIR, settings.ANSWER_FILES_MAX_MB, settings.RESPONSE_CACHE_SECONDS = str(folder), 1, 3600
    half = 600 * 1024
    _file(folder, "7-old.body", 10, 5)  # an older ledger version
    _file(folder, "7-old.json", 10, 5)
    _file(folder, ".partial-abc", 10, 7200)  # left by a stopped worker
    _file(folder, ".partial-now", 10, 1)  # being written
    _file(folder, "8-expired.body", 10, 7200)
    _file(folder, "8-first.body", half, 60)
    _file(folder, "8-first.json", 10, 60)
    _file(folder, "8-second.body", half, 30)
    _file(folder, "8-second.json", 10, 30)
    file_cache.prune(8)
    assert sorted(path.name for path in folder.iterdir()) == [".partial-now", "8-second.body", "8-second.json"]


def test_an_answer_without_its_headers_is_not_served(settings, tmp_path):
    folder = tmp_path / "answers"
    folder.mkdir()
    settings.ANSWER_FILES_DIR = str(folder)
    (folder / "8-abc.body").write_bytes(b"half")
    assert file_cache.answer(8, '"abc"') is None
