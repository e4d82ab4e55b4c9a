"""Benchmarks of SPEC §9 on PostgreSQL: prints its figures, asserts nothing.

    .venv/bin/python bench/summary_bench.py [--records 1000000] [--keep] [--no-export] [--summary-only]

Builds a separate database (aidledger_bench) with N pledges and N deliveries from 40 donors,
each using 2 of 4 programmes, up to 3 of 20 PURL packages and 2 or 3 currencies, on days
spread uniformly from 2022-02-24 to 2026-10-30; loads the real ECB rates, rebuilds the
pre-aggregated totals, verifies them,
then times: the summary (median of 7 runs per parameter set), the API's summary answer (time
and bytes, rates_used included), a full CSV export (peak memory),
and checking a 100,000-row import file.
"""

import argparse
import io
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aidledger_bench")
DB = os.environ["DATABASE_URL"].rsplit("/", 1)[1]  # the database prepare_database creates (or drops and creates)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

FIRST, LAST = date(2022, 2, 24), date(2026, 10, 30)
CURRENCIES = ["NOK", "SEK", "DKK", "GBP", "CAD", "AUD", "PLN", "CZK", "JPY", "CHF"]


def prepare_database(keep: bool, name: str = DB) -> bool:
    """Create the bench database `name`; returns True when it already holds data to reuse."""
    exists = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    if exists and keep:
        return True
    if exists:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    return False


def ledger_options() -> argparse.Namespace:
    """--records and --keep, as every bench that builds this ledger takes them."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000, help="pledges, and as many deliveries")
    parser.add_argument("--keep", action="store_true", help="reuse the bench database if it exists")
    return parser.parse_args()


def timed(label: str, action):
    start = time.perf_counter()
    result = action()
    print(f"{label}: {time.perf_counter() - start:.2f} s", flush=True)
    return result


def generate(records: int) -> None:
    from django.db import connection

    from aid.models import Donor, Package, Programme

    rng = random.Random(2026)
    donors = list(Donor.objects.order_by("code")[:40])  # the migrations hold every ISO 3166-1 country
    programmes = [Programme.objects.create(code=code, name_en=code) for code in ("PURL", "BILATERAL", "EPF", "UDCG")]
    packages = [Package.objects.create(programme=programmes[0], code=f"PURL-{n}") for n in range(1, 21)]
    # A donor's habits: its own currency and USD (some also EUR), two programmes, a few packages.
    habits = {
        d.pk: (
            [CURRENCIES[i % len(CURRENCIES)], "USD"] + (["EUR"] if i % 3 == 0 else []),
            [programmes[0], programmes[1 + i % 3]],
            [None] + [p.pk for p in rng.sample(packages, i % 4)],
        )
        for i, d in enumerate(donors)
    }
    span = (LAST - FIRST).days

    def rows(prefix: str):
        for n in range(records):
            donor = rng.choice(donors).pk
            currencies, donor_programmes, donor_packages = habits[donor]
            programme = rng.choice(donor_programmes)
            package = rng.choice(donor_packages) if programme.code == "PURL" else None
            currency = rng.choice(currencies)
            undisclosed = rng.random() < 0.02
            amount = None if undisclosed else rng.randrange(10_000, 50_000_000_000)
            day = FIRST + timedelta(days=rng.randrange(span))
            yield (f"{prefix}-{n}", donor, programme.pk, package, day, amount, "" if undisclosed else currency)

    columns = "ref, donor_id, programme_id, package_id, date, amount_minor, currency, amount_qualifier, description, confidence, status, version, created_at, updated_at"
    extra = {"aid_pledge": ", delivered_minor, deliveries_count, undisclosed_deliveries", "aid_delivery": ""}
    with connection.cursor() as cursor:
        for table, prefix in (("aid_pledge", "P"), ("aid_delivery", "D")):
            with cursor.connection.cursor().copy(f"COPY {table} ({columns}{extra[table]}) FROM STDIN") as copy:
                for ref, donor, programme, package, day, amount, currency in rows(prefix):
                    values = [
                        ref,
                        donor,
                        programme,
                        package,
                        day,
                        amount,
                        currency,
                        "exact",
                        "",
                        "",  # confidence: not assessed
                        "published",
                        1,
                        "2026-11-01T00:00:00Z",
                        "2026-11-01T00:00:00Z",
                    ]
                    copy.write_row(values + ([0, 0, 0] if table == "aid_pledge" else []))
        cursor.execute("ANALYZE")


def bench_summary() -> None:
    from aid.summary import LedgerFilter, Rates, summarize

    cases = [
        ("group_by=donor currency=EUR rates=transaction", {}),
        ("group_by=donor currency=USD rates=transaction", {"currency": "USD"}),
        ("group_by=month currency=EUR rates=transaction", {"group_by": "month"}),
        ("group_by=package currency=NOK rates=transaction programme=PURL", {"currency": "NOK", "group_by": "package", "ledger_filter": LedgerFilter(programmes=("PURL",))}),
        ("group_by=donor currency=EUR rates=2025-08-04", {"rates": Rates("day", date(2025, 8, 4))}),
        ("group_by=year currency=USD rates=latest", {"group_by": "year", "currency": "USD", "rates": Rates("latest")}),
        ("group_by=donor currency=EUR donor=AD,AE 2025", {"ledger_filter": LedgerFilter(donors=("AD", "AE"), date_from=date(2025, 1, 1), date_to=date(2025, 12, 31))}),
    ]  # fmt: skip
    for label, kwargs in cases:
        summarize(**kwargs)  # warm the caches once
        times = []
        for _ in range(7):
            start = time.perf_counter()
            summary = summarize(**kwargs)
            times.append((time.perf_counter() - start) * 1000)
        print(f"summary {label}: median {statistics.median(times):.0f} ms, max {max(times):.0f} ms "
              f"({len(summary.groups)} groups, {len(summary.rates_used)} rates disclosed)", flush=True)  # fmt: skip


def bench_summary_answer() -> None:
    """The API's summary as a reader gets it (JSON, rates_used included): time and size."""
    from django.test import Client

    client = Client()
    for query in ("currency=EUR", "currency=NOK", "currency=EUR&rates_used=full"):
        url = f"/api/v1/summary/?{query}"
        response = client.get(url)  # warm the caches once
        if response.status_code != 200:
            print(f"answer {url}: HTTP {response.status_code} (skipped)", flush=True)
            continue
        times = []
        for _ in range(5):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        print(f"answer {url}: median {statistics.median(times):.0f} ms, {len(response.content):,} bytes", flush=True)


