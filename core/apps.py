from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Cross-cutting pieces with no domain logic: audit trail, notifications, work calendar, attachments,
    roles and park scoping, the domain error type, and the officials' home that composes each app's panel."""

    name = "core"
    verbose_name = _("Core")
