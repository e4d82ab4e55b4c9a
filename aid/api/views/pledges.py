from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema_view

from aid.api.filters import PledgeFilterSet
from aid.api.serializers.pledges import PledgeSerializer
from aid.api.views.base import documented
from aid.api.views.records import CURRENCY, RATES, SOURCES, RecordViewSet
from aid.models import Pledge, Valuation

VALUATIONS = Prefetch("valuations", queryset=Valuation.objects.order_by("date", "ref").prefetch_related(SOURCES))


@extend_schema_view(
    list=documented(PledgeSerializer(many=True), CURRENCY, RATES),
    retrieve=documented(PledgeSerializer, CURRENCY, RATES, detail=True),
)
class PledgeViewSet(RecordViewSet):
    """Published pledges with their sources, alternative reported values and delivered progress."""

    model = Pledge
    serializer_class = PledgeSerializer
    filterset_class = PledgeFilterSet
    csv_name = "pledges"

    def with_related(self, queryset):
        return super().with_related(queryset).prefetch_related(VALUATIONS)
