"""The domain: who pledged what through which programme, and what was delivered.

Amounts are stored as whole numbers of the currency's minor unit (`amount_minor`): a 64-bit
integer is exact on SQLite and PostgreSQL alike, where SQLite's NUMERIC affinity would keep
only 15 significant digits of a decimal. `amount` gives the Decimal back.
"""

from decimal import Decimal

from django.db import models
from django.utils.translation import get_language
from simple_history.models import HistoricalRecords

from aid.context.models import SourceKind
from ledger.currencies import CURRENCY_CHOICES
from ledger.money import Money, from_minor, share, written


class Status(models.TextChoices):
    DRAFT = "draft", "draft"
    PUBLISHED = "published", "published"


class Qualifier(models.TextChoices):
    EXACT = "exact", "exact"
    AT_LEAST = "at_least", "at least"
    APPROX = "approx", "approximately"


class Confidence(models.TextChoices):
    """How far a record can be trusted, as the researcher judged it; blank = not assessed."""

    HIGH = "high", "high"
    MEDIUM = "medium", "medium"
    LOW = "low", "low"


class Kind(models.TextChoices):
    PLEDGE = "pledge", "pledge"
    DELIVERY = "delivery", "delivery"
    # A pledge counted again while at least one published delivery is linked to it: the
    # numerator of `delivery_coverage`, kept by the same write path as the other totals.
    COVERED = "covered", "pledge with a delivery record"


def wants_dutch() -> bool:
    return (get_language() or "en").startswith("nl")


def in_language(english: str, dutch: str, dutch_wanted: bool | None = None) -> str:
    """The Dutch text when the active language is Dutch (or `dutch_wanted`, asked once for many
    texts) and there is one; else the English."""
    return dutch if (wants_dutch() if dutch_wanted is None else dutch_wanted) and dutch else english


class Translated(models.Model):
    """English and Dutch names, picked by the active language."""

    name_en = models.CharField(max_length=200)
    name_nl = models.CharField(max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        return in_language(self.name_en, self.name_nl)


class Described(models.Model):
    """English and Dutch descriptions, picked like the names."""

    description_en = models.TextField(blank=True)
    description_nl = models.TextField(blank=True)

    class Meta:
        abstract = True

    @property
    def description(self) -> str:
        return in_language(self.description_en, self.description_nl)


class Donor(Translated):
    code = models.CharField(max_length=2, unique=True, help_text="ISO 3166-1 alpha-2, or EU")
    eu_member = models.BooleanField(default=False)
    nato_member = models.BooleanField(default=False)
    nato_joined = models.PositiveSmallIntegerField(null=True, blank=True, help_text="year it joined NATO")
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.name_en} ({self.code})"


class Programme(Translated, Described):
    code = models.CharField(max_length=20, unique=True)
    start_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.code


class Source(models.Model):
    url = models.URLField(max_length=1000, unique=True)
    title = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    kind = models.CharField(max_length=14, choices=SourceKind.choices, blank=True, help_text="blank: not assessed")

    class Meta:
        ordering = ["url"]

    def __str__(self):
        return self.title or self.url


class MoneyFields(models.Model):
    """An amount as announced: minor units + currency; both empty when undisclosed."""

    amount_minor = models.BigIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, blank=True)
    amount_qualifier = models.CharField(max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT)
    # Decimals the amount was written with (`500000000` → 0), so an export writes it back as it
    # came; null for amounts stored before it was kept (written with the currency's minor unit).
    amount_scale = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def amount(self) -> Decimal | None:
        if self.amount_minor is None:
            return None
        return from_minor(self.amount_minor, self.currency)

    @property
    def written_amount(self) -> Decimal | None:
        """The amount with the decimals it was written with (`500000000`, `1.5`)."""
        if self.amount_minor is None:
            return None
        return written(self.amount_minor, self.currency, self.amount_scale)

    @property
    def money(self) -> Money | None:
        amount = self.amount
        return None if amount is None else Money(amount, self.currency)

    @property
    def undisclosed(self) -> bool:
        return self.amount_minor is None


