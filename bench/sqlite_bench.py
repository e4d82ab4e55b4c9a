"""SPEC §9's SQLite target: any summary at most 2× the best hand-written SQLite query on the same data.

    .venv/bin/python bench/sqlite_bench.py     (sizes and paths from the environment, below)

1. the ledger CSV from ../shared/perf/gen_ledger.py (BENCH_PLEDGES + BENCH_DELIVERIES, default
   100,000 each, seed 1), reused if made;
2. the product's SQLite database (SQLITE_BENCH_DIR, default /tmp/aid-sqlite-bench): migrate, ECB
   rates, the ledger through import_ledger in files of BENCH_CHUNK rows (the load figure); reused
   when BENCH_REUSE=1;
3. the peer's SQLite file from the same CSV with ../shared/perf/peer_load_sqlite.py (plain tables,
   REAL amounts, a dense daily rate table, a covering index);
4. per question, BENCH_ROUNDS rounds (default 7), the order swapped every round: the product's
   `aid.summary.summarize`, its API `summary/` (gunicorn, 1 worker, 127.0.0.1), and every peer
   formulation (../shared/perf/peer_s*.sql, adapted for a target other than EUR, `latest` and a
   filter); the floor is the formulation with the smallest median. Ratio of medians. The ledger
   version is bumped before each API request, so the shared cache never answers for the summary;
5. checks the answers agree per donor: the peer rounds each donor's float total once, the product
   rounds each daily part (SPEC §5), so they may differ by up to half a cent per part.
"""

import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
PERF = Path(os.environ.get("PERF_TOOLS", ROOT.parent / "shared" / "perf"))
WORK = Path(os.environ.get("SQLITE_BENCH_DIR", "/tmp/aid-sqlite-bench"))
PLEDGES = int(os.environ.get("BENCH_PLEDGES", 100_000))
DELIVERIES = int(os.environ.get("BENCH_DELIVERIES", PLEDGES))
CHUNK = int(os.environ.get("BENCH_CHUNK", 20_000))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 7))
PORT = int(os.environ.get("BENCH_PORT", 8785))
PRODUCT_DB = WORK / f"product_{PLEDGES}_{DELIVERIES}.sqlite3"
PEER_DB = WORK / f"peer_{PLEDGES}_{DELIVERIES}.sqlite3"
TARGET = 2.0
os.environ["DATABASE_URL"] = f"sqlite:///{PRODUCT_DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# label, API query, summarize() arguments, peer question (target, rates, donors, date_from, date_to)
QUESTIONS = [
    ("by donor, EUR, transaction", "currency=EUR", {}, ("EUR", "transaction", (), None, None)),
    ("by donor, NOK, transaction", "currency=NOK", {"currency": "NOK"}, ("NOK", "transaction", (), None, None)),
    ("by donor, USD, latest", "currency=USD&rates=latest", {"currency": "USD", "rates": "latest"},
     ("USD", "latest", (), None, None)),
    ("2 donors, dates cutting months, EUR", "donor=DE,PL&date_from=2024-03-15&date_to=2025-02-10",
     {"donors": ("DE", "PL"), "date_from": "2024-03-15", "date_to": "2025-02-10"},
     ("EUR", "transaction", ("DE", "PL"), "2024-03-15", "2025-02-10")),
]  # fmt: skip


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def ledger_csv() -> Path:
    path = WORK / f"ledger_{PLEDGES}_{DELIVERIES}_s1.csv"
    if not path.exists():
        say(f"generating {path}")
        with open(path.with_suffix(".tmp"), "wb") as out:
            subprocess.run(
                [sys.executable, PERF / "gen_ledger.py", "--pledges", str(PLEDGES), "--deliveries", str(DELIVERIES), "--seed", "1"],  # noqa: E501
                stdout=out, stderr=subprocess.DEVNULL, check=True,
            )  # fmt: skip
        path.with_suffix(".tmp").rename(path)
    return path


def load_product(csv_path: Path) -> None:
    from django.core.management import call_command
    from run import donors_of, import_file  # (run sets DATABASE_URL for its children: Gunicorn gets ours)

    PRODUCT_DB.unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    call_command("load_ecb_rates", verbosity=0)
    donors_of(csv_path)
    say(f"import_ledger {csv_path.name} in files of {CHUNK:,} rows")
    start = time.perf_counter()
    rows = import_file(csv_path, CHUNK)
    seconds = time.perf_counter() - start
    print(f"load: {rows:,} rows through import_ledger in {seconds:.0f} s ({rows / seconds:,.0f} rows/s)", flush=True)


def load_peer(csv_path: Path) -> None:
    from ledger.ecb import bundled_history

    rates = WORK / "rates_long.csv"
    with open(rates, "wb") as out:
        subprocess.run([sys.executable, PERF / "ecb_long.py", bundled_history()], stdout=out, check=True)
    subprocess.run([sys.executable, PERF / "peer_load_sqlite.py", PEER_DB, csv_path, rates], check=True)


