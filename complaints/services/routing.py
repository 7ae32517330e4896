"""Routing (分办) of new tickets (DESIGN §6, issue point 4), run by `complaints.tasks.route_ticket`.

- A misconduct category (or any confidential one) goes to the park's discipline office only, and the
  ticket is confidential; if the accused official works in the discipline office itself, nothing is
  suggested and the discipline officers decide by hand (a superior office must take it).
- Otherwise the park's active rules are tried in priority order; the first whose category (the ticket's or
  an ancestor) and keywords (any, in subject or body) match gives the lead and co-handling departments. A
  rule pointing at the accused official's department is skipped. Without a match the category's default
  department (or an ancestor's) is used; without one either, the ticket stays with the dispatcher.
- Likely duplicates — same enterprise, or similar text, same park, same confidentiality, last 30 days — are
  stored as `DuplicateSuggestion` rows for the dispatcher, who may merge.
- Recusal applies to people, not departments: `ticket_sign` refuses a handler with a declared interest in
  the filing enterprise, and notifications of a dispatch skip them.

Routing suggests while the ticket is ``submitted`` (acceptance applies the suggestion) and dispatches at
once when it is already ``accepted`` (see `complaints.services.lifecycle`). It runs once per ticket:
``routed_at`` marks it done, and `sweep_unrouted_tickets` re-queues tickets a lost task never routed.
"""

import difflib
import re
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _t

from complaints.choices import DuplicateReason, Status
from complaints.models import DuplicateSuggestion, RoutingRule, Ticket
from complaints.selectors import department_of
from complaints.services.common import audit, lock, notify_intake, now_or, queue_after_commit
from complaints.services.lifecycle import dispatch_locked
from core.errors import DomainError
from parks.models import Department

SIMILAR_TEXT = 0.6
SAME_ENTERPRISE_TEXT = 0.3
MAX_SUGGESTIONS = 5
MAX_CANDIDATES = 500
_SPACES = re.compile(r"\s+")


def _ancestors(category):
    seen = []
    while category is not None and category.pk not in {c.pk for c in seen}:
        seen.append(category)
        category = category.parent
    return seen


def _text(ticket):
    return _SPACES.sub("", f"{ticket.subject}{ticket.body}").lower()


def rule_matches(rule, ticket, category_ids, text):
    """Whether a routing rule applies to a ticket (category or ancestor, and any keyword)."""
    if rule.category_id is not None and rule.category_id not in category_ids:
        return False
    keywords = rule.keyword_list
    return not keywords or any(keyword.lower() in text for keyword in keywords)


def choose_route(ticket):
    """``(department, co_departments, rule, note)`` for a ticket; department None when nothing applies."""
    accused_department = department_of(ticket.accused_official) if ticket.accused_official_id else None
    if ticket.category.confidential:
        office = (
            Department.objects.filter(park_id=ticket.park_id, kind=Department.Kind.DISCIPLINE, is_active=True)
            .order_by("pk")
            .first()
        )
        if office is None:
            return None, [], None, "no_discipline_office"
        if accused_department is not None and accused_department.pk == office.pk:
            return None, [], None, "accused_in_discipline_office"
        return office, [], None, "misconduct"
    ancestors = _ancestors(ticket.category)
    category_ids = {c.pk for c in ancestors}
    text = _text(ticket)
    rules = (
        RoutingRule.objects.filter(park_id=ticket.park_id, is_active=True, department__is_active=True)
        .select_related("department")
        .prefetch_related("co_departments")
        .order_by("priority", "pk")
    )
    for rule in rules:
        if not rule_matches(rule, ticket, category_ids, text):
            continue
        if accused_department is not None and rule.department_id == accused_department.pk:
            continue
        co = [
            d
            for d in rule.co_departments.all()
            if d.is_active
            and d.pk != rule.department_id
            and (accused_department is None or d.pk != accused_department.pk)
        ]
        return rule.department, co, rule, "rule"
    for category in ancestors:
        department = category.default_department
        if department is not None and department.is_active:
            if accused_department is not None and department.pk == accused_department.pk:
                continue
            return department, [], None, "category_default"
    return None, [], None, "no_match"


