"""Tenders: the method rules at publication (per method, working days across a holiday), single-source
justification, invited minimum, change notices moving the deadline, anonymous clarifications, closing at the
deadline, failure and re-tender, scoping."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from core import roles
from core.errors import Conflict, DomainError, PermissionDenied
from core.models import AuditEvent
from procurement.choices import Method, SupplierStatus, TenderChangeKind, TenderStatus
from procurement.models import Supplier, Tender, TenderChange
from procurement.rules import method_rule
from procurement.selectors import tenders as selectors
from procurement.services import tenders as services
from procurement.tasks_tenders import sweep_due_tenders
from tests.conftest import make_official
from tests.procurement.factories import TenderFactory
from tests.procurement.factories_bids import set_up_officer

SH = ZoneInfo("Asia/Shanghai")
# A Monday well clear of holidays, and the Tuesday before National Day 2025 (1–8 Oct off, Sat 11 Oct worked).
MONDAY = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SH)
BEFORE_NATIONAL_DAY = dt.datetime(2025, 9, 30, 10, 0, tzinfo=SH)


@pytest.fixture
def officer_key(world_a):
    """The park's discipline officer sets up an opening key (publication seals to it)."""
    return set_up_officer(world_a.discipline)


def _draft(world, officer, method=Method.OPEN_TENDER, **fields):
    values = {"title": "园区办公设备采购", "method": method, "needs": "台式计算机50台", "budget": Decimal("800000")}
    return services.tender_create(park=world.park, actor=officer, **(values | fields))


def _publish(tender, officer, deadline, now, **kw):
    return services.tender_publish(tender=tender, actor=officer, bid_deadline=deadline, now=now, **kw)


# --- period rules per method ------------------------------------------------------------------------------------

# method: (shortest valid deadline, one day too early) for a tender published on MONDAY.
PERIODS = {
    Method.OPEN_TENDER: (MONDAY + dt.timedelta(days=20), MONDAY + dt.timedelta(days=19)),
    Method.INVITED_TENDER: (MONDAY + dt.timedelta(days=20), MONDAY + dt.timedelta(days=19)),
    # 3 working days: Tue, Wed, Thu.
    Method.NEGOTIATION: (dt.datetime(2026, 3, 5, 10, 0, tzinfo=SH), dt.datetime(2026, 3, 4, 10, 0, tzinfo=SH)),
    Method.INQUIRY: (dt.datetime(2026, 3, 5, 10, 0, tzinfo=SH), dt.datetime(2026, 3, 4, 10, 0, tzinfo=SH)),
}


def _prepared(world, officer, suppliers, method):
    fields = {}
    if method == Method.INVITED_TENDER:
        fields["invited_suppliers"] = [s for s, _u in suppliers]
    return _draft(world, officer, method=method, **fields)


@pytest.mark.parametrize("method", list(PERIODS), ids=str)
def test_a_deadline_one_day_short_of_the_methods_minimum_is_refused_naming_the_earliest(
    world_a, procurement_officer, suppliers_a, officer_key, method
):
    tender = _prepared(world_a, procurement_officer, suppliers_a, method)
    minimum, too_early = PERIODS[method]

    with pytest.raises(DomainError) as error:
        _publish(tender, procurement_officer, too_early, MONDAY)

    assert error.value.code == "bidding_period_too_short"
    assert minimum.strftime("%Y") in str(error.value) and error.value.params["earliest"] == minimum.isoformat()
    tender.refresh_from_db()
    assert tender.status == TenderStatus.DRAFT and not tender.public_key_pem


@pytest.mark.parametrize("method", list(PERIODS), ids=str)
def test_the_methods_minimum_deadline_is_accepted(world_a, procurement_officer, suppliers_a, officer_key, method):
    tender = _prepared(world_a, procurement_officer, suppliers_a, method)
    minimum, _too_early = PERIODS[method]

    tender = _publish(tender, procurement_officer, minimum, MONDAY)

    assert tender.status == TenderStatus.PUBLISHED
    assert tender.published_at == MONDAY and tender.bid_deadline == minimum
    assert tender.public_key_pem.startswith("-----BEGIN PUBLIC KEY-----")
    event = AuditEvent.objects.get(
        target_type="procurement.tender", target_id=str(tender.pk), action="tender.published"
    )
    assert event.data["after"]["status"] == TenderStatus.PUBLISHED


