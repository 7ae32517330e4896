"""The lifecycle of a ticket (DESIGN §6): one service per action of the transitions table.

The flow, and the choices made where the design leaves room:

- ``submitted`` → the intake desk accepts (受理), rejects with a reason (不予受理) or merges it into an
  earlier ticket (重复件). The intake desk is the park's dispatchers — or, for a confidential ticket
  (misconduct), the discipline office, since dispatchers never see those.
- Routing (`complaints.services.routing.ticket_route`, run by a Celery task after the submission commits)
  only *suggests* a lead department while a ticket is still ``submitted``; `ticket_accept` applies the
  suggestion at once (受理 and 派单 in one step), unless the dispatcher says otherwise. A ticket that is
  already ``accepted`` when routing runs — registrations by a dispatcher are accepted on registration — is
  dispatched by the routing task itself. No suggestion: it waits in the dispatcher's queue.
- ``assigned`` → a handler of the lead department signs for it (签收, the handler's "start") and it is
  ``in_progress`` with them as the assignee; or returns it (退单) with a reason: back to ``accepted`` with a
  pending `ReturnRequest`, which the intake desk decides: re-dispatch elsewhere (改派) or refuse (back to
  ``assigned`` with the same department, a new signing clock).
- ``in_progress`` → extension request (延期, before the reply deadline, once per ticket by default:
  ``COMPLAINTS_MAX_EXTENSIONS``), decided by the intake desk; reply (答复) with rectification measures.
- ``replied`` → the submitter (or the anonymous reporter with their receipt) confirms with a satisfaction
  score (回访 → ``closed``) or rejects the answer with a reason (重办: back to ``in_progress``, counted, new
  reply clock); the intake desk records a phone follow-up for those who have not answered after
  ``COMPLAINTS_FOLLOWUP_AFTER_WORKING_DAYS`` working days.
- Any open status: supervision (督办) by the discipline office; escalation by the reminder sweep.

Every service: keyword-only arguments, ``actor=``; a transaction; the ticket row locked; the role, park and
department checked; the table in `complaints.choices` enforced; ``update_fields``; an audit event
``ticket.<verb>`` with before/after values; notifications (delivered after commit). A refused action raises
a translated `DomainError` / `PermissionDenied` / `Conflict` and changes nothing.
"""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from complaints.choices import (
    SUBSTANTIATED_FINDINGS,
    Finding,
    FollowUpChannel,
    FollowUpOutcome,
    MessageAuthorKind,
    Priority,
    RequestStatus,
    ReturnStatus,
    Status,
    SuggestionStatus,
)
from complaints.models import (
    DuplicateSuggestion,
    ExtensionRequest,
    FollowUp,
    ReturnRequest,
    TicketMessage,
)
from complaints.selectors import (
    OFFICIAL_WRITER_ROLES,
    department_of,
    is_intake_officer,
    ticket_is_awaiting_followup,
    ticket_is_visible_to,
)
from complaints.services import sla
from complaints.services.common import (
    audit,
    lock,
    max_extensions,
    notify_intake,
    notify_lead,
    notify_submitter,
    notify_users,
    now_or,
    require_intake_officer,
    require_lead_handler,
    require_text,
    require_transition,
    snapshot,
)
from complaints.services.receipts import receipt_matches
from core.errors import Conflict, DomainError, PermissionDenied
from core.roles import DISCIPLINE, user_roles
from core.scoping import can_see_park
from core.workcalendar import end_of_day
from parks.models import Department

# --- acceptance -----------------------------------------------------------------------------------------


def ticket_accept(*, ticket, actor, priority=None, apply_suggestion=True, now=None):
    """受理: the intake desk accepts a submitted ticket; returns the ticket.

    Starts the reply clock (the category's working days; urgent: the same working day); `priority` may be
    set here (urgent or normal). With ``apply_suggestion`` and a routing suggestion, the ticket is
    dispatched to the suggested department in the same transaction (``ticket.dispatched`` follows).
    Refuses: anyone but the intake desk of the ticket's park; a ticket not ``submitted``.
    Records ``ticket.accepted``.
    """
    now = now_or(now)
    with transaction.atomic():
        ticket = lock(ticket)
        require_intake_officer(actor, ticket)
        require_transition("accept", ticket)
        if priority is not None and priority not in Priority.values:
            raise DomainError(_("Unknown priority."), field="priority")
        before = snapshot(ticket, "status", "priority")
        ticket.status = Status.ACCEPTED
        ticket.priority = priority or ticket.priority
        ticket.accepted_at = now
        ticket.reply_started_at = now
        ticket.reply_due = sla.reply_due_for(ticket.category, ticket.priority, now)
        sla.refresh_next_reminder(ticket)
        ticket.save(
            update_fields=[
                "status",
                "priority",
                "accepted_at",
                "reply_started_at",
                "reply_due",
                "next_reminder_at",
                "updated_at",
            ]
        )
        audit(
            ticket,
            "accepted",
            actor=actor,
            before=before,
            after=snapshot(ticket, "status", "priority", "reply_due"),
            at=now,
        )
        notify_submitter(
            ticket,
            kind="ticket.accepted",
            title=_t("Your demand %(number)s was accepted") % {"number": ticket.number},
        )
        if apply_suggestion and ticket.suggested_department_id:
            dispatch_locked(
                ticket,
                department=ticket.suggested_department,
                co_departments=list(ticket.suggested_co_departments.all()),
                actor=actor,
                now=now,
                rule=ticket.routing_rule,
            )
    return ticket


