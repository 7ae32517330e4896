"""Read queries of the 吐槽区, shared by pages, API, exports, Open311 and the dashboard. Scoping lives here.

Who sees which tickets (DESIGN §1, §6) — one rule, in `ticket_scope_for` (queryset) and
`ticket_is_visible_to` (one object), kept equal by tests:
- discipline officers: every ticket of their parks, confidential ones included;
- platform administrators, park administrators, dispatchers and auditors: the tickets of their parks
  (platform administrators: all parks) except confidential ones (misconduct reports);
- handlers: tickets whose lead or co-handling department is theirs, except confidential ones unless their
  department is the discipline office;
- enterprise users: their enterprise's non-confidential tickets, and whatever they filed themselves;
- anonymous visitors: none (an anonymous reporter reaches their ticket only with the receipt:
  `complaints.services.receipt_lookup`).
Every list, search, export and count starts from `ticket_scope_for`, so a confidential ticket is never
counted for anyone outside the discipline office.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.choices import (
    OPEN_STATUSES,
    REPLY_CLOCK_STATUSES,
    Status,
    SuggestionStatus,
)
from complaints.models import (
    Category,
    DuplicateSuggestion,
    ExtensionRequest,
    ReturnRequest,
    Ticket,
    TicketMessage,
)
from core.audit import events_for
from core.errors import DomainError
from core.roles import (
    AUDITOR,
    DISCIPLINE,
    DISPATCHER,
    HANDLER,
    PARK_ADMIN,
    PLATFORM_ADMIN,
    user_roles,
)
from core.scoping import ALL, can_see_park, enterprise_ids_for, park_ids_for
from parks.models import Department

_MISSING = object()

#: Roles that see every non-confidential ticket of their parks.
PARK_WIDE_ROLES = frozenset({PLATFORM_ADMIN, PARK_ADMIN, DISPATCHER, AUDITOR})
#: Roles that may write in a ticket's conversation as officials.
OFFICIAL_WRITER_ROLES = frozenset({PLATFORM_ADMIN, PARK_ADMIN, DISPATCHER, HANDLER, DISCIPLINE})


def department_of(user):
    """The department of a user's staff profile, or None (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_complaints_department", _MISSING)
    if cached is _MISSING:
        cached = Department.objects.filter(staff__user=user).first()
        user._complaints_department = cached
    return cached


# --- who sees what ------------------------------------------------------------------------------------


def co_handled_by(department):
    """``Exists`` condition: the ticket is co-handled by `department` (no join, so no duplicate rows)."""
    return Exists(
        Ticket.co_departments.through.objects.filter(
            ticket_id=OuterRef("pk"), department_id=getattr(department, "pk", department)
        )
    )


def _park_q(ids, prefix=""):
    if ids is ALL:
        return Q()
    return Q(**{f"{prefix}park_id__in": ids})


def ticket_scope_for(user):
    """The tickets `user` may see, without joins: the base of every list, search, export and count."""
    qs = Ticket.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    roles = user_roles(user)
    parks = park_ids_for(user)
    in_parks = _park_q(parks)
    # What the user sees of whole parks: everything for the discipline office, the non-confidential
    # tickets for the other park-wide roles.
    whole_parks = None
    if parks and DISCIPLINE in roles:
        if parks is ALL:
            return qs
        whole_parks = in_parks
    elif parks and roles & PARK_WIDE_ROLES:
        whole_parks = in_parks & Q(is_confidential=False)
    branches = [] if whole_parks is None else [whole_parks]
    if parks and HANDLER in roles:
        department = department_of(user)
        if department is not None:
            mine = Q(lead_department_id=department.pk) | Q(co_handled_by(department))
            if department.kind != Department.Kind.DISCIPLINE:
                mine &= Q(is_confidential=False)
            branches.append(in_parks & mine)
    enterprises = enterprise_ids_for(user)
    if enterprises:
        branches.append(Q(enterprise_id__in=enterprises, is_confidential=False))
    # A filer always sees their own tickets. For park-wide roles that branch is mostly redundant, and its OR
    # makes every count visit the heap rows of the whole park instead of an index-only scan
    # (bench/README.md): it is kept only when the user filed something outside what they see park-wide (a
    # confidential report, another park's ticket). One indexed look-up, not cached, since the user may file
    # such a ticket later in the same request.
    if whole_parks is None or Ticket.objects.filter(submitter=user).exclude(whole_parks).exists():
        branches.append(Q(submitter=user))
    visible = branches[0]
    for branch in branches[1:]:
        visible |= branch
    return qs.filter(visible)