def test_working_days_skip_the_national_day_holiday_and_count_the_make_up_saturday(
    world_a, procurement_officer, officer_key
):
    tender = _draft(world_a, procurement_officer, method=Method.INQUIRY)
    earliest = dt.datetime(2025, 10, 11, 10, 0, tzinfo=SH)  # 9 Oct, 10 Oct, Saturday 11 Oct (调休)
    assert selectors.earliest_bid_deadline(method_rule(world_a.park, Method.INQUIRY), BEFORE_NATIONAL_DAY) == earliest

    with pytest.raises(DomainError):
        _publish(tender, procurement_officer, dt.datetime(2025, 10, 10, 10, 0, tzinfo=SH), BEFORE_NATIONAL_DAY)
    tender = _publish(tender, procurement_officer, earliest, BEFORE_NATIONAL_DAY)

    assert tender.status == TenderStatus.PUBLISHED


def test_a_park_rule_overrides_the_platform_default(world_a, procurement_officer, officer_key, platform_admin):
    services.method_rule_set(park=world_a.park, method=Method.OPEN_TENDER, actor=platform_admin, min_bidding_days=25)
    tender = _draft(world_a, procurement_officer)

    with pytest.raises(DomainError):
        _publish(tender, procurement_officer, MONDAY + dt.timedelta(days=24), MONDAY)
    assert (
        _publish(tender, procurement_officer, MONDAY + dt.timedelta(days=25), MONDAY).status == TenderStatus.PUBLISHED
    )


def test_the_clarification_deadline_defaults_to_the_latest_allowed(world_a, procurement_officer, officer_key):
    deadline = MONDAY + dt.timedelta(days=30)

    tender = _publish(_draft(world_a, procurement_officer), procurement_officer, deadline, MONDAY)

    assert tender.clarification_deadline == deadline - dt.timedelta(days=3)


def test_a_clarification_deadline_too_close_to_the_bid_deadline_is_refused(world_a, procurement_officer, officer_key):
    deadline = MONDAY + dt.timedelta(days=30)

    with pytest.raises(DomainError) as error:
        _publish(
            _draft(world_a, procurement_officer),
            procurement_officer,
            deadline,
            MONDAY,
            clarification_deadline=deadline - dt.timedelta(days=2),
        )

    assert error.value.code == "clarification_too_late"


def test_an_invited_tender_needs_three_approved_invited_suppliers(
    world_a, procurement_officer, suppliers_a, officer_key
):
    Supplier.objects.filter(pk=suppliers_a[2][0].pk).update(status=SupplierStatus.SUSPENDED)
    tender = _prepared(world_a, procurement_officer, suppliers_a, Method.INVITED_TENDER)

    with pytest.raises(DomainError) as error:
        _publish(tender, procurement_officer, MONDAY + dt.timedelta(days=25), MONDAY)

    assert error.value.code == "too_few_invited" and "3" in str(error.value)


def test_a_budget_of_zero_is_refused(world_a, procurement_officer):
    with pytest.raises(DomainError) as error:
        _draft(world_a, procurement_officer, budget=Decimal("0"))

    assert error.value.field == "budget"


def test_needs_are_required(world_a, procurement_officer):
    with pytest.raises(DomainError) as error:
        _draft(world_a, procurement_officer, needs="  ")

    assert error.value.field == "needs"


# --- single source ----------------------------------------------------------------------------------------------


def _single_source(world, officer, suppliers, **fields):
    values = {"justification": "专利产品，仅一家供应商可提供。", "proposed_supplier": suppliers[0][0]}
    return _draft(world, officer, method=Method.SINGLE_SOURCE, **(values | fields))


def test_single_source_cannot_be_published_before_its_justification(world_a, procurement_officer, suppliers_a):
    tender = _single_source(world_a, procurement_officer, suppliers_a)

    with pytest.raises(Conflict) as error:
        _publish(tender, procurement_officer, MONDAY + dt.timedelta(days=10), MONDAY)

    assert error.value.code == "justification_not_published"


def test_single_source_justification_text_is_required(world_a, procurement_officer, suppliers_a):
    tender = _single_source(world_a, procurement_officer, suppliers_a, justification="")

    with pytest.raises(DomainError) as error:
        services.tender_justification_publish(tender=tender, actor=procurement_officer, now=MONDAY)

    assert error.value.code == "justification_required"


def test_single_source_justification_is_public_for_five_working_days_first(
    world_a, procurement_officer, suppliers_a, officer_key
):
    tender = _single_source(world_a, procurement_officer, suppliers_a)

    tender = services.tender_justification_publish(tender=tender, actor=procurement_officer, now=MONDAY)

    assert tender.status == TenderStatus.JUSTIFICATION
    assert timezone_local(tender.justification_ends_at).date() == dt.date(2026, 3, 9)  # Tue–Fri, Mon
    assert tender in selectors.tender_public_list()
    during = dt.datetime(2026, 3, 9, 12, 0, tzinfo=SH)
    with pytest.raises(Conflict) as error:
        _publish(tender, procurement_officer, during + dt.timedelta(days=3), during)
    assert error.value.code == "justification_period_running"
    after = dt.datetime(2026, 3, 10, 9, 0, tzinfo=SH)
    assert _publish(tender, procurement_officer, after + dt.timedelta(days=3), after).status == TenderStatus.PUBLISHED


