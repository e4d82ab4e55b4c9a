from rest_framework import serializers


class DonorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="ISO 3166-1 alpha-2, or EU for the EU institutions")
    name_en = serializers.CharField()
    name_nl = serializers.CharField()
    eu_member = serializers.BooleanField()
    nato_member = serializers.BooleanField()
    nato_joined = serializers.IntegerField(allow_null=True, help_text="year it joined NATO; null if not a member")
