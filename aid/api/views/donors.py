from drf_spectacular.utils import extend_schema_view

from aid.api.serializers.donors import DonorSerializer
from aid.api.views.base import documented
from aid.api.views.records import MOMENT
from aid.api.views.reference import ReferenceViewSet
from aid.models import Donor


@extend_schema_view(list=documented(DonorSerializer(many=True), *MOMENT))
class DonorViewSet(ReferenceViewSet):
    """Every donor, by code (reference data: as it is now, whatever `as_of` or `release` asks)."""

    queryset = Donor.objects.order_by("code")
    serializer_class = DonorSerializer
    csv_name = "donors"
    csv_columns = list(DonorSerializer().fields)