def ticket_reject(*, ticket, actor, reason, now=None):
    """不予受理: the intake desk declines a submitted ticket, with a reason the submitter sees.

    Refuses: anyone but the intake desk; a missing reason; a ticket not ``submitted``.
    Records ``ticket.rejected``.
    """
    now = now_or(now)
    with transaction.atomic():
        ticket = lock(ticket)
        require_intake_officer(actor, ticket)
        require_transition("reject", ticket)
        reason = require_text(reason, field="reason", message=_("Please give the reason for not accepting it."))
        before = snapshot(ticket, "status")
        ticket.status = Status.REJECTED
        ticket.closure_reason = reason
        ticket.closed_at = now
        ticket.next_reminder_at = None
        ticket.save(update_fields=["status", "closure_reason", "closed_at", "next_reminder_at", "updated_at"])
        audit(ticket, "rejected", actor=actor, before=before, after=snapshot(ticket, "status"), reason=reason, at=now)
        notify_submitter(
            ticket,
            kind="ticket.rejected",
            title=_t("Your demand %(number)s was not accepted") % {"number": ticket.number},
            body=reason,
        )
    return ticket


def ticket_merge(*, ticket, into, actor, reason="", now=None):
    """重复件: the intake desk merges a submitted ticket into an earlier ticket of the same park; its
    submitter follows the other one.

    Refuses: anyone but the intake desk; a ticket not ``submitted``; a target in another park, the ticket
    itself, a merged or rejected target, or a target of different confidentiality.
    Records ``ticket.merged`` (on the merged ticket).
    """
    now = now_or(now)
    with transaction.atomic():
        # Lock both rows in id order so two opposite merges cannot deadlock.
        first, second = sorted([getattr(ticket, "pk", ticket), getattr(into, "pk", into)])
        locked = {first: lock(first)}
        if second != first:
            locked[second] = lock(second)
        ticket = locked[getattr(ticket, "pk", ticket)]
        target = locked[getattr(into, "pk", into)]
        require_intake_officer(actor, ticket)
        require_transition("merge", ticket)
        if target.pk == ticket.pk:
            raise DomainError(_("A ticket cannot be merged into itself."), field="into")
        if target.park_id != ticket.park_id:
            raise DomainError(_("Tickets can only be merged within the same park."), field="into")
        if target.status in (Status.MERGED, Status.REJECTED):
            raise Conflict(_("The other ticket is itself merged or rejected."), code="merge_target_closed")
        if target.is_confidential != ticket.is_confidential:
            raise DomainError(
                _("A confidential ticket can only be merged with another confidential ticket."), field="into"
            )
        reason = (reason or "").strip() or _t("Duplicate of %(number)s") % {"number": target.number}
        before = snapshot(ticket, "status", "merged_into")
        ticket.status = Status.MERGED
        ticket.merged_into = target
        ticket.closure_reason = reason
        ticket.closed_at = now
        ticket.next_reminder_at = None
        ticket.save(
            update_fields=["status", "merged_into", "closure_reason", "closed_at", "next_reminder_at", "updated_at"]
        )
        DuplicateSuggestion.objects.filter(ticket=ticket, candidate=target).update(status=SuggestionStatus.MERGED)
        audit(
            ticket,
            "merged",
            actor=actor,
            before=before,
            after=snapshot(ticket, "status", "merged_into"),
            reason=reason,
            into_number=target.number,
            at=now,
        )
        notify_submitter(
            ticket,
            kind="ticket.merged",
            title=_t("Your demand %(number)s is handled together with %(other)s")
            % {"number": ticket.number, "other": target.number},
            body=reason,
        )
    return ticket


def duplicate_suggestion_dismiss(*, suggestion, actor, now=None):
    """The intake desk says a suggested duplicate is not one. Refuses anyone but the intake desk of the
    ticket. Records ``ticket.duplicate_dismissed``."""
    now = now_or(now)
    with transaction.atomic():
        suggestion = DuplicateSuggestion.objects.select_for_update().get(pk=suggestion.pk)
        ticket = lock(suggestion.ticket_id)
        require_intake_officer(actor, ticket)
        if suggestion.status != SuggestionStatus.OPEN:
            return suggestion
        suggestion.status = SuggestionStatus.DISMISSED
        suggestion.save(update_fields=["status"])
        audit(
            ticket,
            "duplicate_dismissed",
            actor=actor,
            before={"suggestion": SuggestionStatus.OPEN.value},
            after={"suggestion": SuggestionStatus.DISMISSED.value},
            candidate=suggestion.candidate_id,
            at=now,
        )
    return suggestion


