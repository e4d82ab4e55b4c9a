"""The exact path, on any database: grouped rows from LedgerTotal, converted
with a RateBook in Python (Decimal, 50 significant digits), each part rounded half up."""

from datetime import date

from django.db.models import Sum

from aid.models import LedgerTotal
from aid.summary.parts import Parts, group_expression, key_value
from ledger.conversion import Converter, Rates
from ledger.money import Money, from_minor


def _rows(group_by: str, rates, ledger_filter):
    queryset = ledger_filter.on_totals(LedgerTotal.objects.all()).annotate(group_key=group_expression(group_by))
    if rates.mode == "transaction":  # every daily row is a part of its own
        return queryset.values("group_key", "kind", "currency", "day", "amount_minor", "records", "undisclosed")
    return (
        queryset.values("group_key", "kind", "currency")
        .annotate(amount_minor=Sum("amount_minor"), records=Sum("records"), undisclosed=Sum("undisclosed"))
        .order_by()
    )


def parts(group_by: str, target: str, rates, ledger_filter):
    return convert_rows(list(_rows(group_by, rates, ledger_filter)), group_by, target, rates)


def _first_checked(row: dict) -> tuple:
    return row["currency"], row.get("day") or date.min


def convert_rows(rows: list[dict], group_by: str, target: str, rates: Rates):
    """Each row is one part: converted exactly, rounded half up, added to its group."""
    book = rates.book_for(target, ((row["currency"], row.get("day")) for row in rows))
    converter = Converter(to=target, book=book, rates=rates)
    result, disclosed = Parts(), set()
    # In currency and day order: a missing rate is named as the first one found, and the paths
    # read their rows in different orders (verify compared "AUD" with "NOK" on a ledger without rates).
    for row in sorted(rows, key=_first_checked):
        key = key_value(group_by, row["group_key"])
        value = 0
        if currency := row["currency"]:
            day = row.get("day")
            conversion = converter.convert(Money(from_minor(int(row["amount_minor"]), currency), currency), day)
            value = conversion.result.amount
            if conversion.converted and (currency, day) not in disclosed:  # its two quotes, once
                disclosed.add((currency, day))
                result.disclose(conversion.source_quote)
                result.disclose(conversion.target_quote)
        result.add(key, row["kind"], value, row["records"], row["undisclosed"])
    return result