#: Relations every list row shows, joined in the list query itself. Only these four: each further join
#: multiplies PostgreSQL's planning time (the eleven relations joined before took 100–300 ms to plan,
#: bench/README.md).
LIST_JOINS = ("park", "category", "category__parent", "lead_department")
#: Relations loaded with one ``WHERE id IN (…)`` query each (none when no ticket of the page has one), so
#: the number of queries does not grow with the page.
LIST_PREFETCHES = (
    "co_departments",
    "enterprise",
    "submitter",
    "assignee",
    "accused_official",
    "suggested_department",
    "merged_into",
)


def _with_related(qs):
    return qs.select_related(*LIST_JOINS).prefetch_related(*LIST_PREFETCHES)


def ticket_list_for(user):
    """The tickets `user` may see, newest first, with everything a list or detail page shows loaded in a
    constant number of queries (`LIST_JOINS` joined, `LIST_PREFETCHES` one query each)."""
    return _with_related(ticket_scope_for(user)).order_by("-created_at", "-id")


def ticket_get_for(user, *, pk=None, number=None, park=None):
    """One ticket `user` may see, by id or by number (with `park`); a ticket they may not see is reported as
    not found, so its existence leaks nothing."""
    qs = ticket_list_for(user).prefetch_related("suggested_co_departments")
    try:
        if pk is not None:
            return qs.get(pk=pk)
        return qs.get(number=number, park=park)
    except (Ticket.DoesNotExist, ValueError, TypeError):
        raise DomainError(_("No such ticket."), code="not_found", kind="not_found") from None


def ticket_is_visible_to(user, ticket):
    """The rule of `ticket_scope_for` for one ticket in memory (no query beyond cached role lookups)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if ticket.submitter_id is not None and ticket.submitter_id == user.pk:
        return True
    roles = user_roles(user)
    in_park = can_see_park(user, ticket.park_id)
    if in_park and DISCIPLINE in roles:
        return True
    if not ticket.is_confidential:
        if in_park and roles & PARK_WIDE_ROLES:
            return True
        if ticket.enterprise_id is not None and ticket.enterprise_id in enterprise_ids_for(user):
            return True
    if in_park and HANDLER in roles:
        department = department_of(user)
        if department is not None and (not ticket.is_confidential or department.kind == Department.Kind.DISCIPLINE):
            if ticket.lead_department_id == department.pk:
                return True
            return any(d.pk == department.pk for d in ticket.co_departments.all())
    return False


def ticket_identity_visible_to(user, ticket):
    """Whether `user` may see who filed `ticket` (submitter, enterprise, contact).

    With 保密 (``hide_identity``) only the dispatch centre, the discipline office and the filer's own side
    see it; handlers, park administrators and auditors see it masked. Without it, everyone who sees the
    ticket sees its filer.
    """
    if not ticket_is_visible_to(user, ticket):
        return False
    if not ticket.hide_identity:
        return True
    if ticket.submitter_id is not None and ticket.submitter_id == user.pk:
        return True
    if ticket.enterprise_id is not None and ticket.enterprise_id in enterprise_ids_for(user):
        return True
    roles = user_roles(user)
    return bool(roles & {DISCIPLINE, DISPATCHER})


def is_intake_officer(user, ticket):
    """Whether `user` acts as the intake desk for `ticket`: a dispatcher of its park, or — for a
    confidential ticket, which dispatchers never see — a discipline officer of its park."""
    if not getattr(user, "is_authenticated", False) or not can_see_park(user, ticket.park_id):
        return False
    roles = user_roles(user)
    if ticket.is_confidential:
        return DISCIPLINE in roles
    return DISPATCHER in roles


def is_lead_handler(user, ticket):
    """Whether `user` works in the ticket's lead department (a handler; for the discipline office also a
    discipline officer). Recusal is checked separately by the services that assign work."""
    if not getattr(user, "is_authenticated", False) or ticket.lead_department_id is None:
        return False
    if not can_see_park(user, ticket.park_id):
        return False
    department = department_of(user)
    if department is None or department.pk != ticket.lead_department_id:
        return False
    roles = user_roles(user)
    if HANDLER in roles:
        return not ticket.is_confidential or department.kind == Department.Kind.DISCIPLINE
    return DISCIPLINE in roles and department.kind == Department.Kind.DISCIPLINE


def ticket_actions_for(user, ticket):
    """The actions `user` may try on `ticket` now, for showing buttons (the services decide for real)."""
    from complaints.choices import allowed_actions

    actions = set(allowed_actions(ticket.status))
    result = []
    intake = is_intake_officer(user, ticket)
    handler = is_lead_handler(user, ticket)
    reporter = ticket.submitter_id is not None and ticket.submitter_id == getattr(user, "pk", None)
    by_role = {
        "accept": intake,
        "reject": intake,
        "merge": intake,
        "dispatch": intake,
        "return_redispatch": intake,
        "return_refuse": intake,
        "extension_decide": intake,
        "followup": intake,
        "return": handler,
        "sign": handler,
        "extension_request": handler,
        "reply": handler,
        "confirm": reporter or intake,
        "reject_answer": reporter or intake,
        "supervise": DISCIPLINE in user_roles(user) and can_see_park(user, ticket.park_id),
    }
    for action, allowed in by_role.items():
        if allowed and action in actions:
            result.append(action)
    return result


# --- queues -------------------------------------------------------------------------------------------


def overdue_q(now=None):
    """Open tickets with a running stage past its deadline."""
    now = now or timezone.now()
    return (
        Q(status=Status.SUBMITTED, accept_due__lt=now)
        | Q(status=Status.ASSIGNED, sign_due__lt=now)
        | Q(status__in=REPLY_CLOCK_STATUSES, reply_due__lt=now)
    )


def ticket_dispatcher_queue(user):
    """The intake desk's work: submitted tickets to accept, accepted ones to dispatch (incl. returns)."""
    return ticket_list_for(user).filter(status__in=[Status.SUBMITTED, Status.ACCEPTED]).order_by("created_at", "id")


