from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    """吐槽区: enterprises' complaints and demands (DESIGN §6)."""

    name = "complaints"
    verbose_name = _("Complaints")
