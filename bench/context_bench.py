"""Figures in context (issue 12) against the plain summary, on PostgreSQL: prints, asserts nothing.

    BENCH_DB=aidledger_context_bench .venv/bin/python bench/context_bench.py [--records 1000000] [--keep]

Builds the ledger of bench/summary_bench.py in its own database (BENCH_DB), gives each of its 40
donors a GDP (in USD, or in EUR for every third donor, so both paths run) and a population, and
two tracker figures (EUR at 2026-04-30, USD at 2024-04-30); then times, median of 7 runs each:
the plain summary by donor, the same with per=gdp and per=capita, and the cross-check for every
donor and for one. The ratio to the plain summary is what SPEC §9's targets are read against.
"""

import os
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = os.environ.get("BENCH_DB", "aidledger_context_bench")
os.environ["BENCH_DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DB}"

from bench import summary_bench  # noqa: E402 (reads BENCH_DATABASE_URL)

RUNS = 7


def context_figures() -> None:
    from aid.context.models import Indicator, TrackerFigure
    from aid.models import Donor

    source = {"source_url": "https://example.org/bench", "source_title": "bench"}
    for i, donor in enumerate(Donor.objects.order_by("code")[:40]):
        gdp_currency = "EUR" if i % 3 == 0 else "USD"
        Indicator.objects.create(donor=donor, name="gdp", year=2023, value=Decimal(10**12 + i), unit=gdp_currency,
                                 **source)  # fmt: skip
        Indicator.objects.create(donor=donor, name="population", year=2024, value=Decimal(10**7 + i), unit="persons",
                                 **source)  # fmt: skip
        for as_of, currency in ((date(2026, 4, 30), "EUR"), (date(2024, 4, 30), "USD")):
            TrackerFigure.objects.create(code=f"B-{donor.code}-{as_of.year}", tracker="bench", definition_en="bench",
                                         donor=donor, as_of=as_of, amount=Decimal(10**10), currency=currency,
                                         **source)  # fmt: skip


def median_ms(action) -> float:
    action()  # warm the caches once
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bench() -> None:
    from django.core.cache import cache
    from django.test import Client

    client = Client()

    def get(query: str):
        def action():
            cache.clear()  # no response cache, no throttle carried between runs
            response = client.get(query)
            assert response.status_code == 200, response.content[:300]

        return action

    plain = median_ms(get("/api/v1/summary/?group_by=donor"))
    print(f"summary by donor, EUR, transaction: median {plain:.0f} ms", flush=True)
    cases = [
        ("summary per=gdp (GDPs in USD and EUR)", "/api/v1/summary/?per=gdp"),
        ("summary per=capita", "/api/v1/summary/?per=capita"),
        ("summary per=gdp currency=USD rates=latest", "/api/v1/summary/?per=gdp&currency=USD&rates=latest"),
        ("crosscheck, every donor (80 figures)", "/api/v1/crosscheck/"),
        ("crosscheck donor=AD (2 figures)", "/api/v1/crosscheck/?donor=AD"),
    ]
    for label, query in cases:
        ms = median_ms(get(query))
        print(f"{label}: median {ms:.0f} ms = {ms / plain:.2f}x the plain summary", flush=True)


def main() -> None:
    args = summary_bench.ledger_options()
    reuse = summary_bench.prepare_database(args.keep, DB)

    import django

    django.setup()
    from django.core.management import call_command

    from aid.summary import totals

    if not reuse:
        call_command("migrate", verbosity=0)
        summary_bench.timed("load_ecb_rates", lambda: call_command("load_ecb_rates"))
        summary_bench.timed(
            f"generate {args.records:,} + {args.records:,} records", lambda: summary_bench.generate(args.records)
        )
        summary_bench.timed("rebuild_totals", totals.rebuild)
        context_figures()
    bench()


if __name__ == "__main__":
    main()