# --- dispatch and returns -------------------------------------------------------------------------------


def _check_departments(ticket, department, co_departments):
    if department is None:
        raise DomainError(_("Please choose the lead department."), field="department")
    if department.park_id != ticket.park_id or not department.is_active:
        raise DomainError(_("Please choose an active department of this park."), field="department")
    accused_department = department_of(ticket.accused_official) if ticket.accused_official_id else None
    if accused_department is not None and accused_department.pk == department.pk:
        raise DomainError(
            _("A ticket about an official is never handled by that official's own department."),
            code="accused_department",
            field="department",
        )
    co = []
    for other in co_departments or ():
        if other.pk == department.pk or other in co:
            continue
        if other.park_id != ticket.park_id or not other.is_active:
            raise DomainError(_("Please choose active departments of this park."), field="co_departments")
        if accused_department is not None and other.pk == accused_department.pk:
            raise DomainError(
                _("A ticket about an official is never handled by that official's own department."),
                code="accused_department",
                field="co_departments",
            )
        co.append(other)
    if ticket.is_confidential and (
        department.kind != Department.Kind.DISCIPLINE or any(d.kind != Department.Kind.DISCIPLINE for d in co)
    ):
        raise DomainError(
            _("A confidential ticket is handled by the discipline office only."),
            code="confidential_department",
            field="department",
        )
    return co


def dispatch_locked(ticket, *, department, co_departments, actor, now, rule=None, action="dispatched"):
    """Dispatch an already locked, accepted ticket (shared by `ticket_dispatch`, `ticket_accept`, routing
    and re-dispatch). Starts a signing clock; notifies the lead (minus recused staff) and co-handlers."""
    co = _check_departments(ticket, department, co_departments)
    before = snapshot(ticket, "status", "lead_department") | {
        "co_departments": sorted(ticket.co_departments.values_list("pk", flat=True))
    }
    ticket.status = Status.ASSIGNED
    ticket.lead_department = department
    ticket.assignee = None
    ticket.dispatched_at = now
    ticket.signed_at = None
    ticket.sign_due = sla.sign_due_for(ticket.category, now)
    sla.refresh_next_reminder(ticket)
    ticket.save(
        update_fields=[
            "status",
            "lead_department",
            "assignee",
            "dispatched_at",
            "signed_at",
            "sign_due",
            "next_reminder_at",
            "updated_at",
        ]
    )
    ticket.co_departments.set(co)
    extra = {"rule": rule.pk} if rule is not None else {}
    audit(
        ticket,
        action,
        actor=actor,
        before=before,
        after=snapshot(ticket, "status", "lead_department", "sign_due") | {"co_departments": sorted(d.pk for d in co)},
        at=now,
        **extra,
    )
    title = _t("Ticket %(number)s was dispatched to your department: %(subject)s") % {
        "number": ticket.number,
        "subject": ticket.subject,
    }
    notify_lead(ticket, kind="ticket.dispatched", title=title, department=department)
    for other in co:
        notify_lead(
            ticket,
            kind="ticket.co_handling",
            title=_t("Your department co-handles ticket %(number)s") % {"number": ticket.number},
            department=other,
        )
    return ticket


def ticket_dispatch(*, ticket, actor, department, co_departments=(), now=None):
    """派单: the intake desk (or the routing task, ``actor=None``) sends an accepted ticket to a lead
    department, optionally with co-handling departments (联合处置).

    Refuses: a person who is not the intake desk; a ticket not ``accepted``; a ticket whose return waits for
    a decision (use `ticket_return_decide`); a department of another park, inactive, or the accused
    official's; for a confidential ticket, any department but the discipline office.
    Records ``ticket.dispatched``.
    """
    now = now_or(now)
    with transaction.atomic():
        ticket = lock(ticket)
        if actor is not None:
            require_intake_officer(actor, ticket)
        require_transition("dispatch", ticket)
        if ReturnRequest.objects.filter(ticket=ticket, status=ReturnStatus.PENDING).exists():
            raise Conflict(
                _("This ticket was returned; decide the return (re-dispatch or refuse) instead."),
                code="return_pending",
            )
        dispatch_locked(ticket, department=department, co_departments=co_departments, actor=actor, now=now)
    return ticket


