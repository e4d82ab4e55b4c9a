"""`releases/`: every release, newest first; `releases/{id}/` with checksums and changelog."""

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from aid.api.serializers.releases import ReleaseDetailSerializer, ReleaseSerializer
from aid.api.views.base import ERRORS, PublicReadView, documented
from aid.releases.making import storage
from aid.releases.models import Release

RELEASE_ID = r"\d{4}-\d{2}-\d{2}\.\d+"


class NoLedgerValidators:
    """Releases change without the ledger changing: no ETag taken from the ledger's state."""

    def initial(self, request, *args, **kwargs):
        APIView.initial(self, request, *args, **kwargs)
        self.etag = self.last_modified = None


@extend_schema_view(
    list=documented(ReleaseSerializer(many=True), csv=False),
    retrieve=documented(ReleaseDetailSerializer, csv=False, detail=True),
)
class ReleaseViewSet(NoLedgerValidators, PublicReadView, viewsets.ReadOnlyModelViewSet):
    """Releases of the published ledger, newest first: checksummed data packages with a changelog."""

    queryset = Release.objects.order_by("-created_at")
    renderer_classes = [JSONRenderer]  # nested checksums and changelogs: JSON only
    lookup_value_regex = RELEASE_ID

    def get_serializer_class(self):
        return ReleaseDetailSerializer if self.action == "retrieve" else ReleaseSerializer


class ReleasePackageView(NoLedgerValidators, PublicReadView, APIView):
    """A release's data package, byte for byte as it was made."""

    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="releases_package_retrieve",
        responses={
            (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, description="The release's data package."),
            (400, "application/json"): ERRORS[(400, "application/json")],  # an unknown query parameter
            (404, "application/json"): ERRORS[(404, "application/json")],
            (429, "application/json"): ERRORS[(429, "application/json")],
        },
    )
    def get(self, request, pk: str, file_name: str):
        release = Release.objects.filter(pk=pk).first()
        if release is None or file_name != release.file_name:
            raise Http404
        return FileResponse(storage().open(release.package_name, "rb"), as_attachment=True, filename=file_name)