def timezone_local(moment):
    return moment.astimezone(SH)


# --- change notices and clarifications -------------------------------------------------------------------------


@pytest.fixture
def open_tender(world_a, procurement_officer, officer_key):
    """An open tender published on MONDAY with its deadline 30 days later (clarifications until day 27)."""
    return _publish(_draft(world_a, procurement_officer), procurement_officer, MONDAY + dt.timedelta(days=30), MONDAY)


def test_a_change_less_than_15_days_before_the_deadline_moves_the_deadline(open_tender, procurement_officer):
    at = open_tender.bid_deadline - dt.timedelta(days=10)
    before = open_tender.bid_deadline

    change = services.tender_change_publish(
        tender=open_tender, actor=procurement_officer, kind=TenderChangeKind.AMENDMENT, text="数量改为60台", now=at
    )

    open_tender.refresh_from_db()
    assert open_tender.bid_deadline == at + dt.timedelta(days=15)
    assert (change.deadline_before, change.deadline_after) == (before, open_tender.bid_deadline)


def test_a_change_15_days_or_more_before_the_deadline_keeps_it(open_tender, procurement_officer):
    at = open_tender.bid_deadline - dt.timedelta(days=15)
    before = open_tender.bid_deadline

    change = services.tender_change_publish(
        tender=open_tender, actor=procurement_officer, kind=TenderChangeKind.AMENDMENT, text="更正", now=at
    )

    open_tender.refresh_from_db()
    assert open_tender.bid_deadline == before and change.deadline_after is None


def test_the_deadline_cannot_be_moved_earlier(open_tender, procurement_officer):
    with pytest.raises(DomainError) as error:
        services.tender_change_publish(
            tender=open_tender,
            actor=procurement_officer,
            kind=TenderChangeKind.DEADLINE,
            text="提前",
            new_deadline=open_tender.bid_deadline - dt.timedelta(days=1),
            now=MONDAY + dt.timedelta(days=1),
        )

    assert error.value.code == "deadline_earlier"


def test_questions_are_answered_publicly_and_a_late_answer_moves_the_deadline(
    open_tender, procurement_officer, world_a
):
    asked_at = MONDAY + dt.timedelta(days=20)
    question = services.clarification_ask(
        tender=open_tender, actor=world_a.enterprise_user, question="是否接受进口品牌？", now=asked_at
    )

    services.clarification_answer(question=question, actor=procurement_officer, answer="接受。", now=asked_at)

    open_tender.refresh_from_db()
    assert open_tender.bid_deadline == asked_at + dt.timedelta(days=15)
    assert [q.answer for q in selectors.public_clarifications(open_tender)] == ["接受。"]
    notice = TenderChange.objects.get(tender=open_tender, kind=TenderChangeKind.CLARIFICATION)
    assert world_a.enterprise_user.username not in notice.text


def test_questions_close_at_the_clarification_deadline(open_tender, world_a):
    with pytest.raises(Conflict):
        services.clarification_ask(
            tender=open_tender,
            actor=world_a.enterprise_user,
            question="还能提问吗？",
            now=open_tender.clarification_deadline + dt.timedelta(minutes=1),
        )


def test_officials_who_are_not_enterprise_users_cannot_ask(open_tender, world_a):
    with pytest.raises(PermissionDenied):
        services.clarification_ask(tender=open_tender, actor=world_a.handler, question="?", now=MONDAY)


# --- closing, failure, re-tender ---------------------------------------------------------------------------------


def test_bidding_cannot_close_before_the_deadline(open_tender, procurement_officer):
    with pytest.raises(Conflict):
        services.tender_close(
            tender=open_tender, actor=procurement_officer, now=open_tender.bid_deadline - dt.timedelta(seconds=1)
        )


def test_the_sweep_closes_due_tenders_once_and_publishes_the_commitments(open_tender):
    at = open_tender.bid_deadline + dt.timedelta(seconds=30)

    assert services.tenders_close_due(now=at) == 1
    assert services.tenders_close_due(now=at) == 0

    open_tender.refresh_from_db()
    assert open_tender.status == TenderStatus.CLOSED
    assert open_tender.closed_at == at and open_tender.commitments_published_at == at
    assert AuditEvent.objects.filter(target_id=str(open_tender.pk), action="tender.closed").count() == 1


