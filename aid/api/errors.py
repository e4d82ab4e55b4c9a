"""The one exception handler: every error is JSON naming the parameter at fault and the reason.

`{"status": 400, "param": "currency", "detail": "'XYZ' is not an ISO 4217 currency code"}`;
`param` is null when no single parameter is to blame (404, 405, 429).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler

from aid.params import ParamError
from ledger.currencies import UnknownCurrency
from ledger.rates import MissingRate


class ErrorSerializer(serializers.Serializer):
    """The body of every error response (documented in the schema)."""

    status = serializers.IntegerField()
    param = serializers.CharField(allow_null=True)
    detail = serializers.CharField()


class NotModified(Exception):
    """Raised before any work when a conditional GET matches: carries the 304 response."""

    def __init__(self, response):
        self.response = response


def error_response(status: int, detail: str, param: str | None = None, headers=None) -> Response:
    return Response({"status": status, "param": param, "detail": detail}, status=status, headers=headers)


def _blamed_parameter(request) -> str:
    """A missing rate is fixed by another `rates` day when one was given, else by another `currency`."""
    rates = request.query_params.get("rates", "") if request is not None else ""
    return "rates" if rates and rates not in ("transaction", "latest") else "currency"


def _first_message(detail) -> tuple[str | None, str]:
    if isinstance(detail, dict) and detail:
        name, value = next(iter(detail.items()))
        param, message = _first_message(value)
        return (None if name == "non_field_errors" else name), message
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    return None, str(detail)


def handle(exc, context):
    if isinstance(exc, NotModified):
        return exc.response
    if isinstance(exc, ParamError):
        return error_response(400, exc.reason, exc.param)
    if isinstance(exc, MissingRate | UnknownCurrency):
        return error_response(400, str(exc), _blamed_parameter(context.get("request")))
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    param, message = _first_message(data["detail"] if isinstance(data, dict) and "detail" in data else data)
    response.data = {"status": response.status_code, "param": param, "detail": message}
    return response


def error_json(status: int, detail: str, param: str | None = None, headers=None) -> JsonResponse:
    """The same error shape for answers given outside DRF (middleware, the 500 handler)."""
    return JsonResponse({"status": status, "param": param, "detail": detail}, status=status, headers=headers)
