"""``manage.py seed_procurement_demo``: the e-procurement platform of the demo parks (procurement/demo.py).

Runs after ``manage.py seed_demo`` (parks, departments, one account per role) and, preferably, after
``seed_integrity_demo`` (its evaluator and integrity-contract pledge texts are reused; missing ones are
published here). Per park it adds the procurement officer ``procurement_<park>``, the experts
``expert_<park>_<n>`` and the evaluator pool, the discipline officer's opening key (created with the demo
password through `officer_key_ensure`), suppliers that registered themselves, and tenders whose stories stop
in every status. Every step goes through the services, acting as the people who would take it, at explicit
past moments (``now=``), so the audit trail, the receipts, the commitments and the opening records are the real
ones; bids are sealed with `procurement.sealing.client_seal` exactly as a browser seals them, and opened with the
discipline officer's co-signature. Red flags are computed synchronously after each opening, award, contract and
amendment (`flags_compute`), as the Celery task would.

Demo-only shortcuts (see `quiet_tasks`): the tasks the services queue go to an in-memory broker that is dropped
with this process (the flags are computed here instead), and the notifications the services created for these
past events are deleted at the end rather than filling today's bells.

Idempotent: an account, a pool member, a supplier or a tender (by its number) that exists is left as it is, so a
second run changes nothing. Each tender's story runs in its own transaction.
"""

import base64
import datetime as dt
import random
from contextlib import contextmanager
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core import roles
from core.errors import DomainError
from core.models import Notification
from core.workcalendar import is_workday, next_working_day
from integrity.choices import SignerKind
from integrity.models import PledgeTemplate
from integrity.services.pledges import pledge_template_publish
from parks import demo as parks_demo
from parks.models import Department, Enterprise, EnterpriseMembership, Park, StaffProfile
from parks.services import enterprise_register, enterprise_verify
from procurement import demo
from procurement.choices import TenderStatus
from procurement.models import Bid, EvaluatorPoolMember, Supplier, Tender
from procurement.rules import method_rule
from procurement.sealing import client_seal
from procurement.selectors.tenders import earliest_bid_deadline
from procurement.services import award as award_services
from procurement.services import bids as bid_services
from procurement.services import contracts as contract_services
from procurement.services import evaluation as evaluation_services
from procurement.services import flags as flag_services
from procurement.services import keys as key_services
from procurement.services import opening as opening_services
from procurement.services import suppliers as supplier_services
from procurement.services import tenders as tender_services

# How many days earlier than its `published` a story may start when its last step would otherwise lie in the
# future (weekends and holidays move the working days each step counts).
MAX_SHIFT_DAYS = 30
OFFICE_HOURS = (dt.time(9, 30), dt.time(10, 0), dt.time(14, 30), dt.time(15, 0), dt.time(16, 0))


@contextmanager
def quiet_tasks():
    """Demo seeding only: the tasks the services queue after commit (red-flag checks, notification delivery)
    go to an in-memory broker dropped with this process. The red flags are computed synchronously here; the
    notifications of these past events are deleted at the end."""
    from portal.celery import app

    previous = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = "memory://localhost//", False
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.task_always_eager = previous


