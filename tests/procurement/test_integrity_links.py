"""Procurement's links into integrity: a gift from an enterprise with a live bid or a contract in performance
with the park is flagged on the declaration (integrity.business), and contracts feed the 三重一大 register's
spending (integrity.decisions_spending). Also the red-flag admin, which redacts restricted evidence."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from integrity.business import open_business_with
from integrity.choices import DeclarationStatus
from integrity.decisions_spending import spending_items
from procurement.choices import BidStatus, ContractStatus, TenderStatus
from procurement.integrity_links import contract_spending_items, open_procurement_business
from procurement.services.flags import flags_compute
from tests.integrity.conftest import make_declaration
from tests.procurement.factories_flags import (
    ContractAmendmentRowFactory,
    ContractRowFactory,
    opened_tender,
)
from tests.procurement.test_redflags import declare_interest

pytestmark = pytest.mark.django_db


def codes(declaration):
    return [flag["code"] for flag in declaration.flags]


def test_a_gift_from_an_enterprise_with_a_live_bid_is_flagged(world_a):
    tender, (bid,) = opened_tender(world_a.park, prices=[1], status=TenderStatus.PUBLISHED)
    bid.status = BidStatus.SEALED
    bid.save()

    declaration = make_declaration(
        world_a, status=DeclarationStatus.SUBMITTED, giver_credit_code=bid.supplier.enterprise.credit_code
    )

    assert codes(declaration) == ["giver_open_business"]


def test_a_sealed_bid_is_described_without_its_tender(world_a):
    tender, (bid,) = opened_tender(world_a.park, prices=[1], status=TenderStatus.PUBLISHED)
    bid.status = BidStatus.SEALED
    bid.save()

    (description,) = open_procurement_business(bid.supplier.enterprise, world_a.park)

    assert tender.number not in description


def test_an_opened_bid_names_its_tender(world_a):
    tender, (bid,) = opened_tender(world_a.park, prices=[1])

    (description,) = open_procurement_business(bid.supplier.enterprise, world_a.park)

    assert tender.number in description


@pytest.mark.parametrize("status", [BidStatus.WITHDRAWN, BidStatus.REPLACED])
def test_a_withdrawn_or_replaced_bid_is_no_open_business(world_a, status):
    _tender, (bid,) = opened_tender(world_a.park, prices=[1], status=TenderStatus.PUBLISHED)
    bid.status = status
    bid.save()

    assert open_procurement_business(bid.supplier.enterprise, world_a.park) == []


@pytest.mark.parametrize("status", [TenderStatus.CONTRACTED, TenderStatus.FAILED, TenderStatus.CANCELLED])
def test_a_bid_in_a_finished_tender_is_no_open_business(world_a, status):
    _tender, (bid,) = opened_tender(world_a.park, prices=[1], status=status)

    assert open_procurement_business(bid.supplier.enterprise, world_a.park) == []


def test_a_bid_in_another_park_is_no_open_business_with_this_one(world_a, world_b):
    _tender, (bid,) = opened_tender(world_b.park, prices=[1])

    assert open_procurement_business(bid.supplier.enterprise, world_a.park) == []


def test_a_contract_in_performance_is_open_business_until_its_period_ends(world_a):
    today = timezone.localdate()
    running = ContractRowFactory(tender__park=world_a.park, period_end=today)
    ended = ContractRowFactory(tender__park=world_a.park, period_end=today - dt.timedelta(days=1))
    terminated = ContractRowFactory(tender__park=world_a.park, status=ContractStatus.TERMINATED)

    assert len(open_procurement_business(running.supplier.enterprise, world_a.park)) == 1
    assert open_procurement_business(ended.supplier.enterprise, world_a.park) == []
    assert open_procurement_business(terminated.supplier.enterprise, world_a.park) == []


def test_the_provider_is_registered(world_a):
    _tender, (bid,) = opened_tender(world_a.park, prices=[1])

    assert open_business_with(bid.supplier.enterprise, world_a.park)


# --- 三重一大 spending -----------------------------------------------------------------------------------


def test_contracts_are_spending_items_with_their_amendments(world_a):
    contract = ContractRowFactory(tender__park=world_a.park, value=Decimal("800000.00"), tender__category="works")
    ContractAmendmentRowFactory(contract=contract, value_change=Decimal("50000.00"))
    today = timezone.localdate()

    (item,) = contract_spending_items(world_a.park, today - dt.timedelta(days=1), today)

    assert (item.reference, item.amount, item.date, item.decision_id) == (
        contract.number,
        Decimal("850000.00"),
        today,
        getattr(contract, "decision_id", None),
    )
    assert item.decision_kind == "major_project"


def test_contracts_outside_the_dates_or_terminated_are_not_spending(world_a, world_b):
    today = timezone.localdate()
    ContractRowFactory(tender__park=world_a.park, signed_on=today - dt.timedelta(days=40))
    ContractRowFactory(tender__park=world_a.park, status=ContractStatus.TERMINATED)
    ContractRowFactory(tender__park=world_b.park)

    assert contract_spending_items(world_a.park, today - dt.timedelta(days=30), today) == []


def test_the_spending_source_is_registered(world_a):
    contract = ContractRowFactory(tender__park=world_a.park)
    today = timezone.localdate()

    assert contract.number in [item.reference for item in spending_items(world_a.park, today, today)]


# --- the admin -------------------------------------------------------------------------------------------


def test_the_admin_redacts_the_declared_interest_for_an_auditor(client, world_a, platform_admin):
    tender, (a, _b) = opened_tender(world_a.park, prices=[1, 2])
    declare_interest(world_a, world_a.handler, a.supplier.enterprise)
    (flag,) = flags_compute(tender_id=tender.pk, trigger="opening")
    url = reverse("admin:procurement_redflag_change", args=[flag.pk])
    official = flag.evidence["official"]

    world_a.auditor.is_staff = True
    world_a.auditor.save()
    client.force_login(world_a.auditor)
    response = client.get(url)
    assert response.status_code == 200
    assert official not in response.content.decode()

    platform_admin.is_staff = True
    platform_admin.save()
    client.force_login(platform_admin)
    assert official in client.get(url).content.decode()


def test_the_admin_lists_only_the_users_parks(client, world_a, world_b):
    from tests.procurement.factories_flags import RedFlagFactory

    RedFlagFactory(tender__park=world_a.park, summary="甲园区预警")
    RedFlagFactory(tender__park=world_b.park, summary="乙园区预警")
    world_a.auditor.is_staff = True
    world_a.auditor.save()
    client.force_login(world_a.auditor)

    html = client.get(reverse("admin:procurement_redflag_changelist")).content.decode()

    assert "甲园区预警" in html and "乙园区预警" not in html
