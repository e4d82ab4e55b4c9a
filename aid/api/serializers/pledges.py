from datetime import date

from rest_framework import serializers

from aid.api.serializers.fields import ConfidenceField, CurrencyCode, DecimalString, RecordSerializer, SourceSerializer
from aid.waiting import age_days


class ValuationSerializer(serializers.Serializer):
    """Another source's figure for the same pledge: shown beside it, never added to totals."""

    ref = serializers.CharField()
    date = serializers.DateField()
    amount = DecimalString(allow_null=True)
    currency = CurrencyCode()
    amount_qualifier = serializers.CharField()
    description = serializers.CharField()
    confidence = ConfidenceField()
    sources = SourceSerializer(many=True)


class PledgeSerializer(RecordSerializer):
    valuations = ValuationSerializer(many=True, help_text="alternative reported values of this pledge")
    delivered = DecimalString(
        allow_null=True,
        help_text="published deliveries against it, in the pledge's currency at each delivery's date; null (unknown, "
        "not zero) when no delivery with a disclosed amount is linked",
    )
    delivered_share = DecimalString(
        allow_null=True, help_text="delivered ÷ pledged; null when either is unknown (no delivery linked)"
    )
    deliveries = serializers.IntegerField(source="deliveries_count")
    undisclosed_deliveries = serializers.IntegerField()
    age_days = serializers.SerializerMethodField(help_text="days from its date to today (or to `date_to` when given)")
    last_delivery_date = serializers.DateField(allow_null=True, help_text="newest published delivery; null when none")

    def get_age_days(self, pledge) -> int:
        return age_days(pledge, self.context.get("until") or date.today())
