"""The public home (the list of parks) and the signed-in home composed of each app's panel."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.selectors import affiliations_of
from core import navigation
from core.dashboard import render_panels
from core.models import Notification
from core.roles import ENTERPRISE, STAFF_ROLES, user_roles
from parks.selectors import public_parks

HOME_NOTIFICATIONS = 5


def public_home(request):
    """Anyone: the parks on the platform, with links to their profiles."""
    return render(request, "core/public_home.html", {"parks": public_parks()})


@login_required
def home(request):
    """Signed-in users: who they are in the portal, their latest unread notifications, the dashboard panels
    their roles may see and a card for each module they may use. Enterprise users also see their
    enterprises and where each stands in the park's verification."""
    user = request.user
    roles = user_roles(user)
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).order_by("-created_at", "-id")
    modules = [item for item in navigation.items_for(request) if item["url_name"] != "core:home"]
    return render(
        request,
        "core/home.html",
        {
            "affiliations": affiliations_of(user),
            "is_enterprise_user": ENTERPRISE in roles,
            "is_staff_user": bool(roles & set(STAFF_ROLES)),
            "unread_notifications": list(unread.select_related("park")[:HOME_NOTIFICATIONS]),
            "unread_count": unread.count(),
            "panels": render_panels(request),
            "modules": modules,
        },
    )