def ticket_department_queue(user):
    """Open tickets led or co-handled by the user's department."""
    department = department_of(user)
    if department is None:
        return Ticket.objects.none()
    return (
        ticket_list_for(user)
        .filter(Q(lead_department=department) | Q(co_handled_by(department)))
        .filter(status__in=[Status.ASSIGNED, Status.IN_PROGRESS, Status.REPLIED])
        .order_by("reply_due", "id")
    )


def ticket_supervision_list(user):
    """Open tickets under supervision (督办), most supervised first."""
    return (
        ticket_list_for(user)
        .filter(status__in=OPEN_STATUSES, supervision_level__gt=0)
        .order_by("-supervision_level", "reply_due", "id")
    )


def ticket_overdue_for(user, *, now=None):
    """Open tickets past a deadline of their running stage."""
    return ticket_list_for(user).filter(overdue_q(now)).order_by("reply_due", "id")


def ticket_mine_for(user):
    """An enterprise user's "my tickets": what they filed and what their enterprise filed."""
    enterprises = enterprise_ids_for(user)
    return ticket_list_for(user).filter(Q(submitter=user) | Q(enterprise_id__in=enterprises, is_confidential=False))


def working_day_cutoff(now, days):
    """Start of the earliest day such that `days` whole working days lie between it and `now`'s day: a
    moment before the cutoff lies more than `days` working days back."""
    from core.workcalendar import is_workday

    local = timezone.localtime(now)
    day = local.date()
    counted = 0
    while counted < days:
        day -= timedelta(days=1)
        if is_workday(day):
            counted += 1
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def followup_after_days():
    return getattr(settings, "COMPLAINTS_FOLLOWUP_AFTER_WORKING_DAYS", 3)


def tickets_awaiting_followup(user, *, now=None, days=None):
    """Replied tickets the submitter has not rated for more than `days` working days (default
    ``COMPLAINTS_FOLLOWUP_AFTER_WORKING_DAYS`` = 3): the dispatcher's phone follow-up list (回访)."""
    now = now or timezone.now()
    cutoff = working_day_cutoff(now, followup_after_days() if days is None else days)
    return ticket_list_for(user).filter(status=Status.REPLIED, replied_at__lt=cutoff).order_by("replied_at", "id")


