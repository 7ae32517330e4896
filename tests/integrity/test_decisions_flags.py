"""The 三重一大 flags: each rule with a case that raises it and one that does not, at its boundary (exactly two
thirds present is a quorum; exactly half in favour is not a majority; an amount equal to the threshold needs
a decision), thresholds per park and kind, the spending-source registry, and the monthly compliance counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from integrity.choices_decisions import DecisionKind, Outcome
from integrity.decisions_flags import FlagKind, majority_met, needed_in_favour, needed_present, quorum_met
from integrity.decisions_spending import _SOURCES, SpendingItem, register_spending_source
from integrity.selectors.decisions import decision_compliance_by_month, flags_for, park_flags
from integrity.services import decisions as services
from tests.integrity.factories_decisions import decide, hold_meeting, make_body

TODAY = timezone.localdate()
YEAR_AGO = TODAY - dt.timedelta(days=365)


def kinds(world):
    return sorted(f.kind for f in park_flags(world.park, YEAR_AGO, TODAY))


@pytest.mark.parametrize(
    ("present", "entitled", "ok"),
    [(4, 6, True), (3, 6, False), (6, 9, True), (5, 9, False), (2, 3, True), (0, 0, False)],
)
def test_quorum_is_two_thirds_of_the_entitled_members_inclusive(present, entitled, ok):
    assert quorum_met(present, entitled) is ok


@pytest.mark.parametrize(("in_favour", "entitled", "ok"), [(4, 6, True), (3, 6, False), (4, 7, True), (3, 7, False)])
def test_a_majority_is_more_than_half_of_the_entitled_members(in_favour, entitled, ok):
    assert majority_met(in_favour, entitled) is ok


def test_the_figures_shown_as_needed_follow_the_same_rules():
    assert [needed_present(n) for n in (3, 6, 7, 9)] == [2, 4, 5, 6]
    assert [needed_in_favour(n) for n in (3, 6, 7, 9)] == [2, 4, 4, 5]


# --- quorum ----------------------------------------------------------------------------------------------------


def test_a_meeting_with_exactly_two_thirds_present_is_not_flagged(world_a):
    body = make_body(world_a, members=6)
    hold_meeting(world_a, body, present=4)

    assert kinds(world_a) == []


def test_a_meeting_with_fewer_than_two_thirds_present_is_flagged(world_a):
    body = make_body(world_a, members=6)
    meeting = hold_meeting(world_a, body, present=3)

    flags = park_flags(world_a.park, YEAR_AGO, TODAY)

    assert [(f.kind, f.meeting_id) for f in flags] == [(FlagKind.QUORUM_SHORT, meeting.pk)]
    assert "3" in flags[0].detail and "6" in flags[0].detail


def test_members_whose_seat_ended_before_the_meeting_are_not_counted(world_a):
    body = make_body(world_a, members=6)
    for member in body.members.order_by("-id")[:2]:
        services.body_member_end(member=member, actor=world_a.discipline, to_date=TODAY - dt.timedelta(days=10))

    hold_meeting(world_a, body, present=3)  # 3 of the 4 still on the body

    assert kinds(world_a) == []


def test_unrecorded_attendance_counts_as_not_present(world_a):
    body = make_body(world_a, members=3)
    services.meeting_create(body=body, actor=world_a.discipline, meeting_type="regular", held_on=TODAY)

    assert kinds(world_a) == [FlagKind.QUORUM_SHORT]


# --- majority --------------------------------------------------------------------------------------------------


def test_an_item_adopted_with_more_than_half_of_the_members_in_favour_is_not_flagged(world_a):
    body = make_body(world_a, members=6)
    meeting = hold_meeting(world_a, body, present=6)
    decide(world_a, meeting, in_favour=4, against=2)

    assert kinds(world_a) == []


def test_an_item_adopted_with_exactly_half_of_the_members_in_favour_is_flagged(world_a):
    body = make_body(world_a, members=6)
    meeting = hold_meeting(world_a, body, present=6)
    decision = decide(world_a, meeting, in_favour=3, against=3)

    flags = park_flags(world_a.park, YEAR_AGO, TODAY)

    assert [(f.kind, f.decision_id) for f in flags] == [(FlagKind.MAJORITY_SHORT, decision.pk)]


def test_the_majority_counts_the_members_entitled_not_those_present(world_a):
    body = make_body(world_a, members=6)
    meeting = hold_meeting(world_a, body, present=4)  # a quorum
    decide(world_a, meeting, in_favour=3)  # 3 of 4 present, but only half of the 6 members

    assert kinds(world_a) == [FlagKind.MAJORITY_SHORT]


def test_a_rejected_item_needs_no_majority(world_a):
    body = make_body(world_a, members=6)
    meeting = hold_meeting(world_a, body, present=6)
    decide(world_a, meeting, in_favour=1, against=5, outcome=Outcome.REJECTED)

    assert kinds(world_a) == []


def test_recused_members_stay_in_the_count_of_members_entitled(world_a):
    body = make_body(world_a, members=5)
    meeting = hold_meeting(world_a, body, present=5)
    decision = decide(world_a, meeting, in_favour=2)
    member = body.members.order_by("-id").first()
    services.decision_record_votes(
        decision=decision,
        actor=world_a.discipline,
        votes=[{"member": member, "position": "recused", "statement": "其配偶在中标企业任职"}],
    )

    assert kinds(world_a) == [FlagKind.MAJORITY_SHORT]


# --- agenda notice ---------------------------------------------------------------------------------------------


def test_an_item_raised_without_notice_is_flagged(world_a):
    body = make_body(world_a, members=3)
    meeting = hold_meeting(world_a, body, present=3)
    decide(world_a, meeting, in_favour=3, notified_in_advance=False)

    assert kinds(world_a) == [FlagKind.EXTEMPORE]


def test_an_item_on_the_agenda_notified_in_advance_is_not_flagged(world_a):
    body = make_body(world_a, members=3)
    meeting = hold_meeting(world_a, body, present=3)
    decide(world_a, meeting, in_favour=3, notified_in_advance=True)

    assert kinds(world_a) == []


# --- spending --------------------------------------------------------------------------------------------------


def pay(world, amount, decision=None, **values):
    return services.fund_payment_record(
        park=world.park,
        actor=world.discipline,
        payee=values.pop("payee", "某建设工程有限公司"),
        amount=Decimal(amount),
        paid_on=values.pop("paid_on", TODAY),
        purpose="工程进度款",
        decision=decision,
        **values,
    )


def test_a_payment_equal_to_the_default_threshold_without_a_decision_is_flagged(world_a):
    payment = pay(world_a, "500000.00", reference="FK-001")

    flags = park_flags(world_a.park, YEAR_AGO, TODAY)

    assert [(f.kind, f.reference) for f in flags] == [(FlagKind.SPENDING_WITHOUT_DECISION, "FK-001")]
    assert flags[0].url.endswith(f"#payment-{payment.pk}")


def test_a_payment_under_the_threshold_needs_no_decision(world_a):
    pay(world_a, "499999.99")

    assert kinds(world_a) == []


def test_the_parks_own_threshold_replaces_the_default(world_a):
    services.decision_threshold_set(park=world_a.park, amount=Decimal("1000000"), actor=world_a.park_admin)
    pay(world_a, "600000")

    assert kinds(world_a) == []


def test_a_threshold_of_one_kind_overrides_the_parks_general_one(world_a):
    services.decision_threshold_set(park=world_a.park, amount=Decimal("1000000"), actor=world_a.park_admin)
    services.decision_threshold_set(
        park=world_a.park, kind=DecisionKind.LARGE_FUNDS, amount=Decimal("200000"), actor=world_a.park_admin
    )
    pay(world_a, "300000")

    assert kinds(world_a) == [FlagKind.SPENDING_WITHOUT_DECISION]


def _adopted(world, *, amount, held_on=None, outcome=Outcome.ADOPTED):
    body = make_body(world, members=3, name=f"主任办公会{amount}{outcome}")
    meeting = hold_meeting(world, body, present=3, held_on=held_on)
    return decide(world, meeting, in_favour=3, kind=DecisionKind.LARGE_FUNDS, amount=Decimal(amount), outcome=outcome)


def test_a_payment_covered_by_an_adopted_decision_taken_before_it_is_not_flagged(world_a):
    decision = _adopted(world_a, amount="800000", held_on=TODAY - dt.timedelta(days=5))
    pay(world_a, "800000", decision=decision)

    assert kinds(world_a) == []


def test_a_payment_resting_on_a_rejected_item_is_over_the_threshold_without_a_decision(world_a):
    decision = _adopted(world_a, amount="800000", outcome=Outcome.REJECTED, held_on=TODAY - dt.timedelta(days=5))
    pay(world_a, "800000", decision=decision)

    assert kinds(world_a) == [FlagKind.OVER_THRESHOLD_NOT_DECIDED]


def test_a_decision_taken_after_the_payment_does_not_cover_it(world_a):
    decision = _adopted(world_a, amount="800000", held_on=TODAY)
    pay(world_a, "800000", decision=decision, paid_on=TODAY - dt.timedelta(days=3))

    flags = park_flags(world_a.park, YEAR_AGO, TODAY)

    assert [f.kind for f in flags] == [FlagKind.OVER_THRESHOLD_NOT_DECIDED]
    assert "after the spending" in flags[0].detail


def test_a_payment_larger_than_the_amount_decided_is_not_covered(world_a):
    decision = _adopted(world_a, amount="600000", held_on=TODAY - dt.timedelta(days=5))
    pay(world_a, "900000", decision=decision)

    assert kinds(world_a) == [FlagKind.OVER_THRESHOLD_NOT_DECIDED]


def test_contracts_registered_by_another_app_are_flagged_without_a_linked_decision(world_a):
    def contracts(park, since, until):
        if park.pk != world_a.park.pk:
            return []
        return [
            SpendingItem("合同", "HT-2026-01", "标准厂房建设", Decimal("2000000"), TODAY, None, "/procurement/x/"),
            SpendingItem("合同", "HT-2026-02", "办公用品", Decimal("20000"), TODAY, None, "/procurement/y/"),
        ]

    register_spending_source(contracts)
    try:
        flags = park_flags(world_a.park, YEAR_AGO, TODAY)
    finally:
        _SOURCES.remove(contracts)

    assert [(f.kind, f.reference) for f in flags] == [(FlagKind.SPENDING_WITHOUT_DECISION, "HT-2026-01")]


# --- scope and compliance ---------------------------------------------------------------------------------------


def test_the_flag_list_shows_only_the_parks_the_user_reads(world_a, world_b):
    pay(world_a, "700000")
    services.fund_payment_record(
        park=world_b.park,
        actor=world_b.discipline,
        payee="乙",
        amount=Decimal("700000"),
        paid_on=TODAY,
        purpose="x",
    )

    assert {f.park_id for f in flags_for(world_a.auditor)} == {world_a.park.pk}
    assert flags_for(world_a.handler) == []
    assert flags_for(world_a.enterprise_user) == []


def test_compliance_by_month_counts_compliant_and_flagged_items_and_spending(world_a):
    day = dt.date(TODAY.year, 1, 15) if TODAY.month > 1 else TODAY
    body = make_body(world_a, members=6)
    good = hold_meeting(world_a, body, present=6, held_on=day)
    decide(world_a, good, in_favour=5)
    decide(world_a, good, in_favour=3, title="临时追加项目", notified_in_advance=False)
    short = hold_meeting(world_a, body, present=3, held_on=day)
    decide(world_a, short, in_favour=3)
    pay(world_a, "800000", paid_on=day)
    pay(world_a, "1000", paid_on=day)

    january = decision_compliance_by_month(world_a.park, day.year)[day.month - 1]

    assert january == {
        "month": day.month,
        "decisions": 3,
        "compliant": 1,
        "non_compliant": 2,
        "meetings": 2,
        "quorate_meetings": 1,
        "spending_over_threshold": 1,
        "spending_flagged": 1,
    }
