"""Template context shared by every page: the user's roles, the navigation they may see, and the sign-in
address (portal.js sends the browser there when an htmx request finds the session gone)."""

from django.conf import settings
from django.shortcuts import resolve_url

from core import navigation
from core.roles import ROLE_LABELS, user_roles


def portal(request):
    user = getattr(request, "user", None)
    roles = user_roles(user) if user is not None else frozenset()
    return {
        "user_roles": roles,
        "user_role_labels": [ROLE_LABELS[r] for r in ROLE_LABELS if r in roles],
        "nav_items": navigation.items_for(request),
        "login_url": resolve_url(settings.LOGIN_URL),
    }
