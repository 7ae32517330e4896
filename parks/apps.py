from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParksConfig(AppConfig):
    """Parks, departments, enterprises, staff profiles and memberships (DESIGN §5)."""

    name = "parks"
    verbose_name = _("Parks")

    def ready(self):
        from core.dashboard import Panel, register_panel
        from core.navigation import NavItem, register
        from core.roles import AUDITOR, DISCIPLINE, DISPATCHER, ENTERPRISE, HANDLER, PARK_ADMIN, PLATFORM_ADMIN
        from parks.dashboard import pending_panel_context

        register(
            NavItem(
                _("Enterprises"),
                "parks:enterprise-list",
                roles=(PLATFORM_ADMIN, PARK_ADMIN, DISPATCHER, HANDLER, DISCIPLINE, AUDITOR, ENTERPRISE),
                public=False,
                icon="building",
                order=20,
                description=_("Enterprises of the park, their credit codes and verification"),
            )
        )
        register(
            NavItem(
                _("Registrations to review"),
                "parks:enterprise-pending",
                roles=(PLATFORM_ADMIN, PARK_ADMIN),
                public=False,
                icon="building-check",
                order=21,
                description=_("Verify or reject enterprise self-registrations"),
            )
        )
        register_panel(
            Panel(
                key="parks.pending",
                template="parks/partials/pending_panel.html",
                context=pending_panel_context,
                roles=(PLATFORM_ADMIN, PARK_ADMIN),
                order=90,
            )
        )