class Package(MoneyFields, Translated, Described):
    """A package inside a programme (PURL-2, say), funded by one donor or several jointly.

    Its announced total is the package's own figure, shown beside the donors' shares and
    never added to them. A package the import creates from a ledger row has no name yet:
    `label` falls back to its code.
    """

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="packages")
    code = models.CharField(max_length=40)
    name_en = models.CharField(max_length=300, blank=True)
    name_nl = models.CharField(max_length=300, blank=True)
    date = models.DateField(null=True, blank=True)
    donors = models.ManyToManyField(Donor, blank=True, related_name="packages")
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT)
    history = HistoricalRecords(m2m_fields=["donors"])

    class Meta:
        ordering = ["programme__code", "date", "code"]
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="package_code_per_programme")]

    def __str__(self):
        return self.code

    @property
    def label(self) -> str:
        return self.name or self.code

    @classmethod
    def labels(cls, codes) -> dict[str, str]:
        """{code: label} of many packages in one query, without building each (5,000 of them: 0.38 s)."""
        from aid import reference_rows  # it reads these models

        return {code: name or code for code, name in reference_rows.names(cls, codes).items()}


class LedgerRecord(MoneyFields):
    ref = models.CharField(max_length=100, unique=True)
    donor = models.ForeignKey(Donor, on_delete=models.PROTECT)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT)
    package = models.ForeignKey(Package, null=True, blank=True, on_delete=models.PROTECT)
    date = models.DateField()
    description = models.TextField(blank=True)
    confidence = models.CharField(max_length=6, choices=Confidence.choices, blank=True, help_text="blank: not assessed")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    sources = models.ManyToManyField(Source)
    version = models.PositiveIntegerField(default=1, help_text="raised on every save; guards concurrent edits")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["-date", "ref"]

    def __str__(self):
        return self.ref


class Pledge(LedgerRecord):
    # Published deliveries linked to this pledge, converted into the pledge's currency at each
    # delivery's date and rounded per (currency, day) part; kept by aid.services in the same transaction.
    delivered_minor = models.BigIntegerField(default=0)
    deliveries_count = models.PositiveIntegerField(default=0)
    undisclosed_deliveries = models.PositiveIntegerField(default=0)
    history = HistoricalRecords(m2m_fields=["sources"])

    class Meta(LedgerRecord.Meta):
        permissions = [("publish_pledge", "Can publish and unpublish pledges")]
        indexes = [
            models.Index(fields=["status", "date"], name="pledge_status_date"),
            models.Index(fields=["donor", "date"], name="pledge_donor_date"),
        ]

    @property
    def delivered(self) -> Decimal | None:
        """Unknown (None), not zero, while no delivery with a disclosed amount is linked."""
        if self.deliveries_count <= self.undisclosed_deliveries or not self.currency:
            return None
        return from_minor(self.delivered_minor, self.currency)

    @property
    def delivered_share(self) -> Decimal | None:
        """Delivered ÷ pledged, to four decimals; unknown when either is."""
        return share(self.delivered, self.amount)


class Delivery(LedgerRecord):
    pledge = models.ForeignKey(Pledge, null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries")
    history = HistoricalRecords(m2m_fields=["sources"])

    class Meta(LedgerRecord.Meta):
        verbose_name_plural = "deliveries"
        permissions = [("publish_delivery", "Can publish and unpublish deliveries")]
        indexes = [
            models.Index(fields=["status", "date"], name="delivery_status_date"),
            models.Index(fields=["donor", "date"], name="delivery_donor_date"),
        ]


class Valuation(MoneyFields):
    """Another source's figure for a pledge (the same package reported in USD, say).

    Kept beside the pledge with its own source; never added to any total.
    """

    ref = models.CharField(max_length=100, unique=True)
    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="valuations")
    date = models.DateField()
    description = models.TextField(blank=True)
    confidence = models.CharField(max_length=6, choices=Confidence.choices, blank=True, help_text="blank: not assessed")
    sources = models.ManyToManyField(Source)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=["sources"])

    class Meta:
        ordering = ["pledge__ref", "date", "ref"]

    def __str__(self):
        return self.ref


class ReferenceFigure(MoneyFields, Translated):
    """A figure to compare the ledger with, not part of it (Ukraine's stated monthly need)."""

    code = models.CharField(max_length=60, unique=True)
    programme = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.PROTECT)
    period = models.CharField(max_length=10, choices=[("month", "month"), ("year", "year")])
    date = models.DateField()
    source = models.ForeignKey(Source, on_delete=models.PROTECT)

    def __str__(self):
        return self.code


