from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrityConfig(AppConfig):
    """Integrity registers: pledges, declarations, conduct lists, risk register (DESIGN §7)."""

    name = "integrity"
    verbose_name = _("Integrity")
