"""The ledger as of a moment, the data package and make_release (issue 11 §5), on PostgreSQL: prints, asserts nothing.

    BENCH_DB=aidledger_asof_bench .venv/bin/python bench/asof_bench.py [--records 1000000] [--keep]

Builds the ledger of bench/summary_bench.py in its own database (BENCH_DB) with a history row
per record (written two hours ago, the rates held since three hours ago), then edits a tenth of
the pledges an hour later (a new amount, as a second history row) and takes the moment T
between the two. Times, median of RUNS each: the summary by donor now (the fast path, and the exact path beside
it) and the same summary `as_of` T (the totals netted with the records written since T,
aid.summary.as_of_daily, beside the exact path over every history row); then the data package build (a child process, peak RSS) and one `make_release`.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = os.environ.get("BENCH_DB", "aidledger_asof_bench")
os.environ["BENCH_DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DB}"

from bench import summary_bench  # noqa: E402 (reads BENCH_DATABASE_URL)

RUNS = 3
COLUMNS = "id, ref, donor_id, programme_id, package_id, date, amount_minor, currency, amount_qualifier, description, " \
          "status, version, created_at, updated_at, confidence, amount_scale"  # fmt: skip
HISTORY_SQL = f"""
UPDATE ledger_exchangerate SET created_at = now() - interval '3 hours';
INSERT INTO aid_historicalpledge ({COLUMNS}, delivered_minor, deliveries_count, undisclosed_deliveries,
                                  history_date, history_type)
  SELECT {COLUMNS}, delivered_minor, deliveries_count, undisclosed_deliveries, now() - interval '2 hours', '+'
  FROM aid_pledge;
INSERT INTO aid_historicaldelivery ({COLUMNS}, pledge_id, history_date, history_type)
  SELECT {COLUMNS}, pledge_id, now() - interval '2 hours', '+' FROM aid_delivery;
-- After T: a tenth of the pledges get a new amount, with its history row.
UPDATE aid_pledge SET amount_minor = amount_minor + 100, version = 2 WHERE id % 10 = 0 AND amount_minor IS NOT NULL;
INSERT INTO aid_historicalpledge ({COLUMNS}, delivered_minor, deliveries_count, undisclosed_deliveries,
                                  history_date, history_type)
  SELECT {COLUMNS}, delivered_minor, deliveries_count, undisclosed_deliveries, now() - interval '30 minutes', '~'
  FROM aid_pledge WHERE version = 2;
