"""The site the load test runs against: seed data plus N pledges, served by gunicorn with the shared cache.

Used by bench/load.py (`--site`) and bench/replica.py. Only 127.0.0.1; the database is made
afresh (dropped and created) under the name given.
"""

import csv
import os
import random
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from server import PRODUCTION, ROOT, Gunicorn

DONORS = ("NL", "DE", "GB", "NO", "DK", "SE", "FI", "PL", "CA", "US", "FR", "BE")
CURRENCIES = ("EUR", "EUR", "USD", "GBP", "NOK", "DKK", "SEK", "PLN", "CAD")
HEADER = (
    "record,ref,donor,programme,package,pledge_ref,date,amount,currency,amount_qualifier,description,"
    "source_url,source_title,confidence"
).split(",")


def manage(database_url: str, *args: str, env: dict | None = None) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, **(env or {})}
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def pledges_csv(path: Path, count: int) -> None:
    """`count` published pledges spread over donors, programmes, currencies and four years (seeded)."""
    chance = random.Random(10)
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for number in range(count):
            day = date(2022, 3, 1) + timedelta(days=chance.randrange(1300))
            donor = chance.choice(DONORS)
            amount = f"{chance.randrange(10_000, 500_000_000)}.{chance.randrange(100):02d}"
            programme = chance.choice(("BILATERAL", "PURL", "EPF"))
            source = f"https://example.org/load/{number // 50}"
            writer.writerow(
                ["pledge", f"LOAD-{donor}-{number:06d}", donor, programme, "", "", day.isoformat(), amount,
                 chance.choice(CURRENCIES), "", "load test pledge", source, "", "medium"]
            )  # fmt: skip


def prepare(database_url: str, pledges: int = 20_000) -> None:
    """A fresh database: migrations, the ECB rates, the seed, then `pledges` pledges through import_ledger."""
    parts = urlsplit(database_url)
    if parts.hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("the load test's database is on 127.0.0.1 only")
    server = ["-h", parts.hostname, "-p", str(parts.port or 5432), "-U", parts.username or "postgres"]
    name = parts.path.lstrip("/")
    subprocess.run(["dropdb", "--if-exists", "-f", *server, name], check=True)
    subprocess.run(["createdb", *server, name], check=True)
    manage(database_url, "migrate")
    manage(database_url, "load_ecb_rates")
    manage(database_url, "load_seed")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pledges.csv"
        pledges_csv(path, pledges)
        manage(database_url, "import_ledger", str(path))


@contextmanager
def served(database_url: str, port: int, *, workers: int = 3, env: dict | None = None):
    """gunicorn on the site with the shared cache (BENCH_CACHE_URL, Redis) and no throttle:
    the 100 clients all come from 127.0.0.1 but stand for 100 readers."""
    cache_url = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/13")
    prefix = f"aid-load-{os.getpid()}"
    settings = {
        "DATABASE_URL": database_url,
        "CACHE_URL": cache_url,
        "CACHE_KEY_PREFIX": prefix,
        "API_ANON_THROTTLE": "1000000/minute",
        # As `make serve` runs it: 3 workers of WEB_THREADS threads (default 4).
        "GUNICORN_CMD_ARGS": f"--threads {os.environ.get('WEB_THREADS', '4')}",
        **(env or {}),
    }
    # Served as in production (DEBUG off: the hashed static files' manifest), also for a database
    # prepared elsewhere (make bench's): a fresh clone has collected nothing yet.
    manage(database_url, "collectstatic", "--noinput", env=PRODUCTION)
    try:
        with Gunicorn(port, workers=workers, env=settings) as server:
            yield server
    finally:
        import redis

        store = redis.Redis.from_url(cache_url)
        for key in store.scan_iter(f"{prefix}:*"):
            store.delete(key)
