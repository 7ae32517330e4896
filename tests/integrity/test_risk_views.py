"""Pages of the risk register and the screening campaigns: who sees what (page, export, counts, home panel),
the forms that call the services, raising a risk from a ticket, evidence downloads, query-count pins."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from core.attachments import attachments_for
from integrity.choices_risk import ControlStatus, RiskStatus
from integrity.exports_risk import register_headers
from integrity.models import IntegrityRisk, RiskControl
from integrity.services.screening import screening_campaign_launch
from tests.complaints.factories import CategoryFactory, TicketFactory
from tests.integrity.factories_risk import RiskControlFactory, make_head, register_risk

LIST = reverse("integrity:risk-list")
EXPORT = reverse("integrity:risk-export")


@pytest.fixture
def risks(world_a, world_b):
    """A risk of park A's business department, one of its dispatch centre, and one of park B."""
    return {
        "business": register_risk(world_a, title="惠企资金审核把关不严"),
        "dispatch": register_risk(world_a, department=world_a.dispatch, title="诉求受理选择性登记"),
        "other_park": register_risk(world_b, title="乙园区招商优惠承诺超标"),
    }


def titles(response):
    return {risk.title for risk in response.context["page"].object_list}


# --- who sees what -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["discipline", "park_admin", "auditor"])
def test_the_register_shows_the_whole_park_to_discipline_officers_park_admins_and_auditors(
    client, world_a, risks, role
):
    client.force_login(getattr(world_a, role))

    response = client.get(LIST)

    assert titles(response) == {"惠企资金审核把关不严", "诉求受理选择性登记"}


def test_a_handler_sees_only_the_risks_of_their_own_department(client, world_a, risks):
    client.force_login(world_a.handler)

    assert titles(client.get(LIST)) == {"惠企资金审核把关不严"}


def test_a_platform_administrator_sees_every_park(client, platform_admin, risks):
    client.force_login(platform_admin)

    assert len(titles(client.get(LIST))) == 3


def test_enterprise_users_get_404_on_every_register_page(client, world_a, risks):
    client.force_login(world_a.enterprise_user)

    for url in (LIST, EXPORT, reverse("integrity:risk-detail", args=[risks["business"].pk])):
        assert client.get(url).status_code == 404


def test_the_public_is_sent_to_sign_in(client, risks):
    assert client.get(LIST).status_code == 302


def test_a_risk_of_another_department_is_not_found_for_a_handler(client, world_a, risks):
    client.force_login(world_a.handler)

    assert client.get(reverse("integrity:risk-detail", args=[risks["dispatch"].pk])).status_code == 404


def test_a_risk_of_another_park_is_not_found(client, world_a, risks):
    client.force_login(world_a.discipline)

    assert client.get(reverse("integrity:risk-detail", args=[risks["other_park"].pk])).status_code == 404


def test_the_export_follows_the_taizhang_column_order_and_the_users_scope(client, world_a, risks):
    risk = risks["business"]
    RiskControlFactory(risk=risk, owner=world_a.handler, description="双人复核")
    client.force_login(world_a.handler)

    response = client.get(EXPORT)
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert list(rows[1]) == register_headers()
    assert [row[3] for row in rows[2:]] == ["惠企资金审核把关不严"]
    assert rows[2][0] == 1 and rows[2][1] == world_a.business.name and "双人复核" in rows[2][6]


def test_the_export_applies_the_register_filters(client, world_a, risks):
    client.force_login(world_a.discipline)

    response = client.get(EXPORT, {"department": world_a.dispatch.pk})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))

    assert [row[3] for row in rows[2:]] == ["诉求受理选择性登记"]


def test_the_overdue_filter_finds_risks_whose_review_is_late(client, world_a, risks):
    IntegrityRisk.objects.filter(pk=risks["dispatch"].pk).update(review_due_date=timezone.localdate() - dt.timedelta(1))
    client.force_login(world_a.discipline)

    assert titles(client.get(LIST, {"review_overdue": "true"})) == {"诉求受理选择性登记"}


def test_the_register_page_runs_a_constant_number_of_queries(client, world_a, django_assert_max_num_queries):
    for n in range(12):
        risk = register_risk(world_a, title=f"风险{n}")
        RiskControlFactory(risk=risk, owner=world_a.handler)
    client.force_login(world_a.discipline)

    with django_assert_max_num_queries(22):
        response = client.get(LIST)

    assert response.status_code == 200


# --- the home panel ------------------------------------------------------------------------------------


def test_discipline_officers_see_the_heat_map_panel_with_its_data(client, world_a, risks):
    IntegrityRisk.objects.filter(pk=risks["business"].pk).update(review_due_date=timezone.localdate() - dt.timedelta(3))
    client.force_login(world_a.discipline)

    html = client.get(reverse("core:home")).content.decode()

    assert 'id="risk-heatmap-data"' in html and "js/integrity_risk_heatmap.js" in html
    assert "惠企资金审核把关不严" in html  # in the overdue reviews
    assert "乙园区招商优惠承诺超标" not in html


