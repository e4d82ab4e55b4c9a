"""Writes to the rate table: the ECB history and rates entered by hand."""

from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from ledger import daily
from ledger.currencies import BASE_CURRENCY, is_currency
from ledger.ecb import read_rates
from ledger.models import ECB_SOURCE, ExchangeRate

BATCH = 5000

# Called as listener(first_day, currencies) with the first day whose rates changed and the
# currencies whose rates did, inside the writing transaction. ledger knows nothing of what
# others derive from rates; apps that keep converted figures register here.
rate_listeners: list = []


def _rates_changed(currencies, first_day: date) -> None:
    daily.refresh(currencies, first_day)
    for listener in rate_listeners:
        listener(first_day, sorted(set(currencies)))


def load_ecb_history(path: Path) -> int:
    """Add the days of an ECB history file not yet held; returns how many rates were added."""
    return load_ecb_rates(read_rates(path))


def load_ecb_rates(rates) -> int:
    """Add the (currency, day, rate) not yet held; existing rows are kept. All or nothing:
    a bad row anywhere (ledger.ecb.BadRateFile) stops the load before anything is written."""
    rates = list(rates)
    if not rates:
        return 0
    # Only the days the file holds (a daily fetch: 90 days, not the 200,000 rates since 1999).
    days = [d for _, d, _ in rates]
    held = set(ExchangeRate.objects.filter(day__range=(min(days), max(days))).values_list("currency", "day"))
    now = timezone.now()
    fresh = [(c, d, r) for c, d, r in rates if (c, d) not in held]
    table = ExchangeRate._meta.db_table
    # A plain executemany: ~200,000 rows in seconds, where building model instances took minutes.
    insert = f"INSERT INTO {table} (currency, day, rate, source, source_url, entered_by, created_at) VALUES (%s, %s, %s, %s, '', '', %s)"
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(fresh), BATCH):
            cursor.executemany(insert, [(c, d, r, ECB_SOURCE, now) for c, d, r in fresh[start : start + BATCH]])
        if fresh:
            _rates_changed({c for c, _, _ in fresh}, min(d for _, d, _ in fresh))
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


def delete_rates(rates) -> int:
    """Remove rates entered by hand; the figures derived from them follow in the same transaction.

    Refused (ValidationError) when a stored figure would be left without a rate.
    """
    rows = list(rates.exclude(source=ECB_SOURCE).values_list("pk", "currency", "day"))
    if not rows:
        return 0
    with transaction.atomic():
        ExchangeRate.objects.filter(pk__in=[pk for pk, _, _ in rows]).delete()
        _rates_changed({currency for _, currency, _ in rows}, min(day for _, _, day in rows))
    return len(rows)
