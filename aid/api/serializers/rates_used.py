"""`rates_used` of the summary and the cross-check: folded per currency and source (its size does
not grow with the days, aid.summary.disclosure), the day-by-day list with `rates_used=full`."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from aid.api.serializers.fields import DecimalString, RateUsedSerializer
from aid.api.serializers.plain import PlainRows


class RateRangeSerializer(PlainRows, serializers.Serializer):
    """The rates of one currency and source an answer used, folded: complete, and as long as the
    number of currencies whatever the span of days (the day-by-day list: `rates_used=full`)."""

    currency = serializers.CharField()
    source = serializers.CharField()
    first_day = serializers.DateField(help_text="the oldest publication day used")
    last_day = serializers.DateField(help_text="the newest publication day used")
    days = serializers.IntegerField(help_text="how many publication days were used")
    min_rate = DecimalString(help_text="units per euro; every rate used lies between min_rate and max_rate")
    max_rate = DecimalString()
    stale = serializers.BooleanField(
        help_text="a rate used was published more than 7 days before a day it was wanted for"
    )
    stale_days = serializers.IntegerField(help_text="how many of the publication days used were stale")


class DisclosesRates(serializers.Serializer):
    """Mixed into an answer whose instance has `rates_used` (the day-by-day quotes) and
    `rates_ranges` (the same folded, aid.summary.disclosure); the view
    gives the context `rates_used` (`compact` or `full`) and `rates_used_full` (the link)."""

    rates_used = serializers.SerializerMethodField(
        help_text="per currency and source: the publication days and the range of the rates used (EUR, the base, "
        "is 1 and not listed); its length does not grow with the number of days"
    )
    rates_used_full = serializers.SerializerMethodField(
        help_text="this question with rates_used=full: the same answer with every rate day used (rates_used_days)"
    )
    rates_used_days = RateUsedSerializer(
        many=True, source="rates_used", required=False, help_text="only with rates_used=full: every rate day used"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left out unless asked for (the schema, built without a request, documents it).
        if self.context.get("rates_used", "full") != "full":
            self.fields.pop("rates_used_days")

    @extend_schema_field(RateRangeSerializer(many=True))
    def get_rates_used(self, answer) -> list[dict]:
        return RateRangeSerializer(answer.rates_ranges, many=True).data

    def get_rates_used_full(self, answer) -> str | None:
        return self.context.get("rates_used_full")
