from datetime import date

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema_view

from aid import params
from aid.api.filters import PledgeFilterSet
from aid.api.serializers.pledges import PledgeSerializer
from aid.api.views.base import documented
from aid.api.views.records import CURRENCY, MOMENT, RATES, SOURCES, RecordViewSet
from aid.export import with_valuations
from aid.models import Pledge, Valuation
from aid.waiting import with_last_delivery

VALUATIONS = Prefetch("valuations", queryset=Valuation.objects.order_by("date", "ref").prefetch_related(SOURCES))


@extend_schema_view(
    list=documented(PledgeSerializer(many=True), CURRENCY, RATES, *MOMENT),
    retrieve=documented(PledgeSerializer, CURRENCY, RATES, *MOMENT, detail=True),
)
class PledgeViewSet(RecordViewSet):
    """Published pledges with their sources, alternative reported values and delivered progress."""

    model = Pledge
    serializer_class = PledgeSerializer
    filterset_class = PledgeFilterSet
    csv_name = "pledges"

    def csv_querysets(self, queryset) -> list:
        return with_valuations(queryset, self.moment)

    def with_related(self, queryset):
        if self.moment is not None:  # valuations and progress as they stood come with `as_they_stood`
            return super().with_related(queryset)
        return with_last_delivery(super().with_related(queryset).prefetch_related(VALUATIONS))

    def get_serializer_context(self):
        # age_days counts to the end of the period asked about (date_to), else to the moment asked about.
        query = self.request.query_params
        today = self.moment.date() if self.moment else date.today()
        until = params.parse_day(query["date_to"], "date_to") if query.get("date_to") else today
        return {**super().get_serializer_context(), "until": until}
