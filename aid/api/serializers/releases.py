"""Releases: what was frozen, when, its checksums and what changed since the one before."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from aid.releases import citation


class PackageFileSerializer(serializers.Serializer):
    url = serializers.URLField()
    sha256 = serializers.CharField()
    bytes = serializers.IntegerField()


class ChangelogSerializer(serializers.Serializer):
    created = serializers.ListField(child=serializers.CharField(), help_text="refs new in this release")
    changed = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), help_text="ref → the fields that changed"
    )
    removed = serializers.ListField(child=serializers.CharField(), help_text="refs no longer published")


class ReleaseSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="YYYY-MM-DD.N")
    created_at = serializers.DateTimeField()
    note = serializers.CharField()
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="rows per table")
    package = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text="the release's public page")
    citation = serializers.SerializerMethodField()

    @extend_schema_field(PackageFileSerializer)
    def get_package(self, release) -> dict:
        request = self.context["request"]
        return {"url": citation.package_url(request, release), "sha256": release.package_sha256,
                "bytes": release.package_bytes}  # fmt: skip

    def get_url(self, release) -> str:
        return citation.page_url(self.context["request"], release)

    def get_citation(self, release) -> str:
        return citation.citation(self.context["request"], release)


class ReleaseDetailSerializer(ReleaseSerializer):
    checksums = serializers.DictField(child=serializers.CharField(), help_text="file → sha256 of its bytes")
    changelog = ChangelogSerializer(help_text="against the previous release")
