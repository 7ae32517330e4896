"""Factories and helpers of the evaluation, award, objection and contract stage.

`opened_tender` writes a tender as P2's opening leaves it (status "opened", bids with alias, price, validity
and commitment check) without running the sealing, so these tests do not depend on it. Everything after that
goes through the services."""

import datetime as dt
import hashlib
import secrets
from decimal import Decimal
from types import SimpleNamespace

import factory
from django.utils import timezone

from core import roles
from integrity.choices import SignerKind
from integrity.services.pledges import pledge_template_publish
from procurement import models
from procurement.choices import (
    BidStatus,
    CommitteeMemberStatus,
    ContractStatus,
    EvaluatorKind,
    Method,
    ObjectionStatus,
    TenderStatus,
)
from tests.accounts.factories import UserFactory
from tests.conftest import make_official
from tests.integrity.factories import PledgeFactory, PledgeTemplateFactory
from tests.procurement.conftest import make_supplier
from tests.procurement.factories import SupplierFactory, TenderFactory

ALIASES = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class OpenedBidFactory(factory.django.DjangoModelFactory):
    """A bid as the opening leaves it: opened, with alias, price, validity and commitment check."""

    class Meta:
        model = models.Bid

    tender = factory.SubFactory(TenderFactory, status=TenderStatus.OPENED)
    supplier = factory.SubFactory(SupplierFactory, park=factory.SelfAttribute("..tender.park"))
    status = BidStatus.OPENED
    ciphertext = factory.LazyFunction(lambda: secrets.token_bytes(64))
    wrapped_key = factory.LazyFunction(lambda: secrets.token_bytes(32))
    iv = factory.LazyFunction(lambda: secrets.token_bytes(12))
    commitment = factory.LazyFunction(lambda: secrets.token_hex(32))
    ciphertext_sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.ciphertext).hexdigest())
    receipt = factory.Sequence(lambda n: f"R-EVAL-{n:06d}")
    submitted_by = factory.SubFactory(UserFactory)
    opened_at = factory.LazyFunction(timezone.now)
    alias = factory.Sequence(lambda n: ALIASES[n % 26])
    price = Decimal("700000.00")
    commitment_ok = True
    is_valid = True


class EvaluatorPoolMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.EvaluatorPoolMember

    park = factory.SubFactory("tests.parks.factories.ParkFactory")
    user = factory.SubFactory(UserFactory, roles=[roles.EXPERT])
    kind = EvaluatorKind.EXPERT
    specialty = "信息化"


class CommitteeDrawFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CommitteeDraw

    tender = factory.SubFactory(TenderFactory, status=TenderStatus.OPENED)
    seed = factory.LazyFunction(lambda: secrets.token_hex(16))
    size = 5
    drawn_by = factory.SubFactory(UserFactory)


class CommitteeMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CommitteeMember

    tender = factory.SubFactory(TenderFactory, status=TenderStatus.OPENED)
    user = factory.SubFactory(UserFactory, roles=[roles.EXPERT])
    kind = EvaluatorKind.EXPERT
    status = CommitteeMemberStatus.DRAWN


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Score

    member = factory.SubFactory(CommitteeMemberFactory)
    bid = factory.SubFactory(OpenedBidFactory, tender=factory.SelfAttribute("..member.tender"))
    technical_score = Decimal("80")


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Award

    bid = factory.SubFactory(OpenedBidFactory, rank=1)
    tender = factory.SelfAttribute("bid.tender")
    supplier = factory.SelfAttribute("bid.supplier")
    amount = factory.SelfAttribute("bid.price")
    decided_by = factory.SubFactory(UserFactory)
    decided_at = factory.LazyFunction(timezone.now)


class ObjectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Objection

    tender = factory.SubFactory(TenderFactory, status=TenderStatus.ANNOUNCED)
    supplier = factory.SubFactory(SupplierFactory, park=factory.SelfAttribute("..tender.park"))
    filed_by = factory.SubFactory(UserFactory)
    text = "评分标准不一致，请复核。"
    status = ObjectionStatus.FILED
    answer_due_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=9))


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Contract

    tender = factory.SubFactory(TenderFactory, status=TenderStatus.CONTRACTED)
    park = factory.SelfAttribute("tender.park")
    supplier = factory.SubFactory(SupplierFactory, park=factory.SelfAttribute("..tender.park"))
    number = factory.Sequence(lambda n: f"HT-2026-{n:04d}")
    title = factory.SelfAttribute("tender.title")
    value = Decimal("700000.00")
    signed_on = factory.LazyFunction(timezone.localdate)
    status = ContractStatus.SIGNED
    integrity_pledge = factory.SubFactory(
        PledgeFactory,
        template=factory.SubFactory(
            PledgeTemplateFactory, park=factory.SelfAttribute("...park"), signer_kind=SignerKind.CONTRACT
        ),
        expires_at=factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=365)),
    )
    recorded_by = factory.SubFactory(UserFactory)


class ContractAmendmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ContractAmendment

    contract = factory.SubFactory(ContractFactory)
    value_change = Decimal("10000.00")
    reason = "增加备品备件"
    signed_on = factory.LazyFunction(timezone.localdate)
    recorded_by = factory.SubFactory(UserFactory)


