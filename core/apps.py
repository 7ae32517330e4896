from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Cross-cutting pieces with no domain logic: audit trail, notifications, work calendar, attachments,
    roles and park scoping, the domain error type, and the officials' home that composes each app's panel."""

    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.db.models.signals import post_migrate

        from core.roles import grant_role_permissions

        # Setup only: gives the role groups their model permissions once each app's permissions exist.
        post_migrate.connect(grant_role_permissions, dispatch_uid="core.roles.grant_role_permissions")