class Command(BaseCommand):
    help = "Create the e-procurement demo data (after seed_demo; idempotent)."

    def handle(self, *args, **options):
        self.now = timezone.now()
        self.rng = random.Random(20260101)
        self.counts = {"accounts": 0, "suppliers": 0, "tenders": 0}
        parks = {park.code: park for park in Park.objects.filter(code__in=demo.OFFICERS)}
        missing = sorted(set(demo.OFFICERS) - set(parks))
        if missing:
            raise CommandError(f"Parks {', '.join(missing)} are missing: run `manage.py seed_demo` first.")
        last_notification = Notification.objects.aggregate(n=Max("pk"))["n"] or 0
        with quiet_tasks():
            self.people = {}
            self.suppliers = {}
            for code, park in parks.items():
                with transaction.atomic():
                    self.people[code] = self.seed_people(park)
                    self.suppliers[code] = self.seed_suppliers(park)
            for spec in demo.TENDERS:
                if Tender.objects.filter(park__code=spec["park"], title=spec["title"]).exists():
                    continue
                self.seed_tender(parks[spec["park"]], spec)
                self.counts["tenders"] += 1
        # Demo only: the notifications of half a year of past procurement events would flood today's bells.
        Notification.objects.filter(pk__gt=last_notification).delete()
        self.stdout.write(
            self.style.SUCCESS(
                "Procurement demo: {accounts} accounts, {suppliers} suppliers, {tenders} tenders created.".format(
                    **self.counts
                )
            )
        )

    # --- moments -----------------------------------------------------------------------------------------

    def at(self, day, hour=None):
        """An aware moment in office hours (Asia/Shanghai) on local date `day`."""
        hour = hour or self.rng.choice(OFFICE_HOURS)
        return timezone.make_aware(dt.datetime.combine(day, hour))

    def workday(self, day):
        """`day` when it is a working day, else the next one."""
        return day if is_workday(day) else next_working_day(day)

    def later(self, moment, working_days=1, hour=None):
        """The `working_days`-th working day after `moment`, in office hours."""
        day = timezone.localdate(moment)
        for _ in range(working_days):
            day = next_working_day(day)
        return self.at(day, hour)

    def past(self, moment, what):
        """`moment`, or TooRecent when it has not come yet: a story's step must have happened already."""
        if moment >= self.now - dt.timedelta(minutes=5):
            raise TooRecent(what)
        return moment

    # --- people ------------------------------------------------------------------------------------------

    def account(self, username, display_name, role, *, password=True):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"display_name": display_name, "email": f"{username}@demo.example.cn"},
        )
        if created:
            # Only on creation: a password changed since must survive the next run.
            if password:
                user.set_password(parks_demo.DEMO_PASSWORD)
            else:
                user.set_unusable_password()
            user.save(update_fields=["password"])
            self.counts["accounts"] += 1
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        return user

    def staff(self, user, park, department, position):
        profile, _ = StaffProfile.objects.get_or_create(
            user=user, defaults={"department": department, "position": position}
        )
        profile.parks.add(park)

    def demo_user(self, role, park):
        username = parks_demo.username_for(role, park.code)
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Account {username!r} is missing: run `manage.py seed_demo` first.")
        return user

    def seed_people(self, park):
        code = park.code
        name, position, department_name = demo.OFFICERS[code]
        officer = self.account(f"{roles.PROCUREMENT}_{code}", name, roles.PROCUREMENT)
        self.staff(officer, park, Department.objects.filter(park=park, name=department_name).first(), position)
        people = {
            "officer": officer,
            "admin": self.demo_user(roles.PARK_ADMIN, park),
            "discipline": self.demo_user(roles.DISCIPLINE, park),
            "enterprise": self.demo_user(roles.ENTERPRISE, park),
        }
        self.opening_key(people["discipline"])
        pool = []
        for index, (expert_name, specialty, employer) in enumerate(demo.EXPERTS[code], start=1):
            user = self.account(f"expert_{code}_{index}", expert_name, roles.EXPERT, password=index <= 2)
            self.staff(user, park, None, "评审专家")
            pool.append((user, "expert", specialty, employer))
        for role in demo.POOL_OFFICIAL_ROLES:
            user = self.demo_user(role, park)
            pool.append((user, "official", getattr(user.staff_profile, "position", ""), park.name))
        for user, kind, specialty, employer in pool:
            if EvaluatorPoolMember.objects.filter(park=park, user=user).exists():
                continue
            evaluation_services.evaluator_pool_add(
                park=park, user=user, kind=kind, actor=officer, specialty=specialty, employer=employer
            )
        people["templates"] = {
            kind: self.pledge_template(park, kind, people["admin"])
            for kind in (SignerKind.EVALUATOR, SignerKind.CONTRACT)
        }
        return people

    def opening_key(self, officer):
        """The discipline officer's opening key, created (or checked) with the demo password as at sign-in."""
        try:
            key_services.officer_key_ensure(user=officer, password=parks_demo.DEMO_PASSWORD)
        except DomainError as error:
            raise CommandError(
                f"{officer.username}: {error.message} (the demo needs the demo password to set up the opening key)"
            ) from error

    def pledge_template(self, park, kind, admin):
        """The version in force of the park's evaluator or integrity-contract pledge (seed_integrity_demo
        publishes them; published here when it did not run)."""
        current = PledgeTemplate.objects.filter(park=park, signer_kind=kind, superseded_at__isnull=True).first()
        if current is not None:
            return current
        from integrity.demo import PLEDGE_TEXTS

        title, text = PLEDGE_TEXTS[kind]
        return pledge_template_publish(
            park=park,
            signer_kind=kind,
            title=title,
            text=text.format(park=park.name),
            actor=admin,
            now=self.now - dt.timedelta(days=400),
        )

    # --- suppliers ---------------------------------------------------------------------------------------

    def seed_suppliers(self, park):
        code = park.code
        officer = self.people[code]["officer"]
        registered = self.workday(timezone.localdate(self.now) - dt.timedelta(days=200))
        result = {}
        for serial, spec in enumerate(demo.SUPPLIERS[code], start=101):
            enterprise, user = self.supplier_enterprise(park, spec, serial)
            supplier = Supplier.objects.filter(park=park, enterprise=enterprise).first()
            if supplier is None:
                pending = spec["status"] == "pending"
                when = self.at(timezone.localdate(self.now) - dt.timedelta(days=3)) if pending else self.at(registered)
                supplier = supplier_services.supplier_register(
                    enterprise=enterprise,
                    park=park,
                    actor=user,
                    business_scope=spec["scope"],
                    categories=spec["categories"],
                    qualifications=self.qualifications(spec, serial, timezone.localdate(when)),
                    now=when,
                )
                self.counts["suppliers"] += 1
                if not pending:
                    supplier = supplier_services.supplier_approve(
                        supplier=supplier, actor=officer, reason="资质材料齐全，审核通过。", now=self.later(when, 1)
                    )
            result[spec["key"]] = (supplier, user)
        return result

    def supplier_enterprise(self, park, spec, serial):
        """(enterprise, the user acting for it): the park's demo enterprise for "member", else an enterprise that
        registers itself (``supplier_<park>_<n>``) and is verified by the park administrator."""
        if spec["key"] == "member":
            user = self.people[park.code]["enterprise"]
            membership = EnterpriseMembership.objects.filter(user=user, enterprise__park=park).first()
            if membership is None:
                raise CommandError(f"{user.username} acts for no enterprise: run `manage.py seed_demo` first.")
            return membership.enterprise, user
        division = next(p["division"] for p in parks_demo.PARKS if p["code"] == park.code)
        credit_code = parks_demo.demo_credit_code(division, serial)
        username = f"supplier_{park.code}_{serial - 100}"
        enterprise = Enterprise.objects.filter(credit_code=credit_code).first()
        if enterprise is None:
            try:
                enterprise = enterprise_register(
                    username=username,
                    password=parks_demo.DEMO_PASSWORD,
                    email=f"{username}@demo.example.cn",
                    phone=spec["phone"].replace("-", "")[-11:],
                    display_name=spec["contact"],
                    park=park,
                    name=spec["name"],
                    credit_code=credit_code,
                    industry=spec["industry"],
                    legal_representative=spec["legal_representative"],
                    contact_name=spec["contact"],
                    contact_phone=spec["phone"],
                    address=spec["address"],
                )
            except DomainError as error:
                raise CommandError(f"{username}: {error.message}") from error
            self.counts["accounts"] += 1
            enterprise_verify(enterprise=enterprise, actor=self.people[park.code]["admin"])
            enterprise.refresh_from_db()
        user = get_user_model().objects.get(username=username)
        return enterprise, user

    def qualifications(self, spec, serial, day):
        rows = []
        items = [(kind, "", issuer, years) for kind, issuer, years in demo.QUALIFICATIONS]
        items += demo.EXTRA_QUALIFICATIONS.get(spec["key"], [])
        for index, (kind, name, issuer, years) in enumerate(items, start=1):
            rows.append(
                {
                    "kind": kind,
                    "name": name,
                    "number": f"{kind[:3].upper()}-{day.year}-{serial:03d}{index}",
                    "issuer": issuer,
                    "issued_on": day - dt.timedelta(days=400),
                    "expires_on": day + dt.timedelta(days=365 * years + 200) if years else None,
                }
            )
        return rows

    # --- tenders -----------------------------------------------------------------------------------------

    def seed_tender(self, park, spec):
        """Drive one tender's story through the services up to its stage (see procurement/demo.py)."""
        people = self.people[park.code]
        suppliers = self.suppliers[park.code]
        officer = people["officer"]
        days = spec["published"] if spec["published"] is not None else 1
        for shift in range(MAX_SHIFT_DAYS):
            try:
                with transaction.atomic():
                    Story(self, park, spec, officer, people, suppliers, published_days_ago=days + shift).run()
                return
            except TooRecent:
                continue  # rolled back: start the story a day earlier
        raise CommandError(f"{spec['title']}: the story does not fit before today; publish it earlier in demo.py.")


