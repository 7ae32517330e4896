"""Award, announcement, objections and contracts on the work calendar (issue 5 point 5)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from core.errors import Conflict, DomainError, PermissionDenied
from core.models import AuditEvent
from procurement.choices import ContractStatus, FlagKind, ObjectionStatus, TenderStatus
from procurement.models import RedFlag
from procurement.services import award as award_services
from procurement.services import contracts as contract_services
from tests.procurement.conftest import make_supplier
from tests.procurement.factories_evaluation import evaluated_tender


def at(*args):
    return timezone.make_aware(dt.datetime(*args))


@pytest.fixture
def evaluated(world_a, procurement_officer):
    """Tender evaluated on Mon 28 Sep 2026: A ranks first (700 000), C second, B third."""
    opened = evaluated_tender(world_a, procurement_officer, marks={"A": 90, "B": 60, "C": 80}, now=at(2026, 9, 28, 10))
    opened.officer = procurement_officer
    return opened


@pytest.fixture
def announced(evaluated):
    """Awarded to A on 29 Sep 2026 and announced at once: publicity ends 30 Sep; objections until the end of
    the 7th working day after it (8, 9, 10, 12, 13, 14, 15 Oct 2026: National Day and a make-up Saturday)."""
    award_services.award_decide(
        tender=evaluated.tender, actor=evaluated.officer, bid=evaluated.bids[0], now=at(2026, 9, 29, 9)
    )
    award_services.award_announce(tender=evaluated.tender, actor=evaluated.officer, now=at(2026, 9, 29, 10))
    evaluated.tender.refresh_from_db()
    return evaluated


def sign_integrity_contract(opened, now):
    return contract_services.integrity_contract_sign(tender=opened.tender, actor=opened.users[0], now=now)


# --- award ----------------------------------------------------------------------------------------------------


def test_the_award_goes_to_the_first_ranked_bid_without_a_reason(evaluated):
    award = award_services.award_decide(tender=evaluated.tender, actor=evaluated.officer, bid=evaluated.bids[0])
    assert award.supplier == evaluated.suppliers[0] and award.amount == Decimal("700000.00")
    evaluated.tender.refresh_from_db()
    assert evaluated.tender.status == TenderStatus.AWARDED


def test_passing_over_the_first_ranked_bid_needs_a_written_reason(evaluated):
    with pytest.raises(DomainError) as error:
        award_services.award_decide(tender=evaluated.tender, actor=evaluated.officer, bid=evaluated.bids[2])
    assert error.value.field == "reason"
    award = award_services.award_decide(
        tender=evaluated.tender, actor=evaluated.officer, bid=evaluated.bids[2], reason="第一名放弃中标资格"
    )
    assert award.reason == "第一名放弃中标资格"


def test_only_procurement_staff_of_the_park_decide(evaluated, world_a, world_b):
    for outsider in (world_a.handler, world_a.discipline, world_b.park_admin, evaluated.users[0]):
        with pytest.raises(PermissionDenied):
            award_services.award_decide(tender=evaluated.tender, actor=outsider, bid=evaluated.bids[0])


def test_a_late_decision_is_accepted_and_its_lateness_recorded(evaluated):
    # 5 working days from 28 Sep: 29, 30 Sep, 8, 9 and (a make-up Saturday) 10 Oct.
    assert timezone.localtime(evaluated.tender.award_due_at).date() == dt.date(2026, 10, 10)
    award = award_services.award_decide(
        tender=evaluated.tender, actor=evaluated.officer, bid=evaluated.bids[0], now=at(2026, 10, 13, 9)
    )
    event = AuditEvent.objects.get(action="award.decided", target_id=str(award.pk))
    assert event.data["late"] is True and event.data["working_days_late"] == 2


def test_the_award_queues_the_red_flag_check_after_commit(evaluated, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        award_services.award_decide(tender=evaluated.tender, actor=evaluated.officer, bid=evaluated.bids[0])
    assert callbacks


def test_an_open_blocking_flag_refuses_the_award(evaluated):
    RedFlag.objects.create(
        park=evaluated.tender.park,
        tender=evaluated.tender,
        kind=FlagKind.EVALUATOR_LINKED,
        blocking=True,
        fingerprint="x",
        summary="评委与投标人关联",
    )
    with pytest.raises(Conflict) as error:
        award_services.award_decide(tender=evaluated.tender, actor=evaluated.officer, bid=evaluated.bids[0])
    assert "评委与投标人关联" in str(error.value)


def test_the_announcement_sets_the_periods_on_the_work_calendar(announced):
    tender = announced.tender
    assert tender.status == TenderStatus.ANNOUNCED
    assert timezone.localtime(tender.publicity_ends_at).date() == dt.date(2026, 9, 30)
    assert timezone.localtime(tender.objection_deadline).date() == dt.date(2026, 10, 15)
    assert tender.contract_due_at == at(2026, 9, 29, 10) + dt.timedelta(days=30)


def test_the_announcement_notifies_every_bidder(announced):
    from core.models import Notification

    notified = set(Notification.objects.filter(kind="procurement.award_announced").values_list("recipient", flat=True))
    assert {user.pk for user in announced.users} <= notified


# --- objections -----------------------------------------------------------------------------------------------


def test_a_bidder_may_object_during_the_national_day_holiday(announced):
    objection = award_services.objection_file(
        tender=announced.tender,
        supplier=announced.suppliers[1],
        actor=announced.users[1],
        text="评分有误",
        now=at(2026, 10, 3, 12),
    )
    # Answered within 7 working days: 8, 9, 10, 12, 13, 14, 15 Oct.
    assert timezone.localtime(objection.answer_due_at).date() == dt.date(2026, 10, 15)


def test_an_objection_on_the_last_evening_is_accepted_and_the_next_morning_refused(announced):
    award_services.objection_file(
        tender=announced.tender,
        supplier=announced.suppliers[1],
        actor=announced.users[1],
        text="评分有误",
        now=at(2026, 10, 15, 23, 30),
    )
    with pytest.raises(Conflict) as error:
        award_services.objection_file(
            tender=announced.tender,
            supplier=announced.suppliers[2],
            actor=announced.users[2],
            text="评分有误",
            now=at(2026, 10, 16, 0, 1),
        )
    assert error.value.code == "objection_period_over"


def test_only_bidders_of_the_tender_may_object(announced, world_a):
    outsider, user = make_supplier(world_a.park, "未投标供应商有限公司")
    with pytest.raises(PermissionDenied):
        award_services.objection_file(
            tender=announced.tender, supplier=outsider, actor=user, text="x", now=at(2026, 10, 8, 9)
        )
    with pytest.raises(PermissionDenied):  # acting for another bidder's enterprise
        award_services.objection_file(
            tender=announced.tender,
            supplier=announced.suppliers[1],
            actor=announced.users[2],
            text="x",
            now=at(2026, 10, 8, 9),
        )


def test_an_open_objection_suspends_the_contract_until_answered(announced):
    objection = award_services.objection_file(
        tender=announced.tender,
        supplier=announced.suppliers[1],
        actor=announced.users[1],
        text="评分有误",
        now=at(2026, 10, 14, 9),
    )
    pledge = sign_integrity_contract(announced, at(2026, 10, 14, 10))
    signing = {
        "tender": announced.tender,
        "actor": announced.officer,
        "number": "HT-2026-001",
        "value": Decimal("700000.00"),
        "signed_on": dt.date(2026, 10, 16),
        "integrity_pledge": pledge,
        "now": at(2026, 10, 16, 10),
    }
    with pytest.raises(Conflict) as error:
        contract_services.contract_sign(**signing)
    assert error.value.code == "objection_open"
    award_services.objection_answer(
        objection=objection, actor=announced.officer, upheld=False, answer="经复核，评分无误。", now=at(2026, 10, 16, 9)
    )
    contract = contract_services.contract_sign(**signing)
    assert contract.status == ContractStatus.SIGNED
    announced.tender.refresh_from_db()
    assert announced.tender.status == TenderStatus.CONTRACTED


def test_an_objection_classified_as_not_affecting_the_result_does_not_suspend(announced):
    objection = award_services.objection_file(
        tender=announced.tender,
        supplier=announced.suppliers[1],
        actor=announced.users[1],
        text="公告格式不规范",
        now=at(2026, 10, 9, 9),
    )
    award_services.objection_classify(
        objection=objection, actor=announced.officer, may_affect_result=False, reason="仅涉及公告格式"
    )
    pledge = sign_integrity_contract(announced, at(2026, 10, 14, 10))
    contract = contract_services.contract_sign(
        tender=announced.tender,
        actor=announced.officer,
        number="HT-2026-002",
        value=Decimal("700000.00"),
        signed_on=dt.date(2026, 10, 16),
        integrity_pledge=pledge,
        now=at(2026, 10, 16, 10),
    )
    assert contract.pk


def test_an_upheld_objection_blocks_the_contract_until_the_award_is_decided_again(announced):
    objection = award_services.objection_file(
        tender=announced.tender,
        supplier=announced.suppliers[2],
        actor=announced.users[2],
        text="A的资质证书已过期",
        now=at(2026, 10, 9, 9),
    )
    award_services.objection_answer(
        objection=objection, actor=announced.officer, upheld=True, answer="质疑成立。", now=at(2026, 10, 12, 9)
    )
    pledge = sign_integrity_contract(announced, at(2026, 10, 12, 10))
    with pytest.raises(Conflict) as error:
        contract_services.contract_sign(
            tender=announced.tender,
            actor=announced.officer,
            number="HT-2026-003",
            value=Decimal("700000.00"),
            signed_on=dt.date(2026, 10, 16),
            integrity_pledge=pledge,
            now=at(2026, 10, 16, 10),
        )
    assert error.value.code == "objection_upheld"
    award = award_services.award_decide(
        tender=announced.tender,
        actor=announced.officer,
        bid=announced.bids[2],
        reason="质疑成立，第一名资质失效",
        now=at(2026, 10, 16, 11),
    )
    assert award.supplier == announced.suppliers[2] and award.announced_at is None
    award_services.award_announce(tender=announced.tender, actor=announced.officer, now=at(2026, 10, 16, 12))
    announced.tender.refresh_from_db()
    assert announced.tender.objection_deadline > at(2026, 10, 20)


def test_the_award_is_not_decided_again_without_an_upheld_objection(announced):
    with pytest.raises(Conflict):
        award_services.award_decide(
            tender=announced.tender, actor=announced.officer, bid=announced.bids[2], reason="改变主意"
        )


def test_an_objection_is_answered_once_in_writing(announced):
    objection = award_services.objection_file(
        tender=announced.tender,
        supplier=announced.suppliers[1],
        actor=announced.users[1],
        text="x",
        now=at(2026, 10, 8, 9),
    )
    with pytest.raises(DomainError):
        award_services.objection_answer(objection=objection, actor=announced.officer, upheld=False, answer=" ")
    award_services.objection_answer(objection=objection, actor=announced.officer, upheld=False, answer="驳回")
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.REJECTED
    with pytest.raises(Conflict):
        award_services.objection_answer(objection=objection, actor=announced.officer, upheld=True, answer="再答")


# --- contract -------------------------------------------------------------------------------------------------


def test_the_contract_waits_for_the_end_of_the_objection_period(announced):
    pledge = sign_integrity_contract(announced, at(2026, 10, 8, 10))
    with pytest.raises(Conflict) as error:
        contract_services.contract_sign(
            tender=announced.tender,
            actor=announced.officer,
            number="HT-1",
            value=Decimal("700000.00"),
            signed_on=dt.date(2026, 10, 15),
            integrity_pledge=pledge,
            now=at(2026, 10, 15, 10),
        )
    assert error.value.code == "objection_period_running"


def test_the_contract_needs_the_suppliers_integrity_contract_for_this_tender(announced, world_a):
    from tests.integrity.factories import PledgeFactory, PledgeTemplateFactory

    foreign = PledgeFactory(
        template=PledgeTemplateFactory(park=world_a.park, signer_kind="contract", version=99),
        enterprise=announced.suppliers[0].enterprise,
        reference="CG-OTHER",
        expires_at=timezone.now() + dt.timedelta(days=300),
    )
    for pledge in (None, foreign):
        with pytest.raises(DomainError) as error:
            contract_services.contract_sign(
                tender=announced.tender,
                actor=announced.officer,
                number="HT-1",
                value=Decimal("700000.00"),
                signed_on=dt.date(2026, 10, 16),
                integrity_pledge=pledge,
                now=at(2026, 10, 16, 10),
            )
        assert error.value.field == "integrity_pledge"


def test_only_the_awarded_supplier_signs_the_integrity_contract(announced):
    with pytest.raises(PermissionDenied):
        contract_services.integrity_contract_sign(tender=announced.tender, actor=announced.users[1])
    pledge = sign_integrity_contract(announced, timezone.now())
    assert pledge.signer_kind == "contract" and pledge.reference == announced.tender.number


def test_the_contract_value_is_the_awarded_amount(announced):
    pledge = sign_integrity_contract(announced, at(2026, 10, 12, 10))
    with pytest.raises(DomainError) as error:
        contract_services.contract_sign(
            tender=announced.tender,
            actor=announced.officer,
            number="HT-1",
            value=Decimal("750000.00"),
            signed_on=dt.date(2026, 10, 16),
            integrity_pledge=pledge,
            now=at(2026, 10, 16, 10),
        )
    assert error.value.field == "value"


@pytest.fixture
def contract(announced):
    pledge = sign_integrity_contract(announced, at(2026, 10, 12, 10))
    return contract_services.contract_sign(
        tender=announced.tender,
        actor=announced.officer,
        number="HT-2026-100",
        value=Decimal("700000.00"),
        signed_on=dt.date(2026, 10, 16),
        integrity_pledge=pledge,
        now=at(2026, 10, 16, 10),
    )


def test_the_contract_is_to_be_published_within_two_working_days(contract, announced):
    assert timezone.localtime(contract.publish_due_at).date() == dt.date(2026, 10, 20)
    contract_services.contract_publish(contract=contract, actor=announced.officer, now=at(2026, 10, 19, 9))
    contract.refresh_from_db()
    assert contract.status == ContractStatus.PUBLISHED


def test_supplementary_contracts_are_capped_at_ten_percent_in_total(contract, announced):
    officer = announced.officer
    today = timezone.localdate()
    contract_services.contract_amend(
        contract=contract, actor=officer, value_change="50000", reason="增购", signed_on=today
    )
    contract_services.contract_amend(
        contract=contract, actor=officer, value_change="-5000", reason="减项", signed_on=today
    )
    with pytest.raises(DomainError) as error:
        contract_services.contract_amend(
            contract=contract, actor=officer, value_change="20000.01", reason="再增购", signed_on=today
        )
    assert error.value.code == "amendment_cap"
    contract_services.contract_amend(
        contract=contract, actor=officer, value_change="20000", reason="再增购", signed_on=today
    )
    assert contract.amendments.count() == 3


def test_a_supplementary_contract_needs_a_reason_and_a_change(contract, announced):
    today = timezone.localdate()
    with pytest.raises(DomainError):
        contract_services.contract_amend(
            contract=contract, actor=announced.officer, value_change="100", reason="", signed_on=today
        )
    with pytest.raises(DomainError):
        contract_services.contract_amend(
            contract=contract, actor=announced.officer, value_change="0", reason="x", signed_on=today
        )


def test_an_amendment_queues_the_red_flag_check(contract, announced, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        contract_services.contract_amend(
            contract=contract, actor=announced.officer, value_change="100", reason="x", signed_on=timezone.localdate()
        )
    assert callbacks
