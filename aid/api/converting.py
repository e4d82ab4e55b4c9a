"""`?currency=` on records: each record's amount converted, with the rates that made it.

A page's conversions share one RateBook (two queries whatever the page size); the conversion,
its rate rule and its rounding are ledger.conversion's, as in the summary.
"""

from ledger.conversion import Conversion, Rates, convert


def conversions(records, currency: str, rates: Rates) -> dict[int, Conversion]:
    """{record pk: Conversion} for the records with a disclosed amount; raises MissingRate."""
    priced = [record for record in records if record.amount_minor is not None]
    if not currency:
        return {}
    book = rates.book_for(currency, ((record.currency, record.date) for record in priced))
    return {record.pk: convert(record.money, to=currency, on=record.date, book=book, rates=rates) for record in priced}
