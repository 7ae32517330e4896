"""Read queries of the service rating cards (监督提醒卡): who holds a card, who sees which ratings, averages for
the officials' pages, the discipline office's overview, the API and the integrity index (DESIGN §7, §9).

Who sees what (one place for pages, API, exports and panels):

- an official: their own cards and their own averages (per dimension, count, 12-month trend) — never the
  individual ratings or comments, which could tell them who rated;
- discipline officers of the park (and platform administrators): every official's averages, every rating
  with its comment, the cards;
- park administrators and auditors of the park: every official's averages, no individual ratings;
- enterprises and the public: nothing beyond the rating form.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, F, Max, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from core.roles import AUDITOR, DISCIPLINE, OFFICIAL_ROLES, PARK_ADMIN, has_role, is_platform_admin
from core.scoping import ALL, park_ids_for
from integrity.models import ServiceCard, ServiceRating

#: One rating per official per enterprise (or browser) within this many days.
RATING_WINDOW_DAYS = 30
#: A rating with any dimension at or below this is "low": the discipline office is told.
LOW_SCORE = 2
#: An average of the three dimensions at or above this counts as satisfied (the index's "satisfied ratings").
SATISFIED_AVERAGE = 4
DIMENSIONS = ("attitude", "efficiency", "integrity")
#: Reminder lines printed on a card at most.
REMINDER_LINES = 6


# --- who ------------------------------------------------------------------------------------------------


def card_holders(park):
    """Officials who get a card in `park`: active park administrators, dispatchers, handlers and discipline
    officers with a staff profile in the park (the people enterprises deal with)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=OFFICIAL_ROLES, staff_profile__parks=park)
        .distinct()
        .select_related("staff_profile__department")
        .order_by("last_name", "first_name", "username")
    )


def is_card_holder(user, park):
    return card_holders(park).filter(pk=user.pk).exists()


def _own_park_ids(user):
    """The parks of the user's staff profile (also for platform administrators, whose scope is ``ALL``)."""
    from parks.models import StaffProfile

    return frozenset(
        StaffProfile.parks.through.objects.filter(staffprofile__user=user).values_list("park_id", flat=True)
    )


def _park_ids_with(user, *roles):
    """Parks where the user holds one of `roles`: ``ALL`` for platform administrators."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    if is_platform_admin(user):
        return ALL
    if has_role(user, *roles):
        return park_ids_for(user)
    return frozenset()


def detail_park_ids(user):
    """Parks whose individual ratings (with comments) the user reads: discipline officers'."""
    return _park_ids_with(user, DISCIPLINE)


def average_park_ids(user):
    """Parks whose officials' averages the user reads: discipline officers', park administrators', auditors'."""
    return _park_ids_with(user, DISCIPLINE, PARK_ADMIN, AUDITOR)


def card_manager_park_ids(user):
    """Parks whose cards the user issues and revokes for anyone: discipline officers and park administrators."""
    return _park_ids_with(user, DISCIPLINE, PARK_ADMIN)


def _in(ids, park):
    return ids is ALL or getattr(park, "pk", park) in ids


def can_manage_cards(user, park):
    return _in(card_manager_park_ids(user), park)


def can_see_rating_details(user, park):
    return _in(detail_park_ids(user), park)


def can_see_averages(user, park):
    return _in(average_park_ids(user), park)


def _scope(queryset, ids, *, field="park_id"):
    if ids is ALL:
        return queryset
    return queryset.filter(**{f"{field}__in": ids})


# --- cards ------------------------------------------------------------------------------------------------


def _cards():
    return ServiceCard.objects.select_related("park", "official", "official__staff_profile__department")


def card_for_token(token):
    """The valid card a QR code names, or None (an unknown or revoked token opens nothing)."""
    token = (token or "").strip()
    if not token or len(token) > 64:
        return None
    return _cards().filter(token=token, revoked_at__isnull=True, park__is_active=True).first()


def card_list_for(user):
    """Cards the user may see: their own, and every card of the parks whose cards they manage or whose
    ratings they read."""
    if not getattr(user, "is_authenticated", False):
        return ServiceCard.objects.none()
    manager = card_manager_park_ids(user)
    if manager is ALL:
        return _cards()
    return _cards().filter(Q(official=user) | Q(park_id__in=manager))


def my_cards(user):
    """The user's valid cards, one per park."""
    if not getattr(user, "is_authenticated", False):
        return ServiceCard.objects.none()
    return _cards().filter(official=user, revoked_at__isnull=True).order_by("park__name")


