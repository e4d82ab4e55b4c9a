"""`import_ledger` of BENCH_IMPORT_ROWS new rows against `COPY FROM` of the same file, on its own.

    BENCH_DB=aid_imp_bench BENCH_PLEDGES=100000 .venv/bin/python bench/import_bench.py [--setup] [--profile]

The import step of `make bench` (bench/run.py) without the rest: `--setup` makes the product
database (BENCH_DB: migrate, ECB rates, the BENCH_PLEDGES + BENCH_DELIVERIES ledger through
import_ledger); then BENCH_IMPORT_ROUNDS rounds (default 3) alternate an import of new rows (the
`import_ledger` command, timed from its start to its exit, its own peak RSS) with
`COPY FROM` of the same file into a plain table of the floor's schema (../shared/perf/floor_schema.sql)
in a database of its own (BENCH_FLOOR_DB, default BENCH_DB + "_floor"), order swapped each round.
BENCH_TEMPLATE names a database to copy BENCH_DB from before every import (made once with
`BENCH_DB=<template> ... --setup --no-rounds`), so that every round and every version of the code
imports into the same ledger; without it the ledger grows by BENCH_IMPORT_ROWS a round.
`--profile` runs one import under cProfile (written: a dry run would skip the rollup refresh and
the commit's foreign-key checks) and prints the 25 most expensive functions by cumulative time
and the slowest SQL statements.
"""

import cProfile
import os
import pstats
import subprocess
import sys
import time

from run import (
    DB,
    IMPORT_ROWS,
    PERF,
    PG,
    alternate_imports,
    donors_of,
    fresh_product_database,
    import_file,
    ledger_csv,
    new_rows_csv,
)

FLOOR_DB = os.environ.get("BENCH_FLOOR_DB", f"{DB}_floor")
TEMPLATE = os.environ.get("BENCH_TEMPLATE")
ROUNDS = int(os.environ.get("BENCH_IMPORT_ROUNDS", 3))


def floor_database():
    """A plain `ledger` table (the floor's schema) to COPY into: the import's floor."""
    from floor import Floor  # after run, which puts the project on the path

    subprocess.run(["dropdb", "--if-exists", "-f", "-h", "127.0.0.1", "-U", "postgres", FLOOR_DB], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", FLOOR_DB], check=True)
    floor = Floor(f"{PG}/{FLOOR_DB}")
    floor.connection.execute((PERF / "floor_schema.sql").read_text())
    return floor


def from_template() -> None:
    """BENCH_DB as a copy of BENCH_TEMPLATE (not timed): every import meets the same ledger."""
    from django.db import connection

    connection.close()
    subprocess.run(["dropdb", "--if-exists", "-f", "-h", "127.0.0.1", "-U", "postgres", DB], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "-T", TEMPLATE, DB], check=True)


def timed_import(data: bytes) -> float:
    """In-process, for --profile (the rounds time the command itself: run.import_command)."""
    from aid.importing import import_ledger

    if TEMPLATE:
        from_template()
    start = time.perf_counter()
    report = import_ledger(data)
    seconds = time.perf_counter() - start
    if not report.ok:
        raise SystemExit("import failed: " + "; ".join(report.problems[:5]))
    return seconds


def profile() -> None:
    from django.db import connection

    data = new_rows_csv(9).read_bytes()
    statements: list[tuple[float, str]] = []

    def timed_statement(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append((time.perf_counter() - start, sql))

    profiler = cProfile.Profile()
    with connection.execute_wrapper(timed_statement):
        profiler.enable()
        seconds = timed_import(data)
        profiler.disable()
    print(f"profiled import: {IMPORT_ROWS:,} rows in {seconds:.1f} s", flush=True)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    print(f"{len(statements)} statements, {sum(s for s, _ in statements):.1f} s; the slowest:")
    for spent, sql in sorted(statements, reverse=True)[:12]:
        print(f"  {spent:7.2f} s  {' '.join(sql.split())[:150]}")


def alternate(floor) -> None:
    ours_rate, theirs_rate, rss = alternate_imports(floor, ROUNDS, from_template if TEMPLATE else None)
    print(
        f"import_ledger {IMPORT_ROWS:,} new rows: {ours_rate:,.0f} rows/s; COPY FROM {theirs_rate:,.0f} rows/s; "
        f"ratio {ours_rate / theirs_rate:.3f} (target >= 0.2); peak RSS of the command {rss:.0f} MiB "
        f"(target <= 500); load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )


def main() -> None:
    import django

    django.setup()
    if "--setup" in sys.argv:
        csv_path = ledger_csv()
        fresh_product_database()
        donors_of(csv_path)
        start = time.perf_counter()
        rows = import_file(csv_path, 100_000)
        print(f"setup: {rows:,} rows through import_ledger in {time.perf_counter() - start:.0f} s", flush=True)
    if "--profile" in sys.argv:
        profile()
    elif "--no-rounds" not in sys.argv:
        alternate(floor_database())


if __name__ == "__main__":
    main()
