"""`make bench`: SPEC §9's protocol in one command, on PostgreSQL. Prints figures, asserts nothing.

    .venv/bin/python bench/run.py        (sizes and names from the environment, below)

1. the ledger CSV from ../shared/perf/gen_ledger.py (BENCH_PLEDGES + BENCH_DELIVERIES, default
   1,000,000 each; BENCH_PLEDGES=20000 BENCH_DELIVERIES=20000 for a quick run), reused if made;
2. a fresh product database (BENCH_DB, default aidledger_bench): migrate, ECB rates, then the
   ledger through import_ledger, in files of BENCH_CHUNK rows (the load figure);
3. the floor (../shared/perf/floor_pg.sh, database perf_floor) on the same CSV;
4. each workload alternated with its floor, BENCH_ROUNDS rounds (default 9), ratio of medians:
   the summaries over HTTP (gunicorn, 1 worker), the import of BENCH_IMPORT_ROWS new rows
   (default 100,000) against COPY FROM of the same file, export_ledger of the whole published
   ledger against COPY TO STDOUT of the floor's table (BENCH_EXPORT_ROUNDS, default 3), then the
   first byte of the API's CSV, rebuild_totals and a day of new rates against the floor's summary;
5. the load test (bench/load.py: gunicorn with 3 workers, 100 clients, 30 s);
   (BENCH_STEPS=summaries,import,export,rebuild,load picks steps; BENCH_REUSE=1 keeps the last databases)
6. one line per target: product, floor, ratio, target, holds.
"""

import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
PERF = Path(os.environ.get("PERF_TOOLS", ROOT.parent / "shared" / "perf"))
PERF_DIR = Path(os.environ.get("PERF_DIR", Path(os.environ.get("TMPDIR", "/tmp")) / "aid-ledger-perf"))
PLEDGES = int(os.environ.get("BENCH_PLEDGES", 1_000_000))
DELIVERIES = int(os.environ.get("BENCH_DELIVERIES", PLEDGES))
IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", 100_000))
CHUNK = int(os.environ.get("BENCH_CHUNK", 100_000))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 9))
DB = os.environ.get("BENCH_DB", "aidledger_bench")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PORT = int(os.environ.get("BENCH_PORT", 8765))
FLOOR_DSN = "host=127.0.0.1 port=5432 user=perf password=perf dbname=perf_floor"
os.environ["DATABASE_URL"] = f"{PG}/{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from child import timed_manage  # noqa: E402
from floor import Floor, summary_sql  # noqa: E402
from server import Gunicorn  # noqa: E402

# label, API query, floor question, target ratio (product time ÷ floor time)
SUMMARIES = [
    ("summary by donor, EUR, transaction", "currency=EUR", {}, 0.05),
    ("summary by donor, USD, transaction", "currency=USD", {"currency": "USD"}, 0.05),
    ("summary by donor, NOK, transaction", "currency=NOK", {"currency": "NOK"}, 0.2),
    ("summary by donor, JPY, transaction", "currency=JPY", {"currency": "JPY"}, 0.2),
    ("summary by donor, USD, latest", "currency=USD&rates=latest", {"currency": "USD", "rates": "latest"}, 0.2),
    ("summary by package, EUR, transaction", "group_by=package", {"group_by": "package"}, 0.2),
    (
        "summary by package, EUR, latest",
        "group_by=package&rates=latest",
        {"group_by": "package", "rates": "latest"},
        0.2,
    ),
    (
        "summary, 2 donors, dates cutting months, EUR",
        "donor=DE,PL&date_from=2024-03-15&date_to=2025-02-10",
        {"donors": ("DE", "PL"), "date_from": "2024-03-15", "date_to": "2025-02-10"},
        0.2,
    ),
    (
        "summary, 2 donors, dates cutting months, NOK",
        "currency=NOK&donor=DE,PL&date_from=2024-03-15&date_to=2025-02-10",
        {"currency": "NOK", "donors": ("DE", "PL"), "date_from": "2024-03-15", "date_to": "2025-02-10"},
        0.2,
    ),
]
RESULTS: list[str] = []
RUN_ID = time.strftime("%H%M%S")
STEPS = os.environ.get("BENCH_STEPS", "summaries,import,export,rebuild,load").split(",")
EXPORT_ROUNDS = int(os.environ.get("BENCH_EXPORT_ROUNDS", 3))


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def result(label: str, product: str, floor: str, ratio: float, target: str, holds: bool) -> None:
    line = f"{label:<46} product {product:>14}  floor {floor:>14}  ratio {ratio:8.3f}  target {target:<8} holds {'yes' if holds else 'no'}"  # noqa: E501
    RESULTS.append(line)
    print(line, flush=True)


