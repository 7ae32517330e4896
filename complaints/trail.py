"""A ticket's trail as pages and printouts show it, read from the audit events (`core.audit.events_for`).

Officials see every event with its actor; on a ticket whose filer asked for 保密 the filer's own events
show "the filer" instead of a name for those who may not see the identity. The public trail (the
anonymous reporter's receipt page) shows only the stages, with no names and nothing internal.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from complaints.choices import Status
from parks.models import Department

LABELS = {
    "ticket.submitted": _("Submitted"),
    "ticket.routed": _("Routing suggested a department"),
    "ticket.accepted": _("Accepted (受理)"),
    "ticket.rejected": _("Not accepted (不予受理)"),
    "ticket.merged": _("Merged as a duplicate (重复件)"),
    "ticket.duplicate_dismissed": _("Duplicate suggestion dismissed"),
    "ticket.dispatched": _("Dispatched (派单)"),
    "ticket.returned": _("Returned by the department (退单)"),
    "ticket.redispatched": _("Re-dispatched (改派)"),
    "ticket.return_refused": _("Return refused"),
    "ticket.signed": _("Signed for (签收)"),
    "ticket.extension_requested": _("Extension requested (延期)"),
    "ticket.extension_approved": _("Extension approved"),
    "ticket.extension_refused": _("Extension refused"),
    "ticket.replied": _("Answered (答复)"),
    "ticket.confirmed": _("Rated and closed (办结)"),
    "ticket.followed_up": _("Follow-up recorded and closed (回访)"),
    "ticket.reopened": _("Answer rejected, reopened (重办)"),
    "ticket.supervised": _("Put under supervision (督办)"),
    "ticket.escalated": _("Overdue: escalated"),
    "ticket.message_posted": _("Message"),
    "ticket.published": _("Published in an answer list"),
}

#: What an anonymous reporter sees of the trail: the stages only.
PUBLIC_ACTIONS = frozenset(
    {
        "ticket.submitted",
        "ticket.accepted",
        "ticket.rejected",
        "ticket.merged",
        "ticket.dispatched",
        "ticket.redispatched",
        "ticket.signed",
        "ticket.replied",
        "ticket.confirmed",
        "ticket.followed_up",
        "ticket.reopened",
        "ticket.published",
    }
)

_TIME_KEYS = ("reply_due", "sign_due", "requested_due", "accept_due")


@dataclass
class TrailEntry:
    at: datetime
    action: str
    label: str
    actor: str
    details: list


def _moment(value):
    parsed = parse_datetime(value) if isinstance(value, str) else None
    return parsed


def _department_names(events):
    ids = set()
    for event in events:
        after = (event.data or {}).get("after") or {}
        for key in ("lead_department", "suggested_department"):
            if isinstance(after.get(key), int):
                ids.add(after[key])
        for key in ("co_departments",):
            ids.update(v for v in (after.get(key) or (event.data or {}).get(key) or []) if isinstance(v, int))
    if not ids:
        return {}
    return dict(Department.objects.filter(pk__in=ids).values_list("pk", "name"))


def _details(event, names, *, public):
    data = event.data or {}
    after = data.get("after") or {}
    details = []
    if not public:
        for key in ("lead_department", "suggested_department"):
            if isinstance(after.get(key), int) and after[key] in names:
                details.append((_("Department"), names[after[key]]))
        co = [names[i] for i in after.get("co_departments") or [] if i in names]
        if co:
            details.append((_("Co-handling"), "、".join(co)))
    for key in _TIME_KEYS:
        moment = _moment(after.get(key))
        if moment is not None:
            details.append((_("Deadline"), moment))
    if "status" in after and event.action == "ticket.submitted":
        details.append((_("Status"), Status(after["status"]).label if after["status"] in Status.values else ""))
    if "satisfaction" in after and after["satisfaction"]:
        details.append((_("Satisfaction"), f"{after['satisfaction']}/5"))
    if not public:
        if data.get("reason"):
            details.append((_("Reason"), data["reason"]))
        if data.get("note"):
            details.append((_("Note"), data["note"]))
        if "supervision_level" in after:
            details.append((_("Supervision level"), after["supervision_level"]))
        if data.get("into_number"):
            details.append((_("Merged into"), data["into_number"]))
    elif event.action in ("ticket.rejected", "ticket.merged") and data.get("reason"):
        details.append((_("Reason"), data["reason"]))
    return details


def _actor(event, ticket, identity_visible):
    if event.actor_id is None:
        return str(_("Anonymous reporter")) if event.actor_kind == "anonymous" else str(_("System"))
    if not identity_visible and event.actor_id == ticket.submitter_id:
        return str(_("The filer (identity protected)"))
    return event.actor.get_full_name() if event.actor is not None else event.actor_label


def trail_entries(ticket, events, *, identity_visible=True, public=False):
    """`TrailEntry` rows for the events of `ticket`, oldest first (internal notes' text is never shown:
    only that a message was posted)."""
    events = list(events)
    if public:
        events = [e for e in events if e.action in PUBLIC_ACTIONS]
    names = {} if public else _department_names(events)
    entries = []
    for event in events:
        entries.append(
            TrailEntry(
                at=event.created_at,
                action=event.action,
                label=str(LABELS.get(event.action, event.action)),
                actor="" if public else _actor(event, ticket, identity_visible),
                details=_details(event, names, public=public),
            )
        )
    return entries