def ticket_is_awaiting_followup(ticket, *, now=None, days=None):
    now = now or timezone.now()
    if ticket.status != Status.REPLIED or ticket.replied_at is None:
        return False
    return ticket.replied_at < working_day_cutoff(now, followup_after_days() if days is None else days)


def pending_returns_for(user):
    """Pending returns (退单) the user may decide or follow."""
    return (
        ReturnRequest.objects.filter(status="pending", ticket__in=ticket_scope_for(user))
        .select_related("ticket", "ticket__category", "department", "requested_by", "suggested_department")
        .order_by("created_at", "id")
    )


def pending_extensions_for(user):
    """Pending extension requests (延期) on tickets the user may see."""
    return (
        ExtensionRequest.objects.filter(status="pending", ticket__in=ticket_scope_for(user))
        .select_related("ticket", "ticket__lead_department", "requested_by")
        .order_by("created_at", "id")
    )


def duplicate_suggestions_for(user, ticket):
    """Open duplicate suggestions of `ticket` whose candidate the user may also see."""
    return (
        DuplicateSuggestion.objects.filter(
            ticket=ticket, status=SuggestionStatus.OPEN, candidate__in=ticket_scope_for(user)
        )
        .select_related("candidate", "candidate__category")
        .order_by("-score", "id")
    )


def ticket_messages_for(user, ticket, *, reporter=False):
    """The conversation of a ticket as `user` (or, with ``reporter=True``, the anonymous receipt holder)
    may read it: internal notes only for officials."""
    qs = TicketMessage.objects.filter(ticket=ticket).select_related("author").order_by("created_at", "id")
    if reporter or not user_roles(user) & (OFFICIAL_WRITER_ROLES | {AUDITOR}):
        qs = qs.filter(internal=False)
    return qs


def ticket_trail(ticket):
    """The ticket's history from the audit trail, oldest first."""
    return events_for(ticket)


# --- categories ---------------------------------------------------------------------------------------


def categories_for_form(park, *, public=True):
    """Active categories of a park for a submission form (the public one shows only public categories)."""
    qs = Category.objects.filter(park=park, is_active=True).select_related("parent")
    if public:
        qs = qs.filter(show_on_public_form=True)
    return qs.order_by("parent__order", "parent__name", "order", "name")


def category_tree(park, *, public=False):
    """``[(category, [children…]), …]`` for the top-level categories of a park, in their order."""
    categories = list(categories_for_form(park, public=public).order_by("order", "name"))
    children = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category)
    return [(top, children.get(top.pk, [])) for top in children.get(None, [])]


def category_list_for(user):
    """Categories of the parks the user may see (for admin lists and the API)."""
    ids = park_ids_for(user)
    qs = Category.objects.select_related("park", "parent", "default_department").order_by("park", "order", "name")
    if ids is ALL:
        return qs
    enterprise_parks = frozenset()
    if enterprise_ids_for(user):
        from parks.models import Enterprise

        enterprise_parks = frozenset(
            Enterprise.objects.filter(pk__in=enterprise_ids_for(user)).values_list("park_id", flat=True)
        )
    return qs.filter(park_id__in=set(ids) | enterprise_parks)


# --- recipients (used by services for notifications) --------------------------------------------------


def _active_users():
    return get_user_model().objects.filter(is_active=True)


def intake_officers_of(ticket):
    """Who acts as the intake desk for a ticket: its park's dispatchers, or its discipline officers when it
    is confidential."""
    role = DISCIPLINE if ticket.is_confidential else DISPATCHER
    return _active_users().filter(groups__name=role, staff_profile__parks=ticket.park_id).distinct()


def discipline_officers_of(park_id):
    return _active_users().filter(groups__name=DISCIPLINE, staff_profile__parks=park_id).distinct()


def handlers_of(department):
    """The people who work tickets of `department`."""
    if department is None:
        return _active_users().none()
    roles = [HANDLER, DISCIPLINE] if department.kind == Department.Kind.DISCIPLINE else [HANDLER]
    return _active_users().filter(groups__name__in=roles, staff_profile__department=department).distinct()


# --- statistics ---------------------------------------------------------------------------------------


def _rate(numerator, denominator):
    if not denominator:
        return None
    return round(100.0 * numerator / denominator, 1)


