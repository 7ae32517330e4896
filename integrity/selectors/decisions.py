"""Read queries of the 三重一大 register; who sees what is decided here, for pages, API and the home panel.

Visibility:

- platform administrators: every park;
- discipline officers and park administrators: the register of their parks, and they record it (meetings,
  attendance, items, positions, minutes, fund payments, rosters, thresholds): the park office keeps the
  minutes, the discipline office supervises and corrects;
- auditors: read the register of the parks assigned to them;
- other officials (dispatchers, handlers), enterprise users and the public: nothing.
"""

import datetime as dt

from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.roles import AUDITOR, DISCIPLINE, PARK_ADMIN, has_role, is_platform_admin
from core.scoping import ALL, can_see_park, park_ids_for
from integrity.decisions_flags import (
    Thresholds,
    decision_flags,
    meeting_facts,
    meeting_flags,
    spending_flags,
)
from integrity.decisions_spending import spending_items
from integrity.models import (
    CollectiveDecision,
    DecisionBody,
    DecisionBodyMember,
    DecisionThreshold,
    DecisionVote,
    FundPayment,
    Meeting,
    MeetingAttendance,
)
from parks.models import Park

RECORD_ROLES = (DISCIPLINE, PARK_ADMIN)
READ_ROLES = (DISCIPLINE, PARK_ADMIN, AUDITOR)


# --- who may do what ---------------------------------------------------------------------------------------


def can_record_decisions(user, park):
    """Record meetings, items, positions, minutes, payments, rosters and thresholds of `park`."""
    if is_platform_admin(user):
        return True
    return has_role(user, *RECORD_ROLES) and can_see_park(user, park)


def can_read_decisions(user, park):
    return can_record_decisions(user, park) or (has_role(user, AUDITOR) and can_see_park(user, park))


