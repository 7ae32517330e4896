"""The API's pagination: page-number based, with a client-chosen page size up to a fixed maximum."""

from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200