def ticket_return(*, ticket, actor, reason, suggested_department=None, now=None):
    """退单: staff of the lead department send a dispatched (not yet signed) ticket back to the intake desk
    because it is not theirs, with a reason; it waits as ``accepted`` for the intake desk's decision.

    Refuses: anyone outside the lead department; a missing reason; a ticket not ``assigned``.
    Records ``ticket.returned`` and creates a pending `ReturnRequest`.
    """
    now = now_or(now)
    with transaction.atomic():
        ticket = lock(ticket)
        require_lead_handler(actor, ticket, allow_recused=True)
        require_transition("return", ticket)
        reason = require_text(reason, field="reason", message=_("Please say why the ticket is not your department's."))
        if suggested_department is not None and suggested_department.park_id != ticket.park_id:
            raise DomainError(_("Please choose a department of this park."), field="suggested_department")
        department = ticket.lead_department
        request = ReturnRequest.objects.create(
            ticket=ticket,
            department=department,
            requested_by=actor,
            reason=reason,
            suggested_department=suggested_department,
            created_at=now,
        )
        before = snapshot(ticket, "status", "lead_department", "return_count")
        ticket.status = Status.ACCEPTED
        ticket.lead_department = None
        ticket.return_count += 1
        sla.refresh_next_reminder(ticket)
        ticket.save(update_fields=["status", "lead_department", "return_count", "next_reminder_at", "updated_at"])
        audit(
            ticket,
            "returned",
            actor=actor,
            before=before,
            after=snapshot(ticket, "status", "lead_department", "return_count"),
            reason=reason,
            return_request=request.pk,
            at=now,
        )
        notify_intake(
            ticket,
            kind="ticket.returned",
            title=_t("%(department)s returned ticket %(number)s") % {"department": department, "number": ticket.number},
            body=reason,
        )
    return request


def ticket_return_decide(*, return_request, actor, redispatch_to=None, co_departments=(), reason="", now=None):
    """The intake desk decides a return: re-dispatch (改派) to `redispatch_to` (another department), or,
    without it, refuse the return with a `reason` — the ticket goes back to the returning department with
    a new signing clock.

    Refuses: anyone but the intake desk; a return already decided; re-dispatch to the returning department;
    a refusal without a reason. Records ``ticket.redispatched`` or ``ticket.return_refused``.
    """
    now = now_or(now)
    with transaction.atomic():
        request = ReturnRequest.objects.select_for_update().select_related("department").get(pk=return_request.pk)
        ticket = lock(request.ticket_id)
        require_intake_officer(actor, ticket)
        if request.status != ReturnStatus.PENDING:
            raise Conflict(_("This return has already been decided."), code="return_decided")
        if redispatch_to is not None:
            require_transition("return_redispatch", ticket)
            if redispatch_to.pk == request.department_id:
                raise DomainError(
                    _("Choose another department, or refuse the return."), field="redispatch_to", code="same_department"
                )
            request.status = ReturnStatus.REDISPATCHED
            request.new_department = redispatch_to
            request.decision_reason = (reason or "").strip()
            department, action = redispatch_to, "redispatched"
        else:
            require_transition("return_refuse", ticket)
            request.decision_reason = require_text(
                reason, field="reason", message=_("Please say why the return is refused.")
            )
            request.status = ReturnStatus.REFUSED
            department, action = request.department, "return_refused"
            co_departments = co_departments or list(ticket.co_departments.all())
        request.decided_by = actor
        request.decided_at = now
        request.save(update_fields=["status", "new_department", "decided_by", "decided_at", "decision_reason"])
        dispatch_locked(
            ticket, department=department, co_departments=co_departments, actor=actor, now=now, action=action
        )
        if action == "return_refused":
            notify_lead(
                ticket,
                kind="ticket.return_refused",
                title=_t("The return of ticket %(number)s was refused") % {"number": ticket.number},
                body=request.decision_reason,
                department=department,
            )
    return request


# --- handling --------------------------------------------------------------------------------------------


def ticket_sign(*, ticket, actor, now=None):
    """签收: a handler of the lead department signs for a dispatched ticket and becomes its handler;
    the ticket is ``in_progress``.

    Refuses: anyone outside the lead department; a handler who declared an interest in the filing enterprise
    or who is the accused official (recusal); a ticket not ``assigned``. Records ``ticket.signed``.
    """
    now = now_or(now)
    with transaction.atomic():
        ticket = lock(ticket)
        require_lead_handler(actor, ticket)
        require_transition("sign", ticket)
        before = snapshot(ticket, "status", "assignee")
        ticket.status = Status.IN_PROGRESS
        ticket.assignee = actor
        ticket.signed_at = now
        sla.refresh_next_reminder(ticket)
        ticket.save(update_fields=["status", "assignee", "signed_at", "next_reminder_at", "updated_at"])
        audit(ticket, "signed", actor=actor, before=before, after=snapshot(ticket, "status", "assignee"), at=now)
    return ticket


def _as_deadline(value):
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, date):
        return end_of_day(value)
    raise DomainError(_("Please give the new deadline."), field="requested_due")


