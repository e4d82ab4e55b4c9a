from drf_spectacular.utils import extend_schema_view

from aid.api.filters import DeliveryFilterSet
from aid.api.serializers.deliveries import DeliverySerializer
from aid.api.views.base import documented
from aid.api.views.records import CURRENCY, MOMENT, RATES, RecordViewSet
from aid.models import Delivery


@extend_schema_view(
    list=documented(DeliverySerializer(many=True), CURRENCY, RATES, *MOMENT),
    retrieve=documented(DeliverySerializer, CURRENCY, RATES, *MOMENT, detail=True),
)
class DeliveryViewSet(RecordViewSet):
    """Published deliveries (payments or deliveries), each with the `ref` of the pledge it fulfils."""

    model = Delivery
    serializer_class = DeliverySerializer
    filterset_class = DeliveryFilterSet
    csv_name = "deliveries"

    def with_related(self, queryset):
        if self.moment is not None:  # its pledge as it stood comes with `as_they_stood`
            return super().with_related(queryset)
        return super().with_related(queryset).select_related("pledge")
