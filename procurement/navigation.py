"""Menu entries of procurement (every stage's, in one place), the download rule of qualification documents,
and the registration of the tender tasks; called once from ProcurementConfig.ready(). Entries whose URL does
not exist yet are left out by `core.navigation.items_for`."""

from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem, register
from core.roles import AUDITOR, DISCIPLINE, ENTERPRISE, EXPERT, PARK_ADMIN, PLATFORM_ADMIN, PROCUREMENT

RUNNERS = (PROCUREMENT, PARK_ADMIN)
READERS = (PROCUREMENT, PARK_ADMIN, DISCIPLINE, AUDITOR, PLATFORM_ADMIN)


def _can_view_qualification_files(user, target_id):
    from procurement.selectors.suppliers import can_view_qualification_files

    return can_view_qualification_files(user, target_id)


def register_all():
    from core.attachments import register_attachment_access
    from procurement import tasks_tenders  # noqa: F401 - registers the tender sweeps with Celery

    register_attachment_access("procurement.qualification", _can_view_qualification_files)
    items = [
        NavItem(
            _("Tenders"),
            "procurement:tender-list",
            icon="megaphone",
            order=50,
            description=_("Procurement notices of every park: budgets, needs, deadlines and clarifications."),
        ),
        NavItem(
            _("Procurement notices"),
            "procurement:notices",
            icon="journal-text",
            order=51,
            description=_("Award publicity, contracts and failed tenders."),
        ),
        NavItem(
            _("Procurement open data"),
            "procurement:ocds",
            icon="filetype-json",
            order=59,
            description=_("OCDS 1.1 release packages of every park's procurement, for data portals and auditors."),
        ),
        NavItem(
            _("Supplier directory"),
            "procurement:supplier-directory",
            icon="building-check",
            order=52,
            description=_("Approved suppliers of each park."),
        ),
        NavItem(
            _("Manage tenders"),
            "procurement:tender-manage",
            roles=READERS,
            public=False,
            icon="briefcase",
            order=53,
            description=_("Draft, publish and follow the park's tenders."),
        ),
        NavItem(
            _("Supplier review"),
            "procurement:supplier-review",
            roles=READERS,
            public=False,
            icon="person-check",
            order=54,
            description=_("Approve, suspend or blacklist the park's suppliers."),
        ),
        NavItem(
            _("My supplier status"),
            "procurement:my-suppliers",
            roles=(ENTERPRISE,),
            public=False,
            icon="patch-check",
            order=55,
            description=_("Register as a supplier, keep your qualifications current."),
        ),
        NavItem(
            _("My bids"),
            "procurement:my-bids",
            roles=(ENTERPRISE,),
            public=False,
            icon="envelope-paper",
            order=56,
            description=_("Your sealed bids and their receipts."),
        ),
        NavItem(
            _("Evaluations"),
            "procurement:evaluations",
            roles=(EXPERT, *READERS),
            public=False,
            icon="clipboard-data",
            order=57,
            description=_("Evaluation committees, scores and recommendations."),
        ),
        NavItem(
            _("Red flags"),
            "procurement:flag-list",
            roles=READERS,
            public=False,
            icon="flag",
            order=58,
            description=_("Warning signs computed after opening, award and contract amendments."),
        ),
    ]
    for item in items:
        register(item)
