"""Time limits on the work calendar, reminders at 50 / 80 / 100 % exactly once, escalation, frozen clocks."""

from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints import services
from complaints.choices import CategoryKind, Priority, Stage, Status
from complaints.models import Ticket, TicketReminder
from complaints.selectors import ticket_stats_for
from complaints.services.sla import reply_due_for, threshold_moment
from core.audit import events_for
from core.models import Notification
from tests.accounts.factories import UserFactory
from tests.complaints.conftest import SHANGHAI, at, local
from tests.complaints.factories import CategoryFactory


def moment(*args):
    return datetime(*args, tzinfo=SHANGHAI)


# --- deadlines across the National Day holiday 2025 (1–8 Oct off; 28 Sep and 11 Oct worked) ------------


def test_reply_deadline_skips_the_national_day_holiday_and_counts_the_working_saturday(desk):
    ticket = desk.submit(now=moment(2025, 9, 30, 10, 0)).ticket
    ticket = services.ticket_accept(ticket=ticket, actor=desk.w.dispatcher, now=moment(2025, 9, 30, 11, 0))

    # 9, 10, 11 (Saturday, worked), 13, 14 October.
    assert local(ticket.reply_due) == "2025-10-14 23:59"


def test_acceptance_deadline_is_the_first_working_day_after_the_holiday(desk):
    ticket = desk.submit(now=moment(2025, 9, 30, 10, 0)).ticket

    assert local(ticket.accept_due) == "2025-10-09 23:59"


def test_submission_on_the_working_sunday_before_the_holiday_counts_from_the_next_working_day(desk):
    ticket = desk.submit(now=moment(2025, 9, 28, 9, 0)).ticket  # Sunday 28 Sep was worked

    assert local(ticket.accept_due) == "2025-09-29 23:59"


def test_complaints_get_fifteen_working_days(desk):
    due = reply_due_for(desk.complaint, Priority.NORMAL, moment(2025, 9, 30, 10, 0))

    # 9–11, 13–17, 20–24, 27–28 October: the fifteenth working day is 28 October.
    assert local(due) == "2025-10-28 23:59"


def test_category_reply_days_override_the_kind_default(desk):
    category = CategoryFactory(park=desk.park, kind=CategoryKind.COMPLEX, reply_days=2)

    assert local(reply_due_for(category, Priority.NORMAL, moment(2025, 6, 9, 10, 0))) == "2025-06-11 23:59"


def test_urgent_ticket_is_due_the_same_working_day(desk):
    assert local(reply_due_for(desk.general, Priority.URGENT, moment(2025, 9, 30, 10, 0))) == "2025-09-30 23:59"


def test_urgent_ticket_accepted_during_the_holiday_is_due_on_the_first_working_day(desk):
    assert local(reply_due_for(desk.general, Priority.URGENT, moment(2025, 10, 4, 10, 0))) == "2025-10-09 23:59"


def test_urgent_priority_set_on_acceptance_shortens_the_reply_deadline(desk):
    ticket = desk.submit().ticket

    ticket = services.ticket_accept(ticket=ticket, actor=desk.w.dispatcher, priority=Priority.URGENT, now=at(hours=1))

    assert local(ticket.reply_due) == "2025-06-09 23:59"


def test_threshold_moments_follow_working_time_not_calendar_time(db):
    start, due = moment(2025, 9, 30, 12, 0), moment(2025, 10, 9, 12, 0)

    # 12 working hours on 30 Sep, then 12 on 9 Oct: the eight days off in between use none of the time.
    assert local(threshold_moment(start, due, 50)) == "2025-10-01 00:00"
    assert local(threshold_moment(start, due, 75)) == "2025-10-09 06:00"


# --- reminders ------------------------------------------------------------------------------------------
# An accepted general demand: reply clock from Monday 9 June 11:00 to Monday 16 June 23:59 (133 working
# hours): 50 % at Thursday 12 June 05:30, 80 % at Friday 13 June 21:24.


def _reminders(ticket):
    return sorted(TicketReminder.objects.filter(ticket=ticket).values_list("stage", "threshold"))


def test_next_reminder_is_the_fifty_percent_mark_of_the_running_clock(desk):
    ticket = desk.to(Status.ACCEPTED)

    assert local(ticket.next_reminder_at) == "2025-06-12 05:30"