def ticket_extension_request(*, ticket, actor, reason, requested_due, now=None):
    """延期: the lead department asks, before the reply deadline, for a later one (a date or a datetime),
    with a reason; the intake desk decides.

    Refuses: anyone outside the lead department (or recused); a ticket not ``in_progress``; a missing reason;
    a request after the deadline, or for a deadline not later than the current one; a pending request; more
    than ``COMPLAINTS_MAX_EXTENSIONS`` (default 1) approved extensions. Records
    ``ticket.extension_requested``.
    """
    now = now_or(now)
    with transaction.atomic():
        ticket = lock(ticket)
        require_lead_handler(actor, ticket)
        require_transition("extension_request", ticket)
        reason = require_text(reason, field="reason", message=_("Please give the reason for the extension."))
        requested_due = _as_deadline(requested_due)
        if ticket.reply_due is None or now >= ticket.reply_due:
            raise Conflict(_("An extension must be requested before the reply deadline."), code="extension_too_late")
        if requested_due <= ticket.reply_due:
            raise DomainError(_("The new deadline must be later than the current one."), field="requested_due")
        if ticket.extension_count >= max_extensions():
            raise Conflict(_("This ticket has already been extended."), code="extension_limit")
        if ExtensionRequest.objects.filter(ticket=ticket, status=RequestStatus.PENDING).exists():
            raise Conflict(_("An extension request is already waiting for a decision."), code="extension_pending")
        request = ExtensionRequest.objects.create(
            ticket=ticket,
            requested_by=actor,
            reason=reason,
            previous_due=ticket.reply_due,
            requested_due=requested_due,
            created_at=now,
        )
        audit(
            ticket,
            "extension_requested",
            actor=actor,
            before={"reply_due": ticket.reply_due.isoformat()},
            after={"requested_due": requested_due.isoformat()},
            reason=reason,
            extension_request=request.pk,
            at=now,
        )
        notify_intake(
            ticket,
            kind="ticket.extension_requested",
            title=_t("Extension requested for ticket %(number)s") % {"number": ticket.number},
            body=reason,
        )
    return request


def ticket_extension_decide(*, extension, actor, approve, reason="", now=None):
    """The intake desk approves an extension (the reply deadline moves to the requested one) or refuses it
    with a reason.

    Refuses: anyone but the intake desk; a decided request; a ticket no longer ``in_progress``; a refusal
    without a reason. Records ``ticket.extension_approved`` or ``ticket.extension_refused``.
    """
    now = now_or(now)
    with transaction.atomic():
        request = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
        ticket = lock(request.ticket_id)
        require_intake_officer(actor, ticket)
        if request.status != RequestStatus.PENDING:
            raise Conflict(_("This extension request has already been decided."), code="extension_decided")
        require_transition("extension_decide", ticket)
        before = snapshot(ticket, "reply_due", "extension_count")
        if approve:
            request.status = RequestStatus.APPROVED
            request.decision_reason = (reason or "").strip()
            ticket.reply_due = request.requested_due
            ticket.extension_count += 1
            sla.refresh_next_reminder(ticket)
            ticket.save(update_fields=["reply_due", "extension_count", "next_reminder_at", "updated_at"])
            action = "extension_approved"
        else:
            request.status = RequestStatus.REFUSED
            request.decision_reason = require_text(
                reason, field="reason", message=_("Please say why the extension is refused.")
            )
            action = "extension_refused"
        request.decided_by = actor
        request.decided_at = now
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        audit(
            ticket,
            action,
            actor=actor,
            before=before,
            after=snapshot(ticket, "reply_due", "extension_count"),
            reason=request.decision_reason,
            extension_request=request.pk,
            at=now,
        )
        notify_users(
            [request.requested_by],
            ticket,
            kind=f"ticket.{action}",
            title=(
                _t("Extension approved for ticket %(number)s")
                if approve
                else _t("Extension refused for ticket %(number)s")
            )
            % {"number": ticket.number},
            body=request.decision_reason,
        )
    return request


