"""Read queries of red flags, scoped to the user (pages, API, the tender page's section and the home panel).

Who sees flags: the park's discipline officers, park administrators, procurement officers and auditors
(read-only), and platform administrators — those `procurement_park_ids` names. Enterprise users and experts
see none. Evidence marked restricted (the declared-interest details, `procurement.redflags.RESTRICTED`) is
shown only to those who may read integrity declarations: the park's discipline officers and platform
administrators; everyone else gets it redacted.
"""

from django.db.models import Count, Q

from core.errors import DomainError
from core.roles import is_platform_admin
from core.scoping import ALL
from procurement.choices import FlagStatus
from procurement.models import RedFlag
from procurement.redflags import redact_evidence
from procurement.selectors.access import is_discipline_officer, procurement_park_ids


def blocking_flags(tender):
    """Open flags that are legal breaches on `tender`: while any exists, the next step (evaluation, award,
    contract) is refused until a discipline officer decides it."""
    return RedFlag.objects.filter(tender=tender, blocking=True, status=FlagStatus.OPEN)


def _scoped(queryset, user):
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    parks = procurement_park_ids(user)
    if parks is ALL:
        return queryset
    if not parks:
        return queryset.none()
    return queryset.filter(park_id__in=parks)


def flag_list_for(user):
    """The red flags `user` may see, newest first, with what lists show loaded."""
    return _scoped(RedFlag.objects.all(), user).select_related(
        "park", "tender", "contract", "supplier__enterprise", "decided_by", "risk"
    )


def flag_get_for(user, pk):
    """One flag `user` may see; any other is reported as not found."""
    try:
        return flag_list_for(user).get(pk=pk)
    except (RedFlag.DoesNotExist, ValueError, TypeError):
        raise DomainError(_not_found(), code="not_found", kind="not_found") from None


def _not_found():
    from django.utils.translation import gettext_lazy as _

    return _("No such red flag.")


def flags_of_tender_for(user, tender):
    """The flags of one tender `user` may see (empty for anyone outside procurement of the park)."""
    return flag_list_for(user).filter(tender=tender).order_by("-blocking", "status", "-raised_at", "-id")


def can_see_flags(user, park):
    parks = procurement_park_ids(user)
    return parks is ALL or getattr(park, "pk", park) in parks


def can_decide_flag(user, flag):
    """Confirm or dismiss: a discipline officer assigned to the flag's park."""
    return is_discipline_officer(user, flag.park_id)


def can_read_restricted_evidence(user, park):
    """Restricted evidence (declared interests) is for those who see integrity declarations of the park."""
    return is_platform_admin(user) or is_discipline_officer(user, park)


def evidence_for(user, flag):
    """The flag's evidence as `user` may read it."""
    if can_read_restricted_evidence(user, flag.park_id):
        return {k: v for k, v in flag.evidence.items() if k != "restricted"}
    return redact_evidence(flag.evidence)


def open_flag_counts_for(user):
    """Counts for the home panel: open flags, of which blocking, over what the user sees."""
    return _scoped(RedFlag.objects.filter(status=FlagStatus.OPEN), user).aggregate(
        open=Count("id"), blocking=Count("id", filter=Q(blocking=True))
    )


def open_flags_for(user):
    """Open flags `user` sees, blocking ones first, then newest."""
    return flag_list_for(user).filter(status=FlagStatus.OPEN).order_by("-blocking", "-raised_at", "-id")