def test_nothing_is_sent_before_the_reminder_is_due(desk):
    desk.to(Status.ACCEPTED)

    assert services.sweep_due_reminders(now=moment(2025, 6, 12, 5, 29)) == 0


def test_fifty_percent_reminder_is_sent_once_even_when_the_sweep_runs_twice(desk):
    ticket = desk.to(Status.ACCEPTED)

    first = services.sweep_due_reminders(now=moment(2025, 6, 12, 5, 32))
    second = services.sweep_due_reminders(now=moment(2025, 6, 12, 5, 33))

    assert (first, second) == (1, 0)
    assert _reminders(ticket) == [(Stage.REPLY, 50)]
    assert Notification.objects.filter(kind="ticket.reminder.50").count() == 1


def test_reminder_goes_to_the_dispatcher_while_the_ticket_is_not_dispatched(desk):
    desk.to(Status.ACCEPTED)

    services.sweep_due_reminders(now=moment(2025, 6, 12, 6, 0))

    assert Notification.objects.get(kind="ticket.reminder.50").recipient == desk.w.dispatcher


def test_reminder_goes_to_the_handler_who_signed(desk):
    desk.to(Status.IN_PROGRESS)

    services.sweep_due_reminders(now=moment(2025, 6, 12, 6, 0))

    assert Notification.objects.get(kind="ticket.reminder.50").recipient == desk.w.handler


def test_sweep_moves_the_next_reminder_to_the_next_threshold(desk):
    ticket = desk.to(Status.ACCEPTED)

    services.sweep_due_reminders(now=moment(2025, 6, 12, 6, 0))

    ticket.refresh_from_db()
    assert local(ticket.next_reminder_at) == "2025-06-13 21:24"


def test_thresholds_passed_while_nobody_swept_are_recorded_but_only_the_highest_is_sent(desk):
    ticket = desk.to(Status.ACCEPTED)

    services.sweep_due_reminders(now=moment(2025, 6, 14, 9, 0))

    assert _reminders(ticket) == [(Stage.REPLY, 50), (Stage.REPLY, 80)]
    assert list(Notification.objects.filter(kind__startswith="ticket.reminder").values_list("kind", flat=True)) == [
        "ticket.reminder.80"
    ]


def test_overdue_ticket_escalates_once_to_the_department_head_and_the_discipline_office(desk):
    head = UserFactory(username="business_head")
    desk.w.business.head = head
    desk.w.business.save()
    ticket = desk.to(Status.IN_PROGRESS)

    services.sweep_due_reminders(now=moment(2025, 6, 17, 9, 0))
    services.sweep_due_reminders(now=moment(2025, 6, 17, 9, 5))

    ticket.refresh_from_db()
    assert ticket.supervision_level == 1
    assert events_for(ticket).filter(action="ticket.escalated").count() == 1
    escalated_to = set(
        Notification.objects.filter(kind="ticket.escalated").values_list("recipient__username", flat=True)
    )
    assert escalated_to == {head.username, desk.w.discipline.username}
    assert ticket.next_reminder_at is None


def test_escalation_event_is_recorded_by_the_system(desk):
    ticket = desk.to(Status.IN_PROGRESS)

    services.sweep_due_reminders(now=moment(2025, 6, 17, 9, 0))

    event = events_for(ticket).get(action="ticket.escalated")
    assert event.actor_kind == "system"
    assert event.data == {
        "before": {"supervision_level": 0},
        "after": {"supervision_level": 1},
        "stage": "reply",
        "cycle": 0,
    }


def test_confidential_ticket_escalates_only_inside_the_discipline_office(desk):
    head = UserFactory(username="dispatch_head")
    desk.w.dispatch.head = head
    desk.w.dispatch.save()
    desk.submit(category=desk.misconduct)

    services.sweep_due_reminders(now=moment(2025, 6, 12, 9, 0))

    recipients = set(Notification.objects.filter(kind="ticket.escalated").values_list("recipient__username", flat=True))
    assert recipients == {desk.w.discipline.username}