def _month_start(moment):
    local = timezone.localtime(moment)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _months_back(start, count):
    months = [start]
    for _i in range(count - 1):
        previous = (months[-1] - timedelta(days=1)).replace(day=1)
        months.append(previous)
    return list(reversed(months))


def ticket_stats_for(user, *, park=None, since=None, until=None, now=None, months=12):
    """The dashboard figures of the tickets `user` may see (confidential ones only for the discipline
    office), optionally for one park and a creation-date range.

    Returns a dict: ``total``, ``open``, ``overdue``, ``supervised``; ``on_time_rate`` (% of tickets
    replied by their deadline, counting open tickets already past it as late, so leaving a ticket open does
    not improve it); ``return_rate`` and ``extension_rate`` (% of dispatched tickets), ``reopen_rate``
    (% of answered tickets, reopened ones included); ``avg_satisfaction``; ``by_category`` and
    ``by_department`` (lists of dicts); ``trend`` (``months`` entries
    ``{"month": "2025-10", "created": n, "closed": n}``, oldest first).
    Rates are None when there is nothing to divide by.
    """
    now = now or timezone.now()
    qs = ticket_scope_for(user)
    if park is not None:
        qs = qs.filter(park_id=getattr(park, "pk", park))
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    if until is not None:
        qs = qs.filter(created_at__lt=until)
    open_q = Q(status__in=OPEN_STATUSES)
    figures = qs.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=open_q),
        overdue=Count("pk", filter=overdue_q(now)),
        supervised=Count("pk", filter=open_q & Q(supervision_level__gt=0)),
        replied=Count("pk", filter=Q(replied_at__isnull=False)),
        answered=Count("pk", filter=Q(replied_at__isnull=False) | Q(reopen_count__gt=0)),
        replied_on_time=Count("pk", filter=Q(replied_at__isnull=False, replied_at__lte=F("reply_due"))),
        open_late=Count("pk", filter=Q(status__in=REPLY_CLOCK_STATUSES, reply_due__lt=now)),
        dispatched=Count("pk", filter=Q(dispatched_at__isnull=False)),
        returned=Count("pk", filter=Q(return_count__gt=0)),
        extended=Count("pk", filter=Q(extension_count__gt=0)),
        reopened=Count("pk", filter=Q(reopen_count__gt=0)),
        avg_satisfaction=Avg("satisfaction"),
    )
    by_category = list(
        qs.values(name=Coalesce("category__parent__name", "category__name"))
        .annotate(count=Count("pk"))
        .order_by("-count", "name")
    )
    by_department = list(
        qs.filter(lead_department__isnull=False)
        .values(name=F("lead_department__name"))
        .annotate(
            count=Count("pk"),
            open=Count("pk", filter=open_q),
            overdue=Count("pk", filter=overdue_q(now)),
        )
        .order_by("-count", "name")
    )
    month_list = _months_back(_month_start(now), months)
    first = month_list[0]
    tz = timezone.get_current_timezone()
    created = dict(
        qs.filter(created_at__gte=first)
        .annotate(month=TruncMonth("created_at", tzinfo=tz))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    closed = dict(
        qs.filter(closed_at__gte=first, status=Status.CLOSED)
        .annotate(month=TruncMonth("closed_at", tzinfo=tz))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )

    def _key(moment):
        return timezone.localtime(moment).strftime("%Y-%m") if timezone.is_aware(moment) else moment.strftime("%Y-%m")

    created = {_key(k): v for k, v in created.items()}
    closed = {_key(k): v for k, v in closed.items()}
    labels = [m.strftime("%Y-%m") for m in month_list]
    trend = [{"month": m, "created": created.get(m, 0), "closed": closed.get(m, 0)} for m in labels]
    avg = figures["avg_satisfaction"]
    return {
        "total": figures["total"],
        "open": figures["open"],
        "overdue": figures["overdue"],
        "supervised": figures["supervised"],
        "on_time_rate": _rate(figures["replied_on_time"], figures["replied"] + figures["open_late"]),
        "return_rate": _rate(figures["returned"], figures["dispatched"]),
        "extension_rate": _rate(figures["extended"], figures["dispatched"]),
        "reopen_rate": _rate(figures["reopened"], figures["answered"]),
        "avg_satisfaction": round(avg, 2) if avg is not None else None,
        "by_category": by_category,
        "by_department": by_department,
        "trend": trend,
    }