def test_handlers_do_not_get_the_heat_map_panel(client, world_a, risks):
    client.force_login(world_a.handler)

    assert 'id="risk-heatmap-panel"' not in client.get(reverse("core:home")).content.decode()


def test_the_panel_counts_only_the_users_parks(rf, world_a, risks):
    from integrity.dashboard_risk import risk_panel_context

    request = rf.get("/")
    request.user = world_a.park_admin

    assert risk_panel_context(request)["total"] == 2


# --- forms ---------------------------------------------------------------------------------------------


def risk_post(department, **extra):
    data = {
        "department": department.pk,
        "post": "项目审批岗",
        "area": "approval",
        "title": "审批环节吃拿卡要",
        "description": "审批人员利用审批权限向企业索取好处。",
        "manifestations": "",
        "inherent_likelihood": 3,
        "inherent_impact": 4,
        "residual_likelihood": 2,
        "residual_impact": 4,
    }
    data.update(extra)
    return data


def test_a_handler_registers_a_risk_of_their_department_on_the_form(client, world_a):
    client.force_login(world_a.handler)

    response = client.post(reverse("integrity:risk-create"), risk_post(world_a.business))

    risk = IntegrityRisk.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("integrity:risk-detail", args=[risk.pk])
    assert (risk.residual_level, risk.created_by) == ("medium", world_a.handler)


def test_the_form_offers_a_handler_only_their_department(client, world_a):
    client.force_login(world_a.handler)

    form = client.get(reverse("integrity:risk-create")).context["form"]

    assert list(form.fields["department"].queryset) == [world_a.business]


def test_a_refused_registration_shows_the_error_on_the_form(client, world_a):
    client.force_login(world_a.discipline)

    response = client.post(
        reverse("integrity:risk-create"), risk_post(world_a.business, residual_likelihood=5, residual_impact=5)
    )

    assert response.status_code == 200 and response.context["form"].errors
    assert not IntegrityRisk.objects.exists()


def _ticket(world):
    return TicketFactory(
        park=world.park,
        category=CategoryFactory(park=world.park, name="工程建设"),
        subject="施工单位反映项目验收被刁难",
        body="施工单位称工程验收时监理人员暗示需要好处费。",
        lead_department=world.business,
        is_confidential=True,
    )


def test_the_new_risk_page_prefills_from_a_ticket_for_discipline_officers(client, world_a):
    ticket = _ticket(world_a)
    client.force_login(world_a.discipline)

    response = client.get(reverse("integrity:risk-create"), {"ticket": ticket.pk})

    initial = response.context["form"].initial
    assert (initial["title"], initial["area"], initial["department"]) == (
        ticket.subject,
        "engineering",
        world_a.business.pk,
    )
    assert ticket.number in response.content.decode()


def test_saving_the_prefilled_form_links_the_risk_to_the_ticket(client, world_a):
    ticket = _ticket(world_a)
    client.force_login(world_a.discipline)

    client.post(
        reverse("integrity:risk-create") + f"?ticket={ticket.pk}", risk_post(world_a.business, area="engineering")
    )

    risk = IntegrityRisk.objects.get()
    assert (risk.source, risk.source_ticket) == ("ticket", ticket)


def test_only_discipline_officers_may_open_the_ticket_prefill(client, world_a):
    ticket = _ticket(world_a)
    client.force_login(world_a.park_admin)

    assert client.get(reverse("integrity:risk-create"), {"ticket": ticket.pk}).status_code == 404


def test_the_detail_page_shows_the_risk_its_grid_and_trail(client, world_a, risks):
    client.force_login(world_a.discipline)

    html = client.get(reverse("integrity:risk-detail", args=[risks["business"].pk])).content.decode()

    assert "惠企资金审核把关不严" in html and "risk.registered" in html and "risk-grid" in html


def test_a_review_is_recorded_from_the_page(client, world_a, risks):
    risk = risks["business"]
    client.force_login(world_a.discipline)

    client.post(
        reverse("integrity:risk-review", args=[risk.pk]),
        {
            "reviewed_on": timezone.localdate(),
            "findings": "抽查5笔兑现资金，未发现问题。",
            "residual_likelihood": 1,
            "residual_impact": 3,
        },
    )

    risk.refresh_from_db()
    assert (risk.residual_likelihood, risk.reviews.count()) == (1, 1)


def test_closing_a_high_risk_without_being_the_head_shows_why(client, world_a):
    make_head(world_a.discipline_dept, world_a.park_admin)
    risk = register_risk(world_a, inherent_likelihood=4, inherent_impact=4, residual_likelihood=3, residual_impact=4)
    client.force_login(world_a.discipline)

    response = client.post(reverse("integrity:risk-transition", args=[risk.pk, "close"]), {"note": ""}, follow=True)

    risk.refresh_from_db()
    assert risk.status == RiskStatus.OPEN
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_transitions_are_post_only(client, world_a, risks):
    client.force_login(world_a.discipline)

    assert client.get(reverse("integrity:risk-transition", args=[risks["business"].pk, "close"])).status_code == 405


