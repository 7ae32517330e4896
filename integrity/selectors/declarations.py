"""Read queries of the declarations, yearly returns and verification samples.

CONFIDENTIAL. Everything here is scoped with `_visible`: a user sees their own declarations; discipline
officers also those of their parks; platform administrators all. Park administrators, other officials,
auditors and enterprise users see nothing but their own — in lists, details, exports and counts alike,
because every page, API view, export and dashboard number reads through these functions.
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from core.scoping import ALL
from integrity.choices import (
    AWAITING_REVIEW_STATUSES,
    DeclarationKind,
    DeclarationStatus,
    YearlyReturnStatus,
)
from integrity.models import (
    Declaration,
    FamilyEventDeclaration,
    GiftDeclaration,
    InterestDeclaration,
    SampleItem,
    VerificationSample,
    YearlyReturn,
    YearlyRound,
)
from integrity.selectors.access import discipline_park_ids

DETAIL_RELATIONS = ("giftdeclaration", "familyeventdeclaration", "interestdeclaration")

# Audit-event target types whose trail is as confidential as the declarations themselves: a general audit
# viewer (or the admin's AuditEvent list) must show them only to those `can_see_declaration` allows.
CONFIDENTIAL_AUDIT_TARGET_TYPES = (
    "integrity.declaration",
    "integrity.yearlyround",
    "integrity.yearlyreturn",
    "integrity.verificationsample",
    "integrity.sampleitem",
)


def _visibility(user, *, declarant_field="declarant", park_field="park", drafts_private=False):
    """A Q of the rows `user` may see, or None when they may see none. With `drafts_private`, a draft is
    the declarant's alone until they submit it."""
    if not getattr(user, "is_authenticated", False):
        return None
    own = Q(**{declarant_field: user})
    parks = discipline_park_ids(user)
    if not parks:
        return own
    # Careful: an empty Q() is dropped when combined with |, so "everything" is returned as such.
    if parks is ALL:
        return own | ~Q(status=DeclarationStatus.DRAFT) if drafts_private else Q()
    others = Q(**{f"{park_field}__in": parks})
    if drafts_private:
        others &= ~Q(status=DeclarationStatus.DRAFT)
    return own | others


def _visible(queryset, user, **fields):
    q = _visibility(user, **fields)
    return queryset.none() if q is None else queryset.filter(q)


def _visible_declarations(queryset, user):
    return _visible(queryset, user, drafts_private=True)


def declarations_for(user):
    """Every declaration `user` may see (all kinds), with the kind-specific row joined."""
    return _visible_declarations(Declaration.objects.all(), user).select_related(
        "park", "declarant", "reviewer", *DETAIL_RELATIONS
    )


def gift_declarations_for(user):
    return _visible_declarations(GiftDeclaration.objects.all(), user).select_related(
        "park", "declarant", "reviewer", "giver_enterprise"
    )


def family_event_declarations_for(user):
    return (
        _visible_declarations(FamilyEventDeclaration.objects.all(), user)
        .select_related("park", "declarant", "reviewer")
        .prefetch_related("invited_enterprises")
    )


def interest_declarations_for(user):
    return _visible_declarations(InterestDeclaration.objects.all(), user).select_related(
        "park", "declarant", "reviewer", "enterprise"
    )


KIND_SELECTORS = {
    DeclarationKind.GIFT: gift_declarations_for,
    DeclarationKind.FAMILY_EVENT: family_event_declarations_for,
    DeclarationKind.INTEREST: interest_declarations_for,
}


def own_declarations(user):
    """The user's own declarations, newest first."""
    return declarations_for(user).filter(declarant=user)


def review_queue_for(user):
    """The filed declarations (not drafts) of the parks whose declarations the user reviews, oldest waiting
    first. Drafts stay private to their declarant until submitted."""
    parks = discipline_park_ids(user)
    if not parks:
        return Declaration.objects.none()
    queryset = Declaration.objects.exclude(status=DeclarationStatus.DRAFT)
    if parks is not ALL:
        queryset = queryset.filter(park_id__in=parks)
    return queryset.select_related("park", "declarant", "reviewer", *DETAIL_RELATIONS).order_by("submitted_at", "id")


def declaration_counts_for(user):
    """Counts for the dashboard, over what the user may see only: waiting for review, flagged, late, and
    the user's own needing attention."""
    parks = discipline_park_ids(user)
    counts = {"awaiting_review": 0, "flagged": 0, "late": 0}
    if parks:
        queue = review_queue_for(user)
        counts.update(
            queue.aggregate(
                awaiting_review=Count("id", filter=Q(status__in=AWAITING_REVIEW_STATUSES)),
                flagged=Count("id", filter=Q(is_flagged=True, status__in=AWAITING_REVIEW_STATUSES)),
                late=Count("id", filter=Q(is_late=True)),
            )
        )
    counts["own_attention"] = (
        Declaration.objects.filter(
            declarant=user,
            status__in=(DeclarationStatus.DRAFT, DeclarationStatus.RETURNED, DeclarationStatus.ACTION_REQUIRED),
        ).count()
        if getattr(user, "is_authenticated", False)
        else 0
    )
    return counts


