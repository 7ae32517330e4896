"""Every action of the transitions table from every status: allowed ones change the status as the table
says and write their audit event; forbidden ones raise a DomainError, change nothing and write nothing."""

from datetime import timedelta

import pytest
from django.forms.models import model_to_dict

from complaints import services
from complaints.choices import TRANSITIONS, Status
from complaints.models import Ticket
from core.audit import events_for
from core.errors import Conflict, DomainError
from tests.complaints.conftest import at

ACTIONS = {
    # action: (audit verb, call(desk, ticket))
    "accept": ("accepted", lambda d, t: services.ticket_accept(ticket=t, actor=d.w.dispatcher, now=at(hours=5))),
    "reject": (
        "rejected",
        lambda d, t: services.ticket_reject(ticket=t, actor=d.w.dispatcher, reason="重复反映", now=at(hours=5)),
    ),
    "merge": (
        "merged",
        lambda d, t: services.ticket_merge(
            ticket=t, into=d.submit(subject="原件").ticket, actor=d.w.dispatcher, now=at(hours=5)
        ),
    ),
    "dispatch": (
        "dispatched",
        lambda d, t: services.ticket_dispatch(ticket=t, actor=d.w.dispatcher, department=d.w.business, now=at(hours=5)),
    ),
    "return": (
        "returned",
        lambda d, t: services.ticket_return(ticket=t, actor=d.w.handler, reason="不属于本部门", now=at(hours=5)),
    ),
    "sign": ("signed", lambda d, t: services.ticket_sign(ticket=t, actor=d.w.handler, now=at(hours=5))),
    "extension_request": (
        "extension_requested",
        lambda d, t: services.ticket_extension_request(
            ticket=t,
            actor=d.w.handler,
            reason="需会同规划部门核实",
            requested_due=(t.reply_due or at(days=5)) + timedelta(days=5),
            now=at(hours=5),
        ),
    ),
    "reply": (
        "replied",
        lambda d, t: services.ticket_reply(ticket=t, actor=d.w.handler, reply="已处理", now=at(hours=5)),
    ),
    "confirm": (
        "confirmed",
        lambda d, t: services.ticket_confirm(ticket=t, actor=d.w.enterprise_user, satisfaction=4, now=at(days=3)),
    ),
    "reject_answer": (
        "reopened",
        lambda d, t: services.ticket_reject_answer(
            ticket=t, actor=d.w.enterprise_user, reason="补贴金额不对", now=at(days=3)
        ),
    ),
    "followup": (
        "followed_up",
        lambda d, t: services.ticket_followup_record(ticket=t, actor=d.w.dispatcher, satisfaction=3, now=at(days=14)),
    ),
    "supervise": (
        "supervised",
        lambda d, t: services.ticket_supervise(ticket=t, actor=d.w.discipline, note="请加快办理", now=at(hours=5)),
    ),
}

ALL_STATUSES = list(Status)
ALLOWED = [(a, s) for a in ACTIONS for s in ALL_STATUSES if s in TRANSITIONS[a][0]]
FORBIDDEN = [(a, s) for a in ACTIONS for s in ALL_STATUSES if s not in TRANSITIONS[a][0]]


def _state(ticket):
    row = Ticket.objects.get(pk=ticket.pk)
    values = model_to_dict(row, exclude=["co_departments", "suggested_co_departments"])
    values.pop("updated_at", None)
    return values


@pytest.mark.parametrize(("action", "status"), ALLOWED, ids=[f"{a}-from-{s}" for a, s in ALLOWED])
def test_allowed_transition_moves_the_status_and_records_its_audit_event(desk, action, status):
    ticket = desk.to(status)
    verb, call = ACTIONS[action]

    call(desk, ticket)

    ticket.refresh_from_db()
    expected = TRANSITIONS[action][1] or status
    assert ticket.status == expected
    event = list(events_for(ticket))[-1]
    assert event.action == f"ticket.{verb}"
    if TRANSITIONS[action][1] is not None and expected != status:
        assert event.data["before"]["status"] == status
        assert event.data["after"]["status"] == expected


@pytest.mark.parametrize(("action", "status"), FORBIDDEN, ids=[f"{a}-from-{s}" for a, s in FORBIDDEN])
def test_forbidden_transition_is_refused_and_changes_nothing(desk, action, status):
    ticket = desk.to(status)
    before = _state(ticket)
    events_before = events_for(ticket).count()
    _verb, call = ACTIONS[action]

    with pytest.raises(DomainError):
        call(desk, ticket)

    assert _state(ticket) == before
    assert events_for(ticket).count() == events_before


@pytest.mark.parametrize("status", [Status.ACCEPTED, Status.IN_PROGRESS, Status.CLOSED])
def test_a_forbidden_transition_by_an_entitled_actor_is_a_conflict_with_a_clear_message(desk, status):
    ticket = desk.to(status)

    with pytest.raises(Conflict) as raised:
        services.ticket_accept(ticket=ticket, actor=desk.w.dispatcher, now=at(hours=5))

    assert raised.value.code == "transition_not_allowed"
    assert ticket.number in str(raised.value)


@pytest.mark.parametrize(
    ("action", "status", "call"),
    [
        ("reject", Status.SUBMITTED, lambda d, t: services.ticket_reject(ticket=t, actor=d.w.dispatcher, reason=" ")),
        ("return", Status.ASSIGNED, lambda d, t: services.ticket_return(ticket=t, actor=d.w.handler, reason="")),
        (
            "reject_answer",
            Status.REPLIED,
            lambda d, t: services.ticket_reject_answer(ticket=t, actor=d.w.enterprise_user, reason=""),
        ),
        (
            "supervise",
            Status.IN_PROGRESS,
            lambda d, t: services.ticket_supervise(ticket=t, actor=d.w.discipline, note=""),
        ),
    ],
)
def test_a_missing_reason_is_refused_and_changes_nothing(desk, action, status, call):
    ticket = desk.to(status)
    before = _state(ticket)
    events_before = events_for(ticket).count()

    with pytest.raises(DomainError) as raised:
        call(desk, ticket)

    assert raised.value.code == "required"
    assert _state(ticket) == before
    assert events_for(ticket).count() == events_before


def test_return_decisions_exist_only_for_a_returned_ticket(desk):
    request = services.ticket_return(
        ticket=desk.to(Status.ASSIGNED), actor=desk.w.handler, reason="应由规划部门办理", now=at(hours=5)
    )
    services.ticket_return_decide(
        return_request=request, actor=desk.w.dispatcher, reason="职责在你部门", now=at(hours=6)
    )

    with pytest.raises(Conflict):
        services.ticket_return_decide(return_request=request, actor=desk.w.dispatcher, reason="再次", now=at(hours=7))
