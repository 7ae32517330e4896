"""Services of the 三重一大 register: who may record (and who is refused, with nothing written), the checks
on every input, the audit rows with before and after, and the discipline office told of new flags."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.attachments import attachments_for
from core.errors import Conflict, DomainError, PermissionDenied
from core.models import AuditEvent, Notification
from integrity.choices_decisions import Attendance, BodyKind, DecisionKind, MeetingType, Outcome, Position
from integrity.models import CollectiveDecision, DecisionBody, FundPayment, Meeting
from integrity.services import decisions as services
from tests.integrity.factories_decisions import decide, hold_meeting, make_body

TODAY = timezone.localdate()


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


# --- who may record ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["discipline", "park_admin"])
def test_the_parks_discipline_officers_and_administrators_record_the_register(world_a, role):
    body = services.decision_body_create(
        park=world_a.park, name="党工委会议", kind=BodyKind.PARTY_COMMITTEE, actor=getattr(world_a, role)
    )

    assert body.pk and events("decision_body.created")[0].actor_id == getattr(world_a, role).pk


def test_a_platform_administrator_records_any_park(world_a, platform_admin):
    assert services.decision_body_create(
        park=world_a.park, name="管委会主任办公会", kind=BodyKind.DIRECTOR_OFFICE, actor=platform_admin
    )


@pytest.mark.parametrize("role", ["auditor", "handler", "dispatcher", "enterprise_user"])
def test_everyone_else_is_refused_and_nothing_is_written(world_a, role):
    with pytest.raises(PermissionDenied):
        services.decision_body_create(
            park=world_a.park, name="党工委会议", kind=BodyKind.PARTY_COMMITTEE, actor=getattr(world_a, role)
        )

    assert not DecisionBody.objects.exists() and not AuditEvent.objects.filter(action__startswith="decision").exists()


def test_the_discipline_officer_of_another_park_cannot_record_a_meeting(world_a, world_b):
    body = make_body(world_a, members=3)

    with pytest.raises(PermissionDenied):
        services.meeting_create(body=body, actor=world_b.discipline, meeting_type=MeetingType.REGULAR, held_on=TODAY)

    assert not Meeting.objects.exists()


def test_the_discipline_officer_of_another_park_cannot_record_votes(world_a, world_b):
    body = make_body(world_a, members=3)
    meeting = hold_meeting(world_a, body, present=3)
    decision = decide(world_a, meeting, in_favour=0)
    member = body.members.first()

    with pytest.raises(PermissionDenied):
        services.decision_record_votes(
            decision=decision, actor=world_b.discipline, votes=[{"member": member, "position": Position.FOR}]
        )

    assert not decision.votes.exists()


def test_an_auditor_cannot_record_a_payment(world_a):
    with pytest.raises(PermissionDenied):
        services.fund_payment_record(
            park=world_a.park, actor=world_a.auditor, payee="x", amount=1, paid_on=TODAY, purpose="y"
        )

    assert not FundPayment.objects.exists()


# --- audit rows ---------------------------------------------------------------------------------------------------


def test_recording_a_meeting_its_attendance_items_and_votes_writes_the_trail(world_a):
    body = make_body(world_a, members=3)
    meeting = hold_meeting(world_a, body, present=2, number="2026年第1次")
    decide(world_a, meeting, in_favour=2, kind=DecisionKind.LARGE_FUNDS, amount=Decimal("800000"))

    recorded = events("meeting.recorded")[0]
    attendance = events("meeting.attendance_recorded")[0]
    item = events("collective_decision.recorded")[0]
    votes = events("collective_decision.votes_recorded")[0]

    assert recorded.data["after"]["number"] == "2026年第1次" and recorded.park_id == world_a.park.pk
    assert [c["after"]["status"] for c in attendance.data["changes"]] == ["present", "present", "absent"]
    assert item.data["after"]["amount"] == "800000.00" and item.data["after"]["kind"] == "large_funds"
    assert [c["after"]["position"] for c in votes.data["changes"]] == ["for", "for"]
    assert len(events("decision_body.member_added")) == 3


def test_a_correction_records_only_what_changed_before_and_after(world_a):
    body = make_body(world_a, members=3)
    meeting = hold_meeting(world_a, body, present=3)
    decision = decide(world_a, meeting, in_favour=3)

    services.decision_update(
        decision=decision, actor=world_a.park_admin, title="调整后的标题", outcome=Outcome.DEFERRED
    )

    event = events("collective_decision.updated")[0]
    assert event.data["before"] == {"title": "园区年度重点工作安排", "outcome": "adopted"}
    assert event.data["after"] == {"title": "调整后的标题", "outcome": "deferred"}


def test_setting_a_threshold_records_the_amount_before_and_after(world_a):
    services.decision_threshold_set(park=world_a.park, amount=Decimal("800000"), actor=world_a.park_admin)
    services.decision_threshold_set(park=world_a.park, amount=Decimal("1000000"), actor=world_a.discipline)

    first, second = events("decision_threshold.set")
    assert first.data["before"] == {"amount": None} and first.data["after"] == {"amount": "800000.00"}
    assert second.data["before"] == {"amount": "800000.00"} and second.data["after"] == {"amount": "1000000.00"}


def test_minutes_are_attached_through_core_attachments(world_a):
    body = make_body(world_a, members=3)
    meeting = hold_meeting(world_a, body, present=3)
    minutes = SimpleUploadedFile("纪要.txt", "会议纪要：同意。".encode(), content_type="text/plain")

    services.meeting_attach_minutes(meeting=meeting, actor=world_a.discipline, files=[minutes])

    assert [a.original_name for a in attachments_for(meeting)] == ["纪要.txt"]
    assert events("meeting.minutes_attached")[0].data["after"]["files"][0]["name"] == "纪要.txt"


# --- input checks -------------------------------------------------------------------------------------------------


def test_an_absence_needs_a_reason(world_a):
    body = make_body(world_a, members=3)
    meeting = services.meeting_create(body=body, actor=world_a.discipline, meeting_type="regular", held_on=TODAY)

    with pytest.raises(DomainError) as refused:
        services.meeting_record_attendance(
            meeting=meeting,
            actor=world_a.discipline,
            entries=[{"member": body.members.first(), "status": Attendance.ABSENT, "reason": ""}],
        )

    assert refused.value.code == "reason_required" and not meeting.attendance.exists()


def test_a_member_of_another_body_cannot_be_recorded_at_the_meeting(world_a):
    body = make_body(world_a, members=3)
    other = make_body(world_a, members=1, name="主任办公会")
    meeting = services.meeting_create(body=body, actor=world_a.discipline, meeting_type="regular", held_on=TODAY)

    with pytest.raises(DomainError) as refused:
        services.meeting_record_attendance(
            meeting=meeting,
            actor=world_a.discipline,
            entries=[{"member": other.members.first(), "status": Attendance.PRESENT}],
        )

    assert refused.value.code == "not_entitled"


def test_only_members_present_vote(world_a):
    body = make_body(world_a, members=3)
    meeting = hold_meeting(world_a, body, present=2)
    decision = decide(world_a, meeting, in_favour=0)
    absent = body.members.order_by("id").last()

    with pytest.raises(DomainError) as refused:
        services.decision_record_votes(
            decision=decision, actor=world_a.discipline, votes=[{"member": absent, "position": Position.FOR}]
        )

    assert refused.value.code == "not_present" and not decision.votes.exists()


def test_an_absent_member_may_be_recorded_as_recused_with_the_reason(world_a):
    body = make_body(world_a, members=3)
    meeting = hold_meeting(world_a, body, present=2)
    decision = decide(world_a, meeting, in_favour=0)
    absent = body.members.order_by("id").last()

    services.decision_record_votes(
        decision=decision,
        actor=world_a.discipline,
        votes=[{"member": absent, "position": Position.RECUSED, "statement": "与投资方存在亲属关系"}],
    )

    assert decision.votes.get().position == Position.RECUSED


@pytest.mark.parametrize(
    ("position", "code"), [(Position.AGAINST, "dissent_required"), (Position.RECUSED, "reason_required")]
)
def test_a_vote_against_needs_the_dissent_and_a_recusal_its_reason(world_a, position, code):
    body = make_body(world_a, members=3)
    meeting = hold_meeting(world_a, body, present=3)
    decision = decide(world_a, meeting, in_favour=0)

    with pytest.raises(DomainError) as refused:
        services.decision_record_votes(
            decision=decision,
            actor=world_a.discipline,
            votes=[{"member": body.members.first(), "position": position, "statement": "  "}],
        )

    assert refused.value.code == code


def test_a_member_who_voted_cannot_be_marked_absent(world_a):
    body = make_body(world_a, members=3)
    meeting = hold_meeting(world_a, body, present=3)
    decide(world_a, meeting, in_favour=1)
    voter = body.members.order_by("id").first()

    with pytest.raises(Conflict):
        services.meeting_record_attendance(
            meeting=meeting,
            actor=world_a.discipline,
            entries=[{"member": voter, "status": Attendance.ABSENT, "reason": "请假"}],
        )


@pytest.mark.parametrize(
    ("kind", "amount", "code"),
    [
        (DecisionKind.LARGE_FUNDS, None, "required"),
        (DecisionKind.MAJOR_PROJECT, None, "required"),
        (DecisionKind.APPOINTMENT, Decimal("1"), "amount_not_allowed"),
        (DecisionKind.LARGE_FUNDS, Decimal("-1"), "invalid_amount"),
        (DecisionKind.LARGE_FUNDS, Decimal("1.001"), "invalid_amount"),
    ],
)
def test_the_amount_of_an_item_follows_its_kind(world_a, kind, amount, code):
    body = make_body(world_a, members=3)
    meeting = hold_meeting(world_a, body, present=3)

    with pytest.raises(DomainError) as refused:
        services.decision_record(
            meeting=meeting, actor=world_a.discipline, kind=kind, title="事项", outcome=Outcome.ADOPTED, amount=amount
        )

    assert refused.value.code == code and refused.value.field == "amount"
    assert not CollectiveDecision.objects.exists()


def test_items_are_numbered_in_agenda_order(world_a):
    body = make_body(world_a, members=3)
    meeting = hold_meeting(world_a, body, present=3)

    numbers = [decide(world_a, meeting, in_favour=3, title=f"事项{n}").item_number for n in range(3)]

    assert numbers == [1, 2, 3]


def test_a_meeting_cannot_be_dated_in_the_future(world_a):
    body = make_body(world_a, members=3)

    with pytest.raises(DomainError) as refused:
        services.meeting_create(
            body=body, actor=world_a.discipline, meeting_type="regular", held_on=TODAY + dt.timedelta(days=1)
        )

    assert refused.value.field == "held_on"


def test_the_agenda_cannot_be_notified_after_the_meeting(world_a):
    body = make_body(world_a, members=3)

    with pytest.raises(DomainError) as refused:
        services.meeting_create(
            body=body,
            actor=world_a.discipline,
            meeting_type="regular",
            held_on=TODAY - dt.timedelta(days=2),
            agenda_notified_on=TODAY,
        )

    assert refused.value.code == "notice_after_meeting"


def test_an_inactive_body_takes_no_meeting(world_a):
    body = make_body(world_a, members=3)
    services.decision_body_update(body=body, actor=world_a.park_admin, active=False)

    with pytest.raises(Conflict):
        services.meeting_create(body=body, actor=world_a.discipline, meeting_type="regular", held_on=TODAY)


def test_a_person_cannot_hold_two_overlapping_seats_on_one_body(world_a):
    body = make_body(world_a, members=0)
    services.body_member_add(
        body=body, actor=world_a.discipline, user=world_a.park_admin, post="主任", from_date=dt.date(2024, 1, 1)
    )

    with pytest.raises(DomainError) as refused:
        services.body_member_add(
            body=body, actor=world_a.discipline, user=world_a.park_admin, post="副主任", from_date=dt.date(2025, 1, 1)
        )

    assert refused.value.code == "overlapping_seat"


def test_a_member_must_be_an_official_of_the_park(world_a, world_b):
    body = make_body(world_a, members=0)

    with pytest.raises(DomainError) as refused:
        services.body_member_add(
            body=body, actor=world_a.discipline, user=world_b.park_admin, post="主任", from_date=TODAY
        )

    assert refused.value.field == "user"


def test_a_seat_cannot_end_before_a_meeting_where_the_member_is_recorded(world_a):
    body = make_body(world_a, members=3)
    hold_meeting(world_a, body, present=3, held_on=TODAY - dt.timedelta(days=5))

    with pytest.raises(Conflict):
        services.body_member_end(
            member=body.members.first(), actor=world_a.discipline, to_date=TODAY - dt.timedelta(days=10)
        )


def test_a_payment_cannot_rest_on_a_decision_of_another_park(world_a, world_b):
    body = make_body(world_b, members=3)
    meeting = hold_meeting(world_b, body, present=3)
    decision = decide(world_b, meeting, in_favour=3, kind=DecisionKind.LARGE_FUNDS, amount=Decimal("900000"))

    with pytest.raises(DomainError) as refused:
        services.fund_payment_record(
            park=world_a.park,
            actor=world_a.discipline,
            payee="x",
            amount=Decimal("900000"),
            paid_on=TODAY,
            purpose="y",
            decision=decision,
        )

    assert refused.value.field == "decision" and not FundPayment.objects.exists()


# --- the discipline office told of new flags -----------------------------------------------------------------------


def flag_notices(user):
    return list(Notification.objects.filter(recipient=user, kind="decision_flag.raised"))


def test_an_item_raised_without_notice_by_the_park_office_is_reported_to_the_discipline_office(world_a):
    body = make_body(world_a, members=3, actor=world_a.park_admin)
    meeting = hold_meeting(world_a, body, present=3, actor=world_a.park_admin)

    decide(world_a, meeting, in_favour=3, notified_in_advance=False, actor=world_a.park_admin, title="临时追加预算")

    notices = flag_notices(world_a.discipline)
    assert len(notices) == 1 and "临时追加预算" in notices[0].title


def test_a_payment_over_the_threshold_without_a_decision_is_reported_once(world_a):
    payment = services.fund_payment_record(
        park=world_a.park, actor=world_a.park_admin, payee="x", amount=Decimal("700000"), paid_on=TODAY, purpose="y"
    )
    services.fund_payment_link_decision(payment=payment, actor=world_a.park_admin, decision=None)

    assert len(flag_notices(world_a.discipline)) == 1


def test_a_quorum_lost_by_a_correction_is_reported(world_a):
    body = make_body(world_a, members=3, actor=world_a.park_admin)
    meeting = hold_meeting(world_a, body, present=3, actor=world_a.park_admin)
    assert flag_notices(world_a.discipline) == []

    members = list(body.members.order_by("id"))[:2]
    services.meeting_record_attendance(
        meeting=meeting,
        actor=world_a.park_admin,
        entries=[{"member": m, "status": Attendance.ABSENT, "reason": "出差"} for m in members],
    )

    assert len(flag_notices(world_a.discipline)) == 1


def test_an_item_adopted_without_a_majority_is_reported_when_the_positions_are_recorded(world_a):
    body = make_body(world_a, members=4, actor=world_a.park_admin)
    meeting = hold_meeting(world_a, body, present=4, actor=world_a.park_admin)

    decide(world_a, meeting, in_favour=2, actor=world_a.park_admin, title="园区平台公司增资")

    notices = flag_notices(world_a.discipline)
    assert len(notices) == 1 and "园区平台公司增资" in notices[0].title
