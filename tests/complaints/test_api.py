"""/api/v1/complaints/: tickets scoped exactly like the pages, filters, submission, every transition as a
POST action, errors as JSON with nothing changed, messages, categories, answer lists."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from complaints import services
from complaints.choices import Status
from complaints.models import Ticket
from tests.complaints.conftest import T0

BASE = "/api/v1/complaints"
ROLES = ("park_admin", "dispatcher", "handler", "discipline", "auditor", "enterprise_user")


@pytest.fixture
def api():
    return APIClient()


def as_(api, user):
    api.force_authenticate(user)
    return api


def numbers(response):
    return {row["number"] for row in response.json()["results"]}


# --- scope -------------------------------------------------------------------------------------------------

VISIBLE = {
    # role → sees a dispatched ordinary ticket / a confidential misconduct report
    "park_admin": (True, False),
    "dispatcher": (True, False),
    "handler": (True, False),
    "discipline": (True, True),
    "auditor": (True, False),
    "enterprise_user": (True, False),
}


@pytest.fixture
def two_tickets(desk):
    ordinary = desk.to(Status.ASSIGNED)
    confidential = desk.submit(
        actor=None, category=desk.misconduct, subject="窗口人员吃拿卡要", body="暗示请客。"
    ).ticket
    return ordinary, confidential


@pytest.mark.parametrize("role", ROLES)
def test_ticket_list_is_scoped_like_the_pages(api, desk, two_tickets, role):
    ordinary, confidential = two_tickets

    response = as_(api, getattr(desk.w, role)).get(f"{BASE}/tickets/")

    sees_ordinary, sees_confidential = VISIBLE[role]
    assert (ordinary.number in numbers(response), confidential.number in numbers(response)) == (
        sees_ordinary,
        sees_confidential,
    )
    assert response.json()["count"] == sees_ordinary + sees_confidential


@pytest.mark.parametrize("role", ["park_admin", "dispatcher", "handler", "auditor", "enterprise_user"])
def test_confidential_ticket_is_not_found_through_the_api(api, desk, two_tickets, role):
    _ordinary, confidential = two_tickets

    response = as_(api, getattr(desk.w, role)).get(f"{BASE}/tickets/{confidential.pk}/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_search_does_not_reveal_a_confidential_ticket(api, desk, two_tickets):
    response = as_(api, desk.w.dispatcher).get(f"{BASE}/tickets/", {"q": "吃拿卡要"})

    assert response.json()["count"] == 0


def test_other_parks_tickets_are_invisible(api, desk, world_b):
    desk.to(Status.SUBMITTED)

    response = as_(api, world_b.dispatcher).get(f"{BASE}/tickets/")

    assert response.json()["count"] == 0


def test_api_requires_authentication(api, db):
    assert api.get(f"{BASE}/tickets/").status_code in (401, 403)


# --- filters -----------------------------------------------------------------------------------------------


def test_tickets_filter_by_status_and_search(api, desk):
    submitted = desk.to(Status.SUBMITTED, subject="道路积水")
    desk.to(Status.CLOSED, subject="补贴到账")
    client = as_(api, desk.w.dispatcher)

    by_status = client.get(f"{BASE}/tickets/", {"status": "submitted"})
    by_text = client.get(f"{BASE}/tickets/", {"q": "积水"})

    assert numbers(by_status) == {submitted.number}
    assert numbers(by_text) == {submitted.number}


def test_tickets_filter_by_department_includes_co_handling(api, desk):
    ticket = desk.to(Status.ACCEPTED)
    services.ticket_dispatch(
        ticket=ticket, actor=desk.w.dispatcher, department=desk.w.business, co_departments=[desk.w.dispatch], now=T0
    )

    response = as_(api, desk.w.dispatcher).get(f"{BASE}/tickets/", {"department": desk.w.dispatch.pk})

    assert numbers(response) == {ticket.number}


def test_list_contacts_are_masked_and_detail_shows_them_to_the_intake_desk(api, desk):
    ticket = desk.submit(contact_name="王小明", contact_phone="13900001111").ticket
    client = as_(api, desk.w.dispatcher)

    row = client.get(f"{BASE}/tickets/").json()["results"][0]
    detail = client.get(f"{BASE}/tickets/{ticket.pk}/").json()

    assert (row["contact_name"], row["contact_phone"]) == ("王**", "139****1111")
    assert (detail["contact_name"], detail["contact_phone"]) == ("王小明", "13900001111")


def test_protected_identity_is_withheld_from_the_handler(api, desk):
    ticket = desk.submit(hide_identity=True, contact_name="王小明", contact_phone="13900001111").ticket
    services.ticket_accept(ticket=ticket, actor=desk.w.dispatcher, now=T0)
    services.ticket_dispatch(ticket=ticket, actor=desk.w.dispatcher, department=desk.w.business, now=T0)

    detail = as_(api, desk.w.handler).get(f"{BASE}/tickets/{ticket.pk}/").json()

    assert (detail["identity_visible"], detail["enterprise"], detail["contact_name"], detail["contact_phone"]) == (
        False,
        None,
        "",
        "",
    )
    submitted = next(e for e in detail["trail"] if e["action"] == "ticket.submitted")
    assert submitted["actor"] != desk.w.enterprise_user.get_full_name()


# --- submission ----------------------------------------------------------------------------------------------


def test_enterprise_user_files_a_ticket_through_the_api(api, desk):
    response = as_(api, desk.w.enterprise_user).post(
        f"{BASE}/tickets/",
        {"park": desk.park.code, "category": desk.general.pk, "subject": "用电报装", "body": "新厂房用电报装进度慢。"},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert body["receipt_code"] is None
    ticket = Ticket.objects.get(pk=body["ticket"]["id"])
    assert (ticket.submitter, ticket.enterprise, ticket.channel) == (
        desk.w.enterprise_user,
        desk.w.enterprise,
        "app",
    )


def test_anonymous_api_submission_returns_its_receipt_code_once(api, desk):
    response = as_(api, desk.w.enterprise_user).post(
        f"{BASE}/tickets/",
        {
            "park": desk.park.code,
            "category": desk.general.pk,
            "subject": "匿名反映",
            "body": "内容",
            "is_anonymous": True,
        },
        format="json",
    )

    body = response.json()
    assert response.status_code == 201
    assert len(body["receipt_code"]) == 16
    assert services.receipt_lookup(code=body["receipt_code"]).pk == body["ticket"]["id"]


def test_invalid_submission_is_a_json_error_and_stores_nothing(api, desk):
    response = as_(api, desk.w.enterprise_user).post(
        f"{BASE}/tickets/",
        {"park": desk.park.code, "category": desk.internal.pk, "subject": "s", "body": "b"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["category"]
    assert not Ticket.objects.exists()


# --- transitions -------------------------------------------------------------------------------------------


def test_the_whole_path_through_the_api(api, desk):
    ticket = desk.to(Status.SUBMITTED)
    url = f"{BASE}/tickets/{ticket.pk}"
    later = timezone.localdate() + timedelta(days=60)

    as_(api, desk.w.dispatcher)
    assert api.post(f"{url}/accept/", {}, format="json").json()["status"] == "accepted"
    dispatched = api.post(
        f"{url}/dispatch/", {"department": desk.w.business.pk, "co_departments": [desk.w.dispatch.pk]}, format="json"
    ).json()
    assert dispatched["status"] == "assigned" and dispatched["lead_department"]["id"] == desk.w.business.pk
    as_(api, desk.w.handler)
    assert api.post(f"{url}/sign/").json()["status"] == "in_progress"
    extension = api.post(
        f"{url}/request-extension/", {"reason": "需协调住建局", "requested_due": later.isoformat()}, format="json"
    )
    assert extension.status_code == 200
    as_(api, desk.w.dispatcher)
    decided = api.post(f"{url}/decide-extension/", {"approve": True}, format="json").json()
    assert decided["extension_count"] == 1
    as_(api, desk.w.handler)
    replied = api.post(f"{url}/reply/", {"reply": "已办结。", "rectification_measures": "建立台账"}, format="json")
    assert replied.json()["status"] == "replied"
    as_(api, desk.w.enterprise_user)
    reopened = api.post(f"{url}/reject-answer/", {"reason": "还没到账"}, format="json").json()
    assert reopened["status"] == "in_progress" and reopened["reopen_count"] == 1
    as_(api, desk.w.handler)
    api.post(f"{url}/reply/", {"reply": "已到账。"}, format="json")
    as_(api, desk.w.enterprise_user)
    closed = api.post(f"{url}/confirm/", {"satisfaction": 5, "comment": "满意"}, format="json").json()
    assert (closed["status"], closed["satisfaction"]) == ("closed", 5)
    actions = [entry["action"] for entry in closed["trail"]]
    assert actions[0] == "ticket.submitted" and actions[-1] == "ticket.confirmed"


def test_return_and_redispatch_through_the_api(api, desk, world_a):
    ticket = desk.to(Status.ASSIGNED)
    url = f"{BASE}/tickets/{ticket.pk}"

    as_(api, desk.w.handler)
    assert api.post(f"{url}/return/", {"reason": "不属于本局职责"}, format="json").status_code == 204
    as_(api, desk.w.dispatcher)
    redispatched = api.post(f"{url}/decide-return/", {"redispatch_to": desk.w.dispatch.pk}, format="json").json()

    assert redispatched["status"] == "assigned"
    assert redispatched["lead_department"]["id"] == desk.w.dispatch.pk


def test_reject_and_merge_through_the_api(api, desk):
    original = desk.to(Status.ACCEPTED)
    duplicate = desk.to(Status.SUBMITTED)
    other = desk.to(Status.SUBMITTED)
    client = as_(api, desk.w.dispatcher)

    merged = client.post(f"{BASE}/tickets/{duplicate.pk}/merge/", {"into": original.pk}, format="json").json()
    rejected = client.post(f"{BASE}/tickets/{other.pk}/reject/", {"reason": "非园区事项"}, format="json").json()

    assert (merged["status"], merged["merged_into"]) == ("merged", original.number)
    assert rejected["status"] == "rejected"


def test_supervision_and_follow_up_through_the_api(api, desk):
    ticket = desk.to(Status.IN_PROGRESS)

    supervised = as_(api, desk.w.discipline).post(
        f"{BASE}/tickets/{ticket.pk}/supervise/", {"note": "限三日内答复"}, format="json"
    )

    assert supervised.json()["supervision_level"] == 1


@pytest.mark.parametrize(
    ("action", "payload", "role", "expected"),
    [
        ("accept", {}, "handler", 404),  # a submitted ticket is not the handler's to see
        ("accept", {}, "enterprise_user", 403),
        ("accept", {}, "park_admin", 403),
        ("reject", {"reason": "x"}, "auditor", 403),
        ("supervise", {"note": "x"}, "dispatcher", 403),
    ],
)
def test_actions_of_another_role_are_refused_and_change_nothing(api, desk, action, payload, role, expected):
    ticket = desk.to(Status.SUBMITTED)

    response = as_(api, getattr(desk.w, role)).post(f"{BASE}/tickets/{ticket.pk}/{action}/", payload, format="json")

    assert response.status_code == expected
    assert response.json()["error"]["code"] in ("forbidden", "not_found")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.supervision_level) == (Status.SUBMITTED, 0)


@pytest.mark.parametrize(
    ("status", "action", "payload", "role"),
    [
        (Status.CLOSED, "reject", {"reason": "x"}, "dispatcher"),
        (Status.SUBMITTED, "sign", {}, "handler"),
        (Status.ACCEPTED, "reply", {"reply": "x"}, "handler"),
        (Status.IN_PROGRESS, "confirm", {"satisfaction": 5}, "enterprise_user"),
    ],
)
def test_forbidden_transitions_answer_409_or_404_and_change_nothing(api, desk, status, action, payload, role):
    ticket = desk.to(status)

    response = as_(api, getattr(desk.w, role)).post(f"{BASE}/tickets/{ticket.pk}/{action}/", payload, format="json")

    assert response.status_code in (403, 404, 409)
    ticket.refresh_from_db()
    assert ticket.status == status


def test_missing_reason_is_a_400_with_the_field(api, desk):
    ticket = desk.to(Status.SUBMITTED)

    response = as_(api, desk.w.dispatcher).post(f"{BASE}/tickets/{ticket.pk}/reject/", {}, format="json")

    assert response.status_code == 400
    assert "reason" in response.json()["error"]["fields"]


def test_decide_return_without_a_pending_return_is_a_conflict(api, desk):
    ticket = desk.to(Status.ACCEPTED)

    response = as_(api, desk.w.dispatcher).post(f"{BASE}/tickets/{ticket.pk}/decide-return/", {}, format="json")

    assert response.status_code == 409


def test_actions_listed_on_a_ticket_match_the_users_role(api, desk):
    ticket = desk.to(Status.SUBMITTED)

    dispatcher = as_(api, desk.w.dispatcher).get(f"{BASE}/tickets/{ticket.pk}/").json()["allowed_actions"]
    enterprise = as_(api, desk.w.enterprise_user).get(f"{BASE}/tickets/{ticket.pk}/").json()["allowed_actions"]

    assert set(dispatcher) == {"accept", "reject", "merge"}
    assert enterprise == []


# --- messages, categories, answer lists -------------------------------------------------------------------


def test_messages_are_posted_and_listed_per_ticket(api, desk):
    ticket = desk.to(Status.IN_PROGRESS)
    as_(api, desk.w.handler).post(f"{BASE}/tickets/{ticket.pk}/messages/", {"body": "请补充合同"}, format="json")
    api.post(f"{BASE}/messages/", {"ticket": ticket.pk, "body": "内部备注", "internal": True}, format="json")

    handler_view = api.get(f"{BASE}/messages/", {"ticket": ticket.pk}).json()
    filer_view = as_(api, desk.w.enterprise_user).get(f"{BASE}/messages/", {"ticket": ticket.pk}).json()

    assert [m["body"] for m in handler_view["results"]] == ["请补充合同", "内部备注"]
    assert [m["body"] for m in filer_view["results"]] == ["请补充合同"]


def test_messages_of_invisible_tickets_are_not_listed(api, desk, two_tickets):
    _ordinary, confidential = two_tickets
    services.ticket_message_post(ticket=confidential, actor=desk.w.discipline, body="请补充线索", now=T0)

    response = as_(api, desk.w.dispatcher).get(f"{BASE}/messages/")

    assert response.json()["count"] == 0


def test_categories_of_the_users_park(api, desk, world_b):
    response = as_(api, desk.w.dispatcher).get(f"{BASE}/categories/")

    assert {c["code"] for c in response.json()["results"]} == {"policy", "noise", "misconduct", "internal"}


def test_answer_lists_are_public(api, desk):
    response = api.get(f"{BASE}/answer-batches/")

    assert response.status_code == 200
