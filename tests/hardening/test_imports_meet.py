"""Two imports and an admin save at once (PostgreSQL): no deadlock, no traceback, totals exact.

Issue 9: two imports deadlocked on the totals' unique index and one died with a traceback.
The imports run as real `manage.py import_ledger` processes against the test database.
"""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection, connections

from aid.countries import add_missing_donors
from aid.models import Donor, Pledge
from aid.summary import rollup, totals
from tests.admin.conftest import change_post
from tests.builders import SOURCE, record

ROOT = Path(__file__).resolve().parents[2]
DONORS = ("NL", "NO", "DE", "FR", "PL")
HEADER = "record,ref,donor,programme,package,pledge_ref,date,amount,currency,amount_qualifier,description,source_url,source_title\n"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres") is False,
        reason="the advisory lock is PostgreSQL's; SQLite lets one writer at a time in by itself",
    ),
]


@pytest.fixture(autouse=True)
def donors_from_the_migrations(transactional_db):
    # A transactional test that ran before this one flushed every table, the donors that the
    # migrations seed among them; the imports below name donors without entering them.
    add_missing_donors(Donor)


def ledger_file(folder: Path, name: str, backwards: bool) -> Path:
    """Pledges spread over the same total rows (donor x month); one file walks them backwards."""
    keys = [(donor, month) for donor in DONORS for month in range(1, 10)]
    keys = keys[::-1] if backwards else keys
    lines = [
        f"pledge,{name}-{donor}-{month}-{n},{donor},PURL,,,2025-{month:02d}-0{n + 1},{n + 1}000,EUR,exact,,{SOURCE},\n"
        for n in range(4)
        for donor, month in keys
    ]
    path = folder / f"{name}.csv"
    path.write_text(HEADER + "".join(lines))
    return path


def database_url() -> str:
    settings = connection.settings_dict
    return (
        f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    )


def start_import(path: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url()}
    command = [sys.executable, "manage.py", "import_ledger", str(path)]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_imports_and_an_admin_save_at_once_all_succeed(tmp_path, admin_client):
    edited = record(ref="NL-EDITED", donor="NL", date="2025-03-02", amount="5")
    files = [ledger_file(tmp_path, "A", backwards=False), ledger_file(tmp_path, "B", backwards=True)]
    admin_answer = {}

    def admin_save():
        url = f"/admin/aid/pledge/{edited.pk}/change/"
        try:
            response = admin_client.post(url, change_post(edited, amount="6", reason="MoD revised it"))
            admin_answer["status"] = response.status_code
            admin_answer["errors"] = getattr(response, "context_data", {}) and str(response.context_data.get("errors"))
        finally:
            connections.close_all()  # this thread's own connection

    imports = [start_import(path) for path in files]
    saver = threading.Thread(target=admin_save)
    saver.start()
    outcomes = [process.communicate(timeout=600) for process in imports]
    saver.join(timeout=600)
    connection.close()  # the thread's connection is its own; this one re-reads what was committed

    for process, (out, err) in zip(imports, outcomes, strict=True):
        assert process.returncode == 0, err
        assert "Traceback" not in err and "deadlock" not in err.lower()
        assert "180 created" in out
    assert admin_answer["status"] == 302, admin_answer["errors"]
    assert Pledge.objects.get(ref="NL-EDITED").amount_minor == 600
    assert Pledge.objects.count() == 361
    assert totals.differences() == [] and rollup.differences() == []
