"""Menu entries and dashboard panels of the integrity app, registered from IntegrityConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from core.dashboard import Panel, register_panel
from core.navigation import NavItem, register
from core.roles import AUDITOR, DISCIPLINE, ENTERPRISE, OFFICIAL_ROLES, PLATFORM_ADMIN
from integrity import dashboard


def register_all():
    register(
        NavItem(
            _("Integrity"),
            "integrity:index",
            icon="shield-check",
            order=40,
            description=_("Pledge boards and conduct lists of each park."),
        )
    )
    register(
        NavItem(
            _("My pledges"),
            "integrity:my-pledges",
            roles=(*OFFICIAL_ROLES, ENTERPRISE),
            public=False,
            icon="pen",
            order=41,
            description=_("Sign and renew your integrity pledge."),
        )
    )
    register(
        NavItem(
            _("My declarations"),
            "integrity:my-declarations",
            roles=OFFICIAL_ROLES,
            public=False,
            icon="journal-check",
            order=42,
            description=_("Gifts, family events, relatives' businesses and the yearly return."),
        )
    )
    register(
        NavItem(
            _("Declaration review"),
            "integrity:review-queue",
            roles=(DISCIPLINE, PLATFORM_ADMIN),
            public=False,
            icon="clipboard-check",
            order=43,
            description=_("Review officials' declarations, draw verification samples, follow the yearly round."),
        )
    )
    register_panel(
        Panel(
            key="integrity-pledge-coverage",
            template="integrity/partials/panel_pledge_coverage.html",
            context=dashboard.pledge_coverage_context,
            roles=(PLATFORM_ADMIN, *OFFICIAL_ROLES, AUDITOR),
            order=60,
        )
    )
    register_panel(
        Panel(
            key="integrity-review",
            template="integrity/partials/panel_review.html",
            context=dashboard.review_context,
            roles=(DISCIPLINE, PLATFORM_ADMIN),
            order=61,
        )
    )
    register_panel(
        Panel(
            key="integrity-mine",
            template="integrity/partials/panel_mine.html",
            context=dashboard.mine_context,
            roles=OFFICIAL_ROLES,
            order=62,
        )
    )
