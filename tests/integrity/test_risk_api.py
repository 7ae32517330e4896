"""/api/v1/integrity/ for the risk register, controls, reviews and screening campaigns: scoped exactly like the
pages (a role × endpoint matrix), filtered with the pages' FilterSets, paginated, one POST per transition,
a warning-free schema, constant query counts."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from integrity.choices_risk import ControlStatus, RiskStatus
from integrity.models import IntegrityRisk
from integrity.services.screening import screening_campaign_launch
from tests.complaints.factories import CategoryFactory, TicketFactory
from tests.integrity.factories_risk import RiskControlFactory, make_head, register_risk

BASE = "/api/v1/integrity/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def data(world_a, world_b):
    business = register_risk(world_a, title="惠企资金审核把关不严")
    dispatch = register_risk(world_a, department=world_a.dispatch, title="诉求受理选择性登记")
    other = register_risk(world_b, title="乙园区招商优惠承诺超标")
    for risk in (business, dispatch, other):
        RiskControlFactory(risk=risk, owner=world_a.handler if risk.park == world_a.park else world_b.handler)
    campaign = screening_campaign_launch(
        park=world_a.park,
        actor=world_a.discipline,
        title="2026年度排查",
        deadline=timezone.localdate() + dt.timedelta(days=10),
    )
    return {"business": business, "dispatch": dispatch, "other": other, "campaign": campaign}


def visible(api, user, endpoint):
    if user is not None:
        api.force_authenticate(user)
    response = api.get(BASE + endpoint + "/")
    if response.status_code != 200:
        return response.status_code
    return response.json()["count"]


# role → (risks, controls, campaigns, responses)
MATRIX = {
    "discipline": (2, 2, 1, 3),
    "park_admin": (2, 2, 1, 3),
    "auditor": (2, 2, 1, 3),
    "handler": (1, 1, 1, 1),
    "dispatcher": (1, 1, 1, 1),
    "enterprise_user": (0, 0, 0, 0),
}


@pytest.mark.parametrize("role", list(MATRIX))
@pytest.mark.parametrize(
    ("endpoint", "column"), [("risks", 0), ("risk-controls", 1), ("screening-campaigns", 2), ("screening-responses", 3)]
)
def test_each_role_sees_exactly_its_scope(api, world_a, data, role, endpoint, column):
    assert visible(api, getattr(world_a, role), endpoint) == MATRIX[role][column]


@pytest.mark.parametrize("endpoint", ["risks", "risk-controls", "risk-reviews", "screening-campaigns"])
def test_the_public_gets_nothing(api, data, endpoint):
    assert visible(api, None, endpoint) in (401, 403)


def test_a_platform_administrator_sees_every_park(api, platform_admin, data):
    assert visible(api, platform_admin, "risks") == 3


def test_a_risk_outside_the_scope_is_a_404(api, world_a, data):
    api.force_authenticate(world_a.handler)

    assert api.get(f"{BASE}risks/{data['dispatch'].pk}/").status_code == 404


def test_the_register_filters_apply(api, world_a, data):
    api.force_authenticate(world_a.discipline)

    response = api.get(BASE + "risks/", {"department": world_a.dispatch.pk})

    assert [r["title"] for r in response.json()["results"]] == ["诉求受理选择性登记"]


def test_a_discipline_officer_registers_a_risk(api, world_a):
    api.force_authenticate(world_a.discipline)

    response = api.post(
        BASE + "risks/",
        {
            "department": world_a.business.pk,
            "post": "招商谈判岗",
            "area": "investment",
            "title": "招商优惠条件超出政策",
            "description": "对个别企业承诺超出政策范围的优惠。",
            "inherent_likelihood": 3,
            "inherent_impact": 5,
            "residual_likelihood": 2,
            "residual_impact": 5,
        },
        format="json",
    )

    assert response.status_code == 201
    assert (response.json()["inherent_level"], response.json()["residual_level"]) == ("high", "high")


def test_a_refused_registration_is_a_403_with_the_reason(api, world_a):
    api.force_authenticate(world_a.handler)

    response = api.post(
        BASE + "risks/",
        {
            "department": world_a.dispatch.pk,
            "post": "x",
            "area": "internal",
            "title": "x",
            "description": "x",
            "inherent_likelihood": 1,
            "inherent_impact": 1,
        },
        format="json",
    )

    assert response.status_code == 403


def test_closing_a_major_risk_by_a_non_head_is_a_403(api, world_a):
    make_head(world_a.discipline_dept, world_a.park_admin)
    risk = register_risk(world_a, inherent_likelihood=5, inherent_impact=5, residual_likelihood=4, residual_impact=5)
    api.force_authenticate(world_a.discipline)

    response = api.post(f"{BASE}risks/{risk.pk}/close/", {"note": ""}, format="json")

    assert response.status_code == 403 and response.json()["error"]["code"] == "discipline_head_required"


def test_the_head_closes_it(api, world_a):
    make_head(world_a.discipline_dept, world_a.discipline)
    risk = register_risk(world_a, inherent_likelihood=5, inherent_impact=5, residual_likelihood=4, residual_impact=5)
    api.force_authenticate(world_a.discipline)

    response = api.post(f"{BASE}risks/{risk.pk}/close/", {"note": "风险已消除"}, format="json")

    assert response.status_code == 200 and response.json()["status"] == RiskStatus.CLOSED


def test_a_forbidden_transition_is_a_409(api, world_a, data):
    api.force_authenticate(world_a.discipline)

    response = api.post(f"{BASE}risks/{data['business'].pk}/mark-controlled/", {}, format="json")

    assert response.status_code == 409


def test_a_review_is_recorded_through_the_api(api, world_a, data):
    api.force_authenticate(world_a.discipline)

    response = api.post(
        BASE + "risk-reviews/",
        {"risk": data["business"].pk, "findings": "已复核", "residual_likelihood": 1, "residual_impact": 3},
        format="json",
    )

    assert response.status_code == 201 and response.json()["residual_level"] == "low"


def test_a_review_of_a_risk_outside_the_scope_is_a_404(api, world_a, data):
    api.force_authenticate(world_a.discipline)

    response = api.post(
        BASE + "risk-reviews/",
        {"risk": data["other"].pk, "findings": "x", "residual_likelihood": 1, "residual_impact": 1},
        format="json",
    )

    assert response.status_code == 404


def test_pulling_a_review_forward_through_the_api(api, world_a, data):
    api.force_authenticate(world_a.discipline)

    response = api.post(
        f"{BASE}risks/{data['business'].pk}/pull-review-forward/",
        {"reason": "inspection_finding", "note": "专项检查发现问题"},
        format="json",
    )

    assert response.json()["review_due_date"] == timezone.localdate().isoformat()


def test_raising_a_risk_from_a_ticket_through_the_api(api, world_a):
    ticket = TicketFactory(
        park=world_a.park,
        category=CategoryFactory(park=world_a.park),
        subject="采购询价被指定供应商",
        body="企业反映采购询价环节被暗示指定供应商。",
        lead_department=world_a.business,
    )
    api.force_authenticate(world_a.discipline)

    response = api.post(
        BASE + "risks/raise-from-ticket/",
        {"ticket": ticket.pk, "post": "采购经办岗", "inherent_likelihood": 3, "inherent_impact": 4},
        format="json",
    )

    assert response.status_code == 201
    assert (response.json()["area"], response.json()["source_ticket"]) == ("procurement", ticket.pk)


def test_a_control_is_completed_with_an_uploaded_file_as_evidence(api, world_a, data):
    from PIL import Image

    control = data["business"].controls.get()
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(buffer, format="PNG")
    upload_file = SimpleUploadedFile("台账.png", buffer.getvalue())
    api.force_authenticate(world_a.handler)
    upload = api.post("/api/v1/attachments/", {"file": upload_file}, format="multipart")
    assert upload.status_code == 201, upload.content

    response = api.post(
        f"{BASE}risk-controls/{control.pk}/complete/",
        {"note": "已建立台账", "evidence": [upload.json()["token"]]},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["status"] == ControlStatus.DONE
    assert [e["name"] for e in response.json()["evidence"]] == ["台账.png"]


def test_a_campaign_completion_is_read_through_the_api(api, world_a, data):
    api.force_authenticate(world_a.park_admin)

    response = api.get(f"{BASE}screening-campaigns/{data['campaign'].pk}/completion/")

    assert response.json()["missing"] == 3 and len(response.json()["departments"]) == 3


def test_a_handler_answers_nil_through_the_api(api, world_a, data):
    response_row = data["campaign"].responses.get(department=world_a.business)
    api.force_authenticate(world_a.handler)

    response = api.post(f"{BASE}screening-responses/{response_row.pk}/answer/", {"nil": True}, format="json")

    assert response.json()["status"] == "nil"


def test_a_handler_cannot_read_the_completion_of_the_whole_park(api, world_a, data):
    api.force_authenticate(world_a.handler)

    assert api.get(f"{BASE}screening-campaigns/{data['campaign'].pk}/completion/").status_code == 404


def test_the_risk_list_endpoint_runs_a_constant_number_of_queries(api, world_a, django_assert_max_num_queries):
    for n in range(15):
        RiskControlFactory(risk=register_risk(world_a, title=f"风险{n}"), owner=world_a.handler)
    api.force_authenticate(world_a.discipline)

    with django_assert_max_num_queries(14):
        response = api.get(BASE + "risks/")

    assert response.json()["count"] == 15


def test_the_schema_of_these_endpoints_has_no_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))

    text = (tmp_path / "schema.yaml").read_text()
    assert "/api/v1/integrity/risks/{id}/close/" in text and "RiskLevelEnum" in text


def test_risks_can_be_updated_by_their_department(api, world_a, data):
    api.force_authenticate(world_a.handler)

    response = api.patch(f"{BASE}risks/{data['business'].pk}/", {"post": "兑现资金复核岗"}, format="json")

    assert response.status_code == 200
    assert IntegrityRisk.objects.get(pk=data["business"].pk).post == "兑现资金复核岗"


def test_the_controls_list_runs_a_constant_number_of_queries(api, world_a, django_assert_max_num_queries):
    for n in range(15):
        RiskControlFactory(risk=register_risk(world_a, title=f"风险{n}"), owner=world_a.handler)
    api.force_authenticate(world_a.discipline)

    with django_assert_max_num_queries(10):
        response = api.get(BASE + "risk-controls/")

    assert response.json()["count"] == 15