def ledger_csv() -> Path:
    path = PERF_DIR / "work" / f"ledger_{PLEDGES}_{DELIVERIES}_s1.csv"
    if not path.exists():
        say(f"generating {path}")
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path.with_suffix(".tmp"), "wb") as out:
            subprocess.run(
                [sys.executable, PERF / "gen_ledger.py", "--pledges", str(PLEDGES), "--deliveries", str(DELIVERIES), "--seed", "1"],  # noqa: E501
                stdout=out, check=True,
            )  # fmt: skip
        path.with_suffix(".tmp").rename(path)
    return path


def new_rows_csv(round_no: int) -> Path:
    """IMPORT_ROWS rows whose refs the ledger does not hold (a prefix per run and round)."""
    base = PERF_DIR / "work" / f"import_{IMPORT_ROWS}_s2.csv"
    if not base.exists():
        half = IMPORT_ROWS // 2
        with open(base, "wb") as out:
            subprocess.run(
                [sys.executable, PERF / "gen_ledger.py", "--pledges", str(half), "--deliveries", str(IMPORT_ROWS - half), "--seed", "2"],  # noqa: E501
                stdout=out, stderr=subprocess.DEVNULL, check=True,
            )  # fmt: skip
    prefix = f"N{RUN_ID}{round_no}-"
    path = PERF_DIR / "work" / f"import_{IMPORT_ROWS}_{prefix}csv"
    with open(base, encoding="utf-8") as source, open(path, "w", encoding="utf-8") as out:
        out.write(source.readline())
        for line in source:
            kind, ref, donor, programme, package, pledge_ref, rest = line.split(",", 6)
            pledge_ref = prefix + pledge_ref if pledge_ref else ""
            out.write(",".join((kind, prefix + ref, donor, programme, package, pledge_ref, rest)))
    return path


def fresh_product_database() -> None:
    subprocess.run(["dropdb", "--if-exists", "-f", "-h", "127.0.0.1", "-U", "postgres", DB], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], check=True)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_ecb_rates", verbosity=0)


def donors_of(path: Path) -> None:
    """The file's donor codes, entered as an editor would before an import (no seed data: it would
    change the totals the floor is compared with)."""
    from aid.models import Donor

    with open(path, encoding="utf-8") as source:
        codes = {line.split(",", 3)[2] for line in source} - {"donor"}
    for code in sorted(codes):
        Donor.objects.get_or_create(code=code, defaults={"name_en": code})


def import_file(path: Path, lines_per_file: int) -> int:
    """The ledger through import_ledger, a file of `lines_per_file` rows at a time (pledges first)."""
    from aid.importing import import_ledger

    rows = 0
    with open(path, encoding="utf-8") as source:
        header = source.readline()
        while True:
            chunk = [line for _, line in zip(range(lines_per_file), source, strict=False)]
            if not chunk:
                return rows
            report = import_ledger(header + "".join(chunk))
            if not report.ok:
                raise SystemExit("import failed: " + "; ".join(report.problems[:5]))
            rows += len(chunk)


def median_ratio(product: list[float], floor: list[float]) -> float:
    return statistics.median(product) / statistics.median(floor)


def alternate(product, floor, first: list | None = None, rounds: int = ROUNDS) -> tuple[list[float], list[float]]:
    """Round by round, the order swapped every round (both see the same machine moments), after
    a first call of each (kept in `first` when given: a product's first answer may be its slowest)."""
    warm = (product(), floor())
    if first is not None:
        first.extend(warm)
    ours, theirs = [], []
    for round_no in range(rounds):
        if round_no % 2:
            theirs.append(floor())
            ours.append(product())
        else:
            ours.append(product())
            theirs.append(floor())
    return ours, theirs


def wait_until_held(currency: str, asked_at: float) -> None:
    """The first summary in a currency the rollup does not hold starts holding it in the server's
    background (aid.summary.held_targets); the rounds measure the answers once it is held."""
    from aid.models import HeldTarget
    from aid.summary import rollup

    if currency in rollup.configured_targets():
        return
    while not HeldTarget.objects.filter(code=currency).exists():
        if time.perf_counter() - asked_at > 600:
            raise SystemExit(f"{currency} was not held 600 s after it was first asked for")
        time.sleep(1)
    print(f"  {currency} held {time.perf_counter() - asked_at:.0f} s after it was first asked for", flush=True)


class SummaryAsk:
    """One summary request, timed; after the first, the wait until its currency is held."""

    def __init__(self, server: Gunicorn, query: str, currency: str):
        self.server, self.query, self.currency, self.asked = server, query, currency, False

    def __call__(self) -> float:
        asked_at = time.perf_counter()
        took = self.server.time_get(f"/api/v1/summary/?{self.query}")
        if not self.asked:
            self.asked = True
            wait_until_held(self.currency, asked_at)
        return took


