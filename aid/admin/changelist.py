"""List pages that show each row's value in EUR at its own date's rate.

The rates for the whole page come from one `RateBook` (two queries), so the page costs the
same number of queries for 5 rows as for 100.
"""

from django.contrib.admin.views.main import ChangeList

from ledger.conversion import TRANSACTION, convert
from ledger.currencies import BASE_CURRENCY
from ledger.rates import MissingRate


def attach_values_in_eur(records) -> None:
    """Set `in_eur` (a Conversion) or `in_eur_missing` (why not) on each priced record."""
    priced = [record for record in records if record.amount_minor is not None]
    if not priced:
        return
    book = TRANSACTION.book_for(BASE_CURRENCY, ((record.currency, record.date) for record in priced))
    for record in priced:
        try:
            record.in_eur = convert(record.money, to=BASE_CURRENCY, on=record.date, book=book)
        except MissingRate as missing:
            record.in_eur_missing = str(missing)


class ValuedChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        self.result_list = list(self.result_list)
        attach_values_in_eur(self.result_list)
