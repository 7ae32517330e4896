"""The notification bell (htmx fragment), the list of one's notifications, and marking them read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.models import Notification
from core.services import notification_mark_all_read, notification_mark_read


@login_required
def notification_bell(request):
    unread = Notification.objects.filter(recipient=request.user, read_at__isnull=True)
    return render(
        request,
        "core/partials/notification_bell.html",
        {"unread_count": unread.count(), "latest": unread.order_by("-created_at")[:5]},
    )


@login_required
def notification_list(request):
    page = Paginator(Notification.objects.filter(recipient=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@login_required
@require_POST
def notification_read(request, pk):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification_mark_read(notification=notification, actor=request.user)
    if notification.url and request.POST.get("follow"):
        return redirect(notification.url)
    return redirect("core:notifications")


@login_required
@require_POST
def notification_read_all(request):
    notification_mark_all_read(actor=request.user)
    return redirect("core:notifications")