class TooRecent(Exception):
    """A step of the story would lie in the future."""


class Stop(Exception):
    """The story has reached its stage."""


class Story:
    """One tender's story: each step is a service call at a moment derived from the previous one."""

    def __init__(self, command, park, spec, officer, people, suppliers, *, published_days_ago):
        self.command, self.park, self.spec = command, park, spec
        self.published_days_ago = published_days_ago
        self.officer, self.people, self.suppliers = officer, people, suppliers
        self.stage = spec["stage"]
        self.rng = command.rng
        self.tender = None

    # moments
    def at(self, day, hour=None):
        return self.command.at(day, hour)

    def later(self, moment, working_days=1, hour=None):
        return self.command.later(moment, working_days, hour)

    def past(self, moment, what):
        return self.command.past(moment, f"{self.spec['title']}: {what}")

    def reached(self, status):
        """Stop once the story has reached `status` (its stage)."""
        if self.stage == status:
            raise Stop

    def supplier(self, key):
        try:
            return self.suppliers[key]
        except KeyError:
            raise CommandError(f"{self.spec['title']}: no supplier {key!r} in {self.park.code}") from None

    def run(self):
        try:
            self.draft()
            self.publish()
            self.bid()
            self.close()
            self.open()
            self.evaluate()
            self.award()
            self.announce()
            self.contract()
        except Stop:
            pass

    # --- the steps ---------------------------------------------------------------------------------------

    def draft(self):
        spec = self.spec
        today = timezone.localdate(self.command.now)
        day = self.command.workday(today - dt.timedelta(days=self.published_days_ago))
        self.published_at = self.past(self.at(day, dt.time(9, 0)), "publication")
        fields = {
            "title": spec["title"],
            "method": spec["method"],
            "category": spec["category"],
            "needs": spec["needs"],
            "qualification_requirements": spec["requirements"],
            "budget": spec["budget"],
        }
        if "price_weight" in spec:
            fields["price_weight"] = spec["price_weight"]
        if spec.get("invited"):
            fields["invited_suppliers"] = [self.supplier(key)[0] for key in spec["invited"]]
        if spec.get("justification"):
            fields["justification"] = spec["justification"]
            fields["proposed_supplier"] = self.supplier(spec["proposed"])[0]
        created = self.published_at - dt.timedelta(days=2)
        self.tender = tender_services.tender_create(park=self.park, actor=self.officer, now=created, **fields)
        self.reached(TenderStatus.DRAFT)

    def publish(self):
        spec = self.spec
        tender = self.tender
        rule = method_rule(self.park, tender.method)
        moment = self.published_at
        if tender.method == "single_source":
            tender_services.tender_justification_publish(tender=tender, actor=self.officer, now=moment)
            self.reached(TenderStatus.JUSTIFICATION)
            tender.refresh_from_db()
            moment = self.later(tender.justification_ends_at, 1, dt.time(9, 0))
        earliest = earliest_bid_deadline(rule, moment)
        self.deadline = self.at(
            self.command.workday(timezone.localdate(earliest) + dt.timedelta(days=1)), dt.time(9, 30)
        )
        tender_services.tender_publish(tender=tender, actor=self.officer, bid_deadline=self.deadline, now=moment)
        tender.refresh_from_db()
        if spec.get("cancel"):
            tender_services.tender_cancel(
                tender=tender, actor=self.officer, reason=spec["cancel"], now=self.past(self.later(moment, 2), "cancel")
            )
            raise Stop

    def bid(self):
        spec = self.spec
        tender = self.tender
        bids = spec["bids"]
        if self.stage == TenderStatus.PUBLISHED and self.deadline <= self.command.now:
            raise CommandError(f"{spec['title']}: its bid deadline has passed; publish it later in demo.py.")
        end = min(self.deadline, self.command.now)
        span = end - tender.published_at
        self.bids = {}
        for index, (key, price, note) in enumerate(bids, start=1):
            supplier, user = self.supplier(key)
            moment = tender.published_at + span * index / (len(bids) + 2)
            sealed = client_seal(tender.public_key_pem, self.payload(tender, supplier, price, note))
            bid_services.bid_submit(tender=tender, supplier=supplier, actor=user, now=moment, **sealed)
            self.bids[key] = price
        if spec.get("clarification"):
            question, answer = spec["clarification"]
            asker = self.supplier(bids[0][0])[1] if bids else self.people["enterprise"]
            asked_at = self.past(tender.published_at + span / 5, "question")
            item = tender_services.clarification_ask(tender=tender, actor=asker, question=question, now=asked_at)
            tender_services.clarification_answer(
                question=item, actor=self.officer, answer=answer, now=self.past(asked_at + span / 5, "answer")
            )
        self.reached(TenderStatus.PUBLISHED)

    def payload(self, tender, supplier, price, note):
        """The plaintext of a bid as the bid form builds it: price, note and one document (the quotation)."""
        quotation = (
            f"报价函\\n项目：{tender.number} {tender.title}\\n投标人：{supplier.enterprise.name}\\n"
            f"投标总价（元）：{price}\\n{note}\\n"
        )
        return {
            "price": f"{price:.2f}",
            "note": note,
            "documents": [
                {"name": "报价函.txt", "content_b64": base64.b64encode(quotation.encode("utf-8")).decode("ascii")}
            ],
        }

    def close(self):
        self.closed_at = self.past(self.deadline + dt.timedelta(minutes=1), "closing")
        tender_services.tender_close(tender=self.tender, actor=None, now=self.closed_at)
        self.tender.refresh_from_db()
        self.reached(TenderStatus.CLOSED)

    def open(self):
        tender = self.tender
        self.opened_at = self.past(self.deadline + dt.timedelta(minutes=30), "opening")
        opening_services.tender_open(
            tender=tender,
            actor=self.officer,
            officer=self.people["discipline"],
            officer_password=parks_demo.DEMO_PASSWORD,
            now=self.opened_at,
        )
        flag_services.flags_compute(tender_id=tender.pk, trigger="opening", now=self.opened_at)
        tender.refresh_from_db()
        if tender.status == TenderStatus.FAILED:
            if self.spec["stage"] != TenderStatus.FAILED:
                raise CommandError(f"{self.spec['title']}: failed at the opening ({tender.failure_reason}).")
            tender_services.tender_retender(
                tender=tender, actor=self.officer, now=self.past(self.later(self.opened_at, 1), "re-tender")
            )
            raise Stop
        self.reached(TenderStatus.OPENED)

    def evaluate(self):
        tender = self.tender
        drawn_at = self.opened_at + dt.timedelta(minutes=30)
        evaluation_services.committee_draw(tender=tender, actor=self.officer, now=drawn_at)
        tender.refresh_from_db()
        members = list(tender.committee.filter(status="drawn").select_related("user").order_by("pk"))
        for member in members:
            evaluation_services.evaluator_pledge_sign(
                member=member, actor=member.user, now=drawn_at + dt.timedelta(minutes=10)
            )
        started = drawn_at + dt.timedelta(minutes=30)
        evaluation_services.evaluation_start(tender=tender, actor=self.officer, now=started)
        tender.refresh_from_db()
        bids = list(Bid.objects.filter(tender=tender, status="opened", is_valid=True).select_related("supplier"))
        keys = {supplier.pk: key for key, (supplier, _user) in self.suppliers.items()}
        technical = self.spec.get("technical", {})
        # Under evaluation: one evaluator (the first demo expert when drawn) has not marked yet.
        waiting = None
        if self.stage == TenderStatus.EVALUATION:
            expert = next((m for m in members if m.user.username.endswith("_1") and m.kind == "expert"), None)
            waiting = expert or members[-1]
        for offset, member in enumerate(members, start=1):
            if member == waiting:
                continue
            member.refresh_from_db()
            scored_at = started + dt.timedelta(minutes=20 * offset)
            for bid in bids:
                mark = None
                if not tender.is_lowest_price:
                    base = technical.get(keys.get(bid.supplier_id), Decimal("50"))
                    mark = base + Decimal(self.rng.randint(-3, 3))
                evaluation_services.score_submit(
                    member=member, bid=bid, actor=member.user, technical_score=mark, now=scored_at
                )
            evaluation_services.committee_member_submit(
                member=member, actor=member.user, now=scored_at + dt.timedelta(minutes=5)
            )
        self.reached(TenderStatus.EVALUATION)
        self.reported_at = self.past(self.later(started, 1, dt.time(10, 0)), "evaluation report")
        evaluation_services.evaluation_report_record(tender=tender, actor=self.officer, now=self.reported_at)
        tender.refresh_from_db()
        self.reached(TenderStatus.EVALUATED)

    def award(self):
        tender = self.tender
        winner = Bid.objects.filter(tender=tender, rank=1).first()
        self.awarded_at = self.past(self.later(self.reported_at, 2, dt.time(15, 0)), "award")
        award_services.award_decide(tender=tender, actor=self.officer, bid=winner, now=self.awarded_at)
        flag_services.flags_compute(tender_id=tender.pk, trigger="award", now=self.awarded_at)
        tender.refresh_from_db()
        self.winner = winner
        self.reached(TenderStatus.AWARDED)

    def announce(self):
        tender = self.tender
        self.announced_at = self.past(self.later(self.awarded_at, 1, dt.time(9, 0)), "announcement")
        award_services.award_announce(tender=tender, actor=self.officer, now=self.announced_at)
        tender.refresh_from_db()
        if self.spec.get("objection"):
            key, text, upheld, answer = self.spec["objection"]
            supplier, user = self.supplier(key)
            filed = self.past(self.later(self.announced_at, 2, dt.time(11, 0)), "objection")
            objection = award_services.objection_file(
                tender=tender, supplier=supplier, actor=user, text=text, now=filed
            )
            award_services.objection_answer(
                objection=objection,
                actor=self.officer,
                upheld=upheld,
                answer=answer,
                now=self.past(self.later(filed, 3, dt.time(16, 0)), "objection answer"),
            )
        self.reached(TenderStatus.ANNOUNCED)

    def contract(self):
        tender = self.tender
        spec = self.spec.get("contract", {})
        supplier, user = next(pair for pair in self.suppliers.values() if pair[0].pk == self.winner.supplier_id)
        signed = self.past(self.later(tender.objection_deadline, 2, dt.time(10, 0)), "contract")
        number = f"{tender.number}-HT"
        pledge = contract_services.integrity_contract_sign(
            tender=tender, actor=user, now=signed - dt.timedelta(hours=1)
        )
        contract = contract_services.contract_sign(
            tender=tender,
            actor=self.officer,
            number=number,
            value=self.winner.price,
            signed_on=timezone.localdate(signed),
            integrity_pledge=pledge,
            now=signed,
        )
        published = self.past(self.later(signed, 1, dt.time(9, 30)), "contract publication")
        contract_services.contract_publish(contract=contract, actor=self.officer, now=published)
        flag_services.flags_compute(tender_id=tender.pk, trigger="contract", now=published)
        if spec.get("amendment"):
            change, reason = spec["amendment"]
            amended = self.past(published + dt.timedelta(days=40), "supplementary contract")
            contract_services.contract_amend(
                contract=contract,
                actor=self.officer,
                value_change=change,
                reason=reason,
                signed_on=timezone.localdate(amended),
                now=amended,
            )
            flag_services.flags_compute(tender_id=tender.pk, trigger="amendment", now=amended)
