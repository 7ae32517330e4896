"""The roles of DESIGN §1, as Django groups created by a data migration.

Group names are stable codes; `ROLE_LABELS` gives the translated names shown to people.
"""

from django.utils.translation import gettext_lazy as _

PLATFORM_ADMIN = "platform_admin"
PARK_ADMIN = "park_admin"
DISPATCHER = "dispatcher"
HANDLER = "handler"
DISCIPLINE = "discipline"
ENTERPRISE = "enterprise"
AUDITOR = "auditor"

ROLE_LABELS = {
    PLATFORM_ADMIN: _("Platform administrator"),
    PARK_ADMIN: _("Park administrator"),
    DISPATCHER: _("Dispatcher"),
    HANDLER: _("Handler"),
    DISCIPLINE: _("Discipline officer"),
    ENTERPRISE: _("Enterprise user"),
    AUDITOR: _("Auditor"),
}
ALL_ROLES = tuple(ROLE_LABELS)
OFFICIAL_ROLES = (PARK_ADMIN, DISPATCHER, HANDLER, DISCIPLINE)
STAFF_ROLES = (PLATFORM_ADMIN, *OFFICIAL_ROLES, AUDITOR)


def user_roles(user):
    """The set of role codes a user holds (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached = cached | {PLATFORM_ADMIN}
        user._portal_roles = cached
    return cached


def has_role(user, *roles):
    """True when the user holds any of `roles`."""
    return bool(user_roles(user) & set(roles))


def is_platform_admin(user):
    return has_role(user, PLATFORM_ADMIN)


def is_official(user):
    return has_role(user, PLATFORM_ADMIN, *OFFICIAL_ROLES)
