"""The Celery tasks: thin, idempotent, safe to run twice at once (the PostgreSQL test runs two sweeps in two
connections at the same moment)."""

import threading
from datetime import datetime

import pytest
from django.db import connection

from complaints import tasks
from complaints.choices import Status
from complaints.models import Ticket, TicketReminder
from core.models import Notification
from portal.schedules import BEAT_SCHEDULE
from tests.complaints.conftest import SHANGHAI, Desk


def test_beat_runs_both_complaint_sweeps():
    scheduled = {entry["task"] for entry in BEAT_SCHEDULE.values()}

    assert {"complaints.tasks.sweep_due_reminders", "complaints.tasks.sweep_unrouted_tickets"} <= scheduled


def test_sweep_task_sends_due_reminders(desk, time_machine):
    ticket = desk.to(Status.ACCEPTED)
    time_machine.move_to(datetime(2025, 6, 12, 6, 0, tzinfo=SHANGHAI), tick=False)

    assert tasks.sweep_due_reminders() == 1
    assert TicketReminder.objects.filter(ticket=ticket, threshold=50).exists()


def test_unrouted_sweep_task_routes_what_a_lost_message_left(desk, time_machine, django_capture_on_commit_callbacks):
    ticket = desk.submit().ticket
    time_machine.move_to(datetime(2025, 6, 9, 10, 30, tzinfo=SHANGHAI), tick=False)

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep_unrouted_tickets() == 1

    assert Ticket.objects.get(pk=ticket.pk).routed_at is not None


def test_route_task_for_a_missing_ticket_does_nothing(db):
    assert tasks.route_ticket(987654) is False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_reminder_exactly_once(world_a):
    desk = Desk(world_a)
    tickets = [desk.to(Status.IN_PROGRESS) for _ in range(12)]
    now = datetime(2025, 6, 14, 9, 0, tzinfo=SHANGHAI)  # 50 % and 80 % of every reply clock are due
    barrier = threading.Barrier(2)
    errors = []

    def sweep():
        try:
            barrier.wait()
            from complaints.services import sweep_due_reminders

            sweep_due_reminders(now=now)
        except Exception as exc:  # collected and asserted below: a thread cannot fail the test itself
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert TicketReminder.objects.filter(ticket__in=tickets).count() == 2 * len(tickets)
    assert Notification.objects.filter(kind="ticket.reminder.80").count() == len(tickets)
    assert Notification.objects.filter(kind="ticket.reminder.50").count() == 0
