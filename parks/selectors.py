"""Read queries of parks/, shared by pages, API, exports and dashboard panels. Scoping lives here.

Who sees what (DESIGN §1):
- platform administrators: everything;
- officials and auditors: the parks of their staff profile, with those parks' departments and enterprises;
- enterprise users: the enterprises they are members of (whatever their status, so an applicant can follow
  the review), and the parks and departments of their verified enterprises;
- anonymous visitors: nothing here (the public pages use `public_parks` and `park_public_profile`).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from core.roles import PARK_ADMIN, PLATFORM_ADMIN, has_role
from core.scoping import ALL, can_see_park, enterprise_ids_for, park_ids_for
from parks.choices import STATISTIC_FIELDS, EnterpriseStatus
from parks.models import Department, Enterprise, EnterpriseMembership, Park, ParkStatistic


def _visible_park_ids(user):
    """Park ids a user may see (``ALL`` for platform administrators): as staff, and through the verified
    enterprises they act for."""
    staff_ids = park_ids_for(user)
    if staff_ids is ALL:
        return ALL
    enterprise_ids = enterprise_ids_for(user)
    if not enterprise_ids:
        return staff_ids
    enterprise_park_ids = Enterprise.objects.filter(pk__in=enterprise_ids).values_list("park_id", flat=True)
    return staff_ids | frozenset(enterprise_park_ids)


def park_list_for(user):
    """Parks the user may see, with the number of verified enterprises of each (``verified_enterprises``) and
    their statistics prefetched."""
    ids = _visible_park_ids(user)
    qs = (
        Park.objects.annotate(
            verified_enterprises=Count("enterprises", filter=Q(enterprises__status=EnterpriseStatus.VERIFIED))
        )
        .prefetch_related("statistics")
        .order_by("name")
    )
    if ids is ALL:
        return qs
    return qs.filter(pk__in=ids)


def department_list_for(user):
    """Departments of the parks the user may see, with their park and head."""
    ids = _visible_park_ids(user)
    qs = Department.objects.select_related("park", "head").order_by("park__name", "kind", "name")
    if ids is ALL:
        return qs
    return qs.filter(park_id__in=ids)


def enterprise_list_for(user):
    """Enterprises the user may see: every enterprise of their staff parks, plus the ones they belong to."""
    qs = Enterprise.objects.select_related("park", "verified_by").order_by("park__name", "name")
    staff_ids = park_ids_for(user)
    if staff_ids is ALL:
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    own = EnterpriseMembership.objects.filter(user=user).values("enterprise_id")
    return qs.filter(Q(park_id__in=staff_ids) | Q(pk__in=own))


def enterprises_pending_for(user):
    """Registrations waiting for the user's review: pending enterprises of the parks they administer."""
    qs = enterprise_list_for(user).filter(status=EnterpriseStatus.PENDING).order_by("created_at")
    if not can_review_enterprises(user):
        return qs.none()
    return qs.prefetch_related("memberships__user")


def can_review_enterprises(user, park=None):
    """Whether the user may verify or reject registrations (of `park`, when given)."""
    if has_role(user, PLATFORM_ADMIN):
        return True
    if not has_role(user, PARK_ADMIN):
        return False
    return park is None or can_see_park(user, park)


def park_admins_of(park):
    """Active park administrators assigned to `park`: who is told about a new registration."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=PARK_ADMIN, staff_profile__parks=park)
        .distinct()
        .order_by("pk")
    )


def platform_admins():
    return get_user_model().objects.filter(is_active=True, groups__name=PLATFORM_ADMIN).distinct().order_by("pk")


def enterprise_members(enterprise):
    """Active users acting for an enterprise: who is told about its review."""
    return get_user_model().objects.filter(is_active=True, enterprise_memberships__enterprise=enterprise).distinct()


def public_parks():
    """Active parks, for the public home, with their verified-enterprise count (``verified_enterprises``)."""
    return (
        Park.objects.filter(is_active=True)
        .annotate(verified_enterprises=Count("enterprises", filter=Q(enterprises__status=EnterpriseStatus.VERIFIED)))
        .order_by("name")
    )


def park_public_profile(code):
    """An active park by its code, with what its public profile shows prefetched; raises DoesNotExist."""
    return (
        public_parks()
        .prefetch_related(
            "statistics",
            "figures",
            "departments",
        )
        .get(code=code)
    )


DEPARTMENT_KIND_ORDER = {"dispatch": 0, "discipline": 1, "business": 2}


def public_departments(park):
    """A park's active departments for its public profile: the dispatch centre (where demands go) first,
    then the discipline office, then the business departments by name."""
    active = [d for d in park.departments.all() if d.is_active]
    return sorted(active, key=lambda d: (DEPARTMENT_KIND_ORDER.get(d.kind, 9), d.name))


@dataclass
class StatisticRow:
    """One period's figures with their year-on-year growth in percent.

    ``growth[f]`` is computed against the same period of the previous year, None when that period or the
    figure is missing (or the base is zero); ``reported[f]`` is the growth the source published.
    """

    statistic: ParkStatistic
    growth: dict = field(default_factory=dict)
    reported: dict = field(default_factory=dict)

    @property
    def label(self):
        return self.statistic.period_label

    def cells(self):
        """Per figure, in `STATISTIC_FIELDS` order: its value and the growth to show — computed when the
        previous year is recorded, else the published one (``reported`` True)."""
        result = []
        for name in STATISTIC_FIELDS:
            growth, reported = self.growth.get(name), False
            if growth is None and self.reported.get(name) is not None:
                growth, reported = self.reported[name], True
            result.append(
                {"name": name, "value": getattr(self.statistic, name), "growth": growth, "reported": reported}
            )
        return result


def year_on_year(current, previous):
    """Growth in percent from `previous` to `current`, rounded to one decimal; None when it cannot be said."""
    if current is None or previous is None or previous == 0:
        return None
    return ((Decimal(current) - Decimal(previous)) / Decimal(previous) * 100).quantize(Decimal("0.1"))


def park_statistics_with_growth(statistics):
    """Rows for a park's statistics (an iterable of ParkStatistic of one park, e.g. the prefetched
    ``park.statistics.all()``), oldest first, each with its year-on-year growth."""
    stats = sorted(statistics, key=lambda s: (s.year, s.period_kind, s.period_number))
    by_period = {(s.year, s.period_kind, s.period_number): s for s in stats}
    rows = []
    for stat in stats:
        previous = by_period.get((stat.year - 1, stat.period_kind, stat.period_number))
        growth = {
            name: year_on_year(getattr(stat, name), getattr(previous, name) if previous else None)
            for name in STATISTIC_FIELDS
        }
        reported = {}
        for name, value in (stat.reported_growth or {}).items():
            if name in STATISTIC_FIELDS and value is not None:
                reported[name] = Decimal(str(value))
        rows.append(StatisticRow(statistic=stat, growth=growth, reported=reported))
    return rows
