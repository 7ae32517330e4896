"""Menu entries, the home panel and the attachment access of the risk register and the notices; called from
`IntegrityConfig.ready()`."""

from django.utils.translation import gettext_lazy as _

from core.dashboard import Panel, register_panel
from core.navigation import NavItem, register
from core.roles import AUDITOR, DISCIPLINE, DISPATCHER, HANDLER, PARK_ADMIN, PLATFORM_ADMIN


def _can_view_control_evidence(user, target_id):
    from integrity.selectors.risks import control_list_for

    return control_list_for(user).filter(pk=target_id).exists()


def register_all():
    from core.attachments import register_attachment_access
    from integrity import dashboard_risk
    from integrity.models import RiskControl

    register(
        NavItem(
            _("Risk register"),
            "integrity:risk-list",
            roles=(PLATFORM_ADMIN, DISCIPLINE, PARK_ADMIN, AUDITOR, HANDLER, DISPATCHER),
            public=False,
            icon="exclamation-diamond",
            order=45,
            description=_("Integrity-risk points by department and post, controls, reviews and screening."),
        )
    )
    register(
        NavItem(
            _("Notices"),
            "integrity:notice-public-list",
            icon="megaphone",
            order=46,
            description=_("Disciplinary notices made public by the parks' discipline offices."),
        )
    )
    register_panel(
        Panel(
            key="integrity-risk-heatmap",
            template="integrity/risks/partials/panel_heatmap.html",
            context=dashboard_risk.risk_panel_context,
            roles=(DISCIPLINE, PARK_ADMIN, PLATFORM_ADMIN),
            order=63,
            wide=True,
        )
    )
    # Evidence of a control is readable by whoever may see the control's risk.
    register_attachment_access(RiskControl, _can_view_control_evidence)
