"""The integrity panels of the officials' home (registered in `integrity.navigation.register_all`)."""

from django.utils import timezone

from core.roles import OFFICIAL_ROLES, has_role
from integrity.selectors.access import official_parks
from integrity.selectors.declarations import declaration_counts_for, latest_round_completion_for
from integrity.selectors.pledges import coverage_for


def pledge_coverage_context(request):
    """Pledge coverage of each park the user sees: officials and verified enterprises with a valid pledge."""
    return {"coverages": coverage_for(request.user)}


def review_context(request):
    """Discipline officers only: what waits for review, and the latest yearly round's completion per park."""
    counts = declaration_counts_for(request.user)
    return {"counts": counts, "rounds": latest_round_completion_for(request.user)}


def mine_context(request):
    """The official's own: declarations needing them, pending yearly returns, pledges to sign or renew."""
    from integrity.choices import YearlyReturnStatus
    from integrity.selectors.declarations import own_yearly_returns

    user = request.user
    is_official = has_role(user, *OFFICIAL_ROLES) and bool(official_parks(user))
    counts = declaration_counts_for(user) if is_official else {"own_attention": 0}
    pending_returns = list(own_yearly_returns(user).filter(status=YearlyReturnStatus.PENDING)) if is_official else []
    return {
        "is_official": is_official,
        "own_attention": counts["own_attention"],
        "pending_returns": pending_returns,
        "today": timezone.localdate(),
    }
