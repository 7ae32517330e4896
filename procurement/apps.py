from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    """E-procurement: suppliers, tenders, sealed bids, evaluation, awards (DESIGN §8)."""

    name = "procurement"
    verbose_name = _("Procurement")

    def ready(self):
        # Each stage registers its navigation items, dashboard panels and providers below (one line each).
        pass