def parks_without_my_card(user):
    """Parks where the user holds a card but has none yet."""
    from parks.models import Park

    if not getattr(user, "is_authenticated", False) or not has_role(user, *OFFICIAL_ROLES):
        return Park.objects.none()
    have = ServiceCard.objects.filter(official=user, revoked_at__isnull=True).values("park_id")
    return Park.objects.filter(pk__in=_own_park_ids(user), is_active=True).exclude(pk__in=have).order_by("name")


def reminder_lines(park, limit=REMINDER_LINES):
    """The 正负清单 lines printed on a card: the current officials' conduct list of the park, its
    prohibitions (不准) first. Empty when the park has published none."""
    from integrity.choices import CONDUCT_KIND_ORDER, Audience
    from integrity.models import ConductItem

    items = ConductItem.objects.filter(
        conduct_list__park=park, conduct_list__audience=Audience.OFFICIALS, conduct_list__superseded_at__isnull=True
    ).order_by("order")
    ordered = sorted(items, key=lambda item: (CONDUCT_KIND_ORDER.get(item.kind, 9), item.order))
    return [item.text for item in ordered[:limit]]


def discipline_phone(park):
    """The phone of the park's discipline office (纪工委), or "" when none is recorded."""
    from parks.models import Department

    return (
        Department.objects.filter(park=park, kind=Department.Kind.DISCIPLINE, is_active=True)
        .exclude(phone="")
        .order_by("name")
        .values_list("phone", flat=True)
        .first()
        or ""
    )


def misconduct_category(park):
    """The complaints category a report of an improper demand (吃拿卡要) is filed under: the park's active
    public misconduct category coded ``misconduct-improper-demands`` (the default tree's 吃拿卡要), else its
    first other public misconduct category; None when the park has none."""
    from complaints.models import Category

    categories = Category.objects.filter(park=park, is_active=True, is_misconduct=True, show_on_public_form=True)
    preferred = categories.filter(code="misconduct-improper-demands").first()
    if preferred is not None:
        return preferred
    leaves = categories.filter(children__isnull=True).order_by("order", "name")
    return leaves.first() or categories.order_by("order", "name").first()


def low_rating_recipients(park):
    """Who hears of a low rating: the park's discipline officers."""
    from integrity.selectors.access import discipline_officers

    return discipline_officers(park)


# --- ratings --------------------------------------------------------------------------------------------


def rating_list_for(user):
    """Individual ratings (with comments) the user may read: the discipline office's parks only."""
    ids = detail_park_ids(user)
    if not ids:
        return ServiceRating.objects.none()
    queryset = ServiceRating.objects.select_related(
        "park", "official", "official__staff_profile__department", "enterprise"
    )
    return _scope(queryset, ids)


def previous_rating(*, card, enterprise=None, browser_digest="", now=None):
    """The rater's rating of the card's official in the card's park within the window, or None."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=RATING_WINDOW_DAYS)
    queryset = ServiceRating.objects.filter(official_id=card.official_id, park_id=card.park_id, created_at__gt=since)
    if enterprise is not None:
        queryset = queryset.filter(enterprise=enterprise)
    elif browser_digest:
        queryset = queryset.filter(browser_digest=browser_digest)
    else:
        return None
    return queryset.order_by("-created_at").first()


@dataclass(frozen=True)
class Averages:
    """Averages of a set of ratings; None where there is nothing to average."""

    count: int
    attitude: float | None
    efficiency: float | None
    integrity: float | None
    low: int = 0

    @property
    def overall(self):
        if not self.count:
            return None
        return round((self.attitude + self.efficiency + self.integrity) / 3, 2)


def _round(value):
    return None if value is None else round(float(value), 2)


def _aggregates():
    return {
        "count": Count("pk"),
        "attitude": Avg("attitude"),
        "efficiency": Avg("efficiency"),
        "integrity": Avg("integrity"),
        "low": Count("pk", filter=Q(is_low=True)),
    }


def averages_of(queryset):
    row = queryset.aggregate(**_aggregates())
    return Averages(
        count=row["count"],
        attitude=_round(row["attitude"]),
        efficiency=_round(row["efficiency"]),
        integrity=_round(row["integrity"]),
        low=row["low"],
    )


def _months_back(today, months):
    """The first day of the month `months - 1` months before `today`'s month."""
    year, month = today.year, today.month - (months - 1)
    while month <= 0:
        month += 12
        year -= 1
    return dt.date(year, month, 1)


def monthly_trend(queryset, *, months=12, today=None):
    """``[{"month": date, "count", "attitude", "efficiency", "integrity"}]`` for the last `months` months,
    oldest first, months without ratings included (count 0, averages None)."""
    today = today or timezone.localdate()
    start = _months_back(today, months)
    since = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    rows = (
        queryset.filter(created_at__gte=since)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(**_aggregates())
        .order_by("month")
    )
    found = {}
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        found[month.replace(day=1)] = row
    trend = []
    month = start
    for _index in range(months):
        row = found.get(month, {})
        trend.append(
            {
                "month": month,
                "count": row.get("count", 0),
                **{name: _round(row.get(name)) for name in DIMENSIONS},
            }
        )
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return trend


