"""Factories and builders of the red-flag tests. They write rows directly (opened bids with prices and aliases,
awards, contracts, committees), so the checks can be tested without driving the earlier stages' services;
the behaviour under test (flags_compute, flag_confirm, flag_dismiss) always goes through the services."""

import datetime as dt
import hashlib
import secrets
from decimal import Decimal

import factory
from django.utils import timezone

from procurement import models
from procurement.choices import (
    BidStatus,
    CommitteeMemberStatus,
    ContractStatus,
    EvaluatorKind,
    FlagKind,
    TenderStatus,
)
from tests.accounts.factories import UserFactory
from tests.integrity.factories import PledgeFactory
from tests.procurement.factories import SupplierFactory, TenderFactory


class OpenedBidFactory(factory.django.DjangoModelFactory):
    """A bid as the opening leaves it: opened, valid, with its alias and price (ciphertext is random bytes)."""

    class Meta:
        model = models.Bid

    tender = factory.SubFactory(TenderFactory, status=TenderStatus.OPENED)
    supplier = factory.SubFactory(SupplierFactory, park=factory.SelfAttribute("..tender.park"))
    status = BidStatus.OPENED
    ciphertext = factory.LazyFunction(lambda: secrets.token_bytes(48))
    wrapped_key = factory.LazyFunction(lambda: secrets.token_bytes(32))
    iv = factory.LazyFunction(lambda: secrets.token_bytes(12))
    commitment = factory.LazyFunction(lambda: secrets.token_hex(32))
    ciphertext_sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.ciphertext).hexdigest())
    receipt = factory.Sequence(lambda n: f"R-FLAG-{n:06d}")
    submitted_by = factory.SubFactory(UserFactory)
    opened_at = factory.LazyFunction(timezone.now)
    alias = factory.Sequence(lambda n: "ABCDEFGHIJ"[n % 10])
    price = Decimal("500000.00")
    commitment_ok = True
    is_valid = True


class OpenedBidDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.BidDocument

    bid = factory.SubFactory(OpenedBidFactory)
    name = factory.Sequence(lambda n: f"投标文件{n}.pdf")
    sha256 = factory.LazyFunction(lambda: secrets.token_hex(32))
    size = 2048


class AwardRowFactory(factory.django.DjangoModelFactory):
    """An award of `bid` (its tender, supplier and price)."""

    class Meta:
        model = models.Award

    bid = factory.SubFactory(OpenedBidFactory)
    tender = factory.SelfAttribute("bid.tender")
    supplier = factory.SelfAttribute("bid.supplier")
    amount = factory.SelfAttribute("bid.price")
    decided_by = factory.SubFactory(UserFactory)
    decided_at = factory.LazyFunction(timezone.now)


class ContractRowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Contract

    tender = factory.SubFactory(TenderFactory, status=TenderStatus.CONTRACTED)
    park = factory.SelfAttribute("tender.park")
    supplier = factory.SubFactory(SupplierFactory, park=factory.SelfAttribute("..tender.park"))
    number = factory.Sequence(lambda n: f"HT-2026-{n:04d}")
    title = factory.LazyAttribute(lambda o: o.tender.title)
    value = Decimal("1000000.00")
    signed_on = factory.LazyFunction(timezone.localdate)
    status = ContractStatus.PUBLISHED
    integrity_pledge = factory.SubFactory(PledgeFactory, park=factory.SelfAttribute("..park"))
    recorded_by = factory.SubFactory(UserFactory)


class ContractAmendmentRowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ContractAmendment

    contract = factory.SubFactory(ContractRowFactory)
    value_change = Decimal("50000.00")
    reason = "增加附属工程量"
    signed_on = factory.LazyFunction(timezone.localdate)
    recorded_by = factory.SubFactory(UserFactory)


class CommitteeSeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CommitteeMember

    tender = factory.SubFactory(TenderFactory, status=TenderStatus.EVALUATION)
    user = factory.SubFactory(UserFactory)
    kind = EvaluatorKind.EXPERT
    status = CommitteeMemberStatus.PLEDGED


class PoolSeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.EvaluatorPoolMember

    park = factory.SubFactory("tests.parks.factories.ParkFactory")
    user = factory.SubFactory(UserFactory)
    kind = EvaluatorKind.EXPERT


class RedFlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RedFlag

    tender = factory.SubFactory(TenderFactory, status=TenderStatus.OPENED)
    park = factory.SelfAttribute("tender.park")
    kind = FlagKind.SINGLE_BID
    blocking = factory.LazyAttribute(lambda o: o.kind in (FlagKind.RELATED_BIDDERS, FlagKind.EVALUATOR_LINKED))
    fingerprint = factory.Sequence(lambda n: f"test:{n}")
    summary = "只收到一份投标。"
    evidence = factory.LazyFunction(lambda: {"bids": 1})


def opened_tender(park, *, prices=(), method=None, budget=Decimal("1000000.00"), **fields):
    """A tender of `park` opened today, published 25 days before, with one valid opened bid per price (new
    approved suppliers, aliases A, B, C…). Returns (tender, bids)."""
    now = timezone.now()
    values = {
        "park": park,
        "status": TenderStatus.OPENED,
        "budget": budget,
        "published_at": now - dt.timedelta(days=25),
        "bid_deadline": now - dt.timedelta(hours=1),
        "opened_at": now,
        **fields,
    }
    if method is not None:
        values["method"] = method
    tender = TenderFactory(**values)
    bids = [
        OpenedBidFactory(tender=tender, alias="ABCDEFGHIJ"[i], price=Decimal(str(price)))
        for i, price in enumerate(prices)
    ]
    return tender, bids


def award(bid, *, decided_at=None, amount=None, **fields):
    """Award `bid` (the tender moves to "awarded")."""
    tender = bid.tender
    tender.status = TenderStatus.AWARDED
    tender.awarded_at = decided_at or timezone.now()
    tender.save(update_fields=["status", "awarded_at"])
    return AwardRowFactory(
        bid=bid, amount=amount if amount is not None else bid.price, decided_at=decided_at or timezone.now(), **fields
    )
