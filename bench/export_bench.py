"""The whole ledger as CSV at SPEC §9's size, against its floor: prints figures, asserts nothing.

    .venv/bin/python bench/export_bench.py [--records 1000000] [--keep]

Builds (or with --keep reuses) the database named by BENCH_DATABASE_URL (default
aid_h11_bench): N pledges + N deliveries as bench/summary_bench.py makes them, plus 2,000
sources (every record has one, every tenth a second) and a valuation for every twentieth
pledge. Then, alternating round by round (the machine's speed drifts):
- product: `manage.py export_ledger FILE` in a child process (rows/s, peak RSS of the child);
- floor: `COPY (SELECT * FROM t) TO STDOUT (FORMAT csv)` of a plain table holding exactly the
  product's output rows (the fastest way PostgreSQL can hand out the same rows).
Also the time to the first record byte of the streamed export, and of the API's pledges CSV;
and that whole CSV downloaded twice: computed, then from the answer file the first download left.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = "aid_h11_bench"
os.environ.setdefault("BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{DB}")
os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
DB = os.environ["DATABASE_URL"].rsplit("/", 1)[1]

from bench import summary_bench  # noqa: E402 (reads BENCH_DATABASE_URL)
from bench.child import timed_manage  # noqa: E402

SOURCES_SQL = """
INSERT INTO aid_source (url, title, publisher, kind)
  SELECT 'https://news.example.org/' || n, 'Report ' || n || ', "quoted", with comma', '', 'media' FROM generate_series(1, 2000) n;
INSERT INTO aid_pledge_sources (pledge_id, source_id)
  SELECT id, (SELECT min(id) FROM aid_source) + id % 2000 FROM aid_pledge;
INSERT INTO aid_pledge_sources (pledge_id, source_id)
  SELECT id, (SELECT min(id) FROM aid_source) + (id + 7) % 2000 FROM aid_pledge WHERE id % 10 = 0;
INSERT INTO aid_delivery_sources (delivery_id, source_id)
  SELECT id, (SELECT min(id) FROM aid_source) + id % 2000 FROM aid_delivery;
INSERT INTO aid_delivery_sources (delivery_id, source_id)
  SELECT id, (SELECT min(id) FROM aid_source) + (id + 7) % 2000 FROM aid_delivery WHERE id % 10 = 0;
INSERT INTO aid_valuation (ref, pledge_id, date, description, amount_minor, currency, amount_qualifier,
                           amount_scale, confidence, version, created_at, updated_at)
  SELECT ref || '-USD', id, date, '', amount_minor, 'USD', 'approx', 0, 'medium', 1, now(), now()
  FROM aid_pledge WHERE id % 20 = 0 AND amount_minor IS NOT NULL AND amount_minor % 100 = 0;
INSERT INTO aid_valuation_sources (valuation_id, source_id)
  SELECT id, (SELECT min(id) FROM aid_source) + id % 2000 FROM aid_valuation;
UPDATE aid_pledge SET amount_scale = 0 WHERE id % 3 = 0 AND amount_minor % 100 = 0;
ANALYZE;
"""


def build(records: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    summary_bench.generate(records)
    with connection.cursor() as cursor:
        cursor.execute(SOURCES_SQL)
    print(f"built {records:,} + {records:,} records with sources in {time.perf_counter() - start:.0f} s", flush=True)


def floor_table() -> int:
    """A plain table of the product's exact output rows; returns their count."""
    from django.db import connection

    from aid.export_copy import KINDS, ledger_rows_sql
    from aid.rules import COLUMNS

    selects = " UNION ALL ".join(f"({ledger_rows_sql(kind, published_only=True)})" for kind in KINDS)
    names = ", ".join(f"c{n}" for n in range(len(COLUMNS)))
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_export_floor")
        cursor.execute(f"CREATE TABLE bench_export_floor AS SELECT * FROM ({selects}) t({names})")
        cursor.execute("VACUUM ANALYZE bench_export_floor")
        cursor.execute("SELECT count(*) FROM bench_export_floor")
        return cursor.fetchone()[0]


