from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    """E-procurement: suppliers, tenders, sealed bids, evaluation, awards (DESIGN §8)."""

    name = "procurement"
    verbose_name = _("Procurement")

    def ready(self):
        # Each stage registers its navigation items, dashboard panels and providers below (one line each).
        from procurement import navigation

        navigation.register_all()
        from procurement import dashboard  # red flags: the home panel and the links into integrity

        dashboard.register_all()
        from procurement.selectors.evaluation import register_bid_file_access  # evaluators read bid files

        register_bid_file_access()
