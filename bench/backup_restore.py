"""Backups you can restore: dump the ledger, restore it into a new database, compare (issue 9).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aidledger .venv/bin/python bench/backup_restore.py [--keep]

Dumps the database named by DATABASE_URL with `pg_dump --format=custom`, restores the file
with `pg_restore` into a new database `<name>_restored`, runs `rebuild_totals --verify` there,
and compares the API's summary (by donor, programme and month, in EUR and USD) and the record
counts before and after. Prints the figures; exits non-zero if anything differs.
The restored database is dropped at the end unless --keep is given.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SUMMARIES = [
    f"/api/v1/summary/?group_by={g}&currency={c}" for g in ("donor", "programme", "month") for c in ("EUR", "USD")
]
SNAPSHOT = f"""
import json, django
django.setup()
from django.test import Client
from aid.models import Delivery, Pledge, Valuation
client = Client(HTTP_HOST="127.0.0.1")
answers = {{url: client.get(url).json() for url in {SUMMARIES!r}}}
answers["counts"] = [Pledge.objects.count(), Delivery.objects.count(), Valuation.objects.count()]
print(json.dumps(answers, sort_keys=True))
"""


def run(command: list[str], **env: str) -> str:
    result = subprocess.run(command, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command[:3])}… failed:\n{result.stderr[-3000:]}")
    return result.stdout


def snapshot(database_url: str) -> dict:
    env = {"DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1"}
    env["API_ANON_THROTTLE"] = "100000/minute"
    return json.loads(run([sys.executable, "-c", SNAPSHOT], **env))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the restored database")
    options = parser.parse_args()
    source = os.environ.get("DATABASE_URL", "")
    if not source.startswith("postgres"):
        sys.exit("DATABASE_URL must name the PostgreSQL database to back up")
    parts = urlsplit(source)
    name = parts.path.lstrip("/")
    restored_name = f"{name}_restored"
    restored = urlunsplit(parts._replace(path=f"/{restored_name}"))
    server = urlunsplit(parts._replace(path="/postgres"))

    before = snapshot(source)
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / f"{name}.dump"
        started = time.monotonic()
        run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", f"--dbname={source}"])
        dumped = time.monotonic() - started
        run(
            [
                "psql",
                server,
                "-q",
                "-c",
                f'DROP DATABASE IF EXISTS "{restored_name}"',
                "-c",
                f'CREATE DATABASE "{restored_name}"',
            ]
        )
        started = time.monotonic()
        run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored}", str(dump)])
        restored_in = time.monotonic() - started
        size = dump.stat().st_size
    try:
        verify = run([sys.executable, "manage.py", "rebuild_totals", "--verify"], DATABASE_URL=restored).strip()
        after = snapshot(restored)
    finally:
        if not options.keep:
            run(["psql", server, "-q", "-c", f'DROP DATABASE IF EXISTS "{restored_name}"'])
    print(f"records (pledges, deliveries, valuations): {before['counts']}")
    print(f"dump: {size / 1e6:.2f} MB in {dumped:.1f} s; restore into {restored_name}: {restored_in:.1f} s")
    print(f"rebuild_totals --verify on the restored database: {verify}")
    differing = [key for key in before if before[key] != after.get(key)]
    print(f"API summaries compared: {len(SUMMARIES)}; differing: {differing or 'none'}")
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