# The peer's formulations (../shared/perf/peer_s*.sql) for any question: the target's rate of
# the same day (or each currency's newest) joined beside the source's, a WHERE for a filter.
SQL_COLUMNS = """
       count(l.amount) FILTER (WHERE l.record = 'pledge')   AS pledges,
       count(l.amount) FILTER (WHERE l.record = 'delivery') AS deliveries,
       count(*) FILTER (WHERE l.amount IS NULL)              AS undisclosed"""
# Each currency's newest rate: SQLite's bare column beside max() comes from the row holding the max.
LATEST = "latest AS MATERIALIZED (SELECT currency, rate, max(day) FROM rates_daily GROUP BY currency)"


def _where(alias: str, donors, date_from, date_to) -> str:
    where = [f"{alias}record IN ('pledge', 'delivery')"]
    if donors:
        where.append(f"{alias}donor IN ({', '.join(repr(code) for code in donors)})")
    if date_from:
        where.append(f"{alias}date >= '{date_from}'")
    if date_to:
        where.append(f"{alias}date <= '{date_to}'")
    return " AND ".join(where)


def _with(rates: str, more: bool = False) -> str:
    """The WITH clause's start: the newest rates for `latest`."""
    if rates == "latest":
        return f"WITH {LATEST}{', ' if more else ' '}"
    return "WITH " if more else ""


def _rate_joins(alias: str, date_column: str, target: str, rates: str) -> str:
    if rates == "latest":
        return f"LEFT JOIN latest r ON r.currency = {alias}.currency LEFT JOIN latest t ON t.currency = '{target}'"
    return (
        f"LEFT JOIN rates_daily r ON r.currency = {alias}.currency AND r.day = {alias}.{date_column} "
        f"LEFT JOIN rates_daily t ON t.currency = '{target}' AND t.day = {alias}.{date_column}"
    )


def peer_row_join(target, rates, donors, date_from, date_to) -> str:
    return f"""{_with(rates)}SELECT l.donor,
       round(sum(l.amount / r.rate * t.rate) FILTER (WHERE l.record = 'pledge'), 2) AS pledged,
       round(sum(l.amount / r.rate * t.rate) FILTER (WHERE l.record = 'delivery'), 2) AS delivered,{SQL_COLUMNS}
FROM ledger l {_rate_joins("l", "date", target, rates)}
WHERE {_where("l.", donors, date_from, date_to)} GROUP BY l.donor ORDER BY l.donor"""


def peer_agg_first(target, rates, donors, date_from, date_to) -> str:
    return f"""{_with(rates, more=True)}per_day AS (
  SELECT donor, currency, date,
         sum(amount) FILTER (WHERE record = 'pledge') AS p, sum(amount) FILTER (WHERE record = 'delivery') AS d,
         count(amount) FILTER (WHERE record = 'pledge') AS np, count(amount) FILTER (WHERE record = 'delivery') AS nd,
         count(*) FILTER (WHERE amount IS NULL) AS nu
  FROM ledger WHERE {_where("", donors, date_from, date_to)} GROUP BY donor, currency, date)
SELECT a.donor, round(sum(a.p / r.rate * t.rate), 2) AS pledged, round(sum(a.d / r.rate * t.rate), 2) AS delivered,
       sum(a.np) AS pledges, sum(a.nd) AS deliveries, sum(a.nu) AS undisclosed
FROM per_day a {_rate_joins("a", "date", target, rates)} GROUP BY a.donor ORDER BY a.donor"""


def peer_sparse(target, rates, donors, date_from, date_to) -> str:
    def rate(currency: str) -> str:
        if rates == "latest":
            pick = f"SELECT x.rate FROM rates x WHERE x.currency = {currency} ORDER BY x.day DESC LIMIT 1"
        else:
            pick = f"SELECT x.rate FROM rates x WHERE x.currency = {currency} AND x.day <= l.date ORDER BY x.day DESC LIMIT 1"  # noqa: E501
        return f"CASE WHEN {currency} = 'EUR' THEN 1.0 ELSE ({pick}) END"

    return f"""SELECT donor,
       round(sum(amount / rate * target_rate) FILTER (WHERE record = 'pledge'), 2) AS pledged,
       round(sum(amount / rate * target_rate) FILTER (WHERE record = 'delivery'), 2) AS delivered,
       count(amount) FILTER (WHERE record = 'pledge') AS pledges, count(amount) FILTER (WHERE record = 'delivery') AS deliveries,
       count(*) FILTER (WHERE amount IS NULL) AS undisclosed
FROM (SELECT l.donor, l.record, l.amount, {rate("l.currency")} AS rate, {rate(f"'{target}'")} AS target_rate
      FROM ledger l WHERE {_where("l.", donors, date_from, date_to)})
GROUP BY donor ORDER BY donor"""  # noqa: E501


def peer_formulations(question) -> dict[str, str]:
    """The formulations for a question; the EUR whole-ledger one is the shared files as written."""
    if question == ("EUR", "transaction", (), None, None):
        return {path.stem: path.read_text() for path in sorted(PERF.glob("peer_s*.sql"))}
    return {name: build(*question) for name, build in
            (("s1_row_join", peer_row_join), ("s2_agg_first", peer_agg_first), ("s3_sparse", peer_sparse))}  # fmt: skip


