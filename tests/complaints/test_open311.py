"""Open311 GeoReport v2 (JSON): every response checked against the spec's field lists, statuses mapped to
open/closed, public requests without personal data, new requests on the open311 channel."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.services import api_token_create
from complaints import services
from complaints.choices import Channel, Status
from complaints.models import Ticket
from tests.complaints.factories import RoutingRuleFactory

BASE = "/open311/v2"
SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}
CREATED_FIELDS = {"service_request_id", "service_notice", "account_id"}
ERROR_FIELDS = {"code", "description"}


def now_ticket(desk, status, **kwargs):
    """A ticket moved to `status` now (Open311 lists the last 90 days by default)."""
    ticket = desk.submit(now=timezone.now(), **kwargs).ticket
    w = desk.w
    if status == Status.SUBMITTED:
        return ticket
    if status == Status.REJECTED:
        return services.ticket_reject(ticket=ticket, actor=w.dispatcher, reason="不属于受理范围")
    services.ticket_accept(ticket=ticket, actor=w.dispatcher)
    services.ticket_dispatch(ticket=ticket, actor=w.dispatcher, department=w.business)
    if status == Status.ASSIGNED:
        return Ticket.objects.get(pk=ticket.pk)
    services.ticket_sign(ticket=ticket, actor=w.handler)
    services.ticket_reply(ticket=ticket, actor=w.handler, reply="已处理。")
    return services.ticket_confirm(ticket=ticket, actor=w.enterprise_user, satisfaction=5)


# --- services --------------------------------------------------------------------------------------------------


def test_services_list_has_exactly_the_georeport_fields(client, desk):
    RoutingRuleFactory(park=desk.park, category=desk.general, department=desk.w.business, keywords="补贴,兑现")

    response = client.get(f"{BASE}/services.json", {"jurisdiction_id": desk.park.code})

    services_list = response.json()
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert services_list and all(set(s) == SERVICE_FIELDS for s in services_list)
    policy = next(s for s in services_list if s["service_code"] == "policy")
    assert (policy["service_name"], policy["metadata"], policy["type"], policy["keywords"]) == (
        "政策兑现",
        False,
        "realtime",
        "补贴,兑现",
    )


def test_services_list_holds_only_public_categories_and_no_misconduct(client, desk):
    response = client.get(f"{BASE}/services.json", {"jurisdiction_id": desk.park.code})

    assert {s["service_code"] for s in response.json()} == {"policy", "noise"}


def test_services_without_jurisdiction_on_a_multi_park_platform_is_a_spec_error(client, desk, world_b):
    response = client.get(f"{BASE}/services.json")

    assert response.status_code == 400
    assert [set(e) for e in response.json()] == [ERROR_FIELDS]
    assert response.json()[0]["code"] == 400


def test_unknown_jurisdiction_is_a_404_error_list(client, desk):
    response = client.get(f"{BASE}/services.json", {"jurisdiction_id": "nowhere"})

    assert response.status_code == 404
    assert [set(e) for e in response.json()] == [ERROR_FIELDS]


# --- requests ----------------------------------------------------------------------------------------------------


def test_requests_list_has_exactly_the_georeport_fields(client, desk):
    now_ticket(desk, Status.ASSIGNED)
    now_ticket(desk, Status.CLOSED)

    response = client.get(f"{BASE}/requests.json")

    rows = response.json()
    assert len(rows) == 2
    assert all(set(row) == REQUEST_FIELDS for row in rows)


def test_statuses_map_to_open_and_closed(client, desk):
    assigned = now_ticket(desk, Status.ASSIGNED)
    closed = now_ticket(desk, Status.CLOSED)
    rejected = now_ticket(desk, Status.REJECTED)

    rows = {r["service_request_id"]: r["status"] for r in client.get(f"{BASE}/requests.json").json()}

    assert rows == {assigned.number: "open", closed.number: "closed", rejected.number: "closed"}


def test_requests_filter_by_status(client, desk):
    assigned = now_ticket(desk, Status.ASSIGNED)
    now_ticket(desk, Status.CLOSED)

    rows = client.get(f"{BASE}/requests.json", {"status": "open"}).json()

    assert [r["service_request_id"] for r in rows] == [assigned.number]


def test_requests_filter_by_service_code_and_ids(client, desk):
    noise = now_ticket(desk, Status.SUBMITTED, category=desk.complaint)
    policy = now_ticket(desk, Status.SUBMITTED)

    by_code = client.get(f"{BASE}/requests.json", {"service_code": "noise"}).json()
    by_ids = client.get(f"{BASE}/requests.json", {"service_request_id": f"{policy.number},{noise.number}"}).json()

    assert [r["service_request_id"] for r in by_code] == [noise.number]
    assert {r["service_request_id"] for r in by_ids} == {noise.number, policy.number}


def test_requests_filter_by_date_range(client, desk):
    recent = now_ticket(desk, Status.SUBMITTED)
    desk.submit(now=timezone.now() - timedelta(days=40))
    start = (timezone.now() - timedelta(days=10)).isoformat()

    rows = client.get(f"{BASE}/requests.json", {"start_date": start}).json()

    assert [r["service_request_id"] for r in rows] == [recent.number]


def test_requests_list_defaults_to_the_last_90_days(client, desk):
    desk.submit(now=timezone.now() - timedelta(days=120))

    assert client.get(f"{BASE}/requests.json").json() == []


def test_bad_date_is_a_spec_error(client, desk):
    response = client.get(f"{BASE}/requests.json", {"start_date": "yesterday"})

    assert response.status_code == 400
    assert [set(e) for e in response.json()] == [ERROR_FIELDS]


def test_confidential_reports_are_never_listed(client, desk):
    report = desk.submit(now=timezone.now(), actor=None, category=desk.misconduct, subject="吃拿卡要").ticket

    listed = client.get(f"{BASE}/requests.json").json()
    single = client.get(f"{BASE}/requests/{report.number}.json")

    assert listed == [] and single.status_code == 404


def test_public_requests_carry_no_personal_data(client, desk):
    ticket = now_ticket(
        desk,
        Status.SUBMITTED,
        contact_name="王小明",
        contact_phone="13900001111",
        body="我是王小明,电话13900001111,公司甲园区示范企业有限公司的补贴没到。",
        consent_to_publish=True,
    )

    text = client.get(f"{BASE}/requests/{ticket.number}.json").content.decode()

    for personal in ("王小明", "13900001111", desk.w.enterprise.name, desk.w.enterprise_user.get_full_name()):
        assert personal not in text


def test_description_is_left_out_without_consent(client, desk):
    ticket = now_ticket(desk, Status.SUBMITTED, body="不同意公开的内容")

    row = client.get(f"{BASE}/requests/{ticket.number}.json").json()[0]

    assert row["description"] == ""


def test_single_request_has_exactly_the_georeport_fields(client, desk):
    ticket = now_ticket(desk, Status.ASSIGNED)

    response = client.get(f"{BASE}/requests/{ticket.number}.json")

    rows = response.json()
    assert response.status_code == 200 and len(rows) == 1 and set(rows[0]) == REQUEST_FIELDS
    assert rows[0]["agency_responsible"] == desk.w.business.name
    assert rows[0]["expected_datetime"] is not None


def test_unknown_request_is_a_404_error_list(client, desk):
    response = client.get(f"{BASE}/requests/PA-2025-999999.json")

    assert response.status_code == 404
    assert [set(e) for e in response.json()] == [ERROR_FIELDS]


# --- POST requests ----------------------------------------------------------------------------------------------


def test_anonymous_post_files_a_ticket_and_returns_the_receipt_in_the_notice(client, desk):
    response = client.post(
        f"{BASE}/requests.json",
        {
            "jurisdiction_id": desk.park.code,
            "service_code": "noise",
            "description": "三号路夜间施工噪音扰民",
            "lat": "18.3960",
            "long": "109.1860",
            "email": "someone@example.cn",
            "first_name": "明",
            "last_name": "王",
            "phone": "13900001111",
        },
    )

    rows = response.json()
    ticket = Ticket.objects.get()
    assert response.status_code == 201
    assert [set(r) for r in rows] == [CREATED_FIELDS]
    assert rows[0]["service_request_id"] == ticket.number and rows[0]["account_id"] is None
    assert (ticket.channel, ticket.is_anonymous, ticket.contact_phone, ticket.place) == (
        Channel.OPEN311,
        True,
        "",
        "18.3960,109.1860",
    )
    code = "".join(ch for ch in rows[0]["service_notice"] if ch.isdigit())[-16:]
    assert services.receipt_lookup(code=code) == ticket


def test_posted_coordinates_come_back_as_lat_and_long(client, desk):
    client.post(
        f"{BASE}/requests.json",
        {
            "jurisdiction_id": desk.park.code,
            "service_code": "noise",
            "description": "噪音",
            "lat": "18.396",
            "long": "109.186",
        },
    )
    ticket = Ticket.objects.get()

    row = client.get(f"{BASE}/requests/{ticket.number}.json").json()[0]

    assert (row["lat"], row["long"], row["address"]) == (18.396, 109.186, "")


def test_post_with_an_api_key_files_as_the_tokens_user(client, desk):
    _token, key = api_token_create(user=desk.w.enterprise_user, name="app", actor=desk.w.enterprise_user)

    client.post(
        f"{BASE}/requests.json",
        {"jurisdiction_id": desk.park.code, "service_code": "policy", "description": "补贴兑现慢", "api_key": key},
    )

    ticket = Ticket.objects.get()
    assert (ticket.submitter, ticket.enterprise, ticket.is_anonymous) == (
        desk.w.enterprise_user,
        desk.w.enterprise,
        False,
    )


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"service_code": "noise", "description": "x"}, 400),  # no jurisdiction on a multi-park platform
        ({"jurisdiction_id": "PA", "description": "x"}, 400),
        ({"jurisdiction_id": "PA", "service_code": "misconduct", "description": "x"}, 404),
        ({"jurisdiction_id": "PA", "service_code": "nothing", "description": "x"}, 404),
        ({"jurisdiction_id": "PA", "service_code": "noise", "description": ""}, 400),
        ({"jurisdiction_id": "PA", "service_code": "noise", "description": "x", "api_key": "bad"}, 403),
    ],
)
def test_bad_posts_are_spec_errors_and_store_nothing(client, desk, world_b, data, status):
    response = client.post(f"{BASE}/requests.json", data)

    assert response.status_code == status
    assert [set(e) for e in response.json()] == [ERROR_FIELDS]
    assert not Ticket.objects.exists()
