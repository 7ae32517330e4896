"""Small helpers the integrity pages share."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import CheckboxSelectMultiple, Select, SelectMultiple
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

PER_PAGE = 25


def is_htmx(request):
    return request.headers.get("HX-Request") == "true"


def paginate(request, queryset, per_page=PER_PAGE):
    """The requested page, and the query string without the page number (for the pager links)."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def filtered(filterset):
    """The FilterSet's queryset: filtered when its input is valid, else unfiltered (a bad value is shown as a
    form error, not a server error)."""
    if filterset.is_bound and filterset.is_valid():
        return filterset.qs
    return filterset.queryset


def style_filter_form(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, CheckboxSelectMultiple):
            continue
        css = (
            "form-select form-select-sm"
            if isinstance(widget, Select | SelectMultiple)
            else "form-control form-control-sm"
        )
        widget.attrs["class"] = css
    return form


def back(request, default):
    """Redirect to the form's `next` (on this site only) or to `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(default)


def report_error(request, error):
    messages.error(request, str(error.message))


def discipline_parks_or_404(user):
    """The active parks whose declarations the user reviews (or sees, as platform administrator)."""
    from core.scoping import ALL
    from integrity.selectors.access import discipline_park_ids
    from parks.models import Park

    ids = discipline_park_ids(user)
    if not ids:
        raise Http404
    parks = Park.objects.filter(is_active=True).order_by("name")
    if ids is not ALL:
        parks = parks.filter(pk__in=ids)
    return list(parks)
