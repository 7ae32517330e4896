"""Time limits (限时办结) and reminders of the 吐槽区 (DESIGN §6, issue point 5).

Three clocks per ticket, each computed on the work calendar (`core.workcalendar`), counted from the next
working day, and frozen when its stage ends:

- accept (受理): from submission; ``category.accept_days`` working days (default 1);
- sign (签收): from each dispatch; ``category.sign_days`` (default 1);
- reply (答复): from acceptance (and again from a reopening, 重办); ``category.reply_days`` or by kind
  5 / 15 / 15; an urgent ticket is due at the end of the working day it is accepted on (or of the next
  working day when accepted on a day off), or one working day when the category says so.

Reminders go out at 50 %, 80 % and 100 % of a clock's *working* time. ``Ticket.next_reminder_at`` holds
the earliest unsent one; `sweep_due_reminders` reads only tickets whose moment has come (an indexed
column), locks each with ``skip_locked`` and inserts a `TicketReminder` row per (ticket, stage, cycle,
threshold) — the unique constraint, not the sweep's bookkeeping, guarantees that each reminder is sent
once, even when the sweep runs twice or on two workers at once. At 100 % the ticket escalates: supervision
level + 1, a notice to the responsible department's head and to the discipline office, audit
``ticket.escalated``.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from complaints.choices import REMINDER_THRESHOLDS, REPLY_CLOCK_STATUSES, Priority, Stage, Status
from complaints.models import Ticket, TicketReminder
from complaints.selectors import discipline_officers_of, handlers_of, intake_officers_of
from complaints.services.common import audit, is_recused, notify_users, now_or
from core.workcalendar import add_working_days, working_time_between

STAGES = (Stage.ACCEPT, Stage.SIGN, Stage.REPLY)
_PRECISION = timedelta(minutes=1)


# --- deadlines -----------------------------------------------------------------------------------------


def accept_due_for(category, start):
    return add_working_days(start, category.accept_days)


def sign_due_for(category, start):
    return add_working_days(start, category.sign_days)


def reply_due_for(category, priority, start):
    """The reply deadline of a ticket whose reply clock starts at `start`."""
    if priority == Priority.URGENT:
        if not category.urgent_same_day:
            return add_working_days(start, 1)
        return same_working_day_end(start)
    return add_working_days(start, category.effective_reply_days)


def same_working_day_end(moment):
    """End of the working day `moment` falls on, or of the next working day when it falls on a day off."""
    return add_working_days(moment, 0)


# --- clocks --------------------------------------------------------------------------------------------


def stage_running(ticket, stage):
    """Whether a stage's clock runs in the ticket's current status."""
    if stage == Stage.ACCEPT:
        return ticket.status == Status.SUBMITTED
    if stage == Stage.SIGN:
        return ticket.status == Status.ASSIGNED
    return ticket.status in REPLY_CLOCK_STATUSES


def stage_cycle(ticket, stage):
    """Which occurrence of a clock is running: re-dispatches and reopenings start new ones."""
    if stage == Stage.SIGN:
        return ticket.return_count
    if stage == Stage.REPLY:
        return ticket.reopen_count
    return 0


def _working_seconds(start, end):
    value = working_time_between(start, end)
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def threshold_moment(start, due, percent):
    """The moment `percent` % of the working time between `start` and `due` has been used."""
    if percent >= 100 or due <= start:
        return due
    total = _working_seconds(start, due)
    if total <= 0:
        return due
    target = total * percent / 100
    low, high = start, due
    # Working time only grows with the end moment, so bisection finds the first moment reaching the target.
    while high - low > _PRECISION:
        middle = low + (high - low) / 2
        if _working_seconds(start, middle) >= target:
            high = middle
        else:
            low = middle
    return high


def _sent_reminders(ticket):
    return set(TicketReminder.objects.filter(ticket=ticket).values_list("stage", "cycle", "threshold"))


def pending_reminders(ticket, sent=None):
    """``[(moment, stage, cycle, threshold), …]`` of the running clocks' reminders not yet sent, earliest
    first."""
    if not ticket.is_open:
        return []
    sent = _sent_reminders(ticket) if sent is None else sent
    result = []
    for stage in STAGES:
        if not stage_running(ticket, stage):
            continue
        start, due, ended = ticket.stage_window(stage)
        if start is None or due is None or ended is not None:
            continue
        cycle = stage_cycle(ticket, stage)
        for threshold in REMINDER_THRESHOLDS:
            if (stage, cycle, threshold) in sent:
                continue
            result.append((threshold_moment(start, due, threshold), stage, cycle, threshold))
    return sorted(result, key=lambda item: (item[0], item[3]))


def refresh_next_reminder(ticket, *, sent=None):
    """Set ``ticket.next_reminder_at`` (unsaved) to its earliest pending reminder; returns it."""
    pending = pending_reminders(ticket, sent)
    ticket.next_reminder_at = pending[0][0] if pending else None
    return ticket.next_reminder_at


# --- reminders and escalation --------------------------------------------------------------------------

_STAGE_NOUNS = {
    Stage.ACCEPT: _("acceptance"),
    Stage.SIGN: _("signing"),
    Stage.REPLY: _("reply"),
}


def _reminder_recipients(ticket, stage):
    if stage == Stage.ACCEPT or ticket.lead_department_id is None:
        return list(intake_officers_of(ticket))
    if stage == Stage.REPLY and ticket.status == Status.IN_PROGRESS and ticket.assignee_id:
        return [ticket.assignee]
    return [u for u in handlers_of(ticket.lead_department) if not is_recused(u, ticket)]


def _send_reminder(ticket, stage, threshold, due):
    if threshold >= 100:
        title = _t("Ticket %(number)s is overdue for %(stage)s") % {
            "number": ticket.number,
            "stage": _STAGE_NOUNS[stage],
        }
    else:
        title = _t("Ticket %(number)s: %(percent)s%% of the time for %(stage)s used") % {
            "number": ticket.number,
            "percent": threshold,
            "stage": _STAGE_NOUNS[stage],
        }
    body = _t("Deadline: %(due)s") % {"due": timezone.localtime(due).strftime("%Y-%m-%d %H:%M")}
    notify_users(
        _reminder_recipients(ticket, stage), ticket, kind=f"ticket.reminder.{threshold}", title=title, body=body
    )


def _escalate(ticket, stage, cycle, now):
    """Overdue: supervision level + 1, notice to the responsible department's head and the discipline office."""
    before = ticket.supervision_level
    ticket.supervision_level = before + 1
    department = ticket.lead_department if stage != Stage.ACCEPT and ticket.lead_department_id else None
    recipients = list(discipline_officers_of(ticket.park_id))
    if department is not None and department.head_id:
        recipients.append(department.head)
    elif department is None:
        from parks.models import Department

        dispatch = (
            Department.objects.filter(park_id=ticket.park_id, kind=Department.Kind.DISPATCH, head__isnull=False)
            .select_related("head")
            .first()
        )
        if dispatch is not None and not ticket.is_confidential:
            recipients.append(dispatch.head)
    if ticket.is_confidential:
        # Heads outside the discipline office never hear of a confidential ticket.
        recipients = list(discipline_officers_of(ticket.park_id))
    notify_users(
        recipients,
        ticket,
        kind="ticket.escalated",
        title=_t("Ticket %(number)s is overdue and under supervision (level %(level)s)")
        % {"number": ticket.number, "level": ticket.supervision_level},
        body=_t("Stage: %(stage)s") % {"stage": _STAGE_NOUNS[stage]},
    )
    audit(
        ticket,
        "escalated",
        before={"supervision_level": before},
        after={"supervision_level": ticket.supervision_level},
        stage=str(stage),
        cycle=cycle,
        at=now,
    )


