"""Who may do what in procurement: one place, used by services, pages, API and exports.

- The park's procurement officers (采购专员) and park administrators run tenders and approve suppliers.
- Discipline officers of the park co-sign openings, decide red flags and read everything of their park.
- Auditors (核查员) read every procurement file and its trail of their parks, read-only.
- Platform administrators read everything; they run nothing (they hold the server's secrets, so the sealing
  design must not depend on them — see docs/sealed-bids.md).
- Enterprise users act for their verified enterprises as suppliers; external experts only evaluate.
"""

from django.contrib.auth import get_user_model

from core.roles import AUDITOR, DISCIPLINE, EXPERT, PARK_ADMIN, PROCUREMENT, has_role, is_platform_admin
from core.scoping import ALL, can_see_park, enterprise_ids_for, park_ids_for


def _park_id(park):
    return getattr(park, "pk", park)


def _assigned(user, park):
    ids = park_ids_for(user)
    return ids is not ALL and _park_id(park) in ids


def can_run_procurement(user, park):
    """Publish and manage tenders, approve suppliers, decide awards: procurement officers and park
    administrators assigned to the park."""
    return has_role(user, PROCUREMENT, PARK_ADMIN) and _assigned(user, park)


def is_discipline_officer(user, park):
    """A discipline officer assigned to the park (co-signs openings, decides red flags)."""
    return has_role(user, DISCIPLINE) and _assigned(user, park)


def can_read_procurement_files(user, park):
    """Read every procurement file of the park (bids after opening, committees, flags, trails): the park's
    procurement officers, administrators, discipline officers and auditors; platform administrators."""
    if is_platform_admin(user):
        return True
    return has_role(user, PROCUREMENT, PARK_ADMIN, DISCIPLINE, AUDITOR) and can_see_park(user, park)


def procurement_park_ids(user):
    """Parks whose procurement files the user may read (``ALL`` for platform administrators)."""
    if is_platform_admin(user):
        return ALL
    if has_role(user, PROCUREMENT, PARK_ADMIN, DISCIPLINE, AUDITOR):
        return park_ids_for(user)
    return frozenset()


def is_expert(user):
    return has_role(user, EXPERT)


def supplier_enterprise_ids(user):
    """The verified enterprises an enterprise user acts for (as a supplier)."""
    return enterprise_ids_for(user)


def procurement_officers(park):
    """Active procurement officers assigned to the park (notified of supplier applications, objections…)."""
    return (
        get_user_model().objects.filter(is_active=True, groups__name=PROCUREMENT, staff_profile__parks=park).distinct()
    )


def park_discipline_officers(park):
    """Active discipline officers assigned to the park (each gets a share of every tender's opening key)."""
    return (
        get_user_model().objects.filter(is_active=True, groups__name=DISCIPLINE, staff_profile__parks=park).distinct()
    )
