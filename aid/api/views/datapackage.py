"""`datapackage.zip`: the live published ledger as a Frictionless Data Package, streamed."""

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from aid.api.views.base import ERRORS, PublicReadView
from aid.datapackage.writing import PackageFiles, zip_stream


class DataPackageView(PublicReadView, APIView):
    """The whole published ledger: datapackage.json (Table Schemas, licence, sources, conversion rule)
    and a CSV per table, zipped as it is written."""

    renderer_classes = [JSONRenderer]  # for errors; the zip is streamed as it is, whatever was asked

    def handle_exception(self, exc):
        if getattr(self.request, "accepted_renderer", None) is not None:  # errors are JSON, as everywhere
            self.request.accepted_renderer, self.request.accepted_media_type = JSONRenderer(), "application/json"
        return super().handle_exception(exc)

    @extend_schema(
        operation_id="datapackage_retrieve",
        tags=["datapackage"],
        responses={
            (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, description="A Frictionless Data Package."),
            (400, "application/json"): ERRORS[(400, "application/json")],  # an unknown query parameter
            (429, "application/json"): ERRORS[(429, "application/json")],
        },
    )
    def get(self, request):
        package = PackageFiles()
        response = StreamingHttpResponse(zip_stream(package), content_type="application/zip")
        stamp = package.created.strftime("%Y-%m-%dT%H%M%SZ")
        response["Content-Disposition"] = f'attachment; filename="aid-ledger-{stamp}.zip"'
        return response