def bench_summaries(floor: Floor, server: Gunicorn) -> None:
    for label, query, question, target in SUMMARIES:
        sql = summary_sql(**question)
        first = []  # the first ask of a currency not held is answered from the daily totals
        ask = SummaryAsk(server, query, question.get("currency", "EUR"))
        ours, theirs = alternate(ask, lambda s=sql: floor.time_query(s), first)
        ratio = median_ratio(ours, theirs)
        result(
            label, f"{statistics.median(ours):.0f} ms", f"{statistics.median(theirs):.0f} ms", ratio, f"<= {target}",
            ratio <= target and max(first[0], *ours) <= max(first[1], *theirs),
        )  # fmt: skip
        print(f"  first request {first[0]:.0f} ms, the floor's first {first[1]:.0f} ms; slowest of the rounds "
              f"{max(ours):.0f} ms, the floor's {max(theirs):.0f} ms (no request slower than the floor)", flush=True)  # fmt: skip


def import_command(path: Path) -> tuple[float, float, list[str]]:
    """`manage.py import_ledger --timings FILE` as a user runs it: seconds from the command's start
    to its exit (Django's start-up, reading the file, checking, writing, the commit), its own
    peak RSS in MiB, and its phase timings."""
    seconds, peak, lines = timed_manage("import_ledger", "--timings", str(path))
    return seconds, peak, [line.removeprefix("timing: ") for line in lines if line.startswith("timing: ")]


def alternate_imports(floor: Floor, rounds: int, before_import=None) -> tuple[float, float, float]:
    """Round by round, the order swapped every round: the import_ledger command of new rows and
    COPY FROM of the same file (`before_import`, untimed, runs before each import). Returns the
    command's and COPY FROM's rows/s (medians) and the command's largest peak RSS (MiB)."""
    ours, theirs = [], []

    def ours_step(path: Path) -> None:
        if before_import:
            before_import()
        ours.append(import_command(path))

    for round_no in range(rounds):
        path = new_rows_csv(round_no)
        steps = [lambda p=path: ours_step(p), lambda p=path: theirs.append(floor.copy_in_ms(p) / 1000)]
        for step in steps if round_no % 2 == 0 else reversed(steps):
            step()
        seconds, _, phases = ours[-1]
        print(f"  round {round_no}: import_ledger {seconds:.2f} s, COPY FROM {theirs[-1]:.3f} s", flush=True)
        print(f"    phases: {'; '.join(phases)}", flush=True)
    ours_rate = IMPORT_ROWS / statistics.median(seconds for seconds, _, _ in ours)
    return ours_rate, IMPORT_ROWS / statistics.median(theirs), max(peak for _, peak, _ in ours)


def bench_import(floor: Floor) -> None:
    ours_rate, theirs_rate, rss = alternate_imports(floor, 3)
    ratio = ours_rate / theirs_rate
    result(
        f"import_ledger {IMPORT_ROWS:,} new rows (rows/s)", f"{ours_rate:,.0f}/s", f"{theirs_rate:,.0f}/s", ratio,
        ">= 0.2", ratio >= 0.2,
    )  # fmt: skip
    print(f"  import peak RSS of the import_ledger command: {rss:.0f} MiB (target <= 500)", flush=True)


def bench_rebuild(floor: Floor) -> None:
    from datetime import timedelta
    from itertools import count

    from django.db import transaction

    from aid.summary import totals
    from ledger.models import ECB_SOURCE, ExchangeRate
    from ledger.services import load_ecb_rates

    eur = summary_sql()

    def timed(action):
        start = time.perf_counter()
        action()
        return (time.perf_counter() - start) * 1000

    ours, theirs = [], []
    for _ in range(3):
        ours.append(timed(totals.rebuild))
        theirs.append(floor.time_query(eur))
    ratio = median_ratio(ours, theirs)
    product, floor_ms = f"{statistics.median(ours):.0f} ms", f"{statistics.median(theirs):.0f} ms"
    result("rebuild_totals (from scratch)", product, floor_ms, ratio, "<= 20", ratio <= 20)
    # A day of new ECB rates the way the daily job adds it (ledger.services.load_ecb_rates): the
    # newest day's rates again, a day later each round, for every currency; the daily rate table,
    # the converted totals and the delivered figures follow inside. Rolled back at the end, so the
    # bench database keeps the real rates.
    newest = ExchangeRate.objects.filter(source=ECB_SOURCE).latest("day").day
    rates = list(ExchangeRate.objects.filter(day=newest, source=ECB_SOURCE).values_list("currency", "rate"))
    days = (newest + timedelta(days=n) for n in count(1))

    def new_day():
        day = next(days)
        load_ecb_rates([(currency, day, rate) for currency, rate in rates])

    say(f"a day of new rates: {len(rates)} currencies, days after {newest}")
    with transaction.atomic():
        ours, theirs = alternate(lambda: timed(new_day), lambda: floor.time_query(eur))
        transaction.set_rollback(True)
    ratio = median_ratio(ours, theirs)
    product, floor_ms = f"{statistics.median(ours):.0f} ms", f"{statistics.median(theirs):.0f} ms"
    result("a day of new rates refreshed", product, floor_ms, ratio, "<= 1", ratio <= 1)


