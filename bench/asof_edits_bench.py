"""A summary as of a moment on a large ledger after a day's edits through the write path (issue 11 §5).

    createdb -T aidledger_bench aidledger_asof_edits   # a copy of make bench's database
    BENCH_DB=aidledger_asof_edits BENCH_EDITS=1000 .venv/bin/python bench/asof_edits_bench.py

Takes the moment T, changes the amount of BENCH_EDITS published pledges (a fixed random sample)
through aid.services.save_record, as an editor or an import of corrections would, then times in
process, median of BENCH_ROUNDS (3): each summary now and as of T (aid.summary's own choice of
path), and once the path the first one replaced (aid.summary.as_of_daily: every netted daily
total converted). With BENCH_REUSE=1 it skips the edits and reuses the moment it wrote in
BENCH_STATE (default /tmp/aid-asof-edits-moment). Prints figures, asserts nothing.
"""

import os
import random
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = os.environ.get("BENCH_DB", "aidledger_asof_edits")
os.environ["DATABASE_URL"] = f"{os.environ.get('BENCH_PG', 'postgres://postgres@127.0.0.1:5432')}/{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
EDITS = int(os.environ.get("BENCH_EDITS", 1000))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 3))
STATE = Path(os.environ.get("BENCH_STATE", "/tmp/aid-asof-edits-moment"))
QUESTIONS = (("donor", "EUR"), ("month", "USD"), ("donor", "NOK"))


def edit_pledges() -> datetime:
    from django.utils import timezone

    from aid import services
    from aid.lookups import DatabaseLookup
    from aid.models import Pledge, Status
    from aid.rules import check_record

    moment = timezone.now()
    first, last = (Pledge.objects.order_by(order).values_list("pk", flat=True)[0] for order in ("pk", "-pk"))
    random.seed(1)
    chosen = Pledge.objects.filter(pk__in=random.sample(range(first, last + 1), EDITS), status=Status.PUBLISHED)
    start, edited = time.perf_counter(), 0
    for pledge in chosen.exclude(amount_minor=None).select_related("donor", "programme", "package"):
        url = list(pledge.sources.order_by().values_list("url", flat=True)[:1]) or ["https://example.org/bench"]
        row = {
            "record": "pledge", "ref": pledge.ref, "donor": pledge.donor.code, "programme": pledge.programme.code,
            "package": pledge.package.code if pledge.package else "", "pledge_ref": "",
            "date": pledge.date.isoformat(), "amount": str(pledge.written_amount + 1), "currency": pledge.currency,
            "amount_qualifier": pledge.amount_qualifier, "description": pledge.description, "source_url": url[0],
            "source_title": "", "confidence": pledge.confidence, "source_kind": "",
        }  # fmt: skip
        clean, problems = check_record(row, DatabaseLookup())
        if problems:
            raise SystemExit(f"{pledge.ref}: {problems}")
        services.save_record(clean, status=Status.PUBLISHED)
        edited += 1
    seconds = time.perf_counter() - start
    print(f"{edited:,} pledges edited after the moment in {seconds:.0f} s ({seconds / max(edited, 1):.2f} s each)")
    STATE.write_text(moment.isoformat())
    return moment


def median_ms(action, rounds: int = ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    import django

    django.setup()
    from aid.summary import LedgerFilter, Rates, as_of_now, summarize

    moment = (
        datetime.fromisoformat(STATE.read_text().strip()) if os.environ.get("BENCH_REUSE") == "1" else edit_pledges()
    )

    def asked(group_by, currency, at=None):
        if at is None:
            return lambda: summarize(group_by=group_by, currency=currency)
        rates, ledger_filter = Rates(held_at=at), LedgerFilter(as_of=at)
        return lambda: summarize(group_by=group_by, currency=currency, rates=rates, ledger_filter=ledger_filter)

    for group_by, currency in QUESTIONS:
        now = median_ms(asked(group_by, currency))
        then = median_ms(asked(group_by, currency, moment))
        print(f"summary by {group_by} in {currency}: now {now:,.0f} ms, as of the moment {then:,.0f} ms")
    with mock.patch.object(as_of_now, "parts", lambda *args: None):
        former = median_ms(asked("donor", "EUR", moment), rounds=1)
    print(f"the same by donor in EUR through the netted daily totals (as_of_daily): {former:,.0f} ms")


if __name__ == "__main__":
    main()