def my_summary(user, park, *, today=None):
    """An official's own figures in one park: all-time averages, the last 30 days and a 12-month trend."""
    ratings = ServiceRating.objects.filter(official=user, park=park)
    now = timezone.now()
    return {
        "park": park,
        "all_time": averages_of(ratings),
        "recent": averages_of(ratings.filter(created_at__gt=now - dt.timedelta(days=RATING_WINDOW_DAYS))),
        "trend": monthly_trend(ratings, today=today),
    }


def average_scope_for(user):
    """Ratings the user may see *averaged* (not read one by one): every rating of the parks in
    `average_park_ids` (discipline officers, park administrators, auditors), and the user's own."""
    if not getattr(user, "is_authenticated", False):
        return ServiceRating.objects.none()
    ids = average_park_ids(user)
    if ids is ALL:
        return ServiceRating.objects.all()
    if ids:
        return ServiceRating.objects.filter(Q(park_id__in=ids) | Q(official=user))
    return ServiceRating.objects.filter(official=user)


def official_averages(queryset):
    """Per official and park of `queryset`: dicts with the official's id and name, the park, the count, the
    three averages, the overall average, the number of low ratings and the last rating's time; worst overall
    first."""
    rows = (
        queryset.values(
            "official_id",
            "official__username",
            "official__first_name",
            "official__last_name",
            "park_id",
            "park__name",
        )
        .annotate(**_aggregates(), last_rated=Max("created_at"))
        .order_by("park__name", "official__username")
    )
    result = []
    for row in rows:
        averages = Averages(
            count=row["count"],
            attitude=_round(row["attitude"]),
            efficiency=_round(row["efficiency"]),
            integrity=_round(row["integrity"]),
            low=row["low"],
        )
        name = f"{row['official__last_name']}{row['official__first_name']}".strip() or row["official__username"]
        result.append(
            {
                "official_id": row["official_id"],
                "official_name": name,
                "park_id": row["park_id"],
                "park_name": row["park__name"],
                "count": averages.count,
                "attitude": averages.attitude,
                "efficiency": averages.efficiency,
                "integrity": averages.integrity,
                "overall": averages.overall,
                "low": averages.low,
                "last_rated": row["last_rated"],
            }
        )
    result.sort(key=lambda r: (r["overall"] if r["overall"] is not None else 99, r["park_name"], r["official_name"]))
    return result


def official_averages_for(user, *, park=None, since=None):
    """`official_averages` of what `average_scope_for(user)` allows, in one park and since a moment if given."""
    queryset = average_scope_for(user)
    if park is not None:
        queryset = queryset.filter(park=park)
    if since is not None:
        queryset = queryset.filter(created_at__gte=since)
    return official_averages(queryset)


def park_monthly_rating_stats(*, park_ids=None, start=None, end=None):
    """For the integrity index (DESIGN §9): per park and month, the number of ratings, the three averages, the
    number of low ratings and of satisfied ones (overall average ≥ `SATISFIED_AVERAGE`). `start` and `end`
    are dates (month boundaries, end exclusive). Rows are dicts keyed ``park_id`` and ``month`` (a date, the
    1st), ordered by park and month. Unscoped: the index is computed by the system."""
    queryset = ServiceRating.objects.all()
    if park_ids is not None:
        queryset = queryset.filter(park_id__in=park_ids)
    if start is not None:
        queryset = queryset.filter(created_at__gte=timezone.make_aware(dt.datetime.combine(start, dt.time.min)))
    if end is not None:
        queryset = queryset.filter(created_at__lt=timezone.make_aware(dt.datetime.combine(end, dt.time.min)))
    # Satisfied: an overall average of at least SATISFIED_AVERAGE and no dimension rated low.
    queryset = queryset.alias(total=F("attitude") + F("efficiency") + F("integrity"))
    satisfied = Q(is_low=False, total__gte=SATISFIED_AVERAGE * len(DIMENSIONS))
    rows = (
        queryset.annotate(month=TruncMonth("created_at"))
        .values("park_id", "month")
        .annotate(**_aggregates(), satisfied=Count("pk", filter=satisfied))
        .order_by("park_id", "month")
    )
    result = []
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        result.append(
            {
                "park_id": row["park_id"],
                "month": month.replace(day=1),
                "count": row["count"],
                "attitude": _round(row["attitude"]),
                "efficiency": _round(row["efficiency"]),
                "integrity": _round(row["integrity"]),
                "low": row["low"],
                "satisfied": row["satisfied"],
            }
        )
    return result
