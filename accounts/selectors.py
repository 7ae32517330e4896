"""Read queries of accounts/: who a user is in the portal (roles, parks, department, enterprises) and their
API tokens. Shared by the profile page, the officials' home and ``GET /api/v1/me/``."""

from dataclasses import dataclass, field

from django.db.models import F

from accounts.models import ApiToken
from core.roles import ROLE_LABELS, user_roles
from core.scoping import ALL, park_ids_for


@dataclass
class Affiliations:
    """Everything that places a user in the portal, loaded in a fixed number of queries."""

    roles: list = field(default_factory=list)  # [(code, label)] in the order of core.roles
    all_parks: bool = False  # platform administrators see every park
    parks: list = field(default_factory=list)  # Park objects the user works in or acts for
    department: object = None
    position: str = ""
    memberships: list = field(default_factory=list)  # EnterpriseMembership with enterprise and park loaded

    @property
    def role_codes(self):
        return [code for code, _label in self.roles]


def affiliations_of(user):
    """Roles, parks, department/position and enterprise memberships (of any verification status) of `user`."""
    from parks.models import EnterpriseMembership, Park, StaffProfile

    result = Affiliations()
    if not getattr(user, "is_authenticated", False):
        return result
    held = user_roles(user)
    result.roles = [(code, label) for code, label in ROLE_LABELS.items() if code in held]
    profile = StaffProfile.objects.filter(user=user).select_related("department").first()
    if profile is not None:
        result.department = profile.department
        result.position = profile.position
    result.memberships = list(
        EnterpriseMembership.objects.filter(user=user)
        .select_related("enterprise__park")
        .order_by("enterprise__park__name", "enterprise__name")
    )
    visible = park_ids_for(user)
    if visible is ALL:
        result.all_parks = True
        result.parks = list(Park.objects.filter(is_active=True).order_by("name"))
    else:
        park_ids = set(visible)
        park_ids.update(
            m.enterprise.park_id for m in result.memberships if m.enterprise.status == m.enterprise.Status.VERIFIED
        )
        result.parks = list(Park.objects.filter(pk__in=park_ids).order_by("name"))
    return result


def api_tokens_of(user):
    """A user's API tokens: active ones first (newest first), then revoked ones (latest revoked first)."""
    return ApiToken.objects.filter(user=user).order_by(F("revoked_at").desc(nulls_first=True), "-created_at")