class LedgerTotal(models.Model):
    """Exact pre-aggregated sums of the ledger, one row per combination of the keys below.

    Written only by aid.summary.totals in the same transaction as the record it counts, so reads that
    total millions of records touch thousands of rows; `rebuild_totals --verify` checks it
    against the base tables.
    """

    kind = models.CharField(max_length=8, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    donor = models.CharField(max_length=2)
    programme = models.CharField(max_length=20)
    package = models.CharField(max_length=40, blank=True)  # '' for no package
    currency = models.CharField(max_length=3, blank=True)  # '' for undisclosed amounts
    day = models.DateField()
    amount_minor = models.BigIntegerField(default=0)
    records = models.PositiveIntegerField(default=0)
    undisclosed = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "status", "donor", "programme", "package", "currency", "day"],
                name="one_total_per_key",
            )
        ]
        indexes = [
            models.Index(fields=["status", "kind", "day"], name="total_status_kind_day"),
            # A summary of a few donors (a donor page, the API's donor=): their rows, not the table.
            models.Index(fields=["status", "donor", "day"], name="total_status_donor_day"),
        ]

    def __str__(self):
        return f"{self.kind} {self.status} {self.donor}/{self.programme}/{self.package} {self.currency} {self.day}"


class MonthlyConverted(models.Model):
    """The figures of a monthly converted row (ConvertedTotal, DonorMonthTotal)."""

    amount_minor = models.BigIntegerField(default=0)
    converted_minor = models.BigIntegerField(null=True)  # null: a day had no rate (use the exact path)
    records = models.PositiveIntegerField(default=0)
    undisclosed = models.PositiveIntegerField(default=0)
    days_mask = models.IntegerField(default=0)

    class Meta:
        abstract = True


class ConvertedTotal(MonthlyConverted):
    """LedgerTotal rolled up to months and converted into `target`, for PostgreSQL's fast path.

    `converted_minor` is the sum, in the target's minor units, of each daily LedgerTotal row
    converted at its own day's rate and rounded half up (the parts of SPEC §5), so any
    grouping of these rows adds up exactly. `days_mask` has bit d-1 set when day d of the
    month holds amounts (to disclose the rates used). Written only by aid.summary.rollup.
    """

    target = models.CharField(max_length=3)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    donor = models.CharField(max_length=2)
    programme = models.CharField(max_length=20)
    package = models.CharField(max_length=40, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    month = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["target", "kind", "status", "donor", "programme", "package", "currency", "month"],
                name="one_converted_total_per_key",
            )
        ]
        indexes = [
            models.Index(fields=["target", "status", "month"], name="converted_target_status_month"),
            models.Index(fields=["target", "status", "donor", "month"], name="converted_target_donor_month"),
            # A package filter (a package's page, the programme page's drawn packages) reads its own
            # rows, where it read every row of the target (30 of PURL's 5,000 packages: 0.47 s);
            # an edit's package rows (aid.summary.rollup.Narrow.refreshed_by) read those of its
            # programme, kind and currency (in no package: 2,300 of 55,000 a target at 1M + 1M).
            models.Index(
                fields=["target", "status", "package", "programme", "kind", "currency"], name="converted_target_package"
            ),
        ]

    def __str__(self):
        return f"{self.target} {self.kind} {self.donor}/{self.programme}/{self.package} {self.currency} {self.month}"


class NarrowMonthly(MonthlyConverted):
    """The key both narrow forms of the rollup share (DonorMonthTotal, ProgrammeMonthTotal)."""

    target = models.CharField(max_length=3)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    donor = models.CharField(max_length=2)
    currency = models.CharField(max_length=3, blank=True)
    month = models.DateField()

    class Meta:
        abstract = True


class DonorMonthTotal(NarrowMonthly):
    """ConvertedTotal summed over programme and package: per (target, kind, status, donor, currency, month).

    Sums of rounded parts add up, so a summary by donor, year or month (filtered by donor,
    currency or whole months) reads these few rows (~20,000 per target at 1M + 1M records)
    instead of the rollup's (hundreds of thousands: every package of every donor and month).
    Written only by aid.summary.rollup, from ConvertedTotal, in the same transaction.
    """

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["target", "status", "donor", "month", "kind", "currency"], name="one_donor_month_total"
            )
        ]

    def __str__(self):
        return f"{self.target} {self.kind} {self.donor} {self.currency} {self.month}"


class ProgrammeMonthTotal(NarrowMonthly):
    """ConvertedTotal summed over package: per (target, kind, status, donor, programme, currency, month).

    A question naming a programme (a filter, or a summary by programme) but no package reads
    these (~73,000 rows per target at 1M + 1M records) instead of the rollup's 580,000; without a
    programme, DonorMonthTotal's fewer rows answer. Written only by aid.summary.rollup, from
    ConvertedTotal, in the same transaction.
    """

    programme = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["target", "status", "programme", "donor", "month", "kind", "currency"],
                name="one_programme_month_total",
            )
        ]

    def __str__(self):
        return f"{self.target} {self.kind} {self.donor}/{self.programme} {self.currency} {self.month}"


