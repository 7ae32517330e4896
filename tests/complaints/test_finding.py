"""A substantiated answer brings the review of the department's integrity risks forward (DESIGN §7)."""

import datetime as dt

import pytest
from django.utils import timezone

from complaints.choices import Finding
from complaints.services import ticket_reply
from core.errors import DomainError
from integrity.choices_risk import PullForwardReason
from tests.complaints.factories import TicketFactory
from tests.integrity.factories_risk import IntegrityRiskFactory


def _ticket_in_progress(world):
    from complaints.choices import Status

    return TicketFactory(
        park=world.park,
        status=Status.IN_PROGRESS,
        lead_department=world.business,
        reply_due=timezone.now() + dt.timedelta(days=3),
    )


def _risk(world):
    return IntegrityRiskFactory(
        park=world.park,
        department=world.business,
        review_due_date=timezone.localdate() + dt.timedelta(days=120),
    )


@pytest.mark.django_db
def test_a_substantiated_reply_brings_the_departments_risk_review_forward(world_a):
    risk = _risk(world_a)
    ticket = _ticket_in_progress(world_a)

    ticket_reply(ticket=ticket, actor=world_a.handler, reply="已查实并整改。", finding=Finding.SUBSTANTIATED)

    risk.refresh_from_db()
    ticket.refresh_from_db()
    assert ticket.finding == Finding.SUBSTANTIATED
    assert risk.review_due_date == timezone.localdate()
    assert risk.review_pulled_reason == PullForwardReason.COMPLAINT_SUBSTANTIATED
    assert ticket.number in risk.review_pulled_note


@pytest.mark.django_db
@pytest.mark.parametrize("finding", [Finding.NOT_STATED, Finding.UNSUBSTANTIATED])
def test_an_unsubstantiated_reply_leaves_the_risk_review_where_it_was(world_a, finding):
    risk = _risk(world_a)
    due = risk.review_due_date

    ticket_reply(ticket=_ticket_in_progress(world_a), actor=world_a.handler, reply="经核实不属实。", finding=finding)

    risk.refresh_from_db()
    assert risk.review_due_date == due


@pytest.mark.django_db
def test_an_unknown_finding_is_refused_and_changes_nothing(world_a):
    ticket = _ticket_in_progress(world_a)

    with pytest.raises(DomainError):
        ticket_reply(ticket=ticket, actor=world_a.handler, reply="答复", finding="maybe")

    ticket.refresh_from_db()
    assert ticket.replied_at is None
