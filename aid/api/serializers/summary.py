from rest_framework import serializers

from aid.api.serializers.fields import DecimalString, RateUsedSerializer


class GroupSerializer(serializers.Serializer):
    key = serializers.CharField(
        allow_null=True,
        help_text="donor, programme or package code, year (2025) or month (2025-08); null for no package",
    )
    label = serializers.CharField()
    pledged = DecimalString(help_text="in the summary's currency")
    delivered = DecimalString(help_text="in the summary's currency")
    delivered_share = DecimalString(allow_null=True, help_text="delivered ÷ pledged; null when nothing pledged")
    pledges = serializers.IntegerField()
    deliveries = serializers.IntegerField()
    undisclosed = serializers.IntegerField(help_text="records with an undisclosed amount: unknown, not counted as zero")


class SummarySerializer(serializers.Serializer):
    currency = serializers.CharField()
    rates = serializers.CharField(help_text="transaction, latest or the day used (YYYY-MM-DD)")
    groups = GroupSerializer(many=True)
    total = GroupSerializer(help_text="the sum of the rounded parts above, so the parts add up")
    rates_used = RateUsedSerializer(many=True)
