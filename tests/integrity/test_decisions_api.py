"""/api/v1/integrity/ for the 三重一大 register: scoped like the pages (a role × endpoint matrix), recording
through one POST per action with the services' refusals as JSON, the computed flags, a warning-free schema."""

from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from integrity.choices_decisions import DecisionKind
from integrity.models import CollectiveDecision, FundPayment, Meeting
from integrity.services import decisions as services
from tests.integrity.factories_decisions import decide, hold_meeting, make_body

BASE = "/api/v1/integrity/"
TODAY = timezone.localdate()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def data(world_a, world_b):
    body = make_body(world_a, members=3)
    meeting = hold_meeting(world_a, body, present=3)
    decision = decide(world_a, meeting, in_favour=3, kind=DecisionKind.LARGE_FUNDS, amount=Decimal("900000"))
    services.fund_payment_record(
        park=world_a.park, actor=world_a.discipline, payee="甲", amount=Decimal("700000"), paid_on=TODAY, purpose="x"
    )
    other_body = make_body(world_b, members=3, name="乙园区党工委会议")
    other_meeting = hold_meeting(world_b, other_body, present=1)
    decide(world_b, other_meeting, in_favour=1)
    return {"body": body, "meeting": meeting, "decision": decision}


def count(api, user, endpoint):
    if user is not None:
        api.force_authenticate(user)
    response = api.get(BASE + endpoint + "/")
    return response.json()["count"] if response.status_code == 200 else response.status_code


# role → (bodies, meetings, decisions, payments, flags)
MATRIX = {
    "discipline": (1, 1, 1, 1, 1),
    "park_admin": (1, 1, 1, 1, 1),
    "auditor": (1, 1, 1, 1, 1),
    "handler": (0, 0, 0, 0, 0),
    "dispatcher": (0, 0, 0, 0, 0),
    "enterprise_user": (0, 0, 0, 0, 0),
}
ENDPOINTS = ["decision-bodies", "meetings", "collective-decisions", "fund-payments", "decision-flags"]


@pytest.mark.parametrize("role", list(MATRIX))
@pytest.mark.parametrize(("endpoint", "column"), [(e, i) for i, e in enumerate(ENDPOINTS)])
def test_each_role_sees_exactly_its_scope(api, world_a, data, role, endpoint, column):
    assert count(api, getattr(world_a, role), endpoint) == MATRIX[role][column]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_the_public_gets_nothing(api, data, endpoint):
    assert count(api, None, endpoint) in (401, 403)


def test_a_platform_administrator_sees_both_parks(api, platform_admin, data):
    assert count(api, platform_admin, "collective-decisions") == 2
    assert count(api, platform_admin, "decision-flags") == 3  # park B: quorum and majority short


def test_a_decision_carries_its_votes_tally_and_flags(api, world_a, data):
    api.force_authenticate(world_a.auditor)

    body = api.get(f"{BASE}collective-decisions/{data['decision'].pk}/").json()

    assert body["kind"] == "large_funds" and body["amount"] == "900000.00"
    assert [v["position"] for v in body["votes"]] == ["for", "for", "for"]
    assert body["entitled_count"] == 3 and body["in_favour"] == 3 and body["flags"] == []


def test_a_meeting_an_item_and_positions_are_recorded_through_the_api(api, world_a, data):
    api.force_authenticate(world_a.park_admin)
    members = list(data["body"].members.order_by("id"))

    meeting = api.post(
        f"{BASE}meetings/",
        {"body": data["body"].pk, "meeting_type": "special", "held_on": TODAY.isoformat(), "number": "专题"},
        format="json",
    )
    meeting_id = meeting.json()["id"]
    attendance = api.post(
        f"{BASE}meetings/{meeting_id}/attendance/",
        {"attendance": [{"member": m.pk, "status": "present"} for m in members]},
        format="json",
    )
    item = api.post(
        f"{BASE}collective-decisions/",
        {
            "meeting": meeting_id,
            "kind": "major_decision",
            "title": "园区发展规划修编",
            "outcome": "adopted",
            "notified_in_advance": False,
        },
        format="json",
    )
    votes = api.post(
        f"{BASE}collective-decisions/{item.json()['id']}/votes/",
        {"votes": [{"member": members[0].pk, "position": "for"}, {"member": members[1].pk, "position": "for"}]},
        format="json",
    )

    assert meeting.status_code == 201 and attendance.json()["present_count"] == 3
    assert item.status_code == 201 and {f["kind"] for f in item.json()["flags"]} == {"extempore", "majority_short"}
    assert votes.status_code == 200 and votes.json()["in_favour"] == 2
    assert [f["kind"] for f in votes.json()["flags"]] == ["extempore"]


