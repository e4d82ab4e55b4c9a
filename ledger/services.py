"""Writes to the rate table: the ECB history and rates entered by hand."""

from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from ledger import daily
from ledger.currencies import BASE_CURRENCY, is_currency
from ledger.ecb import read_rates
from ledger.models import ECB_SOURCE, ExchangeRate

BATCH = 5000

# Called with the first day whose rates changed, inside the writing transaction. ledger knows
# nothing of what others derive from rates; apps that keep converted figures register here.
rate_listeners: list = []


def _rates_changed(currencies, first_day: date) -> None:
    daily.refresh(currencies)
    for listener in rate_listeners:
        listener(first_day)


def load_ecb_history(path: Path) -> int:
    """Add the days not yet held; returns how many rates were added. Existing rows are kept."""
    held = set(ExchangeRate.objects.values_list("currency", "day"))
    fresh = [
        ExchangeRate(currency=currency, day=day, rate=rate, source=ECB_SOURCE)
        for currency, day, rate in read_rates(path)
        if (currency, day) not in held
    ]
    with transaction.atomic():
        ExchangeRate.objects.bulk_create(fresh, batch_size=BATCH)
        if fresh:
            _rates_changed({rate.currency for rate in fresh}, min(rate.day for rate in fresh))
    return len(fresh)


def enter_rate(
    *, currency: str, day: date, rate: Decimal, source: str, source_url: str = "", entered_by: str = ""
) -> ExchangeRate:
    """A rate for a currency the ECB does not publish (UAH, say), always with its source."""
    errors = {}
    if not is_currency(currency) or currency == BASE_CURRENCY:
        errors["currency"] = f"{currency!r} is not a currency that needs a rate against EUR"
    if not isinstance(rate, Decimal) or not rate.is_finite() or rate <= 0:
        errors["rate"] = "a rate is a positive decimal (1 EUR = rate units)"
    if not source.strip():
        errors["source"] = "say where this rate comes from"
    if errors:
        raise ValidationError(errors)
    rate_row = ExchangeRate(
        currency=currency, day=day, rate=rate, source=source, source_url=source_url, entered_by=entered_by
    )
    rate_row.full_clean()
    with transaction.atomic():
        rate_row.save()
        _rates_changed([currency], day)
    return rate_row
