"""The red-flag panel of the officials' home (DESIGN §9): open flags of the user's parks, blocking ones first,
for discipline officers, park administrators, procurement officers, auditors and platform administrators.
Restricted evidence never shows here (the panel lists kinds and summaries only). Registered from
`ProcurementConfig.ready()` through `register_all`."""

from core.dashboard import Panel, register_panel
from core.roles import AUDITOR, DISCIPLINE, PARK_ADMIN, PLATFORM_ADMIN, PROCUREMENT

SHOWN = 8
PANEL_ROLES = (DISCIPLINE, PARK_ADMIN, PROCUREMENT, AUDITOR, PLATFORM_ADMIN)


def red_flag_panel_context(request):
    from procurement.selectors.flags import open_flag_counts_for, open_flags_for

    return {
        "counts": open_flag_counts_for(request.user),
        "flags": list(open_flags_for(request.user)[:SHOWN]),
    }


def register_all():
    """The home panel, and procurement's links into the integrity app (open business, spending source)."""
    from procurement import integrity_links

    register_panel(
        Panel(
            key="procurement-red-flags",
            template="procurement/flags/partials/panel.html",
            context=red_flag_panel_context,
            roles=PANEL_ROLES,
            order=64,
        )
    )
    integrity_links.register_all()
