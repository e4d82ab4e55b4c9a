"""Figures that put the ledger in context and are never part of it (issue 12).

`Indicator`: a donor's GDP or population for a year, to express its aid per person or as a
share of its economy. `TrackerFigure`: another tracker's total for a donor up to a day (the Kiel
Institute's allocations, say), to check how complete the ledger is.
"""

from django.db import models
from django.utils.translation import get_language
from simple_history.models import HistoricalRecords

from ledger.currencies import CURRENCY_CHOICES


class SourceKind(models.TextChoices):
    OFFICIAL = "official", "official"
    INTERNATIONAL = "international", "international"
    MEDIA = "media", "media"
    TRACKER = "tracker", "tracker"
    SECONDARY = "secondary", "secondary"


class IndicatorName(models.TextChoices):
    GDP = "gdp", "GDP (nominal)"
    POPULATION = "population", "population"


class Indicator(models.Model):
    """One yearly figure; a GDP's unit is its currency, a population's is `persons`."""

    donor = models.ForeignKey("aid.Donor", on_delete=models.PROTECT, related_name="indicators")
    name = models.CharField(max_length=12, choices=IndicatorName.choices)
    year = models.PositiveSmallIntegerField()
    # Whole units in practice; at most 15 significant digits (aid.context.rules), which SQLite
    # keeps exactly as PostgreSQL does.
    value = models.DecimalField(max_digits=20, decimal_places=2)
    unit = models.CharField(max_length=12, help_text="the GDP's ISO 4217 currency, or persons")
    source_url = models.URLField(max_length=1000)
    source_title = models.CharField(max_length=500, blank=True)
    source_kind = models.CharField(max_length=14, choices=SourceKind.choices, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["donor__code", "name", "-year"]
        constraints = [models.UniqueConstraint(fields=["donor", "name", "year"], name="one_indicator_per_year")]

    def __str__(self):
        return f"{self.donor.code} {self.name} {self.year}"


class TrackerFigure(models.Model):
    """Another tracker's running total for one donor up to `as_of`, with what it counts."""

    code = models.CharField(max_length=40, unique=True, help_text="the research row, e.g. AGG-101")
    tracker = models.CharField(max_length=200, help_text="e.g. Kiel Institute Ukraine Support Tracker, release 29")
    definition_en = models.TextField(help_text="what the figure counts, in words")
    definition_nl = models.TextField(blank=True)
    donor = models.ForeignKey("aid.Donor", on_delete=models.PROTECT, related_name="tracker_figures")
    scope = models.CharField(max_length=20, default="military")
    as_of = models.DateField(help_text="the period's end: the figure counts up to this day")
    amount = models.DecimalField(max_digits=20, decimal_places=2)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    source_url = models.URLField(max_length=1000)
    source_title = models.CharField(max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["donor__code", "-as_of", "code"]

    def __str__(self):
        return self.code

    @property
    def definition(self) -> str:
        if (get_language() or "en").startswith("nl") and self.definition_nl:
            return self.definition_nl
        return self.definition_en