def ticket_reply(*, ticket, actor, reply, rectification_measures="", finding="", now=None):
    """答复: the lead department answers, with the rectification measures (整改措施) taken and, optionally, the
    finding (属实 / 部分属实 / 不属实); the reply clock stops and the submitter is asked to rate the answer.

    A substantiated or partly substantiated finding brings forward the review of the active integrity risks of
    the lead department and, for a report about an official, of that official's department, and of every risk
    raised from this ticket (`integrity.services.risks.risk_pull_review_forward`, reason "complaint
    substantiated"), in the same transaction.

    Refuses: anyone outside the lead department (or recused); a ticket not ``in_progress``; an empty reply.
    A pending extension request is withdrawn. Records ``ticket.replied``.
    """
    now = now_or(now)
    with transaction.atomic():
        ticket = lock(ticket)
        require_lead_handler(actor, ticket)
        require_transition("reply", ticket)
        reply = require_text(reply, field="reply", message=_("Please write the answer."))
        finding = finding or ""
        if finding not in Finding.values:
            raise DomainError(_("Choose a valid finding."), field="finding", code="invalid_finding")
        before = snapshot(ticket, "status")
        ticket.status = Status.REPLIED
        ticket.reply = reply
        ticket.rectification_measures = (rectification_measures or "").strip()
        ticket.finding = finding
        ticket.replied_at = now
        ticket.replied_by = actor
        ticket.next_reminder_at = None
        ticket.save(
            update_fields=[
                "status",
                "reply",
                "rectification_measures",
                "finding",
                "replied_at",
                "replied_by",
                "next_reminder_at",
                "updated_at",
            ]
        )
        ExtensionRequest.objects.filter(ticket=ticket, status=RequestStatus.PENDING).update(
            status=RequestStatus.WITHDRAWN, decided_at=now
        )
        audit(
            ticket,
            "replied",
            actor=actor,
            before=before,
            after=snapshot(ticket, "status", "replied_at", "finding"),
            on_time=bool(ticket.reply_due and now <= ticket.reply_due),
            at=now,
        )
        if finding in SUBSTANTIATED_FINDINGS:
            _pull_risk_reviews_forward(ticket)
        notify_submitter(
            ticket,
            kind="ticket.replied",
            title=_t("Your demand %(number)s has been answered; please rate the answer") % {"number": ticket.number},
            body=reply,
        )
    return ticket


def _pull_risk_reviews_forward(ticket):
    """Bring forward the reviews of the integrity risks a substantiated ticket bears on (see `ticket_reply`)."""
    from integrity.choices_risk import PullForwardReason
    from integrity.models import IntegrityRisk
    from integrity.selectors.risks import active_risks_of
    from integrity.services.risks import risk_pull_review_forward

    departments = [ticket.lead_department_id]
    accused_profile = getattr(ticket.accused_official, "staff_profile", None) if ticket.accused_official_id else None
    if accused_profile is not None:
        departments.append(accused_profile.department_id)
    risk_ids = set(IntegrityRisk.objects.filter(source_ticket=ticket).values_list("id", flat=True))
    for department_id in {d for d in departments if d}:
        risk_ids.update(active_risks_of(department_id).values_list("id", flat=True))
    note = _t("Ticket %(number)s was found substantiated.") % {"number": ticket.number}
    for risk in IntegrityRisk.objects.filter(id__in=risk_ids, status__in=_active_risk_statuses()).order_by("id"):
        risk_pull_review_forward(risk=risk, reason=PullForwardReason.COMPLAINT_SUBSTANTIATED, actor=None, note=note)


def _active_risk_statuses():
    from integrity.choices_risk import ACTIVE_STATUSES

    return ACTIVE_STATUSES


# --- follow-up (回访) -------------------------------------------------------------------------------------


def _reporter(ticket, actor, receipt_code):
    """Whether the caller is the ticket's filer: its submitter, or the holder of its anonymous receipt."""
    if getattr(actor, "is_authenticated", False) and ticket.submitter_id == actor.pk:
        return True
    return bool(receipt_code) and receipt_matches(ticket, receipt_code)


def _validate_satisfaction(satisfaction):
    try:
        value = int(satisfaction)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise DomainError(_("Please rate the answer from 1 to 5."), field="satisfaction", code="satisfaction_range")
    return value


def _close(ticket, *, actor, channel, outcome, satisfaction, comment, consent_to_publish, now, action, anonymous):
    before = snapshot(ticket, "status", "satisfaction")
    ticket.status = Status.CLOSED
    ticket.satisfaction = satisfaction
    ticket.satisfaction_comment = comment
    ticket.closed_at = now
    ticket.next_reminder_at = None
    fields = ["status", "satisfaction", "satisfaction_comment", "closed_at", "next_reminder_at", "updated_at"]
    if consent_to_publish is not None:
        ticket.consent_to_publish = bool(consent_to_publish)
        fields.append("consent_to_publish")
    ticket.save(update_fields=fields)
    FollowUp.objects.create(
        ticket=ticket,
        by=actor if getattr(actor, "is_authenticated", False) else None,
        channel=channel,
        outcome=outcome,
        satisfaction=satisfaction,
        comment=comment,
        at=now,
    )
    audit(
        ticket,
        action,
        actor=actor,
        anonymous=anonymous,
        before=before,
        after=snapshot(ticket, "status", "satisfaction"),
        channel=str(channel),
        outcome=str(outcome),
        at=now,
    )
    if ticket.lead_department_id:
        notify_lead(
            ticket,
            kind="ticket.closed",
            title=_t("Ticket %(number)s is closed") % {"number": ticket.number}
            + (f" ({satisfaction}/5)" if satisfaction else ""),
        )


