import json
import re

import pytest
from django.urls import reverse

from core import roles
from core.models import AuditEvent
from parks.models import Enterprise, EnterpriseMembership, ParkStatistic
from tests.accounts.factories import UserFactory
from tests.parks.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    EnterpriseMembershipFactory,
    ParkFactory,
    ParkFigureFactory,
    ParkStatisticFactory,
    make_credit_code,
)

OFFICIALS = ["park_admin", "dispatcher", "handler", "discipline", "auditor"]


# --- public pages ----------------------------------------------------------------------------------------


def test_public_home_lists_the_active_parks_as_cards(client, world_a, world_b):
    ParkFactory(code="closed", name="已撤销园区", is_active=False)
    response = client.get(reverse("core:public-home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "甲园区" in body and "乙园区" in body and "已撤销园区" not in body
    assert reverse("parks:park-profile", args=["PA"]) in body


def test_public_home_queries_do_not_grow_with_the_parks(client, db, django_assert_max_num_queries):
    for n in range(10):
        ParkFactory(code=f"p{n}")
    with django_assert_max_num_queries(3):
        client.get(reverse("core:public-home"))


def test_park_profile_shows_description_departments_and_verified_count(client, world_a):
    world_a.park.description = "南繁科技城。"
    world_a.park.save()
    EnterpriseFactory(park=world_a.park, status=Enterprise.Status.PENDING)
    DepartmentFactory(park=world_a.park, name="已撤并办公室", is_active=False)
    response = client.get(reverse("parks:park-profile", args=["PA"]))
    body = response.content.decode()
    assert "南繁科技城" in body
    assert world_a.dispatch.name in body and world_a.business.name in body
    assert "已撤并办公室" not in body
    assert response.context["park"].verified_enterprises == 1


def test_park_profile_embeds_chart_data_for_the_static_script(client, world_a):
    ParkStatisticFactory(park=world_a.park, year=2021, revenue=100, output=None)
    ParkStatisticFactory(park=world_a.park, year=2022, revenue=144, output=None)
    response = client.get(reverse("parks:park-profile", args=["PA"]), HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert 'id="park-statistics-data"' in body
    assert "js/park_profile.js" in body and "vendor/echarts/echarts.min.js" in body
    data = response.context["chart"]
    assert data["periods"] == ["2021", "2022"]
    assert [s["data"] for s in data["series"]] == [[100.0, 144.0]]
    embedded = re.search(r'<script id="park-statistics-data" type="application/json">(.*?)</script>', body)
    assert json.loads(embedded.group(1)) == data


def test_park_profile_shows_year_on_year_growth_in_the_table(client, world_a):
    ParkStatisticFactory(park=world_a.park, year=2021, revenue=100)
    ParkStatisticFactory(park=world_a.park, year=2022, revenue=144)
    body = client.get(reverse("parks:park-profile", args=["PA"])).content.decode()
    assert "+44%" in body


def test_park_profile_marks_published_growth(client, world_a):
    ParkStatisticFactory(
        park=world_a.park,
        year=2022,
        period_kind=ParkStatistic.PeriodKind.MONTH,
        period_number=7,
        revenue="48.75",
        reported_growth={"revenue": 44},
    )
    body = client.get(reverse("parks:park-profile", args=["PA"])).content.decode()
    assert "+44%*" in body


def test_park_profile_without_statistics_loads_no_chart_script(client, world_a):
    body = client.get(reverse("parks:park-profile", args=["PA"])).content.decode()
    assert "echarts.min.js" not in body


def test_park_profile_has_no_inline_script(client, world_a):
    ParkStatisticFactory(park=world_a.park, year=2022, revenue=1)
    body = client.get(reverse("parks:park-profile", args=["PA"])).content.decode()
    for chunk in body.split("<script")[1:]:
        attributes = chunk.split(">", 1)[0]
        assert "src=" in attributes or 'type="application/json"' in attributes


def test_park_profile_lists_key_figures(client, world_a):
    ParkFigureFactory(park=world_a.park, label="在建工程项目", value=65, unit="个")
    body = client.get(reverse("parks:park-profile", args=["PA"])).content.decode()
    assert "在建工程项目" in body and "65" in body


def test_park_profile_queries_are_bounded(client, world_a, django_assert_max_num_queries):
    for year in range(2015, 2023):
        ParkStatisticFactory(park=world_a.park, year=year, revenue=year)
    with django_assert_max_num_queries(5):
        client.get(reverse("parks:park-profile", args=["PA"]))


def test_inactive_or_unknown_park_profile_is_404(client, db):
    ParkFactory(code="closed", is_active=False)
    assert client.get(reverse("parks:park-profile", args=["closed"])).status_code == 404
    assert client.get(reverse("parks:park-profile", args=["nowhere"])).status_code == 404


# --- self-registration ----------------------------------------------------------------------------------


def registration(park, **overrides):
    data = {
        "park": park.pk,
        "name": "崖州湾深海装备有限公司",
        "credit_code": make_credit_code(920001),
        "industry": "深海装备",
        "legal_representative": "王五",
        "address": "",
        "display_name": "赵六",
        "phone": "13900000000",
        "email": "zhaoliu@example.cn",
        "username": "zhaoliu",
        "password1": "Shenhai-2026-ok",
        "password2": "Shenhai-2026-ok",
    }
    data.update(overrides)
    return data


def test_registration_page_renders(client, world_a):
    response = client.get(reverse("parks:register"))
    assert response.status_code == 200
    assert 'name="credit_code"' in response.content.decode()


def test_registration_creates_a_pending_enterprise_and_shows_the_success_page(client, world_a):
    response = client.post(reverse("parks:register"), registration(world_a.park), follow=True)
    assert response.redirect_chain[-1][0] == reverse("parks:register-done")
    assert "崖州湾深海装备有限公司" in response.content.decode()
    assert Enterprise.objects.get(name="崖州湾深海装备有限公司").status == Enterprise.Status.PENDING


def test_success_page_without_a_registration_goes_back_to_the_form(client, db):
    assert client.get(reverse("parks:register-done")).url == reverse("parks:register")


def test_wrong_check_character_is_shown_on_the_credit_code_field(client, world_a):
    code = make_credit_code(920001)
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    response = client.post(reverse("parks:register"), registration(world_a.park, credit_code=wrong))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["credit_code"]
    assert f"“{code[17]}”" in errors["credit_code"][0]
    assert "is-invalid" in response.content.decode()


def test_duplicate_credit_code_is_shown_on_the_credit_code_field(client, world_a):
    data = registration(world_a.park, credit_code=world_a.enterprise.credit_code)
    response = client.post(reverse("parks:register"), data)
    assert list(response.context["form"].errors) == ["credit_code"]


def test_taken_username_is_shown_on_the_username_field(client, world_a):
    response = client.post(reverse("parks:register"), registration(world_a.park, username="enterprise_pa"))
    assert list(response.context["form"].errors) == ["username"]


def test_weak_password_is_shown_on_the_password_field(client, world_a):
    response = client.post(reverse("parks:register"), registration(world_a.park, password1="1234", password2="1234"))
    assert list(response.context["form"].errors) == ["password1"]


def test_differing_passwords_are_refused(client, world_a):
    response = client.post(reverse("parks:register"), registration(world_a.park, password2="Other-2026-ok"))
    assert list(response.context["form"].errors) == ["password2"]
    assert not Enterprise.objects.filter(name="崖州湾深海装备有限公司").exists()


# --- enterprise pages: scoping --------------------------------------------------------------------------


@pytest.mark.parametrize("who", OFFICIALS)
def test_officials_list_their_parks_enterprises_only(client, world_a, world_b, who):
    client.force_login(getattr(world_a, who))
    body = client.get(reverse("parks:enterprise-list")).content.decode()
    assert world_a.enterprise.name in body
    assert world_b.enterprise.name not in body


@pytest.mark.parametrize("who", OFFICIALS)
def test_another_parks_enterprise_page_is_404_for_officials(client, world_a, world_b, who):
    client.force_login(getattr(world_a, who))
    assert client.get(reverse("parks:enterprise-detail", args=[world_b.enterprise.pk])).status_code == 404


def test_enterprise_user_lists_only_their_own_enterprise(client, world_a, world_b):
    neighbour = EnterpriseFactory(park=world_a.park, name="邻居企业有限公司")
    client.force_login(world_a.enterprise_user)
    body = client.get(reverse("parks:enterprise-list")).content.decode()
    assert world_a.enterprise.name in body
    assert neighbour.name not in body and world_b.enterprise.name not in body


def test_enterprise_user_cannot_open_a_neighbours_page(client, world_a):
    neighbour = EnterpriseFactory(park=world_a.park)
    client.force_login(world_a.enterprise_user)
    assert client.get(reverse("parks:enterprise-detail", args=[neighbour.pk])).status_code == 404
    assert client.get(reverse("parks:enterprise-detail", args=[world_a.enterprise.pk])).status_code == 200


def test_enterprise_pages_need_sign_in(client, world_a):
    response = client.get(reverse("parks:enterprise-list"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_enterprise_list_filters_by_status(client, world_a):
    pending = EnterpriseFactory(park=world_a.park, status=Enterprise.Status.PENDING, name="待审核企业")
    client.force_login(world_a.park_admin)
    page = client.get(reverse("parks:enterprise-list"), {"status": "pending"}).context["page"]
    assert list(page) == [pending]


def test_enterprise_list_searches_by_credit_code(client, world_a):
    client.force_login(world_a.dispatcher)
    page = client.get(reverse("parks:enterprise-list"), {"search": world_a.enterprise.credit_code[:10]}).context["page"]
    assert list(page) == [world_a.enterprise]


def test_enterprise_list_answers_htmx_with_the_table_only(client, world_a):
    client.force_login(world_a.dispatcher)
    response = client.get(reverse("parks:enterprise-list"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert world_a.enterprise.name in body and "<html" not in body


def test_enterprise_list_queries_do_not_grow_with_rows(client, world_a, django_assert_max_num_queries):
    for _ in range(30):
        EnterpriseFactory(park=world_a.park)
    client.force_login(world_a.park_admin)
    with django_assert_max_num_queries(10):
        client.get(reverse("parks:enterprise-list"))


def test_enterprise_detail_shows_its_history_to_officials(client, world_a):
    from parks.services import enterprise_create

    enterprise = enterprise_create(
        park=world_a.park, name="有记录的企业", credit_code=make_credit_code(920002), actor=world_a.park_admin
    )
    client.force_login(world_a.auditor)
    body = client.get(reverse("parks:enterprise-detail", args=[enterprise.pk])).content.decode()
    assert "enterprise.created" in body


# --- review --------------------------------------------------------------------------------------------


@pytest.fixture
def pending(world_a):
    enterprise = EnterpriseFactory(park=world_a.park, status=Enterprise.Status.PENDING, name="待审企业有限公司")
    applicant = UserFactory(username="applicant_pa", roles=[roles.ENTERPRISE])
    EnterpriseMembershipFactory(user=applicant, enterprise=enterprise, role=EnterpriseMembership.Role.ADMIN)
    return enterprise


def test_pending_page_lists_registrations_with_review_buttons(client, world_a, world_b, pending):
    EnterpriseFactory(park=world_b.park, status=Enterprise.Status.PENDING, name="乙园区待审企业")
    client.force_login(world_a.park_admin)
    body = client.get(reverse("parks:enterprise-pending")).content.decode()
    assert pending.name in body and "乙园区待审企业" not in body
    assert reverse("parks:enterprise-verify", args=[pending.pk]) in body
    assert reverse("parks:enterprise-reject", args=[pending.pk]) in body


@pytest.mark.parametrize("who", ["dispatcher", "handler", "discipline", "auditor", "enterprise_user"])
def test_pending_page_is_only_for_park_admins(client, world_a, who):
    client.force_login(getattr(world_a, who))
    assert client.get(reverse("parks:enterprise-pending")).status_code == 404


def test_pending_page_queries_are_bounded(client, world_a, django_assert_max_num_queries):
    for n in range(20):
        enterprise = EnterpriseFactory(park=world_a.park, status=Enterprise.Status.PENDING)
        EnterpriseMembershipFactory(enterprise=enterprise, user=UserFactory(username=f"applicant{n}"))
    client.force_login(world_a.park_admin)
    with django_assert_max_num_queries(10):
        client.get(reverse("parks:enterprise-pending"))


def test_park_admin_verifies_by_post(client, world_a, pending):
    client.force_login(world_a.park_admin)
    response = client.post(
        reverse("parks:enterprise-verify", args=[pending.pk]), {"next": reverse("parks:enterprise-pending")}
    )
    assert response.url == reverse("parks:enterprise-pending")
    pending.refresh_from_db()
    assert pending.status == Enterprise.Status.VERIFIED
    assert AuditEvent.objects.filter(action="enterprise.verified", target_id=str(pending.pk)).exists()


def test_verification_by_get_is_refused(client, world_a, pending):
    client.force_login(world_a.park_admin)
    assert client.get(reverse("parks:enterprise-verify", args=[pending.pk])).status_code == 405


def test_reject_needs_a_reason(client, world_a, pending):
    client.force_login(world_a.park_admin)
    client.post(reverse("parks:enterprise-reject", args=[pending.pk]), {"reason": ""})
    pending.refresh_from_db()
    assert pending.status == Enterprise.Status.PENDING


def test_park_admin_rejects_with_a_reason(client, world_a, pending):
    client.force_login(world_a.park_admin)
    client.post(reverse("parks:enterprise-reject", args=[pending.pk]), {"reason": "名称与执照不符"})
    pending.refresh_from_db()
    assert pending.status == Enterprise.Status.REJECTED and pending.rejection_reason == "名称与执照不符"


def test_dispatcher_cannot_verify_and_is_told_why(client, world_a, pending):
    client.force_login(world_a.dispatcher)
    response = client.post(reverse("parks:enterprise-verify", args=[pending.pk]), follow=True)
    pending.refresh_from_db()
    assert pending.status == Enterprise.Status.PENDING
    assert [str(m) for m in response.context["messages"]]


def test_other_parks_admin_gets_404_when_verifying(client, world_b, pending):
    client.force_login(world_b.park_admin)
    assert client.post(reverse("parks:enterprise-verify", args=[pending.pk])).status_code == 404


def test_next_pointing_elsewhere_is_ignored(client, world_a, pending):
    client.force_login(world_a.park_admin)
    response = client.post(reverse("parks:enterprise-verify", args=[pending.pk]), {"next": "https://evil.example/"})
    assert response.url == reverse("parks:enterprise-detail", args=[pending.pk])


def test_officials_home_shows_the_pending_panel_to_park_admins(client, world_a, pending):
    client.force_login(world_a.park_admin)
    body = client.get(reverse("core:home")).content.decode()
    assert 'data-panel="parks.pending"' in body and pending.name in body


def test_officials_home_has_no_pending_panel_for_handlers(client, world_a, pending):
    client.force_login(world_a.handler)
    assert 'data-panel="parks.pending"' not in client.get(reverse("core:home")).content.decode()