class PackageTotal(MonthlyConverted):
    """ConvertedTotal summed over donor and month: per (target, kind, status, programme, package, currency).

    A summary by package over the whole ledger (no donor, no dates) reads these (~108,000 rows
    per target at 1M + 1M records, a PURL package being shared by many donors) instead of the
    rollup's 580,000. `days_mask` is the OR of its months' masks, kept for the shape every form
    of the rollup shares and never read: the rate days come from the monthly forms. Written only
    by aid.summary.rollup, from ConvertedTotal, in the same transaction.
    """

    target = models.CharField(max_length=3)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    programme = models.CharField(max_length=20)
    package = models.CharField(max_length=40, blank=True)
    currency = models.CharField(max_length=3, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["target", "status", "programme", "package", "kind", "currency"], name="one_package_total"
            )
        ]

    def __str__(self):
        return f"{self.target} {self.kind} {self.programme}/{self.package} {self.currency}"


class QualifiedCount(models.Model):
    """How many disclosed amounts were given as `at_least` or `approx`, per month and key.

    The charts say so beside their totals ("2 amounts approximate"); counted from the records,
    that read every record of the selection (four scans, about 540 ms of the overview's 620 ms
    at 1M + 1M records). Exact and undisclosed amounts are not counted, so the table stays a
    fraction of the records. Written only by aid.summary.qualified, with the record, in the same
    transaction; `rebuild_totals --verify` checks it against the records.
    """

    kind = models.CharField(max_length=8, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    donor = models.CharField(max_length=2)
    programme = models.CharField(max_length=20)
    package = models.CharField(max_length=40, blank=True)  # '' for no package
    currency = models.CharField(max_length=3)
    month = models.DateField()
    qualifier = models.CharField(max_length=10, choices=Qualifier.choices)
    records = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "status", "donor", "programme", "package", "currency", "month", "qualifier"],
                name="one_qualified_count_per_key",
            )
        ]
        indexes = [models.Index(fields=["status", "donor", "month"], name="qualified_status_donor_month")]

    def __str__(self):
        return f"{self.kind} {self.donor}/{self.programme}/{self.package} {self.currency} {self.month} {self.qualifier}"


class HeldTarget(models.Model):
    """A target currency the monthly rollup holds besides SUMMARY_FAST_CURRENCIES, because readers
    asked for it (aid.summary.held_targets). From the transaction that adds this row on, every
    write keeps its ConvertedTotal and DonorMonthTotal rows as it keeps the configured targets'.
    Written only by aid.summary.rollup, under the ledger write lock."""

    code = models.CharField(max_length=3, primary_key=True)
    held_since = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.code


class ExportBlock(models.Model):
    """The published ledger CSV of one block of records (aid.export_blocks), as COPY wrote it.

    `kind` 0, 1, 2: pledges, valuations, deliveries; `block`: record id // aid_export_block_ids()
    (a database function: 10,000). PostgreSQL only: triggers (migration 0027) delete a block in
    the transaction that changes anything it shows (a record, its links, a source, a code, a
    pledge its valuations and deliveries name), so a stored block is always what COPY would
    write now. `recipe` names the SQL that wrote it: a block of other code is written again."""

    kind = models.PositiveSmallIntegerField()
    block = models.BigIntegerField()
    recipe = models.CharField(max_length=40)
    csv = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "block"], name="exportblock_kind_block")]

    def __str__(self):
        return f"export block {self.kind}/{self.block}"


# Context figures (GDP, population, other trackers' totals) live in their own module.
from aid.context.models import Indicator, TrackerFigure  # noqa: E402, F401
from aid.releases.models import Release  # noqa: E402, F401


class LedgerVersion(models.Model):
    """One row whose number every write to what the public sees moves (aid.serving.version).

    Cached pages and API answers are keyed on it, so an edit is visible at the next request.
    """

    number = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True)
    # Moved by rate writes alone (with `number`): what is derived from the rates only (the rate
    # days a summary discloses, aid.summary.rate_days) stays valid across an edit of a record.
    rates_number = models.BigIntegerField(default=0)
    rates_changed_at = models.DateTimeField(null=True)

    def __str__(self):
        return f"ledger version {self.number}"