def test_a_control_is_added_and_completed_with_evidence_from_the_page(client, world_a, risks):
    risk = risks["business"]
    client.force_login(world_a.discipline)
    client.post(
        reverse("integrity:risk-control-add", args=[risk.pk]),
        {
            "kind": "internal_control",
            "description": "建立兑现资金公示制度",
            "owner": world_a.handler.pk,
            "due_date": timezone.localdate() + dt.timedelta(days=20),
        },
    )
    control = RiskControl.objects.get()
    buffer = io.BytesIO()
    Image.new("RGB", (3, 3), "white").save(buffer, format="PNG")
    client.force_login(world_a.handler)

    client.post(
        reverse("integrity:risk-control-complete", args=[control.pk]),
        {"note": "公示制度已印发", "evidence": SimpleUploadedFile("公示.png", buffer.getvalue())},
    )

    control.refresh_from_db()
    assert control.status == ControlStatus.DONE
    assert [a.original_name for a in attachments_for(control)] == ["公示.png"]


def test_evidence_is_downloadable_by_those_who_see_the_risk_only(client, world_a, world_b, risks):
    control = RiskControlFactory(risk=risks["business"], owner=world_a.handler)
    from core.services import attachment_create

    buffer = io.BytesIO()
    Image.new("RGB", (3, 3), "white").save(buffer, format="PNG")
    attachment = attachment_create(
        file=SimpleUploadedFile("e.png", buffer.getvalue()), actor=world_a.handler, park=world_a.park, target=control
    )
    url = reverse("core:attachment-download", args=[attachment.token])

    client.force_login(world_a.auditor)
    assert client.get(url).status_code == 200
    client.force_login(world_b.discipline)
    assert client.get(url).status_code == 404
    client.force_login(world_a.dispatcher)
    assert client.get(url).status_code == 404


def test_the_matrix_page_shows_the_grid_and_publishes_a_park_version(client, world_a):
    client.force_login(world_a.discipline)
    url = reverse("integrity:risk-matrix")
    form = client.get(url).context["form"]
    data = {**form.initial, "park": world_a.park.pk, "medium_from": 4, "note": "园区从严"}

    response = client.post(url, data)

    assert response.status_code == 302
    assert world_a.park.risk_matrix_versions.get().medium_from == 4


# --- screening pages ---------------------------------------------------------------------------------------


@pytest.fixture
def campaign(world_a):
    return screening_campaign_launch(
        park=world_a.park,
        actor=world_a.discipline,
        title="2026年度廉洁风险排查",
        deadline=timezone.localdate() + dt.timedelta(days=10),
    )


def test_a_discipline_officer_launches_a_screening_from_the_form(client, world_a):
    client.force_login(world_a.discipline)

    response = client.post(
        reverse("integrity:screening-create"),
        {"park": world_a.park.pk, "title": "专项排查", "deadline": timezone.localdate() + dt.timedelta(days=7)},
    )

    assert response.status_code == 302
    assert world_a.park.risk_screenings.get().responses.count() == 3


def test_the_completion_view_lists_every_department(client, world_a, campaign):
    client.force_login(world_a.discipline)

    response = client.get(reverse("integrity:screening-detail", args=[campaign.pk]))

    assert response.context["completion"]["totals"]["missing"] == 3


def test_a_handler_answers_nil_for_their_department(client, world_a, campaign):
    response = campaign.responses.get(department=world_a.business)
    client.force_login(world_a.handler)

    client.post(reverse("integrity:screening-response", args=[response.pk]), {"nil": "on", "note": "无"})

    response.refresh_from_db()
    assert response.status == "nil"


def test_a_handler_cannot_open_another_departments_response(client, world_a, campaign):
    response = campaign.responses.get(department=world_a.dispatch)
    client.force_login(world_a.handler)

    assert client.get(reverse("integrity:screening-response", args=[response.pk])).status_code == 404


def test_a_risk_registered_from_a_response_page_is_linked_to_it(client, world_a, campaign):
    response = campaign.responses.get(department=world_a.business)
    client.force_login(world_a.handler)

    client.post(reverse("integrity:risk-create") + f"?response={response.pk}", risk_post(world_a.business))

    assert list(response.risks.values_list("title", flat=True)) == ["审批环节吃拿卡要"]


def test_auditors_read_the_register_but_get_no_edit_page(client, world_a, risks):
    client.force_login(world_a.auditor)

    assert client.get(reverse("integrity:risk-detail", args=[risks["business"].pk])).status_code == 200
    assert client.get(reverse("integrity:risk-edit", args=[risks["business"].pk])).status_code == 404
