"""The summary's figures in context (`per=gdp|capita`), present only when asked for.

Fields here are optional in the schema (not read-only, not required): a summary without `per`
leaves them out, so its shape is unchanged.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField


@extend_schema_field({"type": "string", "format": "decimal", "nullable": True, "example": "0.123"})
class PerValue(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_representation(self, value) -> str:
        return str(value)


class IndicatorSourceSerializer(serializers.Serializer):
    url = serializers.URLField()
    title = serializers.CharField()
    kind = serializers.CharField(allow_null=True, help_text="official, international, media, tracker or secondary")


class IndicatorSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=["gdp", "population"])
    year = serializers.IntegerField()
    value = serializers.CharField(help_text="decimal string, in `unit`")
    unit = serializers.CharField(help_text="the GDP's currency, or persons")
    source = IndicatorSourceSerializer()

    def get_attribute(self, instance):
        # Left out of a plain summary's groups (a nullable field would otherwise say null there).
        if not hasattr(instance, self.source):
            raise SkipField
        return super().get_attribute(instance)
