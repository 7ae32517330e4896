from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrityConfig(AppConfig):
    """Integrity registers: pledges, declarations, conduct lists (DESIGN §7)."""

    name = "integrity"
    verbose_name = _("Integrity")

    def ready(self):
        from core.interests import register_interest_provider
        from integrity import business, navigation
        from integrity.selectors.declarations import declared_interest_user_ids

        # Complaint routing and procurement ask core.interests before assigning anyone (recusal).
        register_interest_provider(declared_interest_user_ids)

        from core.audit import register_trail_visibility
        from integrity.selectors.declarations import (
            CONFIDENTIAL_AUDIT_TARGET_TYPES,
            visible_declaration_trail_ids,
            visible_round_trail_ids,
        )

        # The trail of a declaration is as confidential as the declaration itself.
        register_trail_visibility(["integrity.declaration"], visible_declaration_trail_ids)
        register_trail_visibility(
            [t for t in CONFIDENTIAL_AUDIT_TARGET_TYPES if t != "integrity.declaration"], visible_round_trail_ids
        )
        business.register_open_business_provider(business.complaints_open_tickets)
        navigation.register_all()
        from integrity import navigation_risk  # the risk register and notices

        navigation_risk.register_all()
        from integrity import navigation_decisions  # the 三重一大 register

        navigation_decisions.register_all()
        from integrity import navigation_ratings  # service rating cards (监督提醒卡)

        navigation_ratings.register_all()
