"""Menu entry, home panel, minutes access and the fund-payment spending source of the 三重一大 register;
called from `IntegrityConfig.ready()`."""

from django.utils.translation import gettext_lazy as _

from core.dashboard import Panel, register_panel
from core.navigation import NavItem, register
from core.roles import AUDITOR, DISCIPLINE, PARK_ADMIN, PLATFORM_ADMIN

ROLES = (PLATFORM_ADMIN, DISCIPLINE, PARK_ADMIN, AUDITOR)


def _can_view_minutes(user, target_id):
    from integrity.selectors.decisions import meeting_list_for

    return meeting_list_for(user).filter(pk=target_id).exists()


def register_all():
    from core.attachments import register_attachment_access
    from integrity import dashboard_decisions
    from integrity.decisions_spending import fund_payment_items, register_spending_source
    from integrity.models import Meeting

    register(
        NavItem(
            _("Collective decisions"),
            "integrity:decision-list",
            roles=ROLES,
            public=False,
            icon="bank",
            order=47,
            description=_("Major decisions, appointments, projects and large sums: meetings, votes, minutes, flags."),
        )
    )
    register_panel(
        Panel(
            key="integrity-decisions",
            template="integrity/decisions/partials/panel.html",
            context=dashboard_decisions.decision_panel_context,
            roles=ROLES,
            order=64,
        )
    )
    # Minutes are readable by whoever reads the meeting.
    register_attachment_access(Meeting, _can_view_minutes)
    register_spending_source(fund_payment_items)
