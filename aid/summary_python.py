"""The exact path of aid.summary, on any database: grouped rows from LedgerTotal, converted
with a RateBook in Python (Decimal, 50 significant digits), each part rounded half up."""

from datetime import date
from decimal import localcontext

from django.db.models import F, Sum
from django.db.models.functions import ExtractYear, TruncMonth

from aid.models import LedgerTotal
from aid.summary_parts import Parts, key_value
from ledger.conversion import PRECISION, exact_cross
from ledger.money import from_minor, round_money
from ledger.rates import RateBook


def group_expression(group_by: str, day_field: str = "day"):
    return {
        "donor": F("donor"),
        "programme": F("programme"),
        "package": F("package"),
        "year": ExtractYear(day_field),
        "month": TruncMonth(day_field),
    }[group_by]


def _rows(group_by: str, rates, ledger_filter):
    queryset = ledger_filter.on_totals(LedgerTotal.objects.all()).annotate(group_key=group_expression(group_by))
    if rates.mode == "transaction":  # every daily row is a part of its own
        return queryset.values("group_key", "kind", "currency", "day", "amount_minor", "records", "undisclosed")
    return (
        queryset.values("group_key", "kind", "currency")
        .annotate(amount_minor=Sum("amount_minor"), records=Sum("records"), undisclosed=Sum("undisclosed"))
        .order_by()
    )


def _rate_book(rows: list[dict], target: str, rates) -> RateBook:
    currencies = {row["currency"] for row in rows if row["currency"]} | {target}
    if rates.mode == "latest":
        return RateBook.latest(currencies)
    if rates.mode == "day":
        return RateBook.for_days(currencies, rates.day, rates.day)
    days = [row["day"] for row in rows if row["currency"]] or [date.today()]
    return RateBook.for_days(currencies, min(days), max(days))


def _quote(book: RateBook, currency: str, rates, row: dict):
    if rates.mode == "latest":
        return book.latest_quote(currency)
    return book.quote(currency, rates.day if rates.mode == "day" else row["day"])


def parts(group_by: str, target: str, rates, ledger_filter):
    return convert_rows(list(_rows(group_by, rates, ledger_filter)), group_by, target, rates)


def convert_rows(rows: list[dict], group_by: str, target: str, rates):
    """Each row is one part: converted exactly, rounded half up, added to its group."""
    book = _rate_book(rows, target, rates)
    result = Parts()
    with localcontext() as ctx:
        ctx.prec = PRECISION
        for row in rows:
            key = key_value(group_by, row["group_key"])
            value = 0
            if row["currency"]:
                source, wanted = _quote(book, row["currency"], rates, row), _quote(book, target, rates, row)
                amount = from_minor(int(row["amount_minor"]), row["currency"])
                value = round_money(exact_cross(amount, source, wanted), target)
                result.disclose(source)
                result.disclose(wanted)
            result.add(key, row["kind"], value, row["records"], row["undisclosed"])
    return result
