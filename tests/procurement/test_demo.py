"""`manage.py seed_procurement_demo`: the e-procurement platform of the demo parks on top of `seed_demo`, loaded
through the services (sealed bids opened with the discipline officer's co-signature), and idempotent."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from core.models import AuditEvent
from procurement.choices import BidStatus, FlagKind, Method, SupplierStatus, TenderStatus
from procurement.models import (
    Bid,
    CommitteeMember,
    Contract,
    ContractAmendment,
    EvaluatorPoolMember,
    Objection,
    OfficerKey,
    RedFlag,
    Supplier,
    Tender,
)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo loaded once for the module (it seals and opens dozens of bids); rolled back at the end."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            call_command("seed_demo", verbosity=0)
            call_command("seed_integrity_demo", verbosity=0)
            call_command("seed_procurement_demo", verbosity=0)
            yield
            transaction.set_rollback(True)


pytestmark = pytest.mark.usefixtures("seeded")


def test_tenders_reach_every_status(db):
    assert set(Tender.objects.values_list("status", flat=True)) == set(TenderStatus.values)


def test_tenders_use_every_method(db):
    assert set(Tender.objects.values_list("method", flat=True)) == set(Method.values)


def test_each_demo_park_has_its_procurement_officer_experts_and_a_pool(db):
    User = get_user_model()
    for code in ("yzw", "lx", "qz"):
        officer = User.objects.get(username=f"procurement_{code}")
        assert officer.check_password("Qinglian@2026")
        assert officer.staff_profile.parks.filter(code=code).exists()
        for n in (1, 2):
            assert User.objects.get(username=f"expert_{code}_{n}").check_password("Qinglian@2026")
        assert EvaluatorPoolMember.objects.filter(park__code=code, kind="expert").count() >= 4


def test_the_discipline_officers_hold_opening_keys(db):
    officers = ["discipline_yzw", "discipline_lx", "discipline_qz"]

    assert OfficerKey.objects.filter(user__username__in=officers).count() == 3


def test_suppliers_are_approved_and_pending(db):
    statuses = set(Supplier.objects.values_list("status", flat=True))

    assert {SupplierStatus.APPROVED, SupplierStatus.PENDING} <= statuses


def test_bids_of_a_tender_open_for_bids_stay_sealed(db):
    published = Tender.objects.filter(status=TenderStatus.PUBLISHED)
    bids = Bid.objects.filter(tender__in=published)

    assert bids.exists()
    assert set(bids.values_list("status", flat=True)) == {BidStatus.SEALED}
    assert not bids.filter(price__isnull=False).exists()


def test_opened_bids_match_their_commitments_and_were_co_signed(db):
    opened = Bid.objects.filter(status=BidStatus.OPENED)

    assert opened.count() >= 20
    assert not opened.filter(commitment_ok=False).exists()
    assert not Tender.objects.filter(opened_at__isnull=False, opening_cosigned_by__isnull=True).exists()


def test_a_tender_under_evaluation_waits_for_one_evaluator(db):
    tender = Tender.objects.get(status=TenderStatus.EVALUATION)

    statuses = list(tender.committee.values_list("status", flat=True))
    assert statuses.count("submitted") == len(statuses) - 1


def test_an_objection_was_answered(db):
    objection = Objection.objects.get()

    assert objection.answered_at is not None and objection.answer


def test_contracts_carry_an_integrity_contract_and_one_has_an_amendment(db):
    contracts = Contract.objects.all()

    assert contracts.count() >= 3
    for contract in contracts:
        assert contract.integrity_pledge.signer_kind == "contract"
        assert contract.integrity_pledge.enterprise_id == contract.supplier.enterprise_id
    assert ContractAmendment.objects.count() == 1


def test_the_demo_raises_the_red_flags_it_stages(db):
    kinds = set(RedFlag.objects.values_list("kind", flat=True))

    assert {
        FlagKind.SINGLE_BID,
        FlagKind.CLOSE_PRICES,
        FlagKind.NEAR_BUDGET,
        FlagKind.RELATED_BIDDERS,
        FlagKind.SPLIT_PURCHASE,
    } <= kinds


def test_the_related_bidders_flag_holds_its_tender_at_the_opening(db):
    flag = RedFlag.objects.get(kind=FlagKind.RELATED_BIDDERS)

    assert flag.blocking and flag.status == "open"
    assert flag.tender.status == TenderStatus.OPENED


def test_the_story_is_in_the_audit_trail(db):
    actions = set(AuditEvent.objects.filter(action__startswith="tender.").values_list("action", flat=True))

    assert {"tender.published", "tender.closed", "tender.opened", "tender.failed", "tender.cancelled"} <= actions


def test_running_it_again_changes_nothing(db):
    before = (
        Tender.objects.count(),
        Bid.objects.count(),
        Supplier.objects.count(),
        CommitteeMember.objects.count(),
        RedFlag.objects.count(),
        AuditEvent.objects.count(),
        get_user_model().objects.count(),
    )

    call_command("seed_procurement_demo", verbosity=0)

    assert (
        Tender.objects.count(),
        Bid.objects.count(),
        Supplier.objects.count(),
        CommitteeMember.objects.count(),
        RedFlag.objects.count(),
        AuditEvent.objects.count(),
        get_user_model().objects.count(),
    ) == before