def timed_ms(action) -> tuple[float, object]:
    start = time.perf_counter()
    answer = action()
    return (time.perf_counter() - start) * 1000, answer


def product_call(arguments: dict):
    from datetime import date

    from aid.summary import LedgerFilter, Rates, summarize

    arguments = dict(arguments)
    rates = Rates(arguments.pop("rates")) if arguments.get("rates") == "latest" else Rates()
    currency = arguments.pop("currency", "EUR")
    for name in ("date_from", "date_to"):
        if name in arguments:
            arguments[name] = date.fromisoformat(arguments[name])
    return lambda: summarize(currency=currency, rates=rates, ledger_filter=LedgerFilter(**arguments))


def agreement(summary, peer_rows) -> str:
    """The largest per-donor difference (product − peer) in the target currency, and the counts' agreement."""
    peer = {row[0]: row for row in peer_rows}
    worst, counts_agree = Decimal(0), True
    for group in summary.groups:
        _, pledged, delivered, pledges, deliveries, undisclosed = peer[group.key][:6]  # the shared files add `unrated`
        for ours, theirs in ((group.pledged, pledged), (group.delivered, delivered)):
            if theirs is not None or ours is not None:
                worst = max(worst, abs((ours or 0) - Decimal(str(theirs or 0))))
        counts_agree &= (group.pledges - group.undisclosed_pledges, group.deliveries - group.undisclosed_deliveries,
                         group.undisclosed) == (pledges, deliveries, undisclosed)  # fmt: skip
    same_donors = {g.key for g in summary.groups} == set(peer)
    return f"max |product - peer| per donor {worst}; donors {'agree' if same_donors else 'DIFFER'}; counts {'agree' if counts_agree and same_donors else 'DIFFER'}"  # noqa: E501


def bench_question(label, query, arguments, question, server, peer) -> list[str]:
    from aid.serving.version import bump

    call = product_call(arguments)
    formulations = peer_formulations(question)
    timings: dict[str, list[float]] = {"summarize": [], "API": [], **{name: [] for name in formulations}}

    def product():
        timings["summarize"].append(timed_ms(call)[0])
        bump()  # a new ledger version: the API computes its answer instead of serving the cached one
        timings["API"].append(server.time_get(f"/api/v1/summary/?{query}"))

    def floor():
        for name, sql in formulations.items():
            timings[name].append(timed_ms(lambda s=sql: peer.execute(s).fetchall())[0])

    summary, rows = call(), peer.execute(formulations[next(iter(formulations))]).fetchall()  # warm, and the answers
    server.time_get(f"/api/v1/summary/?{query}")
    for round_no in range(ROUNDS):
        for step in (product, floor) if round_no % 2 == 0 else (floor, product):
            step()
    medians = {name: statistics.median(values) for name, values in timings.items()}
    best = min(formulations, key=medians.get)
    lines = [f"{label}: peer formulations " + ", ".join(f"{name} {medians[name]:.0f} ms" for name in formulations)]
    for name in ("summarize", "API"):
        ratio = medians[name] / medians[best]
        lines.append(
            f"  {name:<9} {label:<38} product {medians[name]:8.0f} ms  floor {medians[best]:8.0f} ms ({best})  "
            f"ratio {ratio:6.2f}  target <= {TARGET}  holds {'yes' if ratio <= TARGET else 'no'}"
        )
    lines.append("  " + agreement(summary, rows))
    for line in lines:
        print(line, flush=True)
    return lines


def main() -> None:
    import django

    WORK.mkdir(parents=True, exist_ok=True)
    csv_path = ledger_csv()
    django.setup()
    if os.environ.get("BENCH_REUSE") != "1" or not PRODUCT_DB.exists():
        load_product(csv_path)
    else:  # the file of the last run, migrated to this code
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    if os.environ.get("BENCH_REUSE") != "1" or not PEER_DB.exists():
        load_peer(csv_path)
    from server import Gunicorn

    with socket.socket() as probe:  # a server left on the port would answer for ours (another database)
        if probe.connect_ex(("127.0.0.1", PORT)) == 0:
            raise SystemExit(f"127.0.0.1:{PORT} is taken: set BENCH_PORT")
    peer = sqlite3.connect(PEER_DB)
    lines = [
        f"SQLite, {PLEDGES:,} pledges + {DELIVERIES:,} deliveries, {ROUNDS} rounds, load average {os.getloadavg()[0]:.1f}"
    ]  # noqa: E501
    with Gunicorn(PORT, workers=1, env={"DATABASE_URL": f"sqlite:///{PRODUCT_DB}"}) as server:
        for label, query, arguments, question in QUESTIONS:
            lines += bench_question(label, query, arguments, question, server, peer)
    print("\n".join(["", "summary:", *lines]))


if __name__ == "__main__":
    main()
