"""`?format=` names the parameter when it is wrong, instead of answering 404."""

from rest_framework.negotiation import DefaultContentNegotiation

from aid import params


class FormatNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        params.output_format(request.query_params)
        return super().select_renderer(request, renderers, format_suffix)
