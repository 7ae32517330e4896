"""Factories and helpers of the 三重一大 register's tests. Factories write rows directly, for a test's starting
state; the helpers (`make_body`, `hold_meeting`, `decide`) go through the services, as behaviour under test
does."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from integrity import models
from integrity.choices_decisions import Attendance, BodyKind, DecisionKind, MeetingType, Outcome, Position
from integrity.services import decisions as services
from tests.parks.factories import ParkFactory


class DecisionThresholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.DecisionThreshold

    park = factory.SubFactory(ParkFactory)
    kind = ""
    amount = Decimal("500000")


class DecisionBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.DecisionBody

    park = factory.SubFactory(ParkFactory)
    name = factory.Sequence(lambda n: f"党工委会议{n}")
    kind = BodyKind.PARTY_COMMITTEE


class DecisionBodyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.DecisionBodyMember

    body = factory.SubFactory(DecisionBodyFactory)
    name = factory.Sequence(lambda n: f"委员{n}")
    post = "党工委委员"
    from_date = dt.date(2020, 1, 1)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Meeting

    body = factory.SubFactory(DecisionBodyFactory)
    park = factory.LazyAttribute(lambda o: o.body.park)
    meeting_type = MeetingType.REGULAR
    held_on = factory.LazyFunction(timezone.localdate)


class MeetingAttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.MeetingAttendance

    meeting = factory.SubFactory(MeetingFactory)
    member = factory.LazyAttribute(lambda o: DecisionBodyMemberFactory(body=o.meeting.body))
    status = Attendance.PRESENT


class CollectiveDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CollectiveDecision

    meeting = factory.SubFactory(MeetingFactory)
    park = factory.LazyAttribute(lambda o: o.meeting.park)
    kind = DecisionKind.MAJOR_DECISION
    title = "园区年度重点工作安排"
    outcome = Outcome.ADOPTED


class DecisionVoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.DecisionVote

    decision = factory.SubFactory(CollectiveDecisionFactory)
    member = factory.LazyAttribute(lambda o: DecisionBodyMemberFactory(body=o.decision.meeting.body))
    position = Position.FOR


class FundPaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FundPayment

    park = factory.SubFactory(ParkFactory)
    payee = "某建设工程有限公司"
    amount = Decimal("100000")
    paid_on = factory.LazyFunction(timezone.localdate)
    purpose = "工程进度款"


# --- through the services --------------------------------------------------------------------------------------


def make_body(world, *, members=6, actor=None, name="党工委会议", from_date=dt.date(2020, 1, 1)):
    """A body of the world's park with `members` seats (names only), through the services."""
    actor = actor or world.discipline
    body = services.decision_body_create(park=world.park, name=name, kind=BodyKind.PARTY_COMMITTEE, actor=actor)
    for n in range(members):
        services.body_member_add(body=body, actor=actor, name=f"委员{n + 1}", post="党工委委员", from_date=from_date)
    return body


def hold_meeting(world, body, *, present, held_on=None, actor=None, **values):
    """A meeting of `body` at which the first `present` members of its roster were present and the others
    absent (on leave)."""
    actor = actor or world.discipline
    held_on = held_on or timezone.localdate()
    meeting = services.meeting_create(
        body=body, actor=actor, meeting_type=values.pop("meeting_type", MeetingType.REGULAR), held_on=held_on, **values
    )
    members = [m for m in body.members.order_by("from_date", "id") if m.is_entitled_on(held_on)]
    entries = [
        {
            "member": m,
            "status": Attendance.PRESENT if i < present else Attendance.ABSENT,
            "reason": "" if i < present else "公务出差",
        }
        for i, m in enumerate(members)
    ]
    if entries:
        services.meeting_record_attendance(meeting=meeting, actor=actor, entries=entries)
    return meeting


def decide(world, meeting, *, in_favour, against=0, actor=None, **values):
    """An item of `meeting` (adopted, a major decision by default) with `in_favour` votes for and `against`
    votes against from the members present, in roster order."""
    actor = actor or world.discipline
    decision = services.decision_record(
        meeting=meeting,
        actor=actor,
        kind=values.pop("kind", DecisionKind.MAJOR_DECISION),
        title=values.pop("title", "园区年度重点工作安排"),
        outcome=values.pop("outcome", Outcome.ADOPTED),
        **values,
    )
    present = [row.member for row in meeting.attendance.filter(status=Attendance.PRESENT).order_by("member_id")]
    votes = [{"member": m, "position": Position.FOR, "statement": ""} for m in present[:in_favour]]
    votes += [
        {"member": m, "position": Position.AGAINST, "statement": "程序不完备"}
        for m in present[in_favour : in_favour + against]
    ]
    if votes:
        services.decision_record_votes(decision=decision, actor=actor, votes=votes)
    return decision
