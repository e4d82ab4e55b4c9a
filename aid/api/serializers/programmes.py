from rest_framework import serializers

from aid.api.serializers.fields import CurrencyCode, DecimalString, SourceSerializer


class PackageSerializer(serializers.Serializer):
    """A package's own announced figure: shown beside the donors' pledges, never added to them."""

    code = serializers.CharField()
    name_en = serializers.CharField()
    name_nl = serializers.CharField()
    description_en = serializers.CharField()
    description_nl = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    amount = DecimalString(allow_null=True)
    currency = CurrencyCode()
    amount_qualifier = serializers.CharField()
    donors = serializers.SerializerMethodField(help_text="codes of the donors funding it")
    source = SourceSerializer(allow_null=True)

    def get_donors(self, package) -> list[str]:
        return sorted(donor.code for donor in package.donors.all())


class ProgrammeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_en = serializers.CharField()
    name_nl = serializers.CharField()
    description_en = serializers.CharField()
    description_nl = serializers.CharField()
    start_date = serializers.DateField(allow_null=True)
    packages = PackageSerializer(many=True)
