"""Fields shared by the resources' output shapes."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from aid.models import Confidence, SourceKind


@extend_schema_field({"type": "string", "format": "decimal", "pattern": r"^-?\d+(\.\d+)?$", "example": "500000000.00"})
class DecimalString(serializers.Field):
    """A Decimal as a string, with the digits it carries ("500000000.00"); null when unknown."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value) -> str:
        return str(value)


@extend_schema_field({"type": "string", "pattern": "^[A-Z]{3}$", "example": "EUR"})
class CurrencyCode(serializers.Field):
    """An ISO 4217 code; null with an undisclosed amount (stored as '')."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value) -> str | None:
        return value or None


class Assessment(serializers.Field):
    """One of a few fixed words; null when not assessed (stored as ''), never a guess."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value) -> str | None:
        return value or None


@extend_schema_field({"type": "string", "enum": [*Confidence.values, None], "nullable": True})
class ConfidenceField(Assessment):
    pass


@extend_schema_field({"type": "string", "enum": [*SourceKind.values, None], "nullable": True})
class SourceKindField(Assessment):
    pass


class SourceSerializer(serializers.Serializer):
    url = serializers.URLField()
    title = serializers.CharField()
    kind = SourceKindField(help_text="official, international, media, tracker or secondary; null: not assessed")


class RateUsedSerializer(serializers.Serializer):
    """One published rate (1 EUR = `rate` units of `currency`) and where it comes from."""

    currency = serializers.CharField()
    rate_date = serializers.DateField()
    rate = DecimalString()
    stale = serializers.BooleanField(help_text="published more than 7 days before the day it was wanted for")
    source = serializers.CharField()


class ConversionSerializer(serializers.Serializer):
    """A record's amount in the asked currency, with the rates that made it."""

    currency = serializers.CharField()
    amount = DecimalString()
    rate = DecimalString(help_text="units of `currency` per unit of the record's own currency, for display")
    rate_date = serializers.DateField(help_text="the older of the two publication days used")
    stale = serializers.BooleanField(help_text="a rate used was published more than 7 days before the wanted day")
    rates_used = RateUsedSerializer(many=True, help_text="the published rates used (EUR, the base, is 1)")


class RecordSerializer(serializers.Serializer):
    """What pledges and deliveries share; names are the ledger CSV's columns."""

    ref = serializers.CharField()
    donor = serializers.CharField(source="donor.code")
    programme = serializers.CharField(source="programme.code")
    package = serializers.CharField(source="package.code", allow_null=True)
    date = serializers.DateField()
    amount = DecimalString(allow_null=True, help_text="in `currency`; null when undisclosed (unknown, not zero)")
    currency = CurrencyCode()
    amount_qualifier = serializers.CharField()
    description = serializers.CharField()
    confidence = ConfidenceField(help_text="high, medium or low, as the researcher judged it; null: not assessed")
    sources = SourceSerializer(many=True)
    converted = serializers.SerializerMethodField()

    @extend_schema_field(ConversionSerializer(allow_null=True))
    def get_converted(self, record):
        conversion = self.context.get("conversions", {}).get(record.pk)
        if conversion is None:
            return None
        return conversion_data(conversion)


def conversion_data(conversion) -> dict:
    quotes = [q for q in (conversion.source_quote, conversion.target_quote) if q.currency != "EUR"]
    if not conversion.converted:
        quotes = []
    return {
        "currency": conversion.result.currency,
        "amount": str(conversion.result.amount),
        "rate": str(conversion.rate),
        "rate_date": min(conversion.source_quote.rate_date, conversion.target_quote.rate_date).isoformat(),
        "stale": conversion.stale,
        "rates_used": [q.as_dict() for q in dict.fromkeys(quotes)],
    }