def officials_with_declared_interest(enterprise, *, on=None):
    """Ids of the officials who declared a relative's business in `enterprise` (an Enterprise or its id),
    matched by the enterprise's 统一社会信用代码 or by its link, and not ended by `on` (today by default).

    Every declaration counts from the moment it is written down — draft, returned or accepted — because a
    recusal is never wrong when an interest was stated. Registered with `core.interests` so complaint
    routing and procurement use it without importing this app."""
    from parks.models import Enterprise

    if enterprise is None:
        return frozenset()
    if not isinstance(enterprise, Enterprise):
        enterprise = Enterprise.objects.filter(pk=enterprise).only("pk", "credit_code").first()
        if enterprise is None:
            return frozenset()
    on = on or timezone.localdate()
    match = Q(enterprise_id=enterprise.pk)
    if enterprise.credit_code:
        match |= Q(credit_code=enterprise.credit_code)
    return frozenset(
        InterestDeclaration.objects.filter(match)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .values_list("declarant_id", flat=True)
        .distinct()
    )


def declared_interest_user_ids(enterprise):
    """`core.interests` provider signature: ``provider(enterprise) -> user ids``."""
    return officials_with_declared_interest(enterprise)


# --- yearly round ---------------------------------------------------------------------------------------------


def yearly_returns_for(user):
    """Yearly returns `user` may see (their own; their parks' as a discipline officer; all as admin)."""
    return _visible(YearlyReturn.objects.all(), user).select_related("round", "park", "declarant")


def own_yearly_returns(user):
    return yearly_returns_for(user).filter(declarant=user).order_by("-round__year")


def yearly_rounds_for(user):
    """The rounds of the parks whose declarations the user reviews, with their completion counted."""
    parks = discipline_park_ids(user)
    if not parks:
        return YearlyRound.objects.none()
    queryset = YearlyRound.objects.all() if parks is ALL else YearlyRound.objects.filter(park_id__in=parks)
    return (
        queryset.select_related("park")
        .annotate(
            total=Count("returns"),
            filed=Count("returns", filter=Q(returns__status=YearlyReturnStatus.FILED)),
            on_time=Count("returns", filter=Q(returns__status=YearlyReturnStatus.FILED, returns__is_late=False)),
            nil=Count("returns", filter=Q(returns__is_nil=True)),
        )
        .order_by("-year", "park__name")
    )


@dataclass(frozen=True)
class RoundCompletion:
    total: int
    filed: int
    on_time: int
    nil: int

    @property
    def share_on_time(self):
        return None if not self.total else self.on_time / self.total

    @property
    def share_filed(self):
        return None if not self.total else self.filed / self.total


def round_completion(yearly_round):
    """How complete a round is: returns expected, filed, filed on time, nil returns."""
    row = yearly_round.returns.aggregate(
        total=Count("id"),
        filed=Count("id", filter=Q(status=YearlyReturnStatus.FILED)),
        on_time=Count("id", filter=Q(status=YearlyReturnStatus.FILED, is_late=False)),
        nil=Count("id", filter=Q(is_nil=True)),
    )
    return RoundCompletion(**row)


def latest_round_completion_for(user):
    """For the dashboard: per park the user reviews, the latest round and its completion."""
    result = []
    seen = set()
    for yearly_round in yearly_rounds_for(user):
        if yearly_round.park_id in seen:
            continue
        seen.add(yearly_round.park_id)
        completion = RoundCompletion(
            total=yearly_round.total, filed=yearly_round.filed, on_time=yearly_round.on_time, nil=yearly_round.nil
        )
        result.append((yearly_round, completion))
    return result


# --- verification samples -------------------------------------------------------------------------------------


def samples_for(user):
    """The verification samples of the parks whose declarations the user reviews."""
    parks = discipline_park_ids(user)
    if not parks:
        return VerificationSample.objects.none()
    queryset = VerificationSample.objects.all()
    if parks is not ALL:
        queryset = queryset.filter(park_id__in=parks)
    return (
        queryset.select_related("park", "drawn_by")
        .annotate(drawn=Count("items"), verified=Count("items", filter=~Q(items__outcome="pending")))
        .order_by("-drawn_at", "-id")
    )


def sample_items(sample):
    return (
        SampleItem.objects.filter(sample=sample)
        .select_related("declaration__declarant", "verified_by", *(f"declaration__{r}" for r in DETAIL_RELATIONS))
        .order_by("declaration_id")
    )


def visible_declaration_trail_ids(user):
    """For `core.audit.filter_events_for`: the ids (as text) of the declarations whose trail `user` may read,
    or None for discipline officers (every declaration trail of their parks, which the park scoping of the
    audit list already limits). Everyone else reads only their own declarations' trails."""
    from django.db.models import CharField
    from django.db.models.functions import Cast

    if discipline_park_ids(user):
        return None
    return declarations_for(user).annotate(_target_id=Cast("pk", output_field=CharField())).values("_target_id")


def visible_round_trail_ids(user):
    """Yearly rounds, returns and verification samples: their trails are for discipline officers only."""
    return None if discipline_park_ids(user) else []
