"""`manage.py seed_complaints_demo` on top of `manage.py seed_demo`: a year of tickets in every status,
driven through the services, answer lists, an intact audit trail — and a second run that changes nothing."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from complaints.choices import Status
from complaints.models import AnswerBatch, Category, RoutingRule, Ticket
from core.audit import verify_chains
from core.models import AuditEvent, Notification
from parks.models import Department

TODAY = datetime(2025, 12, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
PER_PARK = 40


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """The demo seeded once for the module, inside a transaction rolled back at its end; each test runs in
    a savepoint of it (pytest-django's `db`), so the tests cannot disturb each other."""
    with django_db_blocker.unblock(), transaction.atomic():
        with time_machine.travel(TODAY, tick=False):
            call_command("seed_demo", verbosity=0)
            notifications_before = Notification.objects.count()
            call_command("seed_complaints_demo", tickets=PER_PARK, verbosity=0)
        yield notifications_before
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_once, db):
    return seeded_once


def counts():
    return (
        Ticket.objects.count(),
        AuditEvent.objects.count(),
        Category.objects.count(),
        RoutingRule.objects.count(),
        AnswerBatch.objects.count(),
        get_user_model().objects.count(),
    )


def test_every_park_gets_a_year_of_tickets(seeded):
    per_park = dict(Ticket.objects.values_list("park__code").annotate(n=Count("pk")).order_by())

    assert per_park == {"yzw": PER_PARK, "lx": PER_PARK, "qz": PER_PARK}
    first, last = Ticket.objects.order_by("created_at").first(), Ticket.objects.order_by("created_at").last()
    assert (last.created_at - first.created_at).days > 270


def test_tickets_are_filed_in_office_hours_of_the_park(seeded):
    hours = {timezone.localtime(t.created_at).hour for t in Ticket.objects.all()}

    assert hours <= set(range(8, 18))


def test_tickets_are_in_every_status(seeded):
    assert set(Ticket.objects.values_list("status", flat=True)) == set(Status.values)


def test_every_ticket_has_a_trail_that_starts_with_its_submission(seeded):
    for ticket in Ticket.objects.all():
        first = AuditEvent.objects.filter(target_type="complaints.ticket", target_id=str(ticket.pk)).order_by("seq")
        assert first.first().action == "ticket.submitted"
        assert first.first().created_at == ticket.created_at


def test_seeded_audit_trail_verifies(seeded):
    assert list(verify_chains()) == []


def test_confidential_reports_are_handled_by_the_discipline_office_only(seeded):
    confidential = Ticket.objects.filter(is_confidential=True, lead_department__isnull=False)

    assert confidential.exists()
    assert set(confidential.values_list("lead_department__kind", flat=True)) == {Department.Kind.DISCIPLINE}


def test_answer_lists_are_published(seeded):
    titles = set(AnswerBatch.objects.filter(park__code="yzw").values_list("title", flat=True))

    assert "第一批企业诉求解答清单及整改措施" in titles


def test_past_events_leave_no_notification_in_todays_bells(seeded):
    assert Notification.objects.count() == seeded


def test_second_run_changes_nothing(seeded):
    before = counts()

    with time_machine.travel(TODAY, tick=False):
        call_command("seed_complaints_demo", tickets=PER_PARK, verbosity=0)

    assert counts() == before


def test_without_parks_it_says_to_run_seed_demo_first(db):
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("seed_complaints_demo", parks="nowhere", verbosity=0)