# --- helpers ------------------------------------------------------------------------------------------------


def publish_procurement_pledges(park, actor):
    """Publish the park's evaluators' pledge and integrity contract texts (through integrity's service);
    `actor` is a park administrator or discipline officer. Returns (evaluator template, contract template)."""
    evaluator = pledge_template_publish(
        park=park,
        signer_kind=SignerKind.EVALUATOR,
        title="评审专家廉洁承诺书",
        text="本人承诺：独立、客观、公正评审，与供应商无利害关系，不泄露评审情况。",
        actor=actor,
    )
    contract = pledge_template_publish(
        park=park,
        signer_kind=SignerKind.CONTRACT,
        title="廉政合同",
        text="双方承诺：不行贿受贿，不输送利益，接受纪检监督。",
        actor=actor,
    )
    return evaluator, contract


def opened_tender(world, *, method=Method.OPEN_TENDER, prices=("700000", "650000", "720000"), creator=None, **fields):
    """A tender of `world`'s park as opening leaves it: status "opened", one approved supplier (with an
    enterprise user) per price, bids A, B, C… opened, valid and matching their commitments. Returns a
    namespace with tender, bids, suppliers, users (the suppliers' users) in alias order."""
    now = timezone.now()
    tender = TenderFactory(
        park=world.park,
        method=method,
        status=TenderStatus.OPENED,
        published_at=now - dt.timedelta(days=25),
        bid_deadline=now - dt.timedelta(hours=2),
        closed_at=now - dt.timedelta(hours=2),
        opened_at=now - dt.timedelta(hours=1),
        created_by=creator,
        **fields,
    )
    bids, suppliers, users = [], [], []
    for position, price in enumerate(prices):
        supplier, user = make_supplier(world.park, f"{tender.number}投标人{position + 1}有限公司")
        bid = OpenedBidFactory(
            tender=tender,
            supplier=supplier,
            submitted_by=user,
            alias=ALIASES[position],
            price=Decimal(price),
            submitted_at=now - dt.timedelta(days=2, minutes=position),
        )
        bids.append(bid)
        suppliers.append(supplier)
        users.append(user)
    return SimpleNamespace(tender=tender, bids=bids, suppliers=suppliers, users=users)


def make_pool(world, *, experts=5, officials=2):
    """Pool members of `world`'s park added through the service by a park admin: experts (role EXPERT, no
    park assignment) and officials (handlers of the business department). Returns (experts, officials) as
    lists of users."""
    from procurement.services.evaluation import evaluator_pool_add

    expert_users, official_users = [], []
    for n in range(experts):
        user = UserFactory(username=f"expert_{world.park.code}_{n}".lower(), roles=[roles.EXPERT])
        evaluator_pool_add(park=world.park, user=user, kind=EvaluatorKind.EXPERT, actor=world.park_admin)
        expert_users.append(user)
    for n in range(officials):
        user = make_official(
            park=world.park,
            role=roles.HANDLER,
            department=world.business,
            username=f"evalofficial_{world.park.code}_{n}",
        )
        evaluator_pool_add(park=world.park, user=user, kind=EvaluatorKind.OFFICIAL, actor=world.park_admin)
        official_users.append(user)
    return expert_users, official_users


def run_evaluation(opened, officer, *, marks=None, qualification=None, now=None):
    """Draw the committee, sign the pledges, start, mark every bid (marks: {alias: technical mark}, default 80;
    qualification: {alias: False} to fail one), hand in and record the report. Returns the tender."""
    from procurement.models import CommitteeMember
    from procurement.services import evaluation as services

    tender = opened.tender
    services.committee_draw(tender=tender, actor=officer)
    members = list(CommitteeMember.objects.filter(tender=tender, status=CommitteeMemberStatus.DRAWN))
    for member in members:
        services.evaluator_pledge_sign(member=member, actor=member.user)
    services.evaluation_start(tender=tender, actor=officer)
    for member in members:
        for bid in opened.bids:
            passes = (qualification or {}).get(bid.alias, True)
            services.score_submit(
                member=member,
                bid=bid,
                actor=member.user,
                technical_score=None if tender.is_lowest_price else (marks or {}).get(bid.alias, 80),
                passes_qualification=passes,
                comment="" if passes else "缺少资质证书",
            )
        services.committee_member_submit(member=member, actor=member.user)
    return services.evaluation_report_record(tender=tender, actor=officer, now=now)


def evaluated_tender(world, officer, *, experts=5, method=Method.OPEN_TENDER, prices=None, marks=None, now=None):
    """An opened tender of `world` taken through the evaluation report (pledge texts and a pool included)."""
    from integrity.models import PledgeTemplate

    if not PledgeTemplate.objects.filter(park=world.park, signer_kind=SignerKind.EVALUATOR).exists():
        publish_procurement_pledges(world.park, world.park_admin)
    if not models.EvaluatorPoolMember.objects.filter(park=world.park).exists():
        make_pool(world, experts=experts, officials=1)
    opened = opened_tender(world, method=method, **({"prices": prices} if prices else {}))
    opened.tender = run_evaluation(opened, officer, marks=marks, now=now)
    opened.bids = [models.Bid.objects.get(pk=bid.pk) for bid in opened.bids]
    return opened