def similarity(a, b):
    """Text similarity 0–1 of two normalised texts (difflib's ratio, after its cheap upper bounds)."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < SAME_ENTERPRISE_TEXT or matcher.quick_ratio() < SAME_ENTERPRISE_TEXT:
        return matcher.quick_ratio()
    return matcher.ratio()


def find_duplicates(ticket, *, window_days=None):
    """``[(candidate, reason, score), …]``: the most likely earlier duplicates of a ticket."""
    window_days = window_days or getattr(settings, "COMPLAINTS_DUPLICATE_WINDOW_DAYS", 30)
    since = ticket.created_at - timedelta(days=window_days)
    candidates = (
        Ticket.objects.filter(
            park_id=ticket.park_id,
            is_confidential=ticket.is_confidential,
            created_at__gte=since,
            created_at__lte=ticket.created_at,
        )
        .exclude(pk=ticket.pk)
        .exclude(status__in=[Status.MERGED, Status.REJECTED])
        .only("pk", "subject", "body", "enterprise_id", "category_id", "created_at")
        .order_by("-created_at")[:MAX_CANDIDATES]
    )
    text = _text(ticket)
    found = []
    for candidate in candidates:
        score = similarity(text, _text(candidate))
        same_enterprise = ticket.enterprise_id is not None and candidate.enterprise_id == ticket.enterprise_id
        if same_enterprise and (score >= SAME_ENTERPRISE_TEXT or candidate.category_id == ticket.category_id):
            found.append((candidate, DuplicateReason.SAME_ENTERPRISE, score))
        elif score >= SIMILAR_TEXT:
            found.append((candidate, DuplicateReason.SIMILAR_TEXT, score))
    found.sort(key=lambda item: (-item[2], -item[0].created_at.timestamp()))
    return found[:MAX_SUGGESTIONS]


def ticket_route(*, ticket_id, now=None):
    """Route one ticket (system actor; called by the `route_ticket` task). Idempotent: a routed ticket is
    returned unchanged. Stores the suggestion (and confidentiality), the duplicate suggestions and
    ``routed_at``; dispatches an ``accepted``, undispatched ticket at once. Records ``ticket.routed``
    (and ``ticket.dispatched``)."""
    now = now_or(now)
    with transaction.atomic():
        ticket = lock(ticket_id)
        if ticket.routed_at is not None:
            return ticket
        department, co, rule, note = choose_route(ticket)
        before = {"suggested_department": ticket.suggested_department_id, "confidential": ticket.is_confidential}
        ticket.suggested_department = department
        ticket.routing_rule = rule
        ticket.routed_at = now
        ticket.is_confidential = ticket.is_confidential or ticket.category.confidential
        ticket.save(
            update_fields=["suggested_department", "routing_rule", "routed_at", "is_confidential", "updated_at"]
        )
        ticket.suggested_co_departments.set(co)
        duplicates = find_duplicates(ticket)
        DuplicateSuggestion.objects.bulk_create(
            [
                DuplicateSuggestion(
                    ticket=ticket, candidate=candidate, reason=reason, score=round(score, 3), created_at=now
                )
                for candidate, reason, score in duplicates
            ],
            ignore_conflicts=True,
        )
        audit(
            ticket,
            "routed",
            before=before,
            after={"suggested_department": ticket.suggested_department_id, "confidential": ticket.is_confidential},
            rule=rule.pk if rule else None,
            co_departments=sorted(d.pk for d in co),
            outcome=note,
            duplicates=[candidate.pk for candidate, _reason, _score in duplicates],
            at=now,
        )
        if ticket.status == Status.ACCEPTED and ticket.lead_department_id is None:
            if department is not None:
                try:
                    with transaction.atomic():
                        dispatch_locked(
                            ticket, department=department, co_departments=co, actor=None, now=now, rule=rule
                        )
                except DomainError:
                    # A rule pointing somewhere the ticket may not go (changed since): leave it to the desk.
                    department = None
            if department is None:
                notify_intake(
                    ticket,
                    kind="ticket.needs_dispatch",
                    title=_t("Ticket %(number)s needs dispatching by hand") % {"number": ticket.number},
                )
        elif note == "accused_in_discipline_office":
            notify_intake(
                ticket,
                kind="ticket.needs_dispatch",
                title=_t("Ticket %(number)s names a member of the discipline office; refer it to the superior office")
                % {"number": ticket.number},
            )
    return ticket


def sweep_unrouted_tickets(*, now=None, older_than_minutes=None, limit=500):
    """Re-queue routing for tickets a lost task never routed (``routed_at`` empty for a few minutes);
    returns how many were queued. Routing itself is idempotent, so queuing twice is harmless."""
    from complaints.tasks import route_ticket

    now = now_or(now)
    minutes = (
        older_than_minutes
        if older_than_minutes is not None
        else getattr(settings, "COMPLAINTS_UNROUTED_AFTER_MINUTES", 5)
    )
    ids = list(
        Ticket.objects.filter(routed_at__isnull=True, created_at__lte=now - timedelta(minutes=minutes))
        .exclude(status__in=[Status.MERGED, Status.REJECTED])
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    with transaction.atomic():
        for pk in ids:
            queue_after_commit(route_ticket, pk)
    return len(ids)