def ticket_confirm(
    *, ticket, satisfaction, comment="", actor=None, receipt_code=None, consent_to_publish=None, now=None
):
    """回访 by the filer: the submitter (or the anonymous reporter with the receipt code) rates the answer
    1–5 with a comment, and may consent to publication; the ticket is ``closed`` (办结).

    An intake officer calling it records a phone follow-up instead (see `ticket_followup_record`).
    Refuses: anyone else; a ticket not ``replied``; a score outside 1–5. Records ``ticket.confirmed``.
    """
    now = now_or(now)
    with transaction.atomic():
        ticket = lock(ticket)
        if not _reporter(ticket, actor, receipt_code):
            if is_intake_officer(actor, ticket):
                return ticket_followup_record(
                    ticket=ticket, actor=actor, satisfaction=satisfaction, comment=comment, now=now
                )
            raise PermissionDenied(_("Only the person who filed the demand can rate the answer."))
        require_transition("confirm", ticket)
        satisfaction = _validate_satisfaction(satisfaction)
        _close(
            ticket,
            actor=actor,
            channel=FollowUpChannel.ONLINE,
            outcome=FollowUpOutcome.RATED,
            satisfaction=satisfaction,
            comment=(comment or "").strip(),
            consent_to_publish=consent_to_publish,
            now=now,
            action="confirmed",
            anonymous=ticket.is_anonymous,
        )
    return ticket


def ticket_followup_record(
    *, ticket, actor, satisfaction=None, comment="", channel=FollowUpChannel.PHONE, reachable=True, now=None
):
    """The intake desk records a follow-up call (回访) and closes the ticket: the filer's score 1–5, or
    ``reachable=False`` when they could not be reached.

    For a ticket whose filer can rate online (a submitter account or an anonymous receipt), only after
    ``COMPLAINTS_FOLLOWUP_AFTER_WORKING_DAYS`` working days without an answer, so the desk cannot close a
    ticket behind the filer's back; registrations without an account may be followed up at once.
    Refuses: anyone but the intake desk; a ticket not ``replied``; the waiting time not over; a score
    outside 1–5 for a reached filer. Records ``ticket.followed_up``.
    """
    now = now_or(now)
    with transaction.atomic():
        ticket = lock(ticket)
        require_intake_officer(actor, ticket)
        require_transition("followup", ticket)
        if channel not in FollowUpChannel.values or channel == FollowUpChannel.ONLINE:
            raise DomainError(_("Choose how the follow-up was made."), field="channel")
        online_filer = ticket.submitter_id is not None or ticket.is_anonymous
        if online_filer and not ticket_is_awaiting_followup(ticket, now=now):
            raise Conflict(
                _("The submitter can still rate the answer themselves; follow up after the waiting period."),
                code="followup_too_early",
            )
        if reachable:
            satisfaction, outcome = _validate_satisfaction(satisfaction), FollowUpOutcome.RATED
        else:
            satisfaction, outcome = None, FollowUpOutcome.UNREACHABLE
        _close(
            ticket,
            actor=actor,
            channel=channel,
            outcome=outcome,
            satisfaction=satisfaction,
            comment=(comment or "").strip(),
            consent_to_publish=None,
            now=now,
            action="followed_up",
            anonymous=False,
        )
    return ticket


def ticket_reject_answer(*, ticket, reason, actor=None, receipt_code=None, now=None):
    """不满意: the filer (or the intake desk, after a follow-up call) rejects the answer with a reason; the
    ticket goes back to the handler (``in_progress``, 重办), ``reopen_count`` + 1, with a new reply clock.
    The reason is added to the conversation.

    Refuses: anyone else; a ticket not ``replied``; a missing reason. Records ``ticket.reopened``.
    """
    now = now_or(now)
    with transaction.atomic():
        ticket = lock(ticket)
        reporter = _reporter(ticket, actor, receipt_code)
        if not reporter and not is_intake_officer(actor, ticket):
            raise PermissionDenied(_("Only the person who filed the demand can reject the answer."))
        require_transition("reject_answer", ticket)
        reason = require_text(reason, field="reason", message=_("Please say what is missing in the answer."))
        before = snapshot(ticket, "status", "reopen_count", "reply_due")
        ticket.status = Status.IN_PROGRESS
        ticket.reopen_count += 1
        ticket.replied_at = None
        ticket.reply_started_at = now
        ticket.reply_due = sla.reply_due_for(ticket.category, ticket.priority, now)
        sla.refresh_next_reminder(ticket)
        ticket.save(
            update_fields=[
                "status",
                "reopen_count",
                "replied_at",
                "reply_started_at",
                "reply_due",
                "next_reminder_at",
                "updated_at",
            ]
        )
        anonymous = reporter and ticket.is_anonymous and not getattr(actor, "is_authenticated", False)
        TicketMessage.objects.create(
            ticket=ticket,
            author=actor if getattr(actor, "is_authenticated", False) else None,
            author_kind=MessageAuthorKind.REPORTER if anonymous else MessageAuthorKind.USER,
            body=reason,
            created_at=now,
        )
        audit(
            ticket,
            "reopened",
            actor=actor,
            anonymous=anonymous,
            before=before,
            after=snapshot(ticket, "status", "reopen_count", "reply_due"),
            reason=reason,
            at=now,
        )
        notify_lead(
            ticket,
            kind="ticket.reopened",
            title=_t("The answer to ticket %(number)s was rejected; it is reopened") % {"number": ticket.number},
            body=reason,
        )
    return ticket


