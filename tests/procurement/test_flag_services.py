"""Computing red flags (idempotent, audited, notified, never re-opening a decided flag), scheduling the
computation after commit, and deciding flags: confirm into the integrity-risk register, dismiss with a reason,
who may do it, and the blocking flags that hold a tender."""

import datetime as dt

import pytest
from django.utils import timezone

from core import roles
from core.audit import events_for
from core.errors import Conflict, DomainError, PermissionDenied
from core.models import Notification
from integrity.choices_risk import PullForwardReason, RiskArea, RiskSource, RiskStatus
from integrity.models import IntegrityRisk
from procurement.choices import FlagKind, FlagStatus
from procurement.models import RedFlag
from procurement.selectors.flags import blocking_flags
from procurement.services.flags import flag_confirm, flag_dismiss, flags_compute, schedule_flag_check
from tests.conftest import make_official
from tests.integrity.factories_risk import IntegrityRiskFactory, default_matrix
from tests.procurement.factories_flags import RedFlagFactory, award, opened_tender

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def matrix():
    return default_matrix()


@pytest.fixture
def single_bid_tender(world_a):
    tender, _bids = opened_tender(world_a.park, prices=["500000.00"], buyer_department=world_a.business)
    return tender


# --- computing -------------------------------------------------------------------------------------------


def test_computing_twice_creates_one_flag(single_bid_tender):
    first = flags_compute(tender_id=single_bid_tender.pk, trigger="opening")
    second = flags_compute(tender_id=single_bid_tender.pk, trigger="opening")

    assert [f.kind for f in first] == [FlagKind.SINGLE_BID]
    assert second == []
    assert RedFlag.objects.filter(tender=single_bid_tender).count() == 1


def test_a_raised_flag_is_audited_as_the_system(single_bid_tender):
    (flag,) = flags_compute(tender_id=single_bid_tender.pk, trigger="opening")

    (event,) = events_for(flag)
    assert event.action == "red_flag.raised"
    assert event.actor_kind == "system"
    assert event.data["trigger"] == "opening"


def test_the_parks_discipline_officers_are_notified_of_a_new_flag(world_a, procurement_officer, single_bid_tender):
    flags_compute(tender_id=single_bid_tender.pk, trigger="opening")

    assert list(Notification.objects.filter(kind="red_flag.raised").values_list("recipient", flat=True)) == [
        world_a.discipline.pk
    ]
    assert not Notification.objects.filter(recipient=procurement_officer).exists()


def test_a_blocking_flag_also_tells_the_procurement_officers(world_a, procurement_officer):
    tender, (a, b) = opened_tender(world_a.park, prices=[1, 2])
    for bid in (a, b):
        bid.supplier.enterprise.contact_phone = "0898-88880000"
        bid.supplier.enterprise.save()

    (flag,) = flags_compute(tender_id=tender.pk, trigger="opening")

    assert flag.blocking and flag.kind == FlagKind.RELATED_BIDDERS
    assert Notification.objects.filter(recipient=procurement_officer, kind="red_flag.blocking").exists()
    assert list(blocking_flags(tender)) == [flag]


def test_a_dismissed_flag_is_not_raised_again(world_a, single_bid_tender):
    (flag,) = flags_compute(tender_id=single_bid_tender.pk, trigger="opening")
    flag_dismiss(flag=flag, actor=world_a.discipline, reason="单一来源前置论证已公示")

    assert flags_compute(tender_id=single_bid_tender.pk, trigger="opening") == []
    flag.refresh_from_db()
    assert flag.status == FlagStatus.DISMISSED


def test_the_audit_event_of_a_declared_interest_flag_carries_no_evidence(world_a):
    from tests.procurement.test_redflags import declare_interest

    tender, (a, _b) = opened_tender(world_a.park, prices=[1, 2])
    declare_interest(world_a, world_a.handler, a.supplier.enterprise)

    (flag,) = flags_compute(tender_id=tender.pk, trigger="opening")

    assert flag.kind == FlagKind.DECLARED_INTEREST
    assert events_for(flag)[0].data["evidence"] == {}


