"""Menu entries and the home panel of the service rating cards; called from `IntegrityConfig.ready()`."""

from django.utils.translation import gettext_lazy as _

from core.dashboard import Panel, register_panel
from core.navigation import NavItem, register
from core.roles import AUDITOR, DISCIPLINE, OFFICIAL_ROLES, PARK_ADMIN, PLATFORM_ADMIN


def register_all():
    from integrity import dashboard_ratings

    register(
        NavItem(
            _("My rating card"),
            "integrity:my-card",
            roles=OFFICIAL_ROLES,
            public=False,
            icon="person-badge",
            order=47,
            description=_("Your supervision reminder card (监督提醒卡) with its QR code, and your average ratings."),
        )
    )
    register(
        NavItem(
            _("Service ratings"),
            "integrity:rating-overview",
            roles=(PLATFORM_ADMIN, DISCIPLINE, PARK_ADMIN, AUDITOR),
            public=False,
            icon="star-half",
            order=48,
            description=_("Officials' average ratings from their cards; the discipline office reads every rating."),
        )
    )
    register_panel(
        Panel(
            key="integrity-ratings",
            template="integrity/ratings/partials/panel_ratings.html",
            context=dashboard_ratings.ratings_panel_context,
            roles=(PLATFORM_ADMIN, *OFFICIAL_ROLES, AUDITOR),
            order=64,
        )
    )
