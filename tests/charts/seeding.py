"""The real seed data with the real ECB rates it needs, without loading 25 years of rates.

For every currency in the ledger (and USD, the need's currency) only the publications that
some record's day (or the reference figure's) would pick are written, plus each currency's
newest, to a small file in the ECB's own format and loaded through `load_ecb_history`.
"""

import bisect
import csv
import functools
import tempfile
from pathlib import Path

from aid.models import Delivery, Pledge, ReferenceFigure
from aid.seed import load_seed
from ledger.ecb import bundled_history, read_rates
from ledger.services import load_ecb_history


@functools.cache
def _history() -> dict:
    by_currency: dict[str, list] = {}
    for currency, day, rate in read_rates(bundled_history()):
        by_currency.setdefault(currency, []).append((day, rate))
    return {currency: sorted(rows) for currency, rows in by_currency.items()}


def _needed(days, currencies) -> dict:
    history, picked = _history(), {}
    for currency in currencies:
        rows = history[currency]
        row_days = [day for day, _rate in rows]
        for day in days:
            index = bisect.bisect_right(row_days, day) - 1
            if index >= 0:
                picked[rows[index][0], currency] = rows[index][1]
        picked[rows[-1][0], currency] = rows[-1][1]
    return picked


def load_needed_rates() -> int:
    records = [*Pledge.objects.all(), *Delivery.objects.all(), *ReferenceFigure.objects.all()]
    days = {record.date for record in records}
    currencies = sorted(
        {record.currency for record in records if record.currency and record.currency != "EUR"} | {"USD"}
    )
    picked = _needed(days, currencies)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "eurofxref-hist.csv"
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["Date", *currencies])
            for day in sorted({day for day, _currency in picked}, reverse=True):
                writer.writerow([day.isoformat(), *(picked.get((day, c), "N/A") for c in currencies)])
        return load_ecb_history(path)


def seed_with_rates() -> None:
    load_seed()
    load_needed_rates()