def test_an_unknown_trigger_is_refused(single_bid_tender):
    with pytest.raises(DomainError):
        flags_compute(tender_id=single_bid_tender.pk, trigger="lunch")


def test_a_missing_tender_computes_nothing(db):
    assert flags_compute(tender_id=987654, trigger="opening") == []


def test_the_computation_is_queued_after_commit(single_bid_tender, django_capture_on_commit_callbacks, monkeypatch):
    from procurement import tasks

    queued = []
    monkeypatch.setattr(tasks.compute_red_flags, "delay", lambda *args: queued.append(args))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        schedule_flag_check(single_bid_tender, "opening")
    assert queued == []

    for callback in callbacks:
        callback()
    assert queued == [(single_bid_tender.pk, "opening")]


def test_the_task_computes_the_flags(single_bid_tender):
    from procurement.tasks import compute_red_flags

    compute_red_flags(single_bid_tender.pk, "opening")

    assert RedFlag.objects.filter(tender=single_bid_tender, kind=FlagKind.SINGLE_BID).exists()


# --- confirming ------------------------------------------------------------------------------------------


@pytest.fixture
def flag(single_bid_tender):
    (flag,) = flags_compute(tender_id=single_bid_tender.pk, trigger="opening")
    return flag


def test_confirming_registers_a_procurement_risk_from_the_red_flag(world_a, flag):
    confirmed = flag_confirm(flag=flag, actor=world_a.discipline, note="同一供应商多次单独投标")

    risk = confirmed.risk
    assert confirmed.status == FlagStatus.CONFIRMED
    assert (risk.area, risk.source, risk.department) == (RiskArea.PROCUREMENT, RiskSource.RED_FLAG, world_a.business)
    assert flag.tender.number in risk.source_reference
    assert "同一供应商多次单独投标" in risk.description
    assert [e.action for e in events_for(confirmed)] == ["red_flag.raised", "red_flag.confirmed"]


def test_confirming_pulls_forward_the_review_of_the_departments_procurement_risk(world_a, flag, matrix):
    existing = IntegrityRiskFactory(
        park=world_a.park, department=world_a.business, area=RiskArea.PROCUREMENT, matrix_version=matrix
    )

    confirmed = flag_confirm(flag=flag, actor=world_a.discipline)

    existing.refresh_from_db()
    assert confirmed.risk == existing
    assert existing.review_pulled_reason == PullForwardReason.RED_FLAG_CONFIRMED
    assert existing.review_due_date == timezone.localdate()
    assert IntegrityRisk.objects.count() == 1


def test_a_closed_procurement_risk_is_not_reused(world_a, flag, matrix):
    IntegrityRiskFactory(
        park=world_a.park,
        department=world_a.business,
        area=RiskArea.PROCUREMENT,
        matrix_version=matrix,
        status=RiskStatus.CLOSED,
    )

    confirmed = flag_confirm(flag=flag, actor=world_a.discipline)

    assert confirmed.risk.status == RiskStatus.OPEN
    assert IntegrityRisk.objects.count() == 2


def test_a_tender_without_a_department_needs_one_named(world_a):
    tender, _ = opened_tender(world_a.park, prices=[1])
    (flag,) = flags_compute(tender_id=tender.pk, trigger="opening")

    with pytest.raises(DomainError) as caught:
        flag_confirm(flag=flag, actor=world_a.discipline)
    assert caught.value.field == "department"
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN

    confirmed = flag_confirm(flag=flag, actor=world_a.discipline, department=world_a.dispatch)
    assert confirmed.risk.department == world_a.dispatch


def test_a_department_of_another_park_is_refused(world_a, world_b):
    tender, _ = opened_tender(world_a.park, prices=[1])
    (flag,) = flags_compute(tender_id=tender.pk, trigger="opening")

    with pytest.raises(DomainError):
        flag_confirm(flag=flag, actor=world_a.discipline, department=world_b.business)
    assert not IntegrityRisk.objects.exists()