def test_signing_clock_reminds_the_lead_department(desk):
    desk.to(Status.ASSIGNED)  # dispatched Monday 12:00, sign by Tuesday 23:59: 50 % at Tuesday 06:00

    services.sweep_due_reminders(now=moment(2025, 6, 10, 6, 1))

    assert Notification.objects.filter(kind="ticket.reminder.50", recipient=desk.w.handler).exists()
    assert TicketReminder.objects.filter(stage=Stage.SIGN, threshold=50).exists()


def test_redispatch_starts_a_new_signing_clock_with_its_own_reminders(desk):
    ticket = desk.to(Status.ASSIGNED)
    services.sweep_due_reminders(now=moment(2025, 6, 10, 6, 1))
    request = services.ticket_return(
        ticket=ticket, actor=desk.w.handler, reason="不属于本部门", now=moment(2025, 6, 10, 8)
    )
    services.ticket_return_decide(
        return_request=request, actor=desk.w.dispatcher, reason="属于你部门", now=moment(2025, 6, 10, 9)
    )

    services.sweep_due_reminders(now=moment(2025, 6, 11, 6, 0))

    assert sorted(TicketReminder.objects.filter(stage=Stage.SIGN).values_list("cycle", "threshold")) == [
        (0, 50),
        (1, 50),
    ]


# --- frozen clocks ------------------------------------------------------------------------------------


def test_reply_ends_the_clock_and_no_reminder_follows(desk):
    ticket = desk.to(Status.REPLIED)

    assert services.sweep_due_reminders(now=moment(2025, 6, 30, 9, 0)) == 0
    assert _reminders(ticket) == []


def test_on_time_figures_do_not_change_after_the_stage_ended(desk):
    desk.to(Status.CLOSED)
    before = ticket_stats_for(desk.w.dispatcher, now=at(days=3))

    after = ticket_stats_for(desk.w.dispatcher, now=at(days=300))

    assert before["on_time_rate"] == after["on_time_rate"] == 100.0


def test_open_overdue_ticket_counts_as_late(desk):
    desk.to(Status.CLOSED)
    desk.to(Status.IN_PROGRESS)

    stats = ticket_stats_for(desk.w.dispatcher, now=moment(2025, 6, 20, 9, 0))

    assert stats["on_time_rate"] == 50.0
    assert stats["overdue"] == 1


def test_reopened_ticket_gets_a_new_reply_clock_with_its_own_reminders(desk):
    ticket = desk.to(Status.REPLIED)
    services.ticket_reject_answer(ticket=ticket, actor=desk.w.enterprise_user, reason="没有解决", now=at(days=2))

    services.sweep_due_reminders(now=moment(2025, 6, 30, 9, 0))

    assert sorted(TicketReminder.objects.filter(ticket=ticket).values_list("cycle", "threshold")) == [
        (1, 50),
        (1, 80),
        (1, 100),
    ]


def test_approved_extension_moves_the_next_reminder(desk):
    ticket = desk.to(Status.IN_PROGRESS)
    request = services.ticket_extension_request(
        ticket=ticket,
        actor=desk.w.handler,
        reason="需现场踏勘",
        requested_due=moment(2025, 6, 27, 23, 59),
        now=at(hours=4),
    )
    before = Ticket.objects.get(pk=ticket.pk).next_reminder_at

    services.ticket_extension_decide(extension=request, actor=desk.w.dispatcher, approve=True, now=at(hours=5))

    assert Ticket.objects.get(pk=ticket.pk).next_reminder_at > before


# --- cost ---------------------------------------------------------------------------------------------


def test_sweep_reads_only_due_tickets(desk):
    due = desk.to(Status.ACCEPTED)
    now = moment(2025, 6, 12, 6, 0)
    with CaptureQueriesContext(connection) as alone:
        services.sweep_due_reminders(now=now)
    # The same due ticket again, now among twenty whose first reminder is weeks away.
    TicketReminder.objects.all().delete()
    Ticket.objects.filter(pk=due.pk).update(next_reminder_at=moment(2025, 6, 12, 5, 30))
    for _ in range(20):
        desk.submit(now=moment(2025, 6, 30, 10, 0))

    with CaptureQueriesContext(connection) as among_many:
        services.sweep_due_reminders(now=now)

    assert len(among_many) == len(alone)


@pytest.mark.parametrize("status", [Status.REJECTED, Status.MERGED, Status.CLOSED])
def test_final_tickets_have_no_next_reminder(desk, status):
    assert desk.to(status).next_reminder_at is None
