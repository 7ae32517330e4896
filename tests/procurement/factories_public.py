"""Factories for the transparency tests (OCDS export, notices board, dossier). They write rows directly, in
the state each stage's services would leave them, so that these tests do not depend on the other stages'
services. `tender_in(status, …)` builds a whole tender file as it stands in one status."""

import datetime as dt
import hashlib
from decimal import Decimal

import factory
from django.utils import timezone

from integrity.choices import SignerKind
from procurement import models
from procurement.choices import (
    BidStatus,
    CommitteeMemberStatus,
    ContractStatus,
    EvaluatorKind,
    FlagKind,
    Method,
    TenderChangeKind,
    TenderStatus,
)
from tests.accounts.factories import UserFactory
from tests.integrity.factories import PledgeFactory, PledgeTemplateFactory
from tests.procurement.conftest import make_supplier
from tests.procurement.factories import SupplierFactory, TenderFactory


class TenderChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.TenderChange

    tender = factory.SubFactory(TenderFactory)
    kind = TenderChangeKind.AMENDMENT
    text = "采购需求第3条更正为：台式计算机60台。"
    published_at = factory.LazyFunction(timezone.now)


class ClarificationQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ClarificationQuestion

    tender = factory.SubFactory(TenderFactory)
    asked_by = factory.SubFactory(UserFactory)
    question = "是否接受进口品牌？"
    asked_at = factory.LazyFunction(timezone.now)


class BidFactory(factory.django.DjangoModelFactory):
    """A sealed bid: random bytes stand in for the ciphertext (these tests never open bids)."""

    class Meta:
        model = models.Bid

    tender = factory.SubFactory(TenderFactory)
    supplier = factory.SubFactory(SupplierFactory, park=factory.SelfAttribute("..tender.park"))
    status = BidStatus.SEALED
    ciphertext = factory.Sequence(lambda n: f"ciphertext-{n}".encode())
    wrapped_key = b"wrapped-key"
    iv = b"0123456789ab"
    commitment = factory.Sequence(lambda n: hashlib.sha256(f"commitment-{n}".encode()).hexdigest())
    ciphertext_sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.ciphertext).hexdigest())
    receipt = factory.Sequence(lambda n: f"RCPT-{n:08d}")
    submitted_by = factory.SubFactory(UserFactory)
    submitted_at = factory.LazyFunction(timezone.now)


class BidDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.BidDocument

    bid = factory.SubFactory(BidFactory)
    name = "技术方案.pdf"
    sha256 = factory.Sequence(lambda n: hashlib.sha256(f"doc-{n}".encode()).hexdigest())
    size = 2048


class CommitteeDrawFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CommitteeDraw

    tender = factory.SubFactory(TenderFactory)
    seed = "a" * 64
    size = 3
    drawn_by = factory.SubFactory(UserFactory)


class CommitteeMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CommitteeMember

    tender = factory.SubFactory(TenderFactory)
    user = factory.SubFactory(UserFactory)
    kind = EvaluatorKind.EXPERT
    status = CommitteeMemberStatus.SUBMITTED


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Score

    member = factory.SubFactory(CommitteeMemberFactory)
    bid = factory.SubFactory(BidFactory, tender=factory.SelfAttribute("..member.tender"))
    technical_score = Decimal("80.00")


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Award

    tender = factory.SubFactory(TenderFactory)
    bid = factory.SubFactory(BidFactory, tender=factory.SelfAttribute("..tender"), status=BidStatus.OPENED)
    supplier = factory.SelfAttribute("bid.supplier")
    amount = Decimal("700000.00")
    decided_by = factory.SubFactory(UserFactory)
    decided_at = factory.LazyFunction(timezone.now)


class ObjectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Objection

    tender = factory.SubFactory(TenderFactory)
    supplier = factory.SubFactory(SupplierFactory, park=factory.SelfAttribute("..tender.park"))
    filed_by = factory.SubFactory(UserFactory)
    text = "中标人业绩证明材料不实。"
    answer_due_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=9))


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Contract

    tender = factory.SubFactory(TenderFactory)
    park = factory.SelfAttribute("tender.park")
    supplier = factory.SubFactory(SupplierFactory, park=factory.SelfAttribute("..tender.park"))
    number = factory.Sequence(lambda n: f"HT-2026-{n:04d}")
    title = factory.LazyAttribute(lambda o: o.tender.title)
    value = Decimal("700000.00")
    signed_on = factory.LazyFunction(timezone.localdate)
    integrity_pledge = factory.SubFactory(
        PledgeFactory,
        template=factory.SubFactory(
            PledgeTemplateFactory, park=factory.SelfAttribute("...park"), signer_kind=SignerKind.CONTRACT
        ),
    )
    recorded_by = factory.SubFactory(UserFactory)


class ContractAmendmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ContractAmendment

    contract = factory.SubFactory(ContractFactory)
    value_change = Decimal("30000.00")
    reason = "增加10台显示器。"
    signed_on = factory.LazyFunction(timezone.localdate)
    recorded_by = factory.SubFactory(UserFactory)


class RedFlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RedFlag

    tender = factory.SubFactory(TenderFactory)
    park = factory.SelfAttribute("tender.park")
    kind = FlagKind.SINGLE_BID
    fingerprint = factory.Sequence(lambda n: f"single_bid:{n}")
    summary = "只有一家投标"
    evidence = factory.LazyFunction(lambda: {"bids": 1})


