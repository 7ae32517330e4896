"""Load the demo 三重一大 register (integrity/demo_decisions.py) into the demo parks created by `manage.py
seed_demo` (yzw, lx, qz and their ``<role>_<park code>`` accounts).

Everything goes through `integrity.services.decisions`, acting as the park's demo discipline officer, so the
audit trail and the notifications are the real ones. Idempotent: a body is looked up by park and name, a
seat by body and name, a meeting by body and number, an item by meeting and title, a payment by park and
voucher number; a second run changes nothing.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from integrity import demo_decisions as demo
from integrity.choices_decisions import Attendance, Position
from integrity.models import CollectiveDecision, DecisionBody, DecisionThreshold, FundPayment, Meeting
from integrity.services import decisions as services
from parks.models import Park


class Command(BaseCommand):
    help = "Create the demo 三重一大 register: bodies, meetings, items, votes, payments (idempotent; after seed_demo)."

    def handle(self, *args, **options):
        self.today = timezone.localdate()
        self.counts = {"bodies": 0, "meetings": 0, "decisions": 0, "payments": 0}
        for code in demo.MEETINGS:
            park = Park.objects.filter(code=code).first()
            if park is None:
                raise CommandError(f"Park {code!r} is missing: run `manage.py seed_demo` first.")
            with transaction.atomic():
                self.seed_park(park)
        self.stdout.write(
            self.style.SUCCESS(
                "三重一大 demo: {bodies} bodies, {meetings} meetings, {decisions} items, "
                "{payments} payments created.".format(**self.counts)
            )
        )

    def user(self, role, park):
        username = f"{role}_{park.code}"
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Account {username!r} is missing: run `manage.py seed_demo` first.")
        return user

    def day(self, days_ago):
        return self.today - dt.timedelta(days=days_ago)

    def seed_park(self, park):
        actor = self.user("discipline", park)
        for kind, amount in demo.THRESHOLDS.get(park.code, ()):
            if not DecisionThreshold.objects.filter(park=park, kind=kind).exists():
                services.decision_threshold_set(park=park, kind=kind, amount=Decimal(amount), actor=actor)
        bodies = {key: self.seed_body(park, actor, key, name, kind, text) for key, name, kind, text in demo.BODIES}
        for spec in demo.MEETINGS[park.code]:
            self.seed_meeting(park, actor, bodies, *spec)
        for spec in demo.PAYMENTS.get(park.code, ()):
            self.seed_payment(park, actor, *spec)

    def seed_body(self, park, actor, key, name, kind, text):
        body = DecisionBody.objects.filter(park=park, name=name).first()
        if body is None:
            body = services.decision_body_create(park=park, name=name, kind=kind, description=text, actor=actor)
            self.counts["bodies"] += 1
        for name_or_role, post, role in demo.ROSTERS[key]:
            user = self.user(role, park) if role else None
            name = user.get_full_name() if user else name_or_role
            if not body.members.filter(name=name).exists():
                services.body_member_add(
                    body=body, actor=actor, user=user, name=name, post=post, from_date=self.day(730)
                )
        return body

    def seed_meeting(self, park, actor, bodies, key, number, meeting_type, days_ago, present, notified, items):
        body = bodies[key]
        meeting = Meeting.objects.filter(body=body, number=number).first()
        held_on = self.day(days_ago)
        roster = list(body.members.order_by("from_date", "id"))
        if meeting is None:
            meeting = services.meeting_create(
                body=body,
                actor=actor,
                meeting_type=meeting_type,
                held_on=held_on,
                number=number,
                location="管委会第一会议室",
                agenda_notified_on=self.day(days_ago + notified),
                chair=roster[0],
            )
            services.meeting_record_attendance(
                meeting=meeting,
                actor=actor,
                entries=[
                    {
                        "member": member,
                        "status": Attendance.PRESENT if index < present else Attendance.ABSENT,
                        "reason": "" if index < present else "因公出差",
                    }
                    for index, member in enumerate(roster)
                ],
            )
            self.counts["meetings"] += 1
        for item in items:
            self.seed_item(meeting, actor, roster[:present], roster, *item)

    def seed_item(
        self, meeting, actor, present, roster, kind, title, amount, notified, outcome, favour, against, recused
    ):
        if CollectiveDecision.objects.filter(meeting=meeting, title=title).exists():
            return
        decision = services.decision_record(
            meeting=meeting,
            actor=actor,
            kind=kind,
            title=title,
            amount=Decimal(amount) if amount else None,
            notified_in_advance=notified,
            outcome=outcome,
        )
        self.counts["decisions"] += 1
        votes = []
        skip = set()
        if recused:
            member = roster[recused[0]]
            votes.append({"member": member, "position": Position.RECUSED, "statement": recused[1]})
            skip.add(member.pk)
        if against:
            member = next(m for m in present if m.name == against[0])
            votes.append({"member": member, "position": Position.AGAINST, "statement": against[1]})
            skip.add(member.pk)
        voters = [m for m in present if m.pk not in skip]
        votes += [{"member": m, "position": Position.FOR, "statement": ""} for m in voters[:favour]]
        votes += [{"member": m, "position": Position.ABSTAIN, "statement": ""} for m in voters[favour:]]
        if votes:
            services.decision_record_votes(decision=decision, actor=actor, votes=votes)

    def seed_payment(self, park, actor, reference, payee, purpose, amount, days_ago, decision_title):
        if FundPayment.objects.filter(park=park, reference=reference).exists():
            return
        decision = None
        if decision_title:
            decision = CollectiveDecision.objects.get(park=park, title=decision_title)
        services.fund_payment_record(
            park=park,
            actor=actor,
            payee=payee,
            amount=Decimal(amount),
            paid_on=self.day(days_ago),
            purpose=purpose,
            reference=reference,
            decision=decision,
        )
        self.counts["payments"] += 1
