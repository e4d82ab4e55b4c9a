from rest_framework import serializers

from aid.api.serializers.fields import DecimalString
from aid.api.serializers.rates_used import DisclosesRates
from aid.context.crosscheck import ledger_definitions


class ComparisonSerializer(serializers.Serializer):
    code = serializers.CharField(source="figure.code", help_text="the tracker figure's reference")
    tracker = serializers.CharField(source="figure.tracker")
    tracker_definition = serializers.CharField(source="figure.definition", help_text="what the tracker counts")
    donor = serializers.CharField(source="figure.donor.code")
    donor_name = serializers.CharField(source="figure.donor.name")
    scope = serializers.CharField(source="figure.scope")
    as_of = serializers.DateField(source="figure.as_of", help_text="the tracker counts up to this day")
    tracker_amount = DecimalString(source="figure.amount")
    currency = serializers.CharField(source="figure.currency", help_text="the tracker's; the ledger's figures too")
    source_url = serializers.URLField(source="figure.source_url")
    source_title = serializers.CharField(source="figure.source_title")
    ledger_pledged = DecimalString(source="pledged", allow_null=True, help_text="up to as_of; null: no record")
    ledger_delivered = DecimalString(source="delivered", allow_null=True, help_text="up to as_of; null: no record")
    ledger_pledges = serializers.IntegerField(source="pledges")
    ledger_deliveries = serializers.IntegerField(source="deliveries")
    pledged_difference = DecimalString(allow_null=True, help_text="ledger pledged − tracker amount")
    pledged_ratio = DecimalString(allow_null=True, help_text="ledger pledged ÷ tracker amount (4 decimals)")
    delivered_difference = DecimalString(allow_null=True, help_text="ledger delivered − tracker amount")
    delivered_ratio = DecimalString(allow_null=True, help_text="ledger delivered ÷ tracker amount (4 decimals)")
    ledger_pledged_definition = serializers.SerializerMethodField(help_text="what the ledger's pledged counts")
    ledger_delivered_definition = serializers.SerializerMethodField(help_text="what the ledger's delivered counts")

    def get_ledger_pledged_definition(self, comparison) -> str:
        return ledger_definitions()["pledged"]

    def get_ledger_delivered_definition(self, comparison) -> str:
        return ledger_definitions()["delivered"]


class CrossCheckSerializer(DisclosesRates):
    rates = serializers.CharField(help_text="transaction, latest or the day used (YYYY-MM-DD)")
    figures = ComparisonSerializer(many=True, source="comparisons")
