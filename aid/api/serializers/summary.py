from rest_framework import serializers

from aid.api.serializers.context import IndicatorSerializer, PerValue
from aid.api.serializers.fields import DecimalString
from aid.api.serializers.plain import PlainRows
from aid.api.serializers.rates_used import DisclosesRates


class GroupSerializer(PlainRows, serializers.Serializer):
    key = serializers.CharField(
        allow_null=True,
        help_text="donor, programme or package code, year (2025) or month (2025-08); null for no package",
    )
    label = serializers.CharField()
    pledged = DecimalString(help_text="in the summary's currency")
    delivered = DecimalString(
        allow_null=True,
        help_text="in the summary's currency; null (unknown, not zero) when no delivery with a disclosed amount is "
        "recorded; in the total, the sum of what is known",
    )
    delivered_share = DecimalString(
        allow_null=True, help_text="delivered ÷ pledged; null when nothing is pledged or delivered is unknown"
    )
    delivery_coverage = DecimalString(
        allow_null=True,
        help_text="share (0–1, 4 places) of the disclosed pledged value whose pledges have at least one delivery "
        "record (an undisclosed amount counts); null when nothing is pledged",
    )
    pledged_without_delivery = DecimalString(
        help_text="disclosed pledged value whose pledges have no delivery record: what `delivered` cannot speak for"
    )
    pledges = serializers.IntegerField()
    deliveries = serializers.IntegerField()
    undisclosed = serializers.IntegerField(help_text="records with an undisclosed amount: unknown, not counted as zero")
    # Only with per=gdp|capita (aid.context.normalise); a plain summary leaves them out.
    pledged_per = PerValue(
        help_text="per=gdp: pledged as % of the donor's GDP (3 decimals); per=capita: pledged per person in the "
        "summary's currency (2 decimals); null for a donor without the indicator"
    )
    delivered_per = PerValue(help_text="the same for delivered; null when delivered is unknown")
    indicator = IndicatorSerializer(required=False, allow_null=True, help_text="what was divided by; null without")


class SummarySerializer(DisclosesRates):
    currency = serializers.CharField()
    rates = serializers.CharField(help_text="transaction, latest or the day used (YYYY-MM-DD)")
    groups = GroupSerializer(many=True)
    total = GroupSerializer(help_text="the sum of the rounded parts above, so the parts add up")
    rates_up_to = serializers.DateField(
        allow_null=True, help_text="the newest day of ECB rates held (how fresh `latest` is); null when none"
    )
    per = serializers.ChoiceField(choices=["gdp", "capita"], required=False, help_text="only with per=")
    missing_indicator = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="only with per=: donors without the indicator"
    )