def time_floor() -> float:
    from django.db import connection

    connection.ensure_connection()
    start = time.perf_counter()
    with connection.connection.cursor() as cursor:
        cursor.execute("SET jit = off")  # as the product does (faster here too)
        with cursor.copy("COPY (SELECT * FROM bench_export_floor) TO STDOUT (FORMAT csv)") as copy:
            for _ in copy:
                pass
    return time.perf_counter() - start


def time_product(target: Path) -> tuple[float, float]:
    """(seconds, peak RSS MiB) of `manage.py export_ledger FILE` in its own process."""
    seconds, peak, _ = timed_manage("export_ledger", str(target))
    return seconds, peak


def time_first_byte() -> float:
    from aid.export_copy import ledger_csv_bytes

    start = time.perf_counter()
    blocks = ledger_csv_bytes()
    next(blocks)  # the header
    next(blocks)  # the first record
    elapsed = time.perf_counter() - start
    blocks.close()
    return elapsed


def time_api_first_byte() -> float:
    """The API's pledges CSV (newest first, from COPY too): time to its first record byte, in a
    process that has served it once (the first request of a process imports the site: seconds)."""
    from django.test import Client

    for _ in range(2):
        start = time.perf_counter()
        response = Client().get("/api/v1/pledges/?format=csv", HTTP_HOST="127.0.0.1")
        blocks = iter(response.streaming_content)
        next(blocks)  # the header
        next(blocks)  # the first record
        elapsed = time.perf_counter() - start
        response.close()
    return elapsed


def time_api_downloads() -> tuple[float, float, int]:
    """The API's whole pledges CSV downloaded twice in one process: (seconds computed, seconds
    from its answer file (aid.serving.file_cache), bytes). Nothing changed in between, so the
    second reads the file the first wrote."""
    from django.test import Client

    timings, size = [], 0
    for _ in range(2):
        start = time.perf_counter()
        response = Client().get("/api/v1/pledges/?format=csv", HTTP_HOST="127.0.0.1")
        size = sum(len(block) for block in response.streaming_content)
        response.close()
        timings.append(time.perf_counter() - start)
    return timings[0], timings[1], size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000, help="pledges, and as many deliveries")
    parser.add_argument("--keep", action="store_true", help="reuse the bench database if it exists")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    reuse = summary_bench.prepare_database(args.keep, DB)

    import django

    django.setup()
    if not reuse:
        build(args.records)
    if reuse:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # a kept database follows the code's migrations
    rows = floor_table()
    print(f"rows in the export: {rows:,}", flush=True)
    products, floors, rss = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "ledger.csv"
        for _ in range(args.rounds):
            seconds, peak = time_product(target)
            products.append(seconds)
            rss.append(peak)
            floors.append(time_floor())
            print(
                f"  round: export_ledger {seconds:.1f} s (peak RSS {peak:.0f} MiB), floor {floors[-1]:.1f} s",
                flush=True,
            )
        size = target.stat().st_size
    product, floor = statistics.median(products), statistics.median(floors)
    print(f"first record byte of the streamed export: {time_first_byte() * 1000:.0f} ms")
    print(f"first record byte of the API's pledges CSV: {time_api_first_byte() * 1000:.0f} ms")
    computed, stored, size = time_api_downloads()
    print(
        f"the API's whole pledges CSV ({size / 2**20:,.0f} MiB): computed {computed:.1f} s, "
        f"then from its answer file {stored:.2f} s"
    )
    print(f"product: export_ledger {rows / product:,.0f} rows/s ({size / 2**20:,.0f} MiB), peak RSS {max(rss):.0f} MiB")
    print(f"floor: COPY TO STDOUT of the same rows {rows / floor:,.0f} rows/s")
    print(f"ratio (product/floor rows/s): {floor / product:.2f}")


if __name__ == "__main__":
    main()
