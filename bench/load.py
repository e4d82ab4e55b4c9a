"""A newsroom's traffic spike: N clients for S seconds on a mix of pages and API reads.

    .venv/bin/python bench/load.py http://127.0.0.1:8000 [--clients 100] [--seconds 30]
    .venv/bin/python bench/load.py --site postgres://postgres@127.0.0.1:5432/aid_load [--port 8631]

With `--site`, the whole spike of SPEC §9: a fresh database there with the seed data plus
20,000 pledges (bench/load_site.py), gunicorn with 3 workers and the shared Redis cache
(BENCH_CACHE_URL, default redis://127.0.0.1:6379/13), then the clients.
`--write-every S` moves the ledger version every S seconds meanwhile, as writes do (each move makes
every cached answer new: the spike meets an edited ledger).
Only 127.0.0.1 (refuses another host), bounded in time; prints requests/s, p50, p99, errors,
and the load average when it ended (the machine may be shared).
"""

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests

MIX = ["/", "/donor/NL/", "/api/v1/summary/", "/api/v1/pledges/"]


def version_mover():
    """A function that moves the ledger version as a write does, in the database of DATABASE_URL
    (which must be the served site's): each move makes every cached answer new. Django is set up
    here, before the clients start (set up in a thread beside 100 busy clients, it never finished)."""
    import django

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project, run from anywhere
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.db import transaction

    from aid.serving.version import bump

    def move() -> None:
        with transaction.atomic():
            bump()

    move()  # connected and warm before the clock starts
    return move


def moving_version(move, every: float, stop: threading.Event, moved: list) -> None:
    while not stop.wait(every):
        move()
        moved.append(time.monotonic())


def run_load(base: str, *, clients: int = 100, seconds: float = 30, timeout: float = 10, write_every=None) -> dict:
    if urlsplit(base).hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("the load test runs against 127.0.0.1 only")
    for path in MIX:  # a spike meets a site that was serving: each page asked once before the clock starts
        requests.get(base + path, timeout=300)
    stop, moved = threading.Event(), []
    if write_every:
        move = version_mover()
        threading.Thread(target=moving_version, args=(move, write_every, stop, moved), daemon=True).start()
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        session = requests.Session()
        step = number
        while time.monotonic() < deadline:
            path = MIX[step % len(MIX)]
            step += 1
            start = time.perf_counter()
            try:
                status = session.get(base + path, timeout=timeout).status_code
                problem = None if status == 200 else f"{path}: HTTP {status}"
            except requests.RequestException as error:  # the cause, for the operator: refused, reset, timed out
                problem = f"{path}: {type(error).__name__}: {str(error)[-160:]}"
            with lock:
                latencies.append(time.perf_counter() - start)
                if problem:
                    errors.append(problem)

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout + seconds + 5)
    elapsed = time.monotonic() - started
    stop.set()
    ordered = sorted(latencies) or [0.0]
    figures = {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
        "errors": len(errors),
    }
    print(
        f"load: {clients} clients, {seconds:.0f} s (each page asked once before): {figures['requests']} requests, {figures['rps']:.1f} req/s, "
        f"p50 {figures['p50_ms']:.0f} ms, p99 {figures['p99_ms']:.0f} ms, errors {figures['errors']} "
        f"(target: 0 errors, p99 <= 1000 ms: holds {'yes' if not errors and figures['p99_ms'] <= 1000 else 'no'})",
        flush=True,
    )
    if write_every:
        print(f"  the ledger version moved {len(moved)} times, every {write_every:g} s (as writes do)", flush=True)
    print(f"load average at the end: {' '.join(f'{n:.2f}' for n in os.getloadavg())}", flush=True)
    for problem in sorted(set(errors))[:10]:
        print(f"  error: {problem}", flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base", nargs="?", help="a site already running on 127.0.0.1")
    parser.add_argument("--site", help="a PostgreSQL URL: make the load test's site there and serve it")
    parser.add_argument("--port", type=int, default=8631)
    parser.add_argument("--pledges", type=int, default=20_000)
    parser.add_argument("--reuse", action="store_true", help="serve the site made by the last --site run")
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument(
        "--write-every", type=float, help="move the ledger version every N seconds, as writes do (with a base URL: "
        "DATABASE_URL must be that site's database)",
    )  # fmt: skip
    args = parser.parse_args()
    if not args.site:
        run_load(args.base, clients=args.clients, seconds=args.seconds, write_every=args.write_every)
        return
    from load_site import prepare, served

    if not args.reuse:
        prepare(args.site, args.pledges)
    os.environ["DATABASE_URL"] = args.site
    with served(args.site, args.port) as server:
        run_load(server.base, clients=args.clients, seconds=args.seconds, write_every=args.write_every)


if __name__ == "__main__":
    main()
