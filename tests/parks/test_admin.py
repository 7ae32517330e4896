import pytest
from django.urls import reverse

from core.models import AuditEvent
from parks.models import Department, Enterprise
from tests.parks.factories import EnterpriseFactory, make_credit_code


@pytest.fixture
def admin_client(client, world_a, world_b):
    world_a.park_admin.is_staff = True
    world_a.park_admin.save()
    client.force_login(world_a.park_admin)
    return client


def test_park_admin_sees_only_their_parks_enterprises(admin_client, world_a, world_b):
    body = admin_client.get(reverse("admin:parks_enterprise_changelist")).content.decode()
    assert world_a.enterprise.name in body and world_b.enterprise.name not in body


def test_another_parks_enterprise_cannot_be_opened(admin_client, world_b):
    response = admin_client.get(reverse("admin:parks_enterprise_change", args=[world_b.enterprise.pk]))
    assert response.status_code == 302  # the admin redirects to its index for objects outside the queryset


def test_park_choices_are_limited_to_the_users_parks(admin_client, world_a, world_b):
    form = admin_client.get(reverse("admin:parks_department_add")).context["adminform"].form
    assert list(form.fields["park"].queryset) == [world_a.park]


def test_verify_action_goes_through_the_service(admin_client, world_a):
    pending = EnterpriseFactory(park=world_a.park, status=Enterprise.Status.PENDING)
    admin_client.post(
        reverse("admin:parks_enterprise_changelist"),
        {"action": "verify_selected", "_selected_action": [pending.pk], "reason": ""},
    )
    pending.refresh_from_db()
    assert pending.status == Enterprise.Status.VERIFIED
    assert AuditEvent.objects.filter(action="enterprise.verified", actor=world_a.park_admin).exists()


def test_reject_action_needs_a_reason(admin_client, world_a):
    pending = EnterpriseFactory(park=world_a.park, status=Enterprise.Status.PENDING)
    admin_client.post(
        reverse("admin:parks_enterprise_changelist"),
        {"action": "reject_selected", "_selected_action": [pending.pk], "reason": ""},
    )
    pending.refresh_from_db()
    assert pending.status == Enterprise.Status.PENDING


def test_reject_action_records_the_reason(admin_client, world_a):
    pending = EnterpriseFactory(park=world_a.park, status=Enterprise.Status.PENDING)
    admin_client.post(
        reverse("admin:parks_enterprise_changelist"),
        {"action": "reject_selected", "_selected_action": [pending.pk], "reason": "查无此企业"},
    )
    pending.refresh_from_db()
    assert pending.status == Enterprise.Status.REJECTED and pending.rejection_reason == "查无此企业"


def test_status_is_not_editable_in_the_form(admin_client, world_a):
    form = (
        admin_client.get(reverse("admin:parks_enterprise_change", args=[world_a.enterprise.pk]))
        .context["adminform"]
        .form
    )
    assert "status" not in form.fields


def test_adding_an_enterprise_in_the_admin_records_it_through_the_service(admin_client, world_a):
    code = make_credit_code(930001)
    admin_client.post(
        reverse("admin:parks_enterprise_add"),
        {
            "park": world_a.park.pk,
            "name": "后台录入企业有限公司",
            "credit_code": code,
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    enterprise = Enterprise.objects.get(credit_code=code)
    assert enterprise.status == Enterprise.Status.VERIFIED
    assert AuditEvent.objects.filter(action="enterprise.created", target_id=str(enterprise.pk)).exists()


def test_changing_a_department_head_in_the_admin_is_audited(admin_client, world_a):
    department = world_a.business
    admin_client.post(
        reverse("admin:parks_department_change", args=[department.pk]),
        {"park": world_a.park.pk, "name": department.name, "kind": "business", "head": world_a.handler.pk},
    )
    department.refresh_from_db()
    assert department.head == world_a.handler
    assert AuditEvent.objects.filter(action="department.head_changed", target_id=str(department.pk)).exists()


def test_a_head_from_another_park_is_refused_in_the_admin(admin_client, world_a, world_b):
    department = world_a.business
    response = admin_client.post(
        reverse("admin:parks_department_change", args=[department.pk]),
        {"park": world_a.park.pk, "name": department.name, "kind": "business", "head": world_b.handler.pk},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert Department.objects.get(pk=department.pk).head is None
    assert any("staff member of its park" in str(m) for m in response.context["messages"])