def test_the_beat_task_closes_a_tender_at_its_deadline_and_not_before(open_tender):
    with time_machine.travel(open_tender.bid_deadline - dt.timedelta(minutes=1), tick=False):
        assert sweep_due_tenders() == 0
    with time_machine.travel(open_tender.bid_deadline + dt.timedelta(seconds=5), tick=False):
        assert sweep_due_tenders() == 1


def test_tender_accepts_bids_only_while_published_and_before_the_deadline(open_tender):
    assert selectors.tender_accepts_bids(open_tender, MONDAY + dt.timedelta(days=1))
    assert not selectors.tender_accepts_bids(open_tender, open_tender.bid_deadline)
    draft = TenderFactory(park=open_tender.park)
    assert not selectors.tender_accepts_bids(draft, MONDAY)


def test_a_failed_tender_is_re_tendered_as_a_linked_draft_copying_its_fields(open_tender, procurement_officer):
    services.tender_close(tender=open_tender, actor=None, now=open_tender.bid_deadline)
    services.tender_fail(tender=open_tender, actor=procurement_officer, reason="有效投标不足三家")

    new = services.tender_retender(tender=open_tender, actor=procurement_officer)

    open_tender.refresh_from_db()
    assert open_tender.status == TenderStatus.FAILED and open_tender.failure_reason == "有效投标不足三家"
    assert TenderChange.objects.filter(tender=open_tender, kind=TenderChangeKind.FAILURE).exists()
    assert new.status == TenderStatus.DRAFT and new.previous_tender == open_tender
    assert (new.title, new.needs, new.budget, new.method) == (
        open_tender.title,
        open_tender.needs,
        open_tender.budget,
        open_tender.method,
    )
    assert new.number != open_tender.number
    with pytest.raises(Conflict):
        services.tender_retender(tender=open_tender, actor=procurement_officer)


def test_failing_needs_a_reason(open_tender, procurement_officer):
    services.tender_close(tender=open_tender, actor=None, now=open_tender.bid_deadline)

    with pytest.raises(DomainError):
        services.tender_fail(tender=open_tender, actor=procurement_officer, reason="")


def test_a_draft_cancelled_is_never_public(world_a, procurement_officer):
    tender = _draft(world_a, procurement_officer)

    services.tender_cancel(tender=tender, actor=procurement_officer, reason="需求取消")

    assert tender not in selectors.tender_public_list()
    assert not TenderChange.objects.filter(tender=tender).exists()


def test_a_published_tender_can_no_longer_be_edited(open_tender, procurement_officer):
    with pytest.raises(Conflict):
        services.tender_update(tender=open_tender, actor=procurement_officer, title="改名")


def test_editing_a_draft_records_what_changed(world_a, procurement_officer):
    tender = _draft(world_a, procurement_officer)

    services.tender_update(tender=tender, actor=procurement_officer, budget=Decimal("900000"))

    event = AuditEvent.objects.get(target_id=str(tender.pk), action="tender.updated")
    assert event.data["before"] == {"budget": "800000.00"} and event.data["after"] == {"budget": "900000"}


# --- permissions and scoping -------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["handler", "discipline", "auditor", "enterprise_user", "dispatcher"])
def test_only_procurement_officers_and_park_admins_draft_tenders(world_a, who):
    with pytest.raises(PermissionDenied):
        _draft(world_a, getattr(world_a, who))


def test_park_b_sees_nothing_of_park_a_drafts(world_a, world_b, procurement_officer):
    draft = _draft(world_a, procurement_officer)
    officer_b = make_official(park=world_b.park, role=roles.PROCUREMENT)

    for user in (officer_b, world_b.discipline, world_b.auditor, world_b.park_admin, world_b.enterprise_user):
        assert draft not in selectors.tender_list_for(user)
        assert draft not in selectors.tender_manage_list_for(user)
    with pytest.raises(PermissionDenied):
        services.tender_update(tender=draft, actor=officer_b, title="x")


def test_park_a_readers_see_its_drafts(world_a, procurement_officer):
    draft = _draft(world_a, procurement_officer)

    for user in (world_a.discipline, world_a.auditor, world_a.park_admin):
        assert draft in selectors.tender_manage_list_for(user)
    assert draft not in selectors.tender_list_for(world_a.enterprise_user)


def test_tender_numbers_follow_each_other_per_park_and_year(world_a, procurement_officer):
    first = _draft(world_a, procurement_officer)
    second = _draft(world_a, procurement_officer)

    assert first.number.startswith(f"CG-{world_a.park.code}-")
    assert int(second.number.rsplit("-", 1)[1]) == int(first.number.rsplit("-", 1)[1]) + 1
    assert Tender.objects.count() == 2
