"""What the 吐槽区 adds to the portal's shell: menu entries, the officials' dashboard panel and the admin of
the answer lists. Called once from `complaints.apps.ComplaintsConfig.ready`."""

from django.utils.translation import gettext_lazy as _


def register_ui():
    from complaints import admin_disclosure  # noqa: F401  (registers the answer-list admin pages)
    from complaints.dashboard import complaints_panel_context
    from core.dashboard import Panel, register_panel
    from core.navigation import NavItem, register
    from core.roles import ENTERPRISE, STAFF_ROLES

    register(
        NavItem(
            _("Tickets"),
            "complaints:ticket-list",
            roles=STAFF_ROLES,
            public=False,
            icon="chat-square-text",
            order=30,
            description=_("The complaint zone: queues, tickets, follow-up and published answers"),
        )
    )
    register(
        NavItem(
            _("My demands"),
            "complaints:mine",
            roles=(ENTERPRISE,),
            public=False,
            icon="chat-square-text",
            order=31,
            description=_("File a demand and follow your enterprise's demands"),
        )
    )
    register(
        NavItem(
            _("Complaint zone"),
            "complaints:new",
            icon="megaphone",
            order=32,
            description=_("Tell the park what gets in your way, by name or anonymously"),
        )
    )
    register(
        NavItem(
            _("Answer lists"),
            "complaints:batch-list",
            icon="card-checklist",
            order=33,
            description=_("Published answers to enterprises' demands and the measures taken"),
        )
    )
    register_panel(
        Panel(
            key="complaints.overview",
            template="complaints/partials/dashboard_panel.html",
            context=complaints_panel_context,
            roles=STAFF_ROLES,
            order=10,
            wide=True,
        )
    )