def test_a_decided_flag_cannot_be_confirmed_again(world_a, flag):
    flag_confirm(flag=flag, actor=world_a.discipline)

    with pytest.raises(Conflict):
        flag_confirm(flag=flag, actor=world_a.discipline)


# --- dismissing ------------------------------------------------------------------------------------------


def test_dismissing_needs_a_reason(world_a, flag):
    with pytest.raises(DomainError) as caught:
        flag_dismiss(flag=flag, actor=world_a.discipline, reason="  ")

    assert caught.value.field == "reason"
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN


def test_dismissing_records_the_reason_and_the_decider(world_a, flag):
    dismissed = flag_dismiss(flag=flag, actor=world_a.discipline, reason="市场供应商少，已延长公告期")

    assert (dismissed.status, dismissed.decided_by, dismissed.decision_reason) == (
        FlagStatus.DISMISSED,
        world_a.discipline,
        "市场供应商少，已延长公告期",
    )
    assert [e.action for e in events_for(dismissed)] == ["red_flag.raised", "red_flag.dismissed"]
    assert dismissed.risk is None


def test_a_dismissed_blocking_flag_no_longer_holds_the_tender(world_a):
    tender, _ = opened_tender(world_a.park, prices=[1])
    flag = RedFlagFactory(tender=tender, kind=FlagKind.EVALUATOR_LINKED)
    assert list(blocking_flags(tender)) == [flag]

    flag_dismiss(flag=flag, actor=world_a.discipline, reason="该评委已回避")

    assert not blocking_flags(tender).exists()


def test_an_informing_flag_never_holds_the_tender(world_a, flag):
    assert not flag.blocking
    assert not blocking_flags(flag.tender).exists()


# --- who decides -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["park_admin", "procurement", "auditor", "handler", "platform_admin", "other_park"])
@pytest.mark.parametrize("decision", ["confirm", "dismiss"])
def test_only_the_parks_discipline_officers_decide_flags(world_a, world_b, platform_admin, flag, who, decision):
    actor = {
        "park_admin": world_a.park_admin,
        "procurement": make_official(park=world_a.park, role=roles.PROCUREMENT),
        "auditor": world_a.auditor,
        "handler": world_a.handler,
        "platform_admin": platform_admin,
        "other_park": world_b.discipline,
    }[who]

    with pytest.raises(PermissionDenied):
        if decision == "confirm":
            flag_confirm(flag=flag, actor=actor)
        else:
            flag_dismiss(flag=flag, actor=actor, reason="理由")
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN


def test_an_award_computation_raises_award_flags(world_a):
    tender, (bid,) = opened_tender(world_a.park, prices=["990000.00"], buyer_department=world_a.business)
    award(bid)

    assert [f.kind for f in flags_compute(tender_id=tender.pk, trigger="award")] == [FlagKind.NEAR_BUDGET]


def test_the_sweep_computes_what_a_lost_message_left_undone(world_a):
    from procurement.tasks import sweep_red_flags

    recent, _ = opened_tender(world_a.park, prices=[1])
    old, _ = opened_tender(world_a.park, prices=[1], opened_at=timezone.now() - dt.timedelta(days=10))

    sweep_red_flags()

    assert RedFlag.objects.filter(tender=recent, kind=FlagKind.SINGLE_BID).exists()
    assert not RedFlag.objects.filter(tender=old).exists()


def test_the_sweep_recomputes_amended_contracts_and_twice_changes_nothing(world_a):
    from decimal import Decimal

    from procurement.services.flags import flags_sweep
    from tests.procurement.factories_flags import ContractAmendmentRowFactory, ContractRowFactory

    contract = ContractRowFactory(tender__park=world_a.park, value=Decimal("100.00"))
    ContractAmendmentRowFactory(contract=contract, value_change=Decimal("11.00"))

    assert flags_sweep() == 1
    assert flags_sweep() == 0
    assert RedFlag.objects.get(contract=contract).kind == FlagKind.AMENDMENT_GROWTH
