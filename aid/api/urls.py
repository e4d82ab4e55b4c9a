from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.urls import path, re_path, resolve, reverse
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from aid.api.views.changes import ChangesView
from aid.api.views.crosscheck import CrossCheckView
from aid.api.views.datapackage import DataPackageView
from aid.api.views.deliveries import DeliveryViewSet
from aid.api.views.donors import DonorViewSet
from aid.api.views.pledges import PledgeViewSet
from aid.api.views.programmes import ProgrammeViewSet
from aid.api.views.releases import RELEASE_ID, ReleasePackageView, ReleaseViewSet
from aid.api.views.summary import SummaryView

app_name = "api"
router = SimpleRouter()
router.register("donors", DonorViewSet, basename="donor")
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("pledges", PledgeViewSet, basename="pledge")
router.register("deliveries", DeliveryViewSet, basename="delivery")
router.register("releases", ReleaseViewSet, basename="release")

# The index's names are the URLs' own path segments (`deliveries`, never a made-up plural).
ENDPOINTS = {
    "donors": "donor-list", "programmes": "programme-list", "pledges": "pledge-list",
    "deliveries": "delivery-list", "summary": "summary", "crosscheck": "crosscheck", "changes": "changes",
    "datapackage.zip": "datapackage", "releases": "release-list",
    "schema": "schema", "docs": "docs",
}  # fmt: skip


class DocsView(SpectacularSwaggerSplitView):
    # The split view serves Swagger UI start-up script as a file: no inline script under the CSP.
    def options(self, request, *args, **kwargs):
        # The docs page renders only as HTML, which has no template for DRF's OPTIONS metadata.
        return HttpResponse(headers={"Allow": ", ".join(self.allowed_methods)})


def index(request):
    """`/api/v1/` itself: where everything is (a plain JSON map, outside the schema)."""
    return JsonResponse({key: request.build_absolute_uri(reverse(f"api:{name}")) for key, name in ENDPOINTS.items()})


def not_found(request, rest=""):
    # Unknown paths under /api/v1/ answer in JSON like every other API error, not an HTML page;
    # a missing trailing slash still gets Django's usual redirect.
    if rest and not rest.endswith("/") and resolve(f"/api/v1/{rest}/").func is not not_found:
        query = f"?{request.META['QUERY_STRING']}" if request.META.get("QUERY_STRING") else ""
        return HttpResponsePermanentRedirect(f"/api/v1/{rest}/{query}")
    return JsonResponse(
        {"status": 404, "param": None, "detail": f"no API endpoint at /api/v1/{rest}: see /api/v1/docs/"}, status=404
    )


urlpatterns = [
    path("", index, name="index"),
    *router.urls,
    path("summary/", SummaryView.as_view(), name="summary"),
    path("crosscheck/", CrossCheckView.as_view(), name="crosscheck"),
    path("changes/", ChangesView.as_view(), name="changes"),
    path("datapackage.zip", DataPackageView.as_view(), name="datapackage"),
    re_path(
        rf"^releases/(?P<pk>{RELEASE_ID})/(?P<file_name>[^/]+\.zip)$",
        ReleasePackageView.as_view(),
        name="release-package",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
]
# (?s:…): a path may hold a line break, which a bare '.' would not match, leaving it to Django's HTML 404.
urlpatterns.append(re_path(r"^(?P<rest>(?s:.*))$", not_found))
