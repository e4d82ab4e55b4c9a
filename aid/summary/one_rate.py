"""A fixed day or `latest`: one rate per currency, so a part is all of a currency in a group.

The rows (group_key, kind, currency, amount_minor, records, undisclosed: daily totals, the
monthly rollup's or the ledger as it stood) are summed per (group, kind, currency) in SQL. On
PostgreSQL each such part is converted there too, with the rollup's exact integer rounding
(aid.summary.conversion_sql) at the quotes the RateBook picked (ledger.conversion.Rates: the one
place that decides which rate), passed in as values: a summary by package has a hundred thousand
parts, which the exact path converted one Decimal at a time (3.9 s at 1M + 1M records). On SQLite,
and wherever a currency has no quote, the parts go to the exact path's `convert_rows` (which names
a missing rate).
"""

from decimal import Decimal

from django.db import connections, router

from aid.models import LedgerTotal
from aid.summary import exact
from aid.summary.conversion_sql import CONVERTED_MINOR, MISSING_RATE, fetch_converting, unit_row, units_values
from aid.summary.parts import Parts, key_value
from ledger import daily
from ledger.conversion import Rates, rates_needed
from ledger.currencies import MINOR_UNITS, minor_units
from ledger.rates import MissingRate, held_currencies

_PER_CURRENCY = """
SELECT t.group_key, t.kind, t.currency, SUM(t.amount_minor), SUM(t.records), SUM(t.undisclosed)
FROM ({rows}) t GROUP BY t.group_key, t.kind, t.currency
"""

# A part per (group, kind) from its per-currency sums, each converted and rounded once; and per
# currency, in the same statement, whether it lacked a quote (then the exact path answers).
_CONVERTED = """
SELECT GROUPING(t.group_key, t.kind) = 0, t.group_key, t.kind, SUM({converted})::bigint, SUM(t.records),
       SUM(t.undisclosed), t.currency, bool_or({missing})
FROM ({per_currency}) AS t(group_key, kind, currency, amount_minor, records, undisclosed)
CROSS JOIN (VALUES {target}) AS tg(code, units, scale)
LEFT JOIN (VALUES {units}) AS su(code, units, scale) ON su.code = t.currency
LEFT JOIN (VALUES {quotes}) AS sr(currency, rate) ON sr.currency = t.currency
CROSS JOIN (VALUES (%s::numeric)) AS tr(rate)
GROUP BY GROUPING SETS ((t.group_key, t.kind), (t.currency))
"""
_NO_QUOTES = "(NULL::varchar, NULL::numeric)"


def parts(rows: str, params, group_by: str, target: str, rates: Rates) -> Parts:
    """The parts of the rows `rows` selects, converted at one rate per currency; raises MissingRate."""
    alias = router.db_for_read(LedgerTotal)  # a replica, for a reader
    if daily.supported():
        converted = _converted_in_sql(rows, params, group_by, target, rates, alias)
        if converted is not None:
            return converted
    with connections[alias].cursor() as cursor:
        cursor.execute(_PER_CURRENCY.format(rows=rows), params)
        fetched = cursor.fetchall()
    names = ("group_key", "kind", "currency", "amount_minor", "records", "undisclosed")
    return exact.convert_rows([dict(zip(names, row, strict=True)) for row in fetched], group_by, target, rates)


def _quotes(target: str, rates: Rates) -> dict:
    """The quote of every currency a rate is held for (and the target's), as the exact path picks
    them; a currency without one is left out (its amounts, if any, send the question to the exact
    path, which names it)."""
    currencies = rates_needed(held_currencies(), target) | {target}
    book = rates.book(currencies, [])
    quotes = {}
    for currency in sorted(currencies):
        try:
            quotes[currency] = rates.quote(book, currency, None)
        except MissingRate:
            continue
    return quotes


def _converted_in_sql(rows: str, params, group_by: str, target: str, rates: Rates, alias: str) -> Parts | None:
    quotes = _quotes(target, rates)
    if target not in quotes:
        return None
    sources = [(code, quote) for code, quote in quotes.items() if code != target]
    sql = _CONVERTED.format(
        converted=CONVERTED_MINOR, missing=MISSING_RATE, per_currency=_PER_CURRENCY.format(rows=rows),
        target=unit_row(target, placeholder=True), units=units_values(MINOR_UNITS),
        quotes=", ".join(["(%s, %s::numeric)"] * len(sources)) or _NO_QUOTES,
    )  # fmt: skip
    values = [value for code, quote in sources for value in (code, quote.rate)]
    fetched = fetch_converting(alias, sql, (*params, target, *values, quotes[target].rate))
    if any(missing for *_, missing in fetched):
        return None  # a currency without a quote: the exact path names it
    result = Parts()
    for part, group_key, kind, converted, records, undisclosed, currency, _ in fetched:
        if part:
            value = Decimal(int(converted)).scaleb(-minor_units(target))
            result.add(key_value(group_by, group_key), kind, value, int(records), int(undisclosed))
        elif currency not in ("", target):  # already in the target currency: no rate used (ledger.conversion)
            if currency in quotes:  # EUR has none: 1 by definition
                result.disclose(quotes[currency])
            result.disclose(quotes[target])
    return result
