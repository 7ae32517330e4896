"""Who may do what in the integrity registers: one place, used by services, pages, API and exports."""

from django.contrib.auth import get_user_model

from core.roles import DISCIPLINE, OFFICIAL_ROLES, PARK_ADMIN, has_role, is_platform_admin
from core.scoping import ALL, can_see_park, park_ids_for


def park_officials(park):
    """Active officials (park administrators, dispatchers, handlers, discipline officers) assigned to the
    park: the people who sign the officials' pledge and file declarations and yearly returns."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=OFFICIAL_ROLES, staff_profile__parks=park)
        .distinct()
    )


def discipline_officers(park):
    """Active discipline officers assigned to the park: the reviewers of its declarations."""
    return (
        get_user_model().objects.filter(is_active=True, groups__name=DISCIPLINE, staff_profile__parks=park).distinct()
    )


def is_park_official(user, park):
    """An official (not an auditor, not only a platform administrator) assigned to the park."""
    if not getattr(user, "is_authenticated", False) or not has_role(user, *OFFICIAL_ROLES):
        return False
    ids = park_ids_for(user)
    return ids is not ALL and getattr(park, "pk", park) in ids


def official_parks(user):
    """The parks where the user is an official, as ids (empty for platform administrators without a staff
    profile: they do not declare)."""
    if not getattr(user, "is_authenticated", False) or not has_role(user, *OFFICIAL_ROLES):
        return frozenset()
    ids = park_ids_for(user)
    if ids is ALL:
        from parks.models import StaffProfile

        return frozenset(
            StaffProfile.parks.through.objects.filter(staffprofile__user=user).values_list("park_id", flat=True)
        )
    return ids


def can_manage_integrity(user, park):
    """Publish pledge texts and conduct lists: the park's administrators and discipline officers, and platform
    administrators."""
    if is_platform_admin(user):
        return True
    return has_role(user, PARK_ADMIN, DISCIPLINE) and can_see_park(user, park)


def discipline_park_ids(user):
    """The parks whose declarations the user reviews: ``ALL`` for platform administrators (who see but do not
    review), the assigned parks for discipline officers, else nothing."""
    if is_platform_admin(user):
        return ALL
    if has_role(user, DISCIPLINE):
        return park_ids_for(user)
    return frozenset()


def can_review_declarations(user, park):
    """A discipline officer assigned to the park (platform administrators see declarations but the review is
    the discipline office's)."""
    if not has_role(user, DISCIPLINE):
        return False
    ids = park_ids_for(user)
    return ids is ALL or getattr(park, "pk", park) in ids


def can_see_declaration(user, declaration):
    """The declarant, the discipline officers of the declaration's park, platform administrators."""
    if not getattr(user, "is_authenticated", False):
        return False
    if declaration.declarant_id == user.pk or is_platform_admin(user):
        return True
    return can_review_declarations(user, declaration.park_id)


def can_review(user, declaration):
    """Review one declaration: a discipline officer of its park who is not its declarant."""
    return declaration.declarant_id != user.pk and can_review_declarations(user, declaration.park_id)