def ticket_send_due_reminders(*, ticket_id, now=None):
    """Send the reminders of one ticket that are due at `now`; returns how many were recorded.

    Called by the sweep only (system actor). Skips a ticket another worker holds (``skip_locked``) or whose
    reminder moment has not come. Each (stage, cycle, threshold) is inserted once under the unique
    constraint; when several thresholds of a clock passed while nobody swept, all are recorded but only the
    highest is sent. The 100 % reminder escalates (audit ``ticket.escalated``).
    """
    now = now_or(now)
    with transaction.atomic():
        ticket = (
            Ticket.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("park", "category", "lead_department", "lead_department__head", "assignee")
            .filter(pk=ticket_id, next_reminder_at__lte=now)
            .first()
        )
        if ticket is None:
            return 0
        sent = _sent_reminders(ticket)
        due_now = [item for item in pending_reminders(ticket, sent) if item[0] <= now]
        highest = {}
        recorded = 0
        for _moment, stage, cycle, threshold in due_now:
            try:
                with transaction.atomic():
                    TicketReminder.objects.create(
                        ticket=ticket, stage=stage, cycle=cycle, threshold=threshold, sent_at=now
                    )
            except IntegrityError:
                continue
            sent.add((stage, cycle, threshold))
            recorded += 1
            highest[(stage, cycle)] = max(threshold, highest.get((stage, cycle), 0))
        fields = ["next_reminder_at"]
        for (stage, cycle), threshold in highest.items():
            _start, due, _ended = ticket.stage_window(stage)
            _send_reminder(ticket, stage, threshold, due)
            if threshold >= 100:
                _escalate(ticket, stage, cycle, now)
                fields.append("supervision_level")
        refresh_next_reminder(ticket, sent=sent)
        ticket.save(update_fields=sorted(set(fields)))
    return recorded


def sweep_due_reminders(*, now=None, batch_size=500):
    """Send every reminder due at `now`: reads only tickets with ``next_reminder_at <= now`` (indexed), in
    batches; safe to run twice at once. Returns the number of reminders recorded."""
    now = now_or(now)
    total = 0
    last_pk = 0
    while True:
        # Walking by primary key, not re-reading the head of the queue, so a ticket another worker holds
        # (skipped) is not read again and again.
        ids = list(
            Ticket.objects.filter(next_reminder_at__lte=now, pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return total
        for pk in ids:
            total += ticket_send_due_reminders(ticket_id=pk, now=now)
        last_pk = ids[-1]
