from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

CHANGE_SCHEMA = {
    "type": "object",
    "description": "field name → {from, to}; fields are the ledger CSV's columns, `status`, and `sources`"
    " (the record's source URLs, sorted, space-separated)",
    "additionalProperties": {
        "type": "object",
        "properties": {"from": {"nullable": True}, "to": {"nullable": True}},
        "required": ["from", "to"],
    },
}


@extend_schema_field(CHANGE_SCHEMA)
class ChangesField(serializers.DictField):
    pass


class ChangeSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=["pledge", "delivery", "valuation"])
    ref = serializers.CharField()
    action = serializers.ChoiceField(choices=["created", "changed", "published", "unpublished", "deleted"])
    version = serializers.IntegerField()
    changes = ChangesField()
    reason = serializers.CharField()
