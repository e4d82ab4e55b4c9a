from django.core.validators import MinValueValidator
from django.db import models

from ledger.currencies import CURRENCY_CHOICES

ECB_SOURCE = "ECB euro foreign exchange reference rates"


class ExchangeRate(models.Model):
    """1 EUR = `rate` units of `currency`, as published for `day` by `source`.

    Rates keep at most 15 significant digits, which SQLite's NUMERIC storage round-trips
    exactly; ECB rates carry at most 6.
    """

    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    day = models.DateField()
    rate = models.DecimalField(max_digits=15, decimal_places=6, validators=[MinValueValidator(0.000001)])
    source = models.CharField(max_length=200, default=ECB_SOURCE)
    source_url = models.URLField(blank=True)
    entered_by = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["currency", "day"], name="one_rate_per_currency_day"),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="rate_positive"),
        ]
        indexes = [models.Index(fields=["currency", "-day"], name="rate_latest_first")]
        ordering = ["-day", "currency"]

    def __str__(self):
        return f"1 EUR = {self.rate} {self.currency} on {self.day}"


class DailyRate(models.Model):
    """The rate that applies on every calendar day (the latest publication on or before it).

    A derived, forward-filled copy of ExchangeRate, rebuilt by ledger.daily whenever rates are
    written. It lets PostgreSQL convert millions of amounts inside one SQL aggregate; SQLite
    cannot do exact decimal arithmetic in SQL and never reads it.
    """

    currency = models.CharField(max_length=3)
    day = models.DateField()
    rate = models.DecimalField(max_digits=15, decimal_places=6)
    rate_day = models.DateField(help_text="the publication day the rate comes from")
    source = models.CharField(max_length=200, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["currency", "day"], name="one_daily_rate")]
        # The rates of a few days, every currency (a summary whose dates cut a month converts
        # only those days' totals): the unique index leads with the currency, so PostgreSQL read
        # all of it for a day range (11 of 20 ms for two donors' half month at 1M + 1M records).
        indexes = [models.Index(fields=["day", "currency"], name="daily_rate_day_currency")]

    def __str__(self):
        return f"{self.currency} {self.day}: {self.rate} (published {self.rate_day})"


class DailyFactor(models.Model):
    """For every calendar day, the rate that applies then as exact integers: 1 EUR = mantissa /
    10^decimals units of `currency`, so one minor unit of it is worth `unit_scale / mantissa`
    thousandths of a euro, with unit_scale = 10^(decimals − the currency's minor units + 3).

    The rate is that of `rate_day`, the latest publication on or before `day`. An amount of
    minor units a converts into a target's minor units exactly as
    a × mantissa(target) × unit_scale(source) / (mantissa(source) × unit_scale(target)):
    value × r(target) / r(source), both rates decimals. It lets SQLite, which has no exact
    decimal arithmetic, convert and round every daily total in one integer SQL aggregate
    (aid.summary.sqlite_daily); kept by ledger.daily whenever rates are written. PostgreSQL
    converts with DailyRate instead and never reads it.
    """

    currency = models.CharField(max_length=3)
    day = models.DateField()
    rate_day = models.DateField(help_text="the publication day the rate comes from")
    mantissa = models.BigIntegerField()
    unit_scale = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["currency", "day"], name="one_daily_factor")]

    def __str__(self):
        return f"{self.currency} {self.day}: {self.mantissa} / {self.unit_scale} (published {self.rate_day})"
