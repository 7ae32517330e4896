"""The roles of DESIGN §1, as Django groups created by a data migration (``core.0002_roles``).

Group names are stable codes; `ROLE_LABELS` gives the translated names shown to people; `ROLE_PERMISSIONS`
says which Django model permissions each group holds (granted after every migrate).
"""

from fnmatch import fnmatchcase

from django.utils.translation import gettext_lazy as _

PLATFORM_ADMIN = "platform_admin"
PARK_ADMIN = "park_admin"
DISPATCHER = "dispatcher"
HANDLER = "handler"
DISCIPLINE = "discipline"
ENTERPRISE = "enterprise"
AUDITOR = "auditor"
PROCUREMENT = "procurement"
EXPERT = "expert"

ROLE_LABELS = {
    PLATFORM_ADMIN: _("Platform administrator"),
    PARK_ADMIN: _("Park administrator"),
    DISPATCHER: _("Dispatcher"),
    HANDLER: _("Handler"),
    DISCIPLINE: _("Discipline officer"),
    ENTERPRISE: _("Enterprise user"),
    AUDITOR: _("Auditor"),
    PROCUREMENT: _("Procurement officer"),
    EXPERT: _("Evaluation expert"),
}
ALL_ROLES = tuple(ROLE_LABELS)
OFFICIAL_ROLES = (PARK_ADMIN, DISPATCHER, HANDLER, DISCIPLINE, PROCUREMENT)
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


# Model permissions per role: what each group may do in the Django admin. Patterns are
# ``"<app_label>.<codename>"`` with shell wildcards. Everyday work (tickets, declarations, bids) happens on the
# portal's pages through services, which check roles and parks themselves; these permissions only open the
# admin to the people who maintain reference data. Park admins do not get ``accounts.change_user``: Django's
# user form would let them grant themselves superuser status.
ROLE_PERMISSIONS = {
    PLATFORM_ADMIN: (
        "accounts.*",
        "auth.view_group",
        "parks.*",
        "complaints.*",
        "integrity.*",
        "procurement.*",
        "core.view_*",
        "core.*_calendarday",
    ),
    PARK_ADMIN: (
        "accounts.view_user",
        "parks.view_park",
        "parks.change_park",
        "parks.*_parkstatistic",
        "parks.*_parkfigure",
        "parks.view_department",
        "parks.add_department",
        "parks.change_department",
        "parks.view_enterprise",
        "parks.add_enterprise",
        "parks.change_enterprise",
        "parks.view_staffprofile",
        "parks.add_staffprofile",
        "parks.change_staffprofile",
        "parks.*_enterprisemembership",
        "complaints.view_*",
        "complaints.*_category",
        "complaints.*_routingrule",
        "integrity.view_*",
        "integrity.*_pledgetemplate",
        "integrity.*_conductlist",
        "integrity.*_conductitem",
        "integrity.*_notice",
        "procurement.view_*",
        "core.view_calendarday",
    ),
    DISPATCHER: ("parks.view_park", "parks.view_department", "parks.view_enterprise"),
    HANDLER: ("parks.view_park", "parks.view_department", "parks.view_enterprise"),
    DISCIPLINE: (
        "parks.view_park",
        "parks.view_department",
        "parks.view_enterprise",
        "parks.view_staffprofile",
        "complaints.view_*",
        "integrity.view_*",
        "procurement.view_*",
        "core.view_auditevent",
    ),
    ENTERPRISE: (),
    PROCUREMENT: (
        "parks.view_park",
        "parks.view_department",
        "parks.view_enterprise",
        "procurement.view_*",
        "procurement.*_evaluatorpoolmember",
    ),
    # External experts work only on the portal's evaluation pages.
    EXPERT: (),
    AUDITOR: (
        "parks.view_*",
        "complaints.view_*",
        "integrity.view_*",
        "procurement.view_*",
        "core.view_auditevent",
    ),
}

# Never granted to any group, whatever the patterns above say: the audit trail is append-only, and
# notifications and attachments are written by their services only.
NEVER_GRANTED = (
    "core.add_auditevent",
    "core.change_auditevent",
    "core.delete_auditevent",
    "core.*_auditchainhead",
    "core.add_notification",
    "core.change_notification",
    "core.delete_notification",
    "core.add_attachment",
    "core.change_attachment",
    "core.delete_attachment",
)


def _matches(label, patterns):
    return any(fnmatchcase(label, pattern) for pattern in patterns)


def permissions_for_role(role, permissions):
    """The subset of `permissions` (``(app_label, codename)`` pairs) that `ROLE_PERMISSIONS` grants `role`."""
    patterns = ROLE_PERMISSIONS.get(role, ())
    return [
        (app_label, codename)
        for app_label, codename in permissions
        if _matches(f"{app_label}.{codename}", patterns) and not _matches(f"{app_label}.{codename}", NEVER_GRANTED)
    ]


def grant_role_permissions(app_config=None, *, using="default", apps=None, **kwargs):
    """Create the role groups and grant them their `ROLE_PERMISSIONS` on `app_config`'s models (all apps
    when None). Connected to ``post_migrate`` in `core.apps`, which Django sends per app after creating that
    app's permissions, so apps migrated later are covered too. Only adds: permissions an administrator
    granted by hand are left alone."""
    if apps is None:
        from django.apps import apps
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
    except LookupError:
        return
    permissions = Permission.objects.using(using).select_related("content_type")
    if app_config is not None:
        permissions = permissions.filter(content_type__app_label=app_config.label)
    by_label = {(p.content_type.app_label, p.codename): p for p in permissions}
    if not by_label:
        return
    for role in ALL_ROLES:
        group, _created = Group.objects.using(using).get_or_create(name=role)
        granted = permissions_for_role(role, by_label)
        if granted:
            group.permissions.add(*(by_label[key] for key in granted))