ANALYZE;
"""


def build(records: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from aid.summary import totals

    call_command("migrate", verbosity=0)
    summary_bench.timed("load_ecb_rates", lambda: call_command("load_ecb_rates"))
    summary_bench.timed(f"generate {records:,} + {records:,} (COPY)", lambda: summary_bench.generate(records))
    with connection.cursor() as cursor:
        summary_bench.timed("history rows and the edits after T", lambda: cursor.execute(HISTORY_SQL))
    summary_bench.timed("rebuild_totals", totals.rebuild)


def median_s(action) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_as_of() -> None:
    from django.db.models import Q
    from django.utils import timezone

    from aid import asof
    from aid.models import Pledge
    from aid.summary import LedgerFilter, Rates, summarize

    t = timezone.now() - timedelta(hours=1)
    now = median_s(lambda: summarize(group_by="donor", currency="EUR"))
    past = median_s(
        lambda: summarize(group_by="donor", currency="EUR", rates=Rates(held_at=t), ledger_filter=LedgerFilter(as_of=t))
    )
    exact = median_s(lambda: summarize(group_by="donor", currency="EUR", use_rollup=False))
    history = median_s(
        lambda: summarize(group_by="donor", currency="EUR", rates=Rates(held_at=t), ledger_filter=LedgerFilter(as_of=t),
                          use_rollup=False)
    )  # fmt: skip
    print(f"summary by donor in EUR, now: {now * 1000:.0f} ms (exact path now: {exact * 1000:.0f} ms); "
          f"as_of T: {past * 1000:.0f} ms ({past / now:.0f}x the fast path; "
          f"over every history row: {history * 1000:.0f} ms)")  # fmt: skip
    latest = timezone.now()  # nothing written since: the totals answer
    last = median_s(lambda: summarize(group_by="donor", currency="EUR", ledger_filter=LedgerFilter(as_of=latest)))
    print(f"summary by donor in EUR as_of a moment after the last write: {last * 1000:.0f} ms")
    usd_now = median_s(lambda: summarize(group_by="month", currency="USD"))
    usd_past = median_s(
        lambda: summarize(group_by="month", currency="USD", rates=Rates(held_at=t), ledger_filter=LedgerFilter(as_of=t))
    )
    print(f"summary by month in USD, now: {usd_now * 1000:.0f} ms; as_of T: {usd_past * 1000:.0f} ms")

    def first_page(moment):
        """What pledges/ does: the count, then a page of 50 as it stood (or as it is)."""
        if moment is None:
            chosen = Pledge.objects.filter(status="published").order_by("-date", "ref")
            return chosen.count(), list(chosen.select_related(*asof.RELATED)[:50])
        # As of a moment (aid.api.views.records.standing_page): keys over the two parts of asof.standing.
        keys = [part.filter(status="published").values_list("date", "ref", "amount_minor", "id")
                for part in asof.standing(Pledge, moment)]  # fmt: skip
        union = keys[0].union(keys[1], all=True).order_by("-date", "ref")
        ids = [key[-1] for key in union[:50]]
        rows = asof.published(Pledge, moment, Q(id__in=ids)).select_related(*asof.RELATED)
        return union.count(), asof.as_they_stood(rows, moment)

    def history_page(moment):
        """The former way: every history row up to the moment, anti-joined."""
        chosen = asof.published(Pledge, moment).order_by("-date", "ref")
        return chosen.count(), asof.as_they_stood(list(chosen.select_related(*asof.RELATED)[:50]), moment)

    page_now, page_past = median_s(lambda: first_page(None)), median_s(lambda: first_page(t))
    page_history = median_s(lambda: history_page(t))
    print(
        f"pledges list, count and first page of 50, now: {page_now * 1000:.0f} ms; as_of T: {page_past * 1000:.0f} ms"
        f" (over every history row: {page_history * 1000:.0f} ms)"
    )


def bench_package_and_release() -> None:
    from aid.releases.making import make_release
    from aid.releases.models import Release

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "ledger.zip"
        start = time.perf_counter()
        env = {**os.environ, "DATABASE_URL": os.environ["BENCH_DATABASE_URL"]}
        command = [sys.executable, str(ROOT / "manage.py"), "export_datapackage", str(target)]
        child = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
        # This child's own peak (RUSAGE_CHILDREN is the largest of every child waited for so far).
        _, status, usage = os.wait4(child.pid, 0)
        if status:
            raise SystemExit(f"export_datapackage failed with status {status}")
        seconds = time.perf_counter() - start
        rss = usage.ru_maxrss / 1024
        print(f"data package: {seconds:.1f} s, {target.stat().st_size / 1e6:.0f} MB zip, peak RSS {rss:.0f} MiB")
        Release.objects.all().delete()  # a kept database's earlier run: its files are gone, and time a first release
        release = summary_bench.timed("make_release", lambda: make_release(note="bench"))
        print(f"release {release.id}: {release.package_bytes / 1e6:.0f} MB")


def main() -> None:
    args = summary_bench.ledger_options()
    reuse = summary_bench.prepare_database(args.keep, DB)
    with tempfile.TemporaryDirectory() as releases:
        os.environ["RELEASES_ROOT"] = releases  # make_release writes here, never into media/
        import django

        django.setup()
        if not reuse:
            build(args.records)
        bench_as_of()
        bench_package_and_release()


if __name__ == "__main__":
    main()
