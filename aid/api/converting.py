"""`?currency=` on records: each record's amount converted, with the rates that made it.

A page's conversions share one RateBook (two queries whatever the page size); the conversion
and its rounding are ledger.conversion's, as in the summary.
"""

from decimal import Decimal

from aid.summary import Rates
from ledger.conversion import Conversion, convert, convert_with
from ledger.rates import RateBook, RateQuote


def _book(records: list, currency: str, rates: Rates) -> RateBook:
    currencies = {record.currency for record in records} | {currency}
    if rates.mode == "latest":
        return RateBook.latest(currencies)
    days = [rates.day] if rates.mode == "day" else [record.date for record in records]
    return RateBook.for_days(currencies, min(days), max(days))


def _convert(record, currency: str, rates: Rates, book: RateBook) -> Conversion:
    if rates.mode == "latest":
        return convert_with(
            record.money,
            to=currency,
            source_quote=book.latest_quote(record.currency),
            target_quote=book.latest_quote(currency),
        )
    return convert(record.money, to=currency, on=rates.day or record.date, book=book)


def conversions(records, currency: str, rates: Rates) -> dict[int, Conversion]:
    """{record pk: Conversion} for the records with a disclosed amount; raises MissingRate.

    A record already in `currency` needs no rate: it is its own conversion.
    """
    priced = [record for record in records if record.amount_minor is not None]
    if not currency:
        return {}
    result = {record.pk: same_currency(record) for record in priced if record.currency == currency}
    foreign = [record for record in priced if record.currency != currency]
    if foreign:
        book = _book(foreign, currency, rates)
        result.update({record.pk: _convert(record, currency, rates, book) for record in foreign})
    return result


def same_currency(record) -> Conversion:
    unit = RateQuote(record.currency, Decimal(1), record.date, record.date, "no conversion: same currency")
    return convert_with(record.money, to=record.currency, source_quote=unit, target_quote=unit)
