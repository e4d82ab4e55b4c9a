"""What every API view shares: JSON or CSV, throttling, conditional GET, JSON errors."""

from functools import cached_property

from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.renderers import JSONRenderer

from aid import params
from aid.api.csv import CSVRenderer
from aid.api.errors import ErrorSerializer, NotModified, handle
from aid.api.negotiation import FormatNegotiation
from aid.api.pagination import LedgerPagination
from aid.api.throttling import AnonThrottle
from aid.serving import conditional

FORMAT = OpenApiParameter(
    "format", str, enum=["json", "csv"], description="`csv` for the same data as CSV (every record, not one page)."
)
RATES_USED = OpenApiParameter(
    "rates_used",
    str,
    enum=list(params.RATES_USED),
    description="`compact` (the default): `rates_used` per currency and source, with the days and the range of "
    "the rates; `full`: also `rates_used_days`, every rate day used (its length grows with the span of days).",
)
ERRORS = {
    (400, "application/json"): OpenApiResponse(
        ErrorSerializer, description="A bad parameter: `param` names it, `detail` says why."
    ),
    (404, "application/json"): OpenApiResponse(ErrorSerializer, description="No such record (or not published)."),
    (429, "application/json"): OpenApiResponse(
        ErrorSerializer, description="Too many requests: retry after `Retry-After` seconds."
    ),
}


def documented(serializer, *parameters, csv: bool = True, detail: bool = False):
    """The schema of a GET: its parameters, its JSON (and CSV) 200, and the JSON errors (404 on details)."""
    responses = {(200, "application/json"): serializer, **ERRORS}
    if not detail:
        del responses[(404, "application/json")]
    if csv:
        responses[(200, "text/csv")] = OpenApiResponse(OpenApiTypes.STR, description="The same data as CSV.")
    return extend_schema(parameters=[*parameters, FORMAT] if csv else list(parameters), responses=responses)


def rates_used_context(request) -> dict:
    """What an answer disclosing its rates (aid.api.serializers.rates_used) needs from the request:
    the form asked for, and this question with rates_used=full."""
    form = params.rates_used(request.query_params)
    query = request.query_params.copy()
    query.pop("format", None)
    query["rates_used"] = "full"
    return {"rates_used": form, "rates_used_full": request.build_absolute_uri(f"{request.path}?{query.urlencode()}")}


class PublicReadView:
    """Mixed into every API view (before the DRF class)."""

    permission_classes = [IsAuthenticatedOrReadOnly]  # nothing here writes: writes get 403 or 405
    renderer_classes = [JSONRenderer, CSVRenderer]
    content_negotiation_class = FormatNegotiation
    throttle_classes = [AnonThrottle]
    pagination_class = LedgerPagination

    def get_exception_handler(self):
        return handle

    @cached_property
    def moment(self):
        """The moment asked about (`as_of`/`release`), or None for the ledger now."""
        chosen = params.as_of(self.request.query_params)
        return chosen.at if chosen else None

    def wants_csv(self) -> bool:
        return self.request.accepted_renderer.format == "csv"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Checked even where they do not apply (a CSV is never paged): the schema documents them.
        params.page(request.query_params)
        params.page_size(request.query_params, LedgerPagination.page_size, LedgerPagination.max_page_size)
        params.rates(request.query_params)  # also where no `currency` makes it matter
        self.etag = self.last_modified = None
        if request.method in ("GET", "HEAD"):
            self.etag, self.last_modified = conditional.validators(request)
            decided = conditional.precondition_response(request, self.etag, self.last_modified)
            if decided is not None:
                raise NotModified(self._with_validators(decided))

    def handle_exception(self, exc):
        # Errors are JSON even when CSV was asked for.
        if getattr(self.request, "accepted_renderer", None) is not None and self.wants_csv():
            self.request.accepted_renderer, self.request.accepted_media_type = JSONRenderer(), "application/json"
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200 and getattr(self, "etag", None):
            self._with_validators(response)
        return response

    def _with_validators(self, response):
        response["ETag"] = self.etag
        if self.last_modified:
            response["Last-Modified"] = http_date(self.last_modified.timestamp())
        return response
