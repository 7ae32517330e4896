"""Pages and API of the evaluation, award and contract stages: double-blind views for evaluators, the public
award page with the evaluators' names, permission matrices, and a schema without warnings."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from procurement.choices import CommitteeMemberStatus, TenderStatus
from procurement.models import CommitteeMember
from procurement.services import award as award_services
from procurement.services import contracts as contract_services
from procurement.services import evaluation as services
from tests.procurement.factories_evaluation import (
    evaluated_tender,
    make_pool,
    opened_tender,
    publish_procurement_pledges,
)


@pytest.fixture
def in_evaluation(world_a, procurement_officer):
    """An open tender under evaluation; every member signed the pledge. Returns the namespace with `members`."""
    publish_procurement_pledges(world_a.park, world_a.park_admin)
    make_pool(world_a, experts=5, officials=1)
    opened = opened_tender(world_a)
    services.committee_draw(tender=opened.tender, actor=procurement_officer)
    opened.members = list(CommitteeMember.objects.filter(tender=opened.tender, status=CommitteeMemberStatus.DRAWN))
    for member in opened.members:
        services.evaluator_pledge_sign(member=member, actor=member.user)
    services.evaluation_start(tender=opened.tender, actor=procurement_officer)
    opened.officer = procurement_officer
    return opened


def supplier_names(opened):
    return [supplier.enterprise.name for supplier in opened.suppliers]


# --- double-blind ---------------------------------------------------------------------------------------------


def test_the_evaluators_page_shows_aliases_and_prices_but_no_supplier_name(client, in_evaluation):
    member = in_evaluation.members[0]
    client.force_login(member.user)
    page = client.get(reverse("procurement:evaluation-panel", args=[member.pk])).content.decode()
    assert "Bid A" in page or "投标 A" in page or "A" in page
    assert "700000.00" in page and "650000.00" in page
    for name in supplier_names(in_evaluation):
        assert name not in page


def test_the_evaluators_api_responses_name_no_supplier_before_the_report(client, in_evaluation):
    member = in_evaluation.members[0]
    services.score_submit(member=member, bid=in_evaluation.bids[0], actor=member.user, technical_score=75)
    client.force_login(member.user)
    responses = [
        client.get(reverse("api:procurement:committee-member-bids", args=[member.pk])),
        client.get(reverse("api:procurement:score-list")),
        client.get(reverse("api:procurement:committee-member-list")),
    ]
    for response in responses:
        assert response.status_code == 200
        text = response.content.decode()
        for name in supplier_names(in_evaluation):
            assert name not in text
        for supplier in in_evaluation.suppliers:
            assert supplier.enterprise.credit_code not in text
    bids = responses[0].json()
    assert [b["alias"] for b in bids] == ["A", "B", "C"] and all(b["supplier_name"] is None for b in bids)


def test_identities_are_shown_to_evaluators_after_the_report(client, in_evaluation):
    for member in in_evaluation.members:
        for bid in in_evaluation.bids:
            services.score_submit(member=member, bid=bid, actor=member.user, technical_score=70)
        services.committee_member_submit(member=member, actor=member.user)
    services.evaluation_report_record(tender=in_evaluation.tender, actor=in_evaluation.officer)
    member = in_evaluation.members[0]
    client.force_login(member.user)
    page = client.get(reverse("procurement:evaluation-panel", args=[member.pk])).content.decode()
    api = client.get(reverse("api:procurement:committee-member-bids", args=[member.pk])).json()
    for name in supplier_names(in_evaluation):
        assert name in page
    assert {b["supplier_name"] for b in api} == set(supplier_names(in_evaluation))


def test_a_member_who_has_not_signed_the_pledge_sees_no_bid(client, world_a, procurement_officer):
    publish_procurement_pledges(world_a.park, world_a.park_admin)
    make_pool(world_a, experts=5, officials=0)
    opened = opened_tender(world_a)
    services.committee_draw(tender=opened.tender, actor=procurement_officer)
    services.evaluation_start(tender=opened.tender, actor=procurement_officer)
    member = CommitteeMember.objects.filter(tender=opened.tender).first()
    client.force_login(member.user)
    page = client.get(reverse("procurement:evaluation-panel", args=[member.pk])).content.decode()
    assert "650000.00" not in page
    assert client.get(reverse("api:procurement:committee-member-bids", args=[member.pk])).json() == []


def test_another_users_seat_is_not_found(client, in_evaluation, world_a):
    member = in_evaluation.members[0]
    for user in (in_evaluation.members[1].user, world_a.handler, in_evaluation.users[0]):
        client.force_login(user)
        assert client.get(reverse("procurement:evaluation-panel", args=[member.pk])).status_code == 404


def test_scoring_through_the_page_saves_the_marks(client, in_evaluation):
    member = in_evaluation.members[0]
    client.force_login(member.user)
    response = client.post(
        reverse("procurement:panel-score", args=[member.pk, in_evaluation.bids[1].pk]),
        {"technical_score": "88", "passes_qualification": "1", "comment": ""},
    )
    assert response.status_code == 302
    assert member.scores.get(bid=in_evaluation.bids[1]).technical_score == Decimal("88.00")


# --- the officer's workspace and permissions ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("procurement_officer", 200),
        ("park_admin", 200),
        ("discipline", 200),
        ("auditor", 200),
        ("handler", 404),
        ("enterprise_user", 404),
        ("other_park_admin", 404),
    ],
)
def test_the_tender_workspace_permission_matrix(client, in_evaluation, world_a, world_b, who, status):
    users = {
        "procurement_officer": in_evaluation.officer,
        "park_admin": world_a.park_admin,
        "discipline": world_a.discipline,
        "auditor": world_a.auditor,
        "handler": world_a.handler,
        "enterprise_user": in_evaluation.users[0],
        "other_park_admin": world_b.park_admin,
    }
    client.force_login(users[who])
    assert client.get(reverse("procurement:tender-evaluation", args=[in_evaluation.tender.pk])).status_code == status


def test_a_discipline_officer_cannot_record_the_report_through_the_page(client, in_evaluation, world_a):
    client.force_login(world_a.discipline)
    client.post(reverse("procurement:evaluation-report", args=[in_evaluation.tender.pk]))
    in_evaluation.tender.refresh_from_db()
    assert in_evaluation.tender.status == TenderStatus.EVALUATION


def test_the_pool_page_lets_the_officer_add_an_expert(client, world_a, procurement_officer):
    from core import roles
    from tests.accounts.factories import UserFactory

    expert = UserFactory(username="new_expert", roles=[roles.EXPERT])
    client.force_login(procurement_officer)
    response = client.post(
        reverse("procurement:evaluator-pool", args=[world_a.park.pk]), {"username": "new_expert", "kind": "expert"}
    )
    assert response.status_code == 302
    assert world_a.park.evaluator_pool.filter(user=expert).exists()
    assert client.get(reverse("procurement:evaluations")).status_code == 200


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("procurement_officer", True), ("park_admin", True), ("discipline", False), ("auditor", False)],
)
def test_api_draw_permission_matrix(client, world_a, procurement_officer, who, allowed):
    publish_procurement_pledges(world_a.park, world_a.park_admin)
    make_pool(world_a, experts=5, officials=0)
    opened = opened_tender(world_a)
    user = procurement_officer if who == "procurement_officer" else getattr(world_a, who)
    client.force_login(user)
    response = client.post(
        reverse("api:procurement:committee-member-draw"), {"tender": opened.tender.pk}, content_type="application/json"
    )
    assert response.status_code == (201 if allowed else 403)


# --- public award page and contract ------------------------------------------------------------------------


@pytest.fixture
def announced(world_a, procurement_officer):
    opened = evaluated_tender(world_a, procurement_officer, marks={"A": 90, "B": 60, "C": 80})
    award_services.award_decide(tender=opened.tender, actor=procurement_officer, bid=opened.bids[0])
    award_services.award_announce(tender=opened.tender, actor=procurement_officer)
    opened.tender.refresh_from_db()
    opened.officer = procurement_officer
    return opened


def test_the_public_award_page_lists_winner_amount_evaluators_and_deadline(client, announced):
    page = client.get(reverse("procurement:award-publicity", args=[announced.tender.pk])).content.decode()
    assert announced.suppliers[0].enterprise.name in page and "700000.00" in page
    for member in CommitteeMember.objects.filter(tender=announced.tender, status=CommitteeMemberStatus.SUBMITTED):
        assert member.user.get_full_name() in page
    assert timezone.localtime(announced.tender.objection_deadline).strftime("%Y-%m-%d") in page


def test_the_award_page_is_not_public_before_the_announcement(client, world_a, procurement_officer):
    opened = evaluated_tender(world_a, procurement_officer)
    assert client.get(reverse("procurement:award-publicity", args=[opened.tender.pk])).status_code == 404


def test_a_bidder_files_an_objection_and_the_winner_signs_the_integrity_contract_on_the_award_page(client, announced):
    client.force_login(announced.users[1])
    page = client.get(reverse("procurement:award-publicity", args=[announced.tender.pk])).content.decode()
    assert 'name="text"' in page and "integrity-contract" not in page
    client.post(reverse("procurement:objection-file", args=[announced.tender.pk]), {"text": "评分有误，请复核"})
    assert announced.tender.objections.count() == 1
    client.force_login(announced.users[0])
    page = client.get(reverse("procurement:award-publicity", args=[announced.tender.pk])).content.decode()
    assert "integrity-contract" in page
    client.post(reverse("procurement:integrity-contract-sign", args=[announced.tender.pk]), {"agree": "1"})
    assert contract_services.integrity_contracts_for(announced.tender).exists()


def test_a_contract_is_public_once_published(client, announced, world_a):
    contract_services.integrity_contract_sign(tender=announced.tender, actor=announced.users[0])
    later = announced.tender.objection_deadline + dt.timedelta(minutes=1)
    contract = contract_services.contract_sign(
        tender=announced.tender,
        actor=announced.officer,
        number="HT-PUB-1",
        value=Decimal("700000.00"),
        signed_on=timezone.localdate(later),
        integrity_pledge=contract_services.integrity_contracts_for(announced.tender).first(),
        now=later,
    )
    url = reverse("procurement:contract-detail", args=[contract.pk])
    assert client.get(url).status_code == 404
    client.force_login(announced.officer)
    assert client.get(url).status_code == 200
    contract_services.contract_publish(contract=contract, actor=announced.officer, now=later)
    client.logout()
    page = client.get(url).content.decode()
    assert "HT-PUB-1" in page and announced.suppliers[0].enterprise.name in page
    client.force_login(announced.officer)
    workspace = client.get(reverse("procurement:tender-evaluation", args=[announced.tender.pk]))
    assert workspace.status_code == 200


# --- schema ---------------------------------------------------------------------------------------------------


def test_the_schema_of_these_endpoints_has_no_warnings(db, tmp_path, capsys):
    call_command("spectacular", "--file", str(tmp_path / "schema.yaml"))
    warnings = [line for line in capsys.readouterr().err.splitlines() if "Warning" in line or "Error" in line]
    assert not [line for line in warnings if "api/evaluation.py" in line]
    text = (tmp_path / "schema.yaml").read_text()
    assert "/api/v1/procurement/committee-members/{id}/sign-pledge/" in text
    assert "/api/v1/procurement/contract-amendments/record/" in text
