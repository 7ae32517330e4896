"""Helpers shared by the 吐槽区 services: locking, the transition check, audit events, recipients, links.

Only the service modules of this package import it; nothing here is a state change on its own.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.choices import TRANSITIONS, Status
from complaints.models import Ticket
from complaints.selectors import handlers_of, intake_officers_of, is_intake_officer, is_lead_handler
from core.audit import ANONYMOUS, SYSTEM, record_event
from core.errors import Conflict, DomainError, PermissionDenied
from core.interests import officials_with_interest_in
from core.notifications import notify

logger = logging.getLogger("complaints")

ACTION_LABELS = {
    "accept": _("accepted"),
    "reject": _("rejected"),
    "merge": _("merged"),
    "dispatch": _("dispatched"),
    "return": _("returned"),
    "return_redispatch": _("re-dispatched"),
    "return_refuse": _("sent back after a refused return"),
    "sign": _("signed for"),
    "extension_request": _("given an extension request"),
    "extension_decide": _("given an extension decision"),
    "reply": _("answered"),
    "confirm": _("confirmed"),
    "followup": _("followed up"),
    "reject_answer": _("reopened"),
    "supervise": _("supervised"),
    "escalate": _("escalated"),
}


def now_or(now):
    return now or timezone.now()


def lock(ticket):
    """The ticket's row, locked for this transaction, with the relations services read."""
    return (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("park", "category", "lead_department", "enterprise", "accused_official")
        .get(pk=getattr(ticket, "pk", ticket))
    )


def require_transition(action, ticket):
    """Refuse `action` unless the transitions table allows it from the ticket's current status."""
    sources, _target = TRANSITIONS[action]
    if ticket.status not in sources:
        raise Conflict(
            _("Ticket %(number)s is %(status)s; it cannot be %(action)s now.")
            % {"number": ticket.number, "status": Status(ticket.status).label, "action": ACTION_LABELS[action]},
            code="transition_not_allowed",
        )


def require_text(value, *, field, message):
    value = (value or "").strip()
    if not value:
        raise DomainError(message, code="required", field=field)
    return value


def require_intake_officer(actor, ticket):
    if not is_intake_officer(actor, ticket):
        raise PermissionDenied(
            _("Only the park's intake desk (dispatchers; the discipline office for confidential tickets) may do this.")
        )


def is_recused(user, ticket):
    """A declared interest in the filing enterprise, or being the accused official, bars a handler."""
    if user is None:
        return False
    if ticket.accused_official_id is not None and ticket.accused_official_id == user.pk:
        return True
    return ticket.enterprise_id is not None and user.pk in officials_with_interest_in(ticket.enterprise_id)


def require_lead_handler(actor, ticket, *, allow_recused=False):
    if not is_lead_handler(actor, ticket):
        raise PermissionDenied(_("Only staff of the ticket's lead department may do this."))
    if not allow_recused and is_recused(actor, ticket):
        raise PermissionDenied(
            _("You declared an interest in this ticket's enterprise (or are named in it) and must recuse yourself."),
            code="recused",
        )


def audit(ticket, action, *, actor=None, anonymous=False, before=None, after=None, at=None, **extra):
    """Record `ticket.<action>` with before/after values in the caller's transaction."""
    data = {"before": before or {}, "after": after or {}}
    data.update(extra)
    kind = None
    if actor is None or not getattr(actor, "is_authenticated", False):
        kind = ANONYMOUS if anonymous else SYSTEM
        actor = None
    return record_event(
        action=f"ticket.{action}", target=ticket, actor=actor, actor_kind=kind, park=ticket.park_id, data=data, at=at
    )


def snapshot(ticket, *fields):
    """The audit-friendly values of some ticket fields (ids for relations, ISO text for times)."""
    values = {}
    for name in fields:
        value = getattr(ticket, f"{name}_id") if name in _RELATIONS else getattr(ticket, name)
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        values[name] = value
    return values


_RELATIONS = {"lead_department", "assignee", "merged_into", "suggested_department", "category", "routing_rule"}


def ticket_url(ticket):
    """The officials' detail page of a ticket, when the pages are installed."""
    try:
        return reverse("complaints:ticket-detail", kwargs={"pk": ticket.pk})
    except NoReverseMatch:
        return ""


def notify_users(users, ticket, *, kind, title, body=""):
    notify(recipients=list(users), kind=kind, title=title, body=body, url=ticket_url(ticket), park=ticket.park)


def notify_intake(ticket, *, kind, title, body=""):
    notify_users(intake_officers_of(ticket), ticket, kind=kind, title=title, body=body)


def notify_lead(ticket, *, kind, title, body="", department=None):
    """Tell the lead department's staff (minus anyone recused) — or just the handler who signed for it."""
    if ticket.assignee_id and department is None:
        users = [ticket.assignee]
    else:
        users = [u for u in handlers_of(department or ticket.lead_department) if not is_recused(u, ticket)]
    notify_users(users, ticket, kind=kind, title=title, body=body)


def notify_submitter(ticket, *, kind, title, body=""):
    if ticket.submitter_id is not None:
        notify_users([ticket.submitter], ticket, kind=kind, title=title, body=body)


def max_extensions():
    return getattr(settings, "COMPLAINTS_MAX_EXTENSIONS", 1)


def queue_after_commit(task, *args):
    """Queue a task once the transaction commits; a broker failure is logged, never raised, because the
    periodic sweeps re-derive the work from the database (DESIGN §4.6)."""

    def _send():
        try:
            task.delay(*args)
        except Exception:
            logger.exception("could not queue %s%r; the sweep will catch up", getattr(task, "name", task), args)

    transaction.on_commit(_send)