def csv_records(path: Path) -> int:
    """Rows of a CSV file after its header (a quoted cell may hold a line break)."""
    with open(path, newline="", encoding="utf-8") as file:
        return sum(1 for _ in csv.reader(file)) - 1


def bench_export(floor: Floor) -> None:
    """The whole published ledger as ledger CSV, `export_ledger FILE` as a cron job runs it (its
    own process: seconds and peak RSS), against COPY TO STDOUT of the floor's plain table of the
    same ledger (rows/s of each, alternated); then the first byte of the API's streamed CSV."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "ledger.csv"
        peaks = []

        def export() -> float:
            seconds, peak, _ = timed_manage("export_ledger", str(target))
            peaks.append(peak)
            return seconds

        first = []  # the first export writes the blocks missing (aid.export_blocks): all, on a new database
        ours, theirs = alternate(export, floor.copy_out_seconds, first, rounds=EXPORT_ROUNDS)
        rows = csv_records(target)
    ours_rate, theirs_rate = rows / statistics.median(ours), floor.ledger_rows() / statistics.median(theirs)
    ratio = ours_rate / theirs_rate
    result(
        f"export_ledger, whole published ledger ({rows:,} CSV rows/s)", f"{ours_rate:,.0f}/s", f"{theirs_rate:,.0f}/s",
        ratio, ">= 0.5", ratio >= 0.5,
    )  # fmt: skip
    print(f"  export peak RSS of the export_ledger command: {max(peaks):.0f} MiB (target <= 150); the first "
          f"export (writing the blocks missing) {first[0]:.1f} s, {rows / first[0]:,.0f} rows/s", flush=True)  # fmt: skip
    with Gunicorn(PORT, workers=1, env={"RESPONSE_CACHE": "0"}) as server:
        server.time_get("/api/v1/")  # the worker's first request imports the site
        took = server.time_first_byte("/api/v1/pledges/?format=csv")
    print(f"  first byte of the API's pledges CSV (newest first, streamed): {took:.0f} ms (target < 1 s)", flush=True)


def load_both(csv_path: Path) -> None:
    say(f"product database {DB}: migrate, ECB rates")
    fresh_product_database()
    say(f"import_ledger {csv_path.name} in files of {CHUNK:,} rows")
    donors_of(csv_path)
    start = time.perf_counter()
    rows = import_file(csv_path, CHUNK)
    seconds = time.perf_counter() - start
    print(f"load: {rows:,} rows through import_ledger in {seconds:.0f} s ({rows / seconds:,.0f} rows/s)", flush=True)
    say("floor: ../shared/perf/floor_pg.sh (RUNS=1 LOADS=1)")
    subprocess.run(
        ["bash", PERF / "floor_pg.sh", str(csv_path)], env={**os.environ, "RUNS": "1", "LOADS": "1"}, check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip


def main() -> None:
    import django

    csv_path = ledger_csv()
    django.setup()
    if os.environ.get("BENCH_REUSE") != "1":
        load_both(csv_path)
    else:  # BENCH_REUSE=1: the databases of the last run, migrated to this code
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    floor = Floor(FLOOR_DSN)
    if "summaries" in STEPS:
        # Every answer computed, as the floor's: the shared response cache would answer repeats.
        with Gunicorn(PORT, workers=1, env={"RESPONSE_CACHE": "0"}) as server:
            bench_summaries(floor, server)
    if "import" in STEPS:
        bench_import(floor)
    if "export" in STEPS:
        bench_export(floor)
    if "rebuild" in STEPS:
        bench_rebuild(floor)
    if "load" in STEPS:
        say("load test: gunicorn, 3 workers, the shared Redis cache, 100 clients, 30 s")
        from load import run_load
        from load_site import served

        with served(os.environ["DATABASE_URL"], PORT) as server:
            run_load(server.base, clients=100, seconds=30)
            say("the same while the ledger version moves every 5 s, as writes do")
            run_load(server.base, clients=100, seconds=30, write_every=5)
    print("\n".join(["", "summary of targets:", *RESULTS]))


if __name__ == "__main__":
    main()
