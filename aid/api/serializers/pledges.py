from rest_framework import serializers

from aid.api.serializers.fields import ConfidenceField, CurrencyCode, DecimalString, RecordSerializer, SourceSerializer


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
        allow_null=True, help_text="published deliveries against it, in the pledge's currency at each delivery's date"
    )
    delivered_share = DecimalString(allow_null=True, help_text="delivered ÷ pledged; null when the amount is unknown")
    deliveries = serializers.IntegerField(source="deliveries_count")
    undisclosed_deliveries = serializers.IntegerField()
