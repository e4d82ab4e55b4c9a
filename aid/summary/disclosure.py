"""`rates_used` as an answer shows it: per currency and source, the days and the range of rates.

A summary over years converts at thousands of rate days; listing each made its answer grow
with the ledger's span (1.7 MB at a million records). The compact form is complete — every
rate used lies within [min_rate, max_rate] of its currency and source, every day within
[first_day, last_day], `days` counts them and `stale_days` the stale ones — and its size grows
only with the number of currencies. The day-by-day list is one parameter away
(`rates_used=full`).
"""

from decimal import Decimal


def ranges(quotes: list[dict]) -> list[dict]:
    """The day-by-day quotes ({currency, rate_date, rate, stale, source}) folded per (currency, source)."""
    folded: dict[tuple[str, str], dict] = {}
    for quote in quotes:
        day, rate = str(quote["rate_date"]), Decimal(quote["rate"])
        entry = folded.get((quote["currency"], quote["source"]))
        if entry is None:
            folded[quote["currency"], quote["source"]] = {
                "currency": quote["currency"], "source": quote["source"], "first_day": day, "last_day": day,
                "days": 1, "min_rate": rate, "max_rate": rate, "stale_days": int(quote["stale"]),
            }  # fmt: skip
            continue
        entry["first_day"], entry["last_day"] = min(entry["first_day"], day), max(entry["last_day"], day)
        entry["min_rate"], entry["max_rate"] = min(entry["min_rate"], rate), max(entry["max_rate"], rate)
        entry["days"] += 1
        entry["stale_days"] += int(quote["stale"])
    return [
        {
            **entry,
            "min_rate": str(entry["min_rate"]),
            "max_rate": str(entry["max_rate"]),
            "stale": entry["stale_days"] > 0,
        }
        for _, entry in sorted(folded.items())
    ]