# --- whole tender files -----------------------------------------------------------------------------------

#: Statuses in the order a tender reaches them, for `tender_in`.
PATH = [
    TenderStatus.PUBLISHED,
    TenderStatus.CLOSED,
    TenderStatus.OPENED,
    TenderStatus.EVALUATION,
    TenderStatus.EVALUATED,
    TenderStatus.AWARDED,
    TenderStatus.ANNOUNCED,
    TenderStatus.CONTRACTED,
]
PRICES = [Decimal("690000.00"), Decimal("720000.00"), Decimal("750000.00")]


def tender_in(status, *, park, start=None, method=Method.OPEN_TENDER, suppliers=None, failed_after=None, **fields):
    """A tender of `park` as it stands in `status`, with its rows (three bids, the committee, the award, the
    contract…) as far as that status implies. Returns a namespace-like dict: tender, bids, award, contract.

    FAILED / CANCELLED: the tender failed (or was cancelled) after reaching `failed_after` (default: opened
    for a failure, published for a cancellation), with a failure/cancellation notice. JUSTIFICATION: a
    single-source tender with its justification published."""
    start = start or timezone.now() - dt.timedelta(days=60)
    built = {"tender": None, "bids": [], "award": None, "contract": None}
    if status == TenderStatus.DRAFT:
        built["tender"] = TenderFactory(park=park, method=method, **fields)
        return built
    if status == TenderStatus.JUSTIFICATION:
        built["tender"] = TenderFactory(
            park=park,
            method=Method.SINGLE_SOURCE,
            status=TenderStatus.JUSTIFICATION,
            justification="专有技术，仅此一家供应商能提供后续维保。",
            justification_published_at=start,
            justification_ends_at=start + dt.timedelta(days=7),
            **fields,
        )
        return built
    target = status
    if status in (TenderStatus.FAILED, TenderStatus.CANCELLED):
        default = TenderStatus.OPENED if status == TenderStatus.FAILED else TenderStatus.PUBLISHED
        target = failed_after or default
    reached = PATH[: PATH.index(target) + 1]
    tender = TenderFactory(
        park=park,
        method=method,
        status=target,
        published_at=start,
        clarification_deadline=start + dt.timedelta(days=10),
        bid_deadline=start + dt.timedelta(days=21),
        **fields,
    )
    built["tender"] = tender
    deadline = tender.bid_deadline
    if suppliers is None:
        suppliers = [make_supplier(park, f"{tender.number}投标人{n}有限公司")[0] for n in range(3)]
    if TenderStatus.CLOSED in reached:
        tender.closed_at = deadline
        tender.commitments_published_at = deadline
        built["bids"] = [
            BidFactory(tender=tender, supplier=s, submitted_at=start + dt.timedelta(days=5)) for s in suppliers
        ]
    if TenderStatus.OPENED in reached:
        tender.opened_at = deadline + dt.timedelta(minutes=5)
        tender.opening_cosigned_by = UserFactory()
        for n, (bid, price) in enumerate(zip(built["bids"], PRICES, strict=False)):
            bid.status = BidStatus.OPENED
            bid.opened_at = tender.opened_at
            bid.alias = "ABC"[n]
            bid.price = price
            bid.commitment_ok = True
            bid.is_valid = True
            bid.save()
    if TenderStatus.EVALUATION in reached:
        tender.evaluation_started_at = deadline + dt.timedelta(days=1)
    if TenderStatus.EVALUATED in reached:
        tender.evaluation_report_at = deadline + dt.timedelta(days=3)
        member = CommitteeMemberFactory(tender=tender, is_chair=True)
        for rank, bid in enumerate(built["bids"], start=1):
            ScoreFactory(member=member, bid=bid)
            bid.rank = rank
            bid.save(update_fields=["rank"])
    if TenderStatus.AWARDED in reached:
        tender.awarded_at = deadline + dt.timedelta(days=5)
        winner = built["bids"][0]
        built["award"] = AwardFactory(
            tender=tender, bid=winner, supplier=winner.supplier, amount=winner.price, decided_at=tender.awarded_at
        )
    if TenderStatus.ANNOUNCED in reached:
        tender.announced_at = deadline + dt.timedelta(days=6)
        tender.publicity_ends_at = deadline + dt.timedelta(days=7)
        built["award"].announced_at = tender.announced_at
        built["award"].save(update_fields=["announced_at"])
    if TenderStatus.CONTRACTED in reached:
        award = built["award"]
        built["contract"] = ContractFactory(
            tender=tender,
            supplier=award.supplier,
            value=award.amount,
            signed_on=timezone.localdate(deadline + dt.timedelta(days=20)),
            status=ContractStatus.PUBLISHED,
            published_at=deadline + dt.timedelta(days=21),
        )
    if status in (TenderStatus.FAILED, TenderStatus.CANCELLED):
        tender.status = status
        tender.failed_at = (tender.opened_at or tender.published_at) + dt.timedelta(hours=1)
        tender.failure_reason = "有效投标不足三家" if status == TenderStatus.FAILED else "采购需求取消"
        kind = TenderChangeKind.FAILURE if status == TenderStatus.FAILED else TenderChangeKind.CANCELLATION
        TenderChangeFactory(tender=tender, kind=kind, text=tender.failure_reason, published_at=tender.failed_at)
    tender.save()
    return built