def readable_park_ids(user):
    """``ALL``, or the ids of the parks whose register `user` reads (empty for everyone else)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    if is_platform_admin(user):
        return ALL
    if not has_role(user, *READ_ROLES):
        return frozenset()
    return park_ids_for(user)


def readable_parks(user):
    parks = Park.objects.filter(is_active=True).order_by("name")
    ids = readable_park_ids(user)
    return parks if ids is ALL else parks.filter(pk__in=ids)


def recordable_parks(user):
    """The parks whose register `user` records."""
    if is_platform_admin(user):
        return readable_parks(user)
    if not has_role(user, *RECORD_ROLES):
        return Park.objects.none()
    return readable_parks(user)


def _scoped(queryset, user, field="park_id"):
    ids = readable_park_ids(user)
    if ids is ALL:
        return queryset
    return queryset.filter(**{f"{field}__in": ids})


def _not_found(message):
    return DomainError(message, code="not_found", kind="not_found")


# --- bodies and rosters -----------------------------------------------------------------------------------


def body_list_for(user):
    members = DecisionBodyMember.objects.select_related("user").order_by("from_date", "id")
    return (
        _scoped(DecisionBody.objects.all(), user)
        .select_related("park")
        .prefetch_related(Prefetch("members", queryset=members))
        .annotate(meeting_count=Count("meetings", distinct=True))
        .order_by("park__name", "name")
    )


def body_get_for(user, pk):
    try:
        return body_list_for(user).get(pk=pk)
    except (DecisionBody.DoesNotExist, ValueError, TypeError):
        raise _not_found(_("No such decision body.")) from None


def member_get_for(user, pk):
    try:
        return _scoped(DecisionBodyMember.objects.select_related("body", "body__park"), user, "body__park_id").get(
            pk=pk
        )
    except (DecisionBodyMember.DoesNotExist, ValueError, TypeError):
        raise _not_found(_("No such member.")) from None


# --- meetings and items -------------------------------------------------------------------------------------


def _members_prefetch(prefix=""):
    return Prefetch(f"{prefix}body__members", queryset=DecisionBodyMember.objects.order_by("from_date", "id"))


def _meetings():
    return (
        Meeting.objects.select_related("park", "body", "chair")
        .prefetch_related(
            _members_prefetch(),
            Prefetch("attendance", queryset=MeetingAttendance.objects.order_by("id")),
            Prefetch(
                "decisions", queryset=CollectiveDecision.objects.prefetch_related("votes").order_by("item_number", "id")
            ),
        )
        .order_by("-held_on", "-id")
    )


def meeting_list_for(user):
    """Meetings with what their quorum needs (roster, attendance) and their items, loaded in a constant
    number of queries."""
    return _scoped(_meetings(), user)


def meeting_with_details(pk):
    """One meeting loaded as `meeting_list_for` loads it, unscoped (for services, after their own check)."""
    return _meetings().filter(pk=pk).first()


def meeting_get_for(user, pk):
    try:
        return meeting_list_for(user).get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise _not_found(_("No such meeting.")) from None


def _decisions():
    return (
        CollectiveDecision.objects.select_related("park", "meeting", "meeting__body", "meeting__park")
        .prefetch_related(
            _members_prefetch("meeting__"),
            Prefetch("meeting__attendance", queryset=MeetingAttendance.objects.order_by("id")),
            Prefetch(
                "votes",
                queryset=DecisionVote.objects.select_related("member").order_by("member__from_date", "member_id"),
            ),
        )
        .order_by("-meeting__held_on", "meeting_id", "item_number", "id")
    )


def decision_list_for(user):
    """Items with their meeting, body roster, attendance and votes loaded (what their flags need)."""
    return _scoped(_decisions(), user)


def decision_with_details(pk):
    """One item loaded as `decision_list_for` loads it, unscoped (for services, after their own check)."""
    return _decisions().filter(pk=pk).first()


def decision_get_for(user, pk):
    try:
        return decision_list_for(user).get(pk=pk)
    except (CollectiveDecision.DoesNotExist, ValueError, TypeError):
        raise _not_found(_("No such decision.")) from None


def payment_list_for(user):
    return (
        _scoped(FundPayment.objects.all(), user)
        .select_related("park", "decision", "decision__meeting", "created_by")
        .order_by("-paid_on", "-id")
    )


def payment_get_for(user, pk):
    try:
        return payment_list_for(user).get(pk=pk)
    except (FundPayment.DoesNotExist, ValueError, TypeError):
        raise _not_found(_("No such payment.")) from None


def threshold_list_for(user):
    return _scoped(DecisionThreshold.objects.select_related("park", "updated_by"), user).order_by("park__name", "kind")


def decisions_for_linking(user, park=None):
    """Adopted items a payment of `park` may rest on (the payment forms' choices)."""
    queryset = _scoped(CollectiveDecision.objects.filter(outcome="adopted"), user).select_related("meeting", "park")
    if park is not None:
        queryset = queryset.filter(park=park)
    return queryset.order_by("-meeting__held_on", "item_number")


# --- flags --------------------------------------------------------------------------------------------------


def flags_of_meeting(meeting):
    """The meeting's own flag and those of its items (``meeting`` from `meeting_list_for`)."""
    facts = meeting_facts(meeting)
    flags = meeting_flags(meeting, facts)
    for decision in meeting.decisions.all():
        decision.meeting = meeting
        flags += decision_flags(decision, facts)
    return flags


def flags_of_decision(decision):
    """The item's flags, its meeting's quorum flag, and those of the spending resting on it."""
    facts = meeting_facts(decision.meeting)
    flags = meeting_flags(decision.meeting, facts) + decision_flags(decision, facts)
    items = [
        item for item in spending_items(decision.park, dt.date.min, dt.date.max) if item.decision_id == decision.pk
    ]
    flags += spending_flags(decision.park, items, {decision.pk: decision})
    return flags


def park_flags(park, since, until):
    """Every flag of one park for meetings and spending dated in ``[since, until]``."""
    flags = []
    meetings = (
        Meeting.objects.filter(park=park, held_on__gte=since, held_on__lte=until)
        .select_related("body", "park")
        .prefetch_related(
            _members_prefetch(),
            "attendance",
            Prefetch(
                "decisions", queryset=CollectiveDecision.objects.prefetch_related("votes").order_by("item_number")
            ),
        )
    )
    for meeting in meetings:
        flags += flags_of_meeting(meeting)
    items = spending_items(park, since, until)
    linked = {item.decision_id for item in items if item.decision_id is not None}
    decisions = {d.pk: d for d in CollectiveDecision.objects.filter(pk__in=linked).select_related("meeting")}
    flags += spending_flags(park, items, decisions, Thresholds(park))
    return sorted(flags, key=lambda f: (f.date, f.kind, f.subject), reverse=True)


def default_period(today=None):
    """The last twelve months up to today: the period of the flag list and the home panel by default."""
    today = today or timezone.localdate()
    return today - dt.timedelta(days=365), today


def flags_for(user, *, since=None, until=None, park=None, kind=None):
    """The flags of the parks `user` reads (optionally one park, one kind), newest first."""
    default_since, default_until = default_period()
    since, until = since or default_since, until or default_until
    parks = readable_parks(user)
    if park is not None:
        parks = parks.filter(pk=getattr(park, "pk", park))
    flags = []
    for one in parks:
        flags += park_flags(one, since, until)
    if kind:
        flags = [f for f in flags if f.kind == kind]
    return sorted(flags, key=lambda f: (f.date, f.kind, f.subject), reverse=True)


def flagged_decision_ids(user, *, since=None, until=None):
    """Ids of the items that carry a flag of their own or sit at a meeting without quorum."""
    flags = flags_for(user, since=since, until=until)
    ids = {f.decision_id for f in flags if f.decision_id and f.kind in ("extempore", "majority_short")}
    short = {f.meeting_id for f in flags if f.kind == "quorum_short"}
    if short:
        ids |= set(CollectiveDecision.objects.filter(meeting_id__in=short).values_list("pk", flat=True))
    return ids


# --- the integrity index's input ---------------------------------------------------------------------------


def decision_compliance_by_month(park, year):
    """三重一大 compliance of one park, month by month: for each month 1–12, the items decided, how many were
    compliant (no flag of their own, quorate meeting), the meetings and how many were quorate, the spending
    items at or over the threshold and how many of them were flagged. What the integrity index (DESIGN §9)
    reads; every count is kept so a score can be explained."""
    since, until = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = {
        month: {
            "month": month,
            "decisions": 0,
            "compliant": 0,
            "non_compliant": 0,
            "meetings": 0,
            "quorate_meetings": 0,
            "spending_over_threshold": 0,
            "spending_flagged": 0,
        }
        for month in range(1, 13)
    }
    meetings = (
        Meeting.objects.filter(park=park, held_on__gte=since, held_on__lte=until)
        .select_related("body")
        .prefetch_related(
            _members_prefetch(),
            "attendance",
            Prefetch("decisions", queryset=CollectiveDecision.objects.prefetch_related("votes")),
        )
    )
    for meeting in meetings:
        row = rows[meeting.held_on.month]
        facts = meeting_facts(meeting)
        row["meetings"] += 1
        row["quorate_meetings"] += int(facts.quorum_ok)
        for decision in meeting.decisions.all():
            decision.meeting = meeting
            ok = facts.quorum_ok and not decision_flags(decision, facts)
            row["decisions"] += 1
            row["compliant" if ok else "non_compliant"] += 1
    thresholds = Thresholds(park)
    items = spending_items(park, since, until)
    linked = {item.decision_id for item in items if item.decision_id is not None}
    decisions = {d.pk: d for d in CollectiveDecision.objects.filter(pk__in=linked).select_related("meeting")}
    flagged = {(f.reference, f.date) for f in spending_flags(park, items, decisions, thresholds)}
    for item in items:
        if item.amount >= thresholds.for_kind(item.decision_kind):
            row = rows[item.date.month]
            row["spending_over_threshold"] += 1
            row["spending_flagged"] += int((item.reference, item.date) in flagged)
    return [rows[month] for month in range(1, 13)]


def register_counts_for(user, *, since=None, until=None):
    """Figures of the home panel: meetings and items in the period, flags by kind."""
    default_since, default_until = default_period()
    since, until = since or default_since, until or default_until
    ids = readable_park_ids(user)
    meetings = Meeting.objects.filter(held_on__gte=since, held_on__lte=until)
    decisions = CollectiveDecision.objects.filter(meeting__held_on__gte=since, meeting__held_on__lte=until)
    if ids is not ALL:
        meetings, decisions = meetings.filter(park_id__in=ids), decisions.filter(park_id__in=ids)
    return {
        "meetings": meetings.count(),
        "decisions": decisions.count(),
        "by_kind": dict(decisions.values_list("kind").annotate(n=Count("id")).values_list("kind", "n")),
        "since": since,
        "until": until,
    }
