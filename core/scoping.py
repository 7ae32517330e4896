"""Park scoping: which parks and enterprises a user may see (DESIGN §1).

Every app's selectors build their `for_user` querysets on these two functions, so pages, API, exports and
counts share one rule. Platform administrators see every park; officials and auditors the parks of their
staff profile; enterprise users the park of each verified enterprise they belong to.
"""

from core.roles import ENTERPRISE, is_platform_admin, user_roles


class AllParks:
    """Marker for 'no restriction' (platform administrators)."""

    def __contains__(self, item):
        return True

    def __bool__(self):
        return True


ALL = AllParks()


def park_ids_for(user):
    """Ids of the parks a user may see as staff: ``ALL`` for platform administrators, else a frozenset."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_portal_park_ids", None)
    if cached is not None:
        return cached
    if is_platform_admin(user):
        result = ALL
    else:
        from parks.models import StaffProfile

        result = frozenset(
            StaffProfile.parks.through.objects.filter(staffprofile__user=user).values_list("park_id", flat=True)
        )
    user._portal_park_ids = result
    return result


def enterprise_ids_for(user):
    """Ids of the verified enterprises a user acts for."""
    if not getattr(user, "is_authenticated", False) or ENTERPRISE not in user_roles(user):
        return frozenset()
    cached = getattr(user, "_portal_enterprise_ids", None)
    if cached is None:
        from parks.models import Enterprise, EnterpriseMembership

        cached = frozenset(
            EnterpriseMembership.objects.filter(user=user, enterprise__status=Enterprise.Status.VERIFIED).values_list(
                "enterprise_id", flat=True
            )
        )
        user._portal_enterprise_ids = cached
    return cached


def filter_by_park(queryset, user, field="park"):
    """Restrict `queryset` to the parks `user` may see as staff (``field`` names the park foreign key)."""
    ids = park_ids_for(user)
    if ids is ALL:
        return queryset
    return queryset.filter(**{f"{field}__in": ids})


def can_see_park(user, park):
    ids = park_ids_for(user)
    return ids is ALL or getattr(park, "pk", park) in ids