def test_a_refusal_is_a_json_error_and_records_nothing(api, world_a, data):
    api.force_authenticate(world_a.discipline)

    response = api.post(
        f"{BASE}collective-decisions/",
        {"meeting": data["meeting"].pk, "kind": "large_funds", "title": "未填金额", "outcome": "adopted"},
        format="json",
    )

    assert response.status_code == 400 and response.json()["error"]["fields"] == {"amount": [response.json()["detail"]]}
    assert not CollectiveDecision.objects.filter(title="未填金额").exists()


def test_an_auditor_cannot_record_through_the_api(api, world_a, data):
    api.force_authenticate(world_a.auditor)

    response = api.post(
        f"{BASE}meetings/",
        {"body": data["body"].pk, "meeting_type": "regular", "held_on": TODAY.isoformat()},
        format="json",
    )

    assert response.status_code == 403 and Meeting.objects.count() == 2


def test_a_meeting_of_another_park_is_not_found(api, world_b, data):
    api.force_authenticate(world_b.discipline)

    response = api.post(
        f"{BASE}collective-decisions/",
        {"meeting": data["meeting"].pk, "kind": "appointment", "title": "x", "outcome": "adopted"},
        format="json",
    )

    assert response.status_code == 404


def test_a_payment_is_recorded_and_linked_through_the_api(api, world_a, data):
    api.force_authenticate(world_a.discipline)

    created = api.post(
        f"{BASE}fund-payments/",
        {
            "park": world_a.park.pk,
            "payee": "某公司",
            "amount": "900000",
            "paid_on": TODAY.isoformat(),
            "purpose": "款项",
        },
        format="json",
    )
    flags_before = [f["kind"] for f in created.json()["flags"]]
    linked = api.post(
        f"{BASE}fund-payments/{created.json()['id']}/link-decision/", {"decision": data["decision"].pk}, format="json"
    )

    assert flags_before == ["spending_without_decision"]
    assert linked.json()["decision"] == data["decision"].pk and linked.json()["flags"] == []
    assert FundPayment.objects.get(pk=created.json()["id"]).decision_id == data["decision"].pk


def test_the_flag_list_filters_by_kind_and_refuses_a_bad_date(api, world_a, data):
    api.force_authenticate(world_a.discipline)

    flags = api.get(f"{BASE}decision-flags/", {"kind": "spending_without_decision"}).json()
    bad = api.get(f"{BASE}decision-flags/", {"since": "not-a-date"})

    assert [f["kind"] for f in flags["results"]] == ["spending_without_decision"]
    assert bad.status_code == 400


def test_a_seat_is_added_and_ended_through_the_api(api, world_a, data):
    api.force_authenticate(world_a.discipline)
    url = f"{BASE}decision-bodies/{data['body'].pk}/"

    added = api.post(
        url + "members/", {"name": "新委员", "post": "党工委委员", "from_date": "2026-01-01"}, format="json"
    )
    member = next(m for m in added.json()["members"] if m["name"] == "新委员")
    ended = api.post(url + "end-member/", {"member": member["id"], "to_date": "2026-06-30"}, format="json")

    assert next(m for m in ended.json()["members"] if m["id"] == member["id"])["to_date"] == "2026-06-30"


def test_the_list_endpoints_run_a_constant_number_of_queries(api, world_a, data, django_assert_max_num_queries):
    for n in range(4):
        meeting = hold_meeting(world_a, data["body"], present=3, number=f"第{n}次")
        decide(world_a, meeting, in_favour=3, title=f"事项{n}")
    api.force_authenticate(world_a.discipline)

    with django_assert_max_num_queries(20):
        assert api.get(f"{BASE}collective-decisions/").json()["count"] == 5
    with django_assert_max_num_queries(20):
        assert api.get(f"{BASE}meetings/").json()["count"] == 5


MY_VIEWSETS = (
    "DecisionBodyViewSet",
    "MeetingViewSet",
    "CollectiveDecisionViewSet",
    "FundPaymentViewSet",
    "DecisionFlagViewSet",
)


def test_the_schema_of_these_endpoints_has_no_warnings():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    problems = [
        str(message)
        for message in [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
        if "decisions" in str(message) or any(name in str(message) for name in MY_VIEWSETS)
    ]

    assert "/api/v1/integrity/collective-decisions/{id}/votes/" in schema["paths"]
    assert "DecisionFlagKindEnum" in schema["components"]["schemas"]
    assert problems == []
