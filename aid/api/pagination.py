"""Page-number pagination with `count`, `next` and `previous`; a page past the end is a 400."""

from rest_framework.pagination import PageNumberPagination

from aid import params
from aid.params import ParamError


class LedgerPagination(PageNumberPagination):
    page_size = 100
    max_page_size = 500
    page_size_query_param = "page_size"
    page_size_query_description = "Records per page, 1 to 500 (default 100)."
    page_query_description = "Page number, from 1; a page past the last one is a 400."

    def get_schema_operation_parameters(self, view):
        # The schema states the bounds params.page and params.page_size enforce.
        parameters = super().get_schema_operation_parameters(view)
        bounds = {self.page_query_param: params.LAST_PAGE, self.page_size_query_param: self.max_page_size}
        for parameter in parameters:
            parameter["schema"].update(minimum=1, maximum=bounds[parameter["name"]])
        return parameters

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = params.page_size(request.query_params, self.page_size, self.max_page_size)
        number = params.page(request.query_params)
        paginator = self.django_paginator_class(queryset, size)
        if number > paginator.num_pages:
            raise ParamError("page", f"{number} is past the last page ({paginator.num_pages})")
        self.page = paginator.page(number)
        return list(self.page)