def bench_export() -> None:
    """The whole ledger as CSV, consumed like a streaming response: memory must stay flat."""
    from aid.export import ledger_querysets, stream_csv

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    lines = 0
    for _ in stream_csv(ledger_querysets()):
        lines += 1
        if lines % 500_000 == 0:
            grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
            print(
                f"  CSV export: {lines:,} lines, {time.perf_counter() - start:.0f} s, peak RSS +{grown:.0f} MiB",
                flush=True,
            )
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    print(
        f"CSV export: {lines - 1:,} records in {time.perf_counter() - start:.0f} s, peak RSS grew {grown:.0f} MiB",
        flush=True,
    )


def bench_import_check() -> None:
    from aid.importing import _check_all, read_rows
    from aid.rules import COLUMNS

    out = io.StringIO()
    out.write(",".join(COLUMNS) + "\n")
    for n in range(100_000):
        out.write(f"pledge,NEW-{n},AA,PURL,,,2025-08-04,{n}.50,EUR,exact,,https://example.org/{n},\n")
    data = out.getvalue()
    start = time.perf_counter()
    rows, problems = read_rows(data)
    planned, problems = _check_all(rows)
    print(
        f"import check: {len(planned)} rows valid, {len(problems)} problems, {time.perf_counter() - start:.1f} s",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000, help="pledges, and as many deliveries")
    parser.add_argument("--keep", action="store_true", help="reuse the bench database if it exists")
    parser.add_argument("--no-export", action="store_true", help="skip the (long) full CSV export")
    parser.add_argument("--summary-only", action="store_true", help="time the summaries and the API's answer only")
    args = parser.parse_args()
    reuse = prepare_database(args.keep)

    import django

    django.setup()
    from django.core.management import call_command

    from aid.models import LedgerTotal
    from aid.summary import totals

    if not reuse:
        call_command("migrate", verbosity=0)
        timed("load_ecb_rates (1999-2026, with the daily table)", lambda: call_command("load_ecb_rates"))
        timed(f"generate {args.records:,} pledges + {args.records:,} deliveries (COPY)", lambda: generate(args.records))
        timed("rebuild_totals", totals.rebuild)
        problems = timed("verify totals against base tables", totals.differences)
        print(f"totals verified: {len(problems)} differences", flush=True)
    print(f"pre-aggregated rows: {LedgerTotal.objects.count():,}", flush=True)
    bench_summary()
    bench_summary_answer()
    if args.summary_only:
        return
    bench_import_check()
    if not args.no_export:
        bench_export()
    print(f"max RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
