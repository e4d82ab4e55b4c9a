"""`crosscheck/`: other trackers' figures beside the ledger's own for the same donor and day."""

from drf_spectacular.utils import OpenApiParameter
from rest_framework.response import Response
from rest_framework.views import APIView

from aid import params
from aid.api.csv import csv_response
from aid.api.serializers.crosscheck import ComparisonSerializer, CrossCheckSerializer
from aid.api.views.base import RATES_USED, PublicReadView, documented, rates_used_context
from aid.api.views.records import MOMENT
from aid.context.crosscheck import cross_check
from aid.export import csv_lines
from aid.summary import LedgerFilter

COLUMNS = [*ComparisonSerializer().fields, "rates"]
PARAMETERS = [
    OpenApiParameter("donor", str, description="Donor code(s), comma-separated; default: every donor with a figure."),
    OpenApiParameter(
        "rates",
        str,
        description="How the ledger is converted into each tracker's currency: `transaction` (default), `latest`, "
        "or a day YYYY-MM-DD.",
    ),
    RATES_USED,
    *MOMENT,
]


class CrossCheckView(PublicReadView, APIView):
    """Each tracker figure (tracker, what it counts, as-of day, amount, currency, source) beside the
    ledger's pledged and delivered for the same donor up to the same day, converted into the
    tracker's currency, with the difference (ledger − tracker) and the ratio (ledger ÷ tracker).

    Trackers count different things (Kiel counts allocations: delivered or specified for
    delivery): the definitions say what each side counts.
    """

    @documented(CrossCheckSerializer, *PARAMETERS)
    def get(self, request):
        query = request.query_params
        disclosure = rates_used_context(request)
        moment = LedgerFilter(as_of=params.ledger_filter(query).as_of)
        check = cross_check(donors=params.donors(query), rates=params.rates(query), ledger_filter=moment)
        data = CrossCheckSerializer(check, context=disclosure).data
        if self.wants_csv():
            rows = ({**row, "rates": data["rates"]} for row in data["figures"])
            return csv_response(csv_lines(COLUMNS, rows), "crosscheck")
        return Response(data)
