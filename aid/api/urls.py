from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from aid.api.views.changes import ChangesView
from aid.api.views.deliveries import DeliveryViewSet
from aid.api.views.donors import DonorViewSet
from aid.api.views.pledges import PledgeViewSet
from aid.api.views.programmes import ProgrammeViewSet
from aid.api.views.summary import SummaryView

app_name = "api"
router = SimpleRouter()
router.register("donors", DonorViewSet, basename="donor")
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("pledges", PledgeViewSet, basename="pledge")
router.register("deliveries", DeliveryViewSet, basename="delivery")

urlpatterns = [
    *router.urls,
    path("summary/", SummaryView.as_view(), name="summary"),
    path("changes/", ChangesView.as_view(), name="changes"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
