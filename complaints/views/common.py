"""Helpers shared by the 吐槽区 pages."""

from django.core.paginator import Paginator
from django.http import Http404

from complaints.selectors import ticket_get_for
from core.errors import DomainError

PER_PAGE = 25
MAX_PER_PAGE = 100


def is_htmx(request):
    return request.headers.get("HX-Request") == "true"


def get_ticket_or_404(user, pk):
    """A ticket the user may see, or 404 (a ticket they may not see does not exist for them)."""
    try:
        return ticket_get_for(user, pk=pk)
    except DomainError as error:
        raise Http404(str(error.message)) from error


def page_size(request):
    try:
        size = int(request.GET.get("page_size") or PER_PAGE)
    except ValueError:
        size = PER_PAGE
    return max(1, min(size, MAX_PER_PAGE))


def paginate(request, queryset):
    return Paginator(queryset, page_size(request)).get_page(request.GET.get("page"))


def query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def private(response):
    """Nothing about a report may stay in a shared cache or the browser's history cache, nor be sent to
    another site as a referrer. ``same-origin``, not ``no-referrer``: with the latter Chromium sends
    ``Origin: null`` with the page's own forms, which Django's CSRF check refuses."""
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    return response
