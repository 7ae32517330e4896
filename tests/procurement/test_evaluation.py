"""Evaluation stage: the pool, the random draw with recusal, the evaluators' pledge, double-blind scoring
and the evaluation report (issue 5 point 4)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from core import roles
from core.errors import Conflict, DomainError, PermissionDenied
from core.models import AuditEvent
from integrity.choices import DeclarationKind, DeclarationStatus
from procurement.choices import CommitteeMemberStatus, EvaluatorKind, FlagKind, Method, TenderStatus
from procurement.models import CommitteeMember, RedFlag
from procurement.services import evaluation as services
from tests.accounts.factories import UserFactory
from tests.integrity.conftest import make_declaration
from tests.parks.factories import EnterpriseMembershipFactory
from tests.procurement.factories_evaluation import make_pool, opened_tender, publish_procurement_pledges


@pytest.fixture
def ready(world_a, procurement_officer):
    """Park A with the procurement pledges published, a pool of 5 experts and 2 officials, and an opened open
    tender with bids A (700 000), B (650 000), C (720 000)."""
    publish_procurement_pledges(world_a.park, world_a.park_admin)
    experts, officials = make_pool(world_a, experts=5, officials=2)
    opened = opened_tender(world_a)
    opened.experts, opened.officials, opened.officer = experts, officials, procurement_officer
    return opened


def seated(tender):
    return list(CommitteeMember.objects.filter(tender=tender, status=CommitteeMemberStatus.DRAWN))


def evaluate(opened, marks=None, qualification=None):
    """Draw, pledge, start, score (marks: {alias: mark}) and submit; returns the committee members."""
    tender, officer = opened.tender, opened.officer
    services.committee_draw(tender=tender, actor=officer, size=services.default_committee_size(tender.method))
    members = seated(tender)
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
    return members


# --- pool -----------------------------------------------------------------------------------------------------


def test_only_procurement_staff_of_the_park_manage_the_pool(world_a, world_b, procurement_officer):
    expert = UserFactory(roles=[roles.EXPERT])
    with pytest.raises(PermissionDenied):
        services.evaluator_pool_add(park=world_a.park, user=expert, kind=EvaluatorKind.EXPERT, actor=world_a.handler)
    with pytest.raises(PermissionDenied):
        services.evaluator_pool_add(park=world_a.park, user=expert, kind=EvaluatorKind.EXPERT, actor=world_b.park_admin)
    member = services.evaluator_pool_add(park=world_a.park, user=expert, kind="expert", actor=procurement_officer)
    assert AuditEvent.objects.filter(action="evaluator_pool.added", target_id=str(member.pk)).exists()


def test_an_expert_needs_the_expert_role_and_an_official_must_be_an_official_of_the_park(world_a, world_b):
    with pytest.raises(DomainError):
        services.evaluator_pool_add(
            park=world_a.park, user=world_a.enterprise_user, kind=EvaluatorKind.EXPERT, actor=world_a.park_admin
        )
    with pytest.raises(DomainError):
        services.evaluator_pool_add(
            park=world_a.park, user=world_b.handler, kind=EvaluatorKind.OFFICIAL, actor=world_a.park_admin
        )


def test_a_malformed_employer_credit_code_is_refused(world_a):
    expert = UserFactory(roles=[roles.EXPERT])
    with pytest.raises(DomainError) as error:
        services.evaluator_pool_add(
            park=world_a.park, user=expert, kind="expert", actor=world_a.park_admin, employer_credit_code="123"
        )
    assert error.value.field == "employer_credit_code"


# --- draw -----------------------------------------------------------------------------------------------------


def test_the_draw_seats_five_with_at_least_two_thirds_experts_and_records_seed_and_snapshot(ready):
    draw = services.committee_draw(tender=ready.tender, actor=ready.officer)
    members = seated(ready.tender)
    assert len(members) == 5
    assert sum(m.kind == EvaluatorKind.EXPERT for m in members) >= 4
    assert draw.seed and len(draw.pool_snapshot) == 7
    assert sum(m.is_chair for m in members) == 1
    event = AuditEvent.objects.get(action="committee.drawn")
    assert event.data["seed"] == draw.seed


def test_the_draw_can_be_replayed_from_its_seed_and_snapshot(ready):
    draw = services.committee_draw(tender=ready.tender, actor=ready.officer)
    replayed = services.draw_replay(draw.seed, draw.pool_snapshot, 4, 1)
    assert sorted(replayed) == sorted(m.user_id for m in seated(ready.tender))
    assert replayed == services.draw_replay(draw.seed, draw.pool_snapshot, 4, 1)


def test_two_draws_with_the_same_seed_choose_the_same_committee(world_a, procurement_officer):
    publish_procurement_pledges(world_a.park, world_a.park_admin)
    make_pool(world_a, experts=8, officials=3)
    first, second = opened_tender(world_a), opened_tender(world_a)
    services.committee_draw(tender=first.tender, actor=procurement_officer, seed="abc123")
    services.committee_draw(tender=second.tender, actor=procurement_officer, seed="abc123")
    assert {m.user_id for m in seated(first.tender)} == {m.user_id for m in seated(second.tender)}


def test_committee_size_must_be_odd_and_at_least_the_methods_minimum(ready):
    for size in (4, 3, 6):
        with pytest.raises(DomainError):
            services.committee_draw(tender=ready.tender, actor=ready.officer, size=size)


def test_negotiation_and_inquiry_committees_default_to_three(world_a, procurement_officer):
    publish_procurement_pledges(world_a.park, world_a.park_admin)
    make_pool(world_a, experts=3, officials=1)
    opened = opened_tender(world_a, method=Method.INQUIRY)
    services.committee_draw(tender=opened.tender, actor=procurement_officer)
    assert len(seated(opened.tender)) == 3


def test_a_pool_too_small_is_refused_with_a_clear_message_and_nothing_drawn(world_a, procurement_officer):
    publish_procurement_pledges(world_a.park, world_a.park_admin)
    make_pool(world_a, experts=3, officials=4)
    opened = opened_tender(world_a)
    with pytest.raises(Conflict) as error:
        services.committee_draw(tender=opened.tender, actor=procurement_officer)
    assert error.value.code == "pool_too_small"
    assert "4" in str(error.value) and "3" in str(error.value)
    assert not opened.tender.committee.exists() and not opened.tender.draws.exists()


def test_the_draw_needs_a_current_evaluators_pledge_text(world_a, procurement_officer):
    make_pool(world_a, experts=5, officials=0)
    opened = opened_tender(world_a)
    with pytest.raises(Conflict) as error:
        services.committee_draw(tender=opened.tender, actor=procurement_officer)
    assert error.value.code == "no_evaluator_pledge"


def test_an_official_who_declared_a_relatives_business_in_a_bidder_is_recused(world_a, procurement_officer):
    publish_procurement_pledges(world_a.park, world_a.park_admin)
    experts, officials = make_pool(world_a, experts=5, officials=1)
    opened = opened_tender(world_a)
    make_declaration(
        world_a,
        kind=DeclarationKind.INTEREST,
        declarant=officials[0],
        status=DeclarationStatus.ACCEPTED,
        credit_code=opened.suppliers[1].enterprise.credit_code,
    )
    services.committee_draw(tender=opened.tender, actor=procurement_officer)
    recused = CommitteeMember.objects.get(tender=opened.tender, user=officials[0])
    assert recused.status == CommitteeMemberStatus.RECUSED
    assert "B" in recused.recusal_reason
    assert opened.suppliers[1].enterprise.name not in recused.recusal_reason
    assert len(seated(opened.tender)) == 5  # filled from the remaining pool


def test_an_expert_employed_by_a_bidder_is_recused_by_credit_code(world_a, procurement_officer):
    publish_procurement_pledges(world_a.park, world_a.park_admin)
    make_pool(world_a, experts=5, officials=1)
    opened = opened_tender(world_a)
    linked = UserFactory(roles=[roles.EXPERT])
    services.evaluator_pool_add(
        park=world_a.park,
        user=linked,
        kind="expert",
        actor=procurement_officer,
        employer_credit_code=opened.suppliers[0].enterprise.credit_code,
    )
    services.committee_draw(tender=opened.tender, actor=procurement_officer)
    assert CommitteeMember.objects.get(tender=opened.tender, user=linked).status == CommitteeMemberStatus.RECUSED


def test_a_member_of_a_bidder_enterprise_is_recused(world_a, procurement_officer):
    publish_procurement_pledges(world_a.park, world_a.park_admin)
    experts, _officials = make_pool(world_a, experts=6, officials=0)
    opened = opened_tender(world_a)
    EnterpriseMembershipFactory(user=experts[0], enterprise=opened.suppliers[2].enterprise)
    services.committee_draw(tender=opened.tender, actor=procurement_officer)
    assert CommitteeMember.objects.get(tender=opened.tender, user=experts[0]).status == CommitteeMemberStatus.RECUSED


def test_a_member_who_withdraws_is_replaced_by_a_further_draw(ready):
    services.committee_draw(tender=ready.tender, actor=ready.officer)
    leaving = seated(ready.tender)[0]
    services.committee_member_recuse(member=leaving, actor=leaving.user, reason="与投标人存在合作关系")
    services.committee_draw(tender=ready.tender, actor=ready.officer)
    members = seated(ready.tender)
    assert len(members) == 5 and leaving.user_id not in {m.user_id for m in members}


def test_an_open_blocking_flag_refuses_the_draw_naming_it(ready):
    RedFlag.objects.create(
        park=ready.tender.park,
        tender=ready.tender,
        kind=FlagKind.RELATED_BIDDERS,
        blocking=True,
        fingerprint="t1",
        summary="投标人A与C电话相同",
    )
    with pytest.raises(Conflict) as error:
        services.committee_draw(tender=ready.tender, actor=ready.officer)
    assert "投标人A与C电话相同" in str(error.value)


# --- pledge, start, scores ----------------------------------------------------------------------------------


def test_an_external_expert_signs_the_evaluators_pledge_with_the_tender_number(ready):
    services.committee_draw(tender=ready.tender, actor=ready.officer)
    member = next(m for m in seated(ready.tender) if m.kind == EvaluatorKind.EXPERT)
    member = services.evaluator_pledge_sign(member=member, actor=member.user)
    assert member.status == CommitteeMemberStatus.PLEDGED
    assert member.pledge.reference == ready.tender.number and member.pledge.signer_kind == "evaluator"


def test_an_evaluator_signs_again_for_another_tender(world_a, procurement_officer):
    publish_procurement_pledges(world_a.park, world_a.park_admin)
    make_pool(world_a, experts=5, officials=0)
    first, second = opened_tender(world_a), opened_tender(world_a)
    for opened in (first, second):
        services.committee_draw(tender=opened.tender, actor=procurement_officer)
        for member in seated(opened.tender):
            services.evaluator_pledge_sign(member=member, actor=member.user)
    assert CommitteeMember.objects.filter(status=CommitteeMemberStatus.PLEDGED).count() == 10


def test_nobody_else_signs_a_members_pledge(ready):
    services.committee_draw(tender=ready.tender, actor=ready.officer)
    member = seated(ready.tender)[0]
    with pytest.raises(PermissionDenied):
        services.evaluator_pledge_sign(member=member, actor=ready.officer)


def test_marks_are_refused_before_the_pledge(ready):
    services.committee_draw(tender=ready.tender, actor=ready.officer)
    services.evaluation_start(tender=ready.tender, actor=ready.officer)
    member = seated(ready.tender)[0]
    with pytest.raises(Conflict):
        services.score_submit(member=member, bid=ready.bids[0], actor=member.user, technical_score=80)


def test_the_evaluation_starts_only_with_a_full_committee(ready):
    with pytest.raises(Conflict) as error:
        services.evaluation_start(tender=ready.tender, actor=ready.officer)
    assert error.value.code == "committee_incomplete"


def test_technical_marks_are_checked(ready):
    services.committee_draw(tender=ready.tender, actor=ready.officer)
    member = seated(ready.tender)[0]
    services.evaluator_pledge_sign(member=member, actor=member.user)
    services.evaluation_start(tender=ready.tender, actor=ready.officer)
    for bad in (None, Decimal("101"), Decimal("-1")):
        with pytest.raises(DomainError):
            services.score_submit(member=member, bid=ready.bids[0], actor=member.user, technical_score=bad)


def test_handing_in_needs_a_mark_for_every_bid(ready):
    services.committee_draw(tender=ready.tender, actor=ready.officer)
    member = seated(ready.tender)[0]
    services.evaluator_pledge_sign(member=member, actor=member.user)
    services.evaluation_start(tender=ready.tender, actor=ready.officer)
    services.score_submit(member=member, bid=ready.bids[0], actor=member.user, technical_score=90)
    with pytest.raises(DomainError) as error:
        services.committee_member_submit(member=member, actor=member.user)
    assert "B" in str(error.value) and "C" in str(error.value)


# --- report ---------------------------------------------------------------------------------------------------


def test_the_report_waits_for_every_member(ready):
    services.committee_draw(tender=ready.tender, actor=ready.officer)
    for member in seated(ready.tender):
        services.evaluator_pledge_sign(member=member, actor=member.user)
    services.evaluation_start(tender=ready.tender, actor=ready.officer)
    with pytest.raises(Conflict) as error:
        services.evaluation_report_record(tender=ready.tender, actor=ready.officer)
    assert error.value.code == "scores_pending"


def test_weighted_scoring_ranks_by_price_and_technical_scores(ready):
    evaluate(ready, marks={"A": 90, "B": 60, "C": 80})
    tender = services.evaluation_report_record(tender=ready.tender, actor=ready.officer)
    a, b, c = (bid.__class__.objects.get(pk=bid.pk) for bid in ready.bids)
    # price weight 30: lowest 650 000 (B). A: 650/700*30 = 27.86 + 90*0.7 = 63 → 90.86
    assert a.price_score == Decimal("27.86") and a.technical_score == Decimal("63.00")
    assert a.total_score == Decimal("90.86") and a.rank == 1
    assert b.total_score == Decimal("72.00") and b.rank == 3
    assert c.total_score == Decimal("83.08") and c.rank == 2
    assert tender.status == TenderStatus.EVALUATED
    event = AuditEvent.objects.get(action="tender.evaluation_reported")
    assert event.data["recommended"] == "A"


def test_inquiry_ranks_the_lowest_qualified_price_first_and_majority_decides_qualification(
    world_a, procurement_officer
):
    publish_procurement_pledges(world_a.park, world_a.park_admin)
    make_pool(world_a, experts=3, officials=0)
    opened = opened_tender(world_a, method=Method.INQUIRY, prices=("500", "480", "510", "520"))
    opened.officer = procurement_officer
    evaluate(opened, qualification={"B": False})
    services.evaluation_report_record(tender=opened.tender, actor=procurement_officer)
    ranks = {bid.alias: bid.__class__.objects.get(pk=bid.pk) for bid in opened.bids}
    assert ranks["B"].rank is None and ranks["B"].is_valid is False
    assert [ranks[a].rank for a in "ACD"] == [1, 2, 3]
    assert ranks["A"].total_score is None


def test_too_few_qualified_bids_fail_the_tender(world_a, procurement_officer):
    publish_procurement_pledges(world_a.park, world_a.park_admin)
    make_pool(world_a, experts=3, officials=0)
    opened = opened_tender(world_a, method=Method.INQUIRY, prices=("500", "480", "510"))
    opened.officer = procurement_officer
    evaluate(opened, qualification={"B": False})
    tender = services.evaluation_report_record(tender=opened.tender, actor=procurement_officer)
    assert tender.status == TenderStatus.FAILED and tender.failure_reason
    assert AuditEvent.objects.filter(action="tender.failed", target_id=str(tender.pk)).exists()


def test_the_award_time_limit_counts_working_days_over_national_day(ready):
    evaluate(ready)
    at = timezone.make_aware(dt.datetime(2026, 9, 30, 10, 0))
    tender = services.evaluation_report_record(tender=ready.tender, actor=ready.officer, now=at)
    # 1–7 Oct 2026 are off (National Day and Mid-Autumn), Saturday 10 Oct is a make-up working day: the five
    # working days are 8, 9, 10, 12 and 13 Oct.
    assert timezone.localtime(tender.award_due_at).date() == dt.date(2026, 10, 13)


def test_only_procurement_staff_record_the_report(ready, world_a):
    evaluate(ready)
    with pytest.raises(PermissionDenied):
        services.evaluation_report_record(tender=ready.tender, actor=world_a.discipline)
