"""The notification bell (htmx fragment), the list of one's notifications, and marking them read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from core.filters import NotificationFilterSet
from core.models import Notification
from core.notifications import notifications_for, unread_count_for
from core.services import notification_mark_all_read, notification_mark_read

# htmx stops polling on this status: a session that expired stops asking instead of swapping a login page
# into the navigation bar.
HTMX_STOP_POLLING = 286


@require_GET
def notification_bell(request):
    """The bell's content with the unread count; base.html polls it."""
    if not request.user.is_authenticated:
        return HttpResponse(status=HTMX_STOP_POLLING)
    response = render(request, "core/partials/notification_bell.html", {"unread_count": unread_count_for(request.user)})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def notification_list(request):
    """The user's own notifications, newest first, filterable to the unread ones."""
    filterset = NotificationFilterSet(request.GET, queryset=notifications_for(request.user))
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/notifications.html",
        {
            "page": page,
            "filter": filterset,
            "unread_only": request.GET.get("unread") in {"true", "1", "True"},
            "unread_count": unread_count_for(request.user),
            "query": query.urlencode(),
        },
    )


def _is_local(request, url):
    return bool(url) and url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure())


def _back(request, fallback="core:notifications"):
    target = request.POST.get("next", "")
    return redirect(target if _is_local(request, target) else fallback)


@login_required
@require_POST
def notification_read(request, pk):
    """Mark one of the user's notifications read (404 for anyone else's), then go back or follow its link."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification_mark_read(notification=notification, actor=request.user)
    if request.POST.get("follow") and _is_local(request, notification.url):
        return redirect(notification.url)
    return _back(request)


@login_required
@require_POST
def notification_read_all(request):
    notification_mark_all_read(actor=request.user)
    return _back(request)