# --- supervision and messages ---------------------------------------------------------------------------


def ticket_supervise(*, ticket, actor, note, now=None):
    """督办: a discipline officer of the park puts an open ticket under (more) supervision: level + 1, with
    a note kept as an internal message; the lead department's head and handler are told.

    Refuses: anyone but a discipline officer of the park; a ticket that is not open; a missing note.
    Records ``ticket.supervised``.
    """
    now = now_or(now)
    with transaction.atomic():
        ticket = lock(ticket)
        if DISCIPLINE not in user_roles(actor) or not can_see_park(actor, ticket.park_id):
            raise PermissionDenied(_("Only the park's discipline office supervises tickets."))
        require_transition("supervise", ticket)
        note = require_text(note, field="note", message=_("Please write what is expected."))
        before = snapshot(ticket, "supervision_level")
        ticket.supervision_level += 1
        ticket.save(update_fields=["supervision_level", "updated_at"])
        TicketMessage.objects.create(ticket=ticket, author=actor, body=note, internal=True, created_at=now)
        audit(
            ticket,
            "supervised",
            actor=actor,
            before=before,
            after=snapshot(ticket, "supervision_level"),
            note=note,
            at=now,
        )
        title = _t("Ticket %(number)s is under supervision (level %(level)s)") % {
            "number": ticket.number,
            "level": ticket.supervision_level,
        }
        recipients = []
        if ticket.lead_department_id and ticket.lead_department.head_id:
            recipients.append(ticket.lead_department.head)
        if ticket.assignee_id:
            recipients.append(ticket.assignee)
        if not ticket.lead_department_id:
            notify_intake(ticket, kind="ticket.supervised", title=title, body=note)
        notify_users(recipients, ticket, kind="ticket.supervised", title=title, body=note)
    return ticket


def ticket_message_post(*, ticket, body, actor=None, receipt_code=None, internal=False, now=None):
    """A message in the ticket's conversation; returns the `TicketMessage`.

    Who: the submitter, the anonymous reporter (with the receipt code; the message is marked as theirs and
    stores nothing about them), members of the filing enterprise, and officials who can see the ticket.
    Internal notes (never shown to the filer) only from officials. Refuses: anyone else (auditors read
    only); an empty message; a merged ticket. Records ``ticket.message_posted``.
    """
    now = now_or(now)
    with transaction.atomic():
        ticket = lock(ticket)
        body = require_text(body, field="body", message=_("Please write a message."))
        reporter = _reporter(ticket, actor, receipt_code)
        signed_in = getattr(actor, "is_authenticated", False)
        official = (
            signed_in
            and bool(user_roles(actor) & OFFICIAL_WRITER_ROLES)
            and ticket_is_visible_to(actor, ticket)
            and not reporter
        )
        if not (
            reporter or official or (signed_in and ticket_is_visible_to(actor, ticket) and _filer_side(actor, ticket))
        ):
            raise PermissionDenied(_("You cannot write in this ticket."))
        if internal and not official:
            raise PermissionDenied(_("Only officials write internal notes."))
        if ticket.status == Status.MERGED:
            raise Conflict(_("This ticket was merged; write in the ticket it was merged into."), code="merged")
        anonymous = reporter and not signed_in
        message = TicketMessage.objects.create(
            ticket=ticket,
            author=actor if signed_in else None,
            author_kind=MessageAuthorKind.REPORTER if anonymous else MessageAuthorKind.USER,
            body=body,
            internal=bool(internal),
            created_at=now,
        )
        audit(
            ticket,
            "message_posted",
            actor=actor,
            anonymous=anonymous,
            after={"message": message.pk, "internal": bool(internal)},
            at=now,
        )
        title = _t("New message on ticket %(number)s") % {"number": ticket.number}
        if official:
            if not internal:
                notify_submitter(ticket, kind="ticket.message", title=title, body=body)
        elif ticket.lead_department_id:
            notify_lead(ticket, kind="ticket.message", title=title, body=body)
        else:
            notify_intake(ticket, kind="ticket.message", title=title, body=body)
    return message


def _filer_side(actor, ticket):
    from core.scoping import enterprise_ids_for

    return ticket.submitter_id == actor.pk or (
        ticket.enterprise_id is not None and ticket.enterprise_id in enterprise_ids_for(actor)
    )
