from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from core import roles
from core.errors import Conflict, DomainError, PermissionDenied
from core.models import AuditEvent, Notification
from parks.models import Enterprise, EnterpriseMembership, ParkStatistic
from parks.services import (
    department_set_head,
    enterprise_create,
    enterprise_register,
    enterprise_reject,
    enterprise_verify,
    park_statistic_upsert,
)
from tests.accounts.factories import UserFactory
from tests.parks.factories import EnterpriseFactory, EnterpriseMembershipFactory, ParkFactory, make_credit_code

User = get_user_model()
PASSWORD = "Yuanqu-2026-pass"


def events(action, target=None):
    qs = AuditEvent.objects.filter(action=action)
    if target is not None:
        qs = qs.filter(target_id=str(target.pk))
    return list(qs)


def register(park, **overrides):
    kwargs = {
        "username": "zhangsan",
        "password": PASSWORD,
        "email": "zhangsan@example.cn",
        "phone": "13800000000",
        "display_name": "张三",
        "park": park,
        "name": "崖州湾种业科技有限公司",
        "credit_code": make_credit_code(901001),
        "industry": "种业",
        "legal_representative": "李四",
    }
    kwargs.update(overrides)
    return enterprise_register(**kwargs)


@pytest.fixture
def pending(world_a):
    enterprise = EnterpriseFactory(park=world_a.park, status=Enterprise.Status.PENDING, name="待审企业有限公司")
    applicant = UserFactory(username="applicant_pa", roles=[roles.ENTERPRISE])
    EnterpriseMembershipFactory(user=applicant, enterprise=enterprise, role=EnterpriseMembership.Role.ADMIN)
    return enterprise


# --- registration ---------------------------------------------------------------------------------------


def test_registration_creates_a_pending_enterprise(world_a):
    enterprise = register(world_a.park)
    assert enterprise.status == Enterprise.Status.PENDING
    assert enterprise.park == world_a.park


def test_registration_creates_the_user_in_the_enterprise_group(world_a):
    register(world_a.park)
    user = User.objects.get(username="zhangsan")
    assert user.groups.filter(name=roles.ENTERPRISE).exists()
    assert user.check_password(PASSWORD)


def test_registration_makes_the_user_the_enterprises_administrator(world_a):
    enterprise = register(world_a.park)
    membership = EnterpriseMembership.objects.get(enterprise=enterprise)
    assert membership.user.username == "zhangsan"
    assert membership.role == EnterpriseMembership.Role.ADMIN


def test_registration_is_audited_with_the_new_user_as_actor(world_a):
    enterprise = register(world_a.park)
    (event,) = events("enterprise.registered", enterprise)
    assert event.actor.username == "zhangsan"
    assert event.park_id == world_a.park.pk
    assert event.data["after"]["status"] == "pending"


def test_registration_notifies_the_parks_administrators_only(world_a, world_b):
    register(world_a.park)
    recipients = set(Notification.objects.filter(kind="enterprise.registered").values_list("recipient", flat=True))
    assert recipients == {world_a.park_admin.pk}


def test_registration_notifies_platform_admins_when_the_park_has_no_administrator(db, platform_admin):
    park = ParkFactory(code="lonely")
    register(park)
    assert Notification.objects.filter(kind="enterprise.registered", recipient=platform_admin).exists()


def test_registration_queues_delivery_after_commit(world_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        register(world_a.park)
    assert len(callbacks) == 1


def test_registration_normalises_the_credit_code(world_a):
    enterprise = register(world_a.park, credit_code=f" {make_credit_code(900007).lower()} ")
    assert enterprise.credit_code == make_credit_code(900007)


def assert_nothing_created():
    assert not User.objects.filter(username="zhangsan").exists()
    assert not Enterprise.objects.filter(name="崖州湾种业科技有限公司").exists()
    assert not events("enterprise.registered")


def test_registration_refuses_an_invalid_credit_code_naming_the_problem(world_a):
    with pytest.raises(DomainError) as excinfo:
        register(world_a.park, credit_code="91350100M000100Y44")
    assert excinfo.value.field == "credit_code"
    assert "“3”" in str(excinfo.value)
    assert_nothing_created()


def test_registration_refuses_a_credit_code_already_registered(world_a):
    with pytest.raises(Conflict) as excinfo:
        register(world_a.park, credit_code=world_a.enterprise.credit_code)
    assert excinfo.value.code == "credit_code_taken"
    assert excinfo.value.field == "credit_code"
    assert_nothing_created()


def test_registration_of_a_rejected_code_tells_to_contact_the_park(world_a):
    rejected = EnterpriseFactory(park=world_a.park, status=Enterprise.Status.REJECTED)
    with pytest.raises(Conflict) as excinfo:
        register(world_a.park, credit_code=rejected.credit_code)
    assert excinfo.value.code == "credit_code_rejected"


def test_registration_refuses_a_taken_username_whatever_its_case(world_a):
    with pytest.raises(Conflict) as excinfo:
        register(world_a.park, username="Enterprise_PA")
    assert excinfo.value.field == "username"
    assert not Enterprise.objects.filter(name="崖州湾种业科技有限公司").exists()


def test_registration_refuses_a_weak_password(world_a):
    with pytest.raises(DomainError) as excinfo:
        register(world_a.park, password="123456")
    assert excinfo.value.field == "password"
    assert_nothing_created()


def test_registration_refuses_an_inactive_park(world_a):
    world_a.park.is_active = False
    world_a.park.save()
    with pytest.raises(DomainError) as excinfo:
        register(world_a.park)
    assert excinfo.value.field == "park"
    assert_nothing_created()


# --- review: who may verify and reject ----------------------------------------------------------------

ALLOWED_REVIEWERS = ["park_admin", "platform_admin"]
FORBIDDEN_REVIEWERS = ["dispatcher", "handler", "discipline", "auditor", "enterprise_user", "other_park_admin"]


def reviewer(name, world_a, world_b, platform_admin):
    if name == "platform_admin":
        return platform_admin
    if name == "other_park_admin":
        return world_b.park_admin
    return getattr(world_a, name)


@pytest.mark.parametrize("who", ALLOWED_REVIEWERS)
def test_verify_allowed(who, world_a, world_b, platform_admin, pending):
    actor = reviewer(who, world_a, world_b, platform_admin)
    enterprise = enterprise_verify(enterprise=pending, actor=actor)
    pending.refresh_from_db()
    assert pending.status == Enterprise.Status.VERIFIED
    assert pending.verified_by == actor and pending.verified_at is not None
    (event,) = events("enterprise.verified", enterprise)
    assert event.actor == actor
    assert event.data == {"before": {"status": "pending"}, "after": {"status": "verified"}}


@pytest.mark.parametrize("who", FORBIDDEN_REVIEWERS)
def test_verify_forbidden(who, world_a, world_b, platform_admin, pending):
    with pytest.raises(PermissionDenied):
        enterprise_verify(enterprise=pending, actor=reviewer(who, world_a, world_b, platform_admin))
    pending.refresh_from_db()
    assert pending.status == Enterprise.Status.PENDING
    assert not events("enterprise.verified")


@pytest.mark.parametrize("who", ALLOWED_REVIEWERS)
def test_reject_allowed(who, world_a, world_b, platform_admin, pending):
    actor = reviewer(who, world_a, world_b, platform_admin)
    enterprise_reject(enterprise=pending, actor=actor, reason="营业执照与名称不符")
    pending.refresh_from_db()
    assert pending.status == Enterprise.Status.REJECTED
    assert pending.rejection_reason == "营业执照与名称不符"
    (event,) = events("enterprise.rejected", pending)
    assert event.actor == actor
    assert event.data["reason"] == "营业执照与名称不符"
    assert event.data["after"] == {"status": "rejected"}


@pytest.mark.parametrize("who", FORBIDDEN_REVIEWERS)
def test_reject_forbidden(who, world_a, world_b, platform_admin, pending):
    with pytest.raises(PermissionDenied):
        enterprise_reject(enterprise=pending, actor=reviewer(who, world_a, world_b, platform_admin), reason="不符")
    pending.refresh_from_db()
    assert pending.status == Enterprise.Status.PENDING
    assert not events("enterprise.rejected")


@pytest.mark.parametrize("reason", ["", "   "])
def test_reject_requires_a_reason(world_a, pending, reason):
    with pytest.raises(DomainError) as excinfo:
        enterprise_reject(enterprise=pending, actor=world_a.park_admin, reason=reason)
    assert excinfo.value.field == "reason"
    pending.refresh_from_db()
    assert pending.status == Enterprise.Status.PENDING
    assert not events("enterprise.rejected")


@pytest.mark.parametrize("status", [Enterprise.Status.VERIFIED, Enterprise.Status.REJECTED])
@pytest.mark.parametrize("review", ["verify", "reject"])
def test_only_pending_registrations_are_reviewed(world_a, status, review):
    enterprise = EnterpriseFactory(park=world_a.park, status=status)
    with pytest.raises(Conflict):
        if review == "verify":
            enterprise_verify(enterprise=enterprise, actor=world_a.park_admin)
        else:
            enterprise_reject(enterprise=enterprise, actor=world_a.park_admin, reason="重复")
    assert not AuditEvent.objects.filter(target_id=str(enterprise.pk)).exists()


def test_verification_notifies_the_enterprises_members(world_a, pending):
    enterprise_verify(enterprise=pending, actor=world_a.park_admin)
    recipients = set(
        Notification.objects.filter(kind="enterprise.verified").values_list("recipient__username", flat=True)
    )
    assert recipients == {"applicant_pa"}


def test_rejection_tells_the_members_the_reason(world_a, pending):
    enterprise_reject(enterprise=pending, actor=world_a.park_admin, reason="信用代码与执照不符")
    notification = Notification.objects.get(kind="enterprise.rejected")
    assert notification.recipient.username == "applicant_pa"
    assert "信用代码与执照不符" in notification.body


def test_verified_members_then_act_for_the_enterprise(world_a, pending):
    from core.scoping import enterprise_ids_for

    enterprise_verify(enterprise=pending, actor=world_a.park_admin)
    applicant = User.objects.get(username="applicant_pa")
    assert enterprise_ids_for(applicant) == {pending.pk}


# --- enterprises recorded by the park -----------------------------------------------------------------


def test_park_admin_records_a_verified_enterprise(world_a):
    enterprise = enterprise_create(
        park=world_a.park, name="泸溪新材料有限公司", credit_code=make_credit_code(900077), actor=world_a.park_admin
    )
    assert enterprise.status == Enterprise.Status.VERIFIED
    (event,) = events("enterprise.created", enterprise)
    assert event.actor == world_a.park_admin


@pytest.mark.parametrize("who", ["dispatcher", "handler", "auditor", "enterprise_user"])
def test_only_park_admins_record_enterprises(world_a, who):
    with pytest.raises(PermissionDenied):
        enterprise_create(
            park=world_a.park, name="某公司", credit_code=make_credit_code(900078), actor=getattr(world_a, who)
        )
    assert not Enterprise.objects.filter(name="某公司").exists()


def test_recording_refuses_a_duplicate_credit_code(world_a):
    with pytest.raises(Conflict):
        enterprise_create(
            park=world_a.park, name="重复公司", credit_code=world_a.enterprise.credit_code, actor=world_a.park_admin
        )


# --- statistics -----------------------------------------------------------------------------------------


def upsert(world, **figures):
    return park_statistic_upsert(
        park=world.park,
        year=2022,
        period_kind=ParkStatistic.PeriodKind.MONTH,
        period_number=7,
        actor=world.park_admin,
        source="湖南日报",
        **figures,
    )


def test_statistic_upsert_records_figures_and_audits_them(world_a):
    statistic = upsert(world_a, revenue="48.75", reported_growth={"revenue": 44})
    assert statistic.revenue == Decimal("48.75")
    assert statistic.reported_growth == {"revenue": 44.0}
    (event,) = events("park_statistic.updated", statistic)
    assert event.data["after"]["revenue"] == "48.75"


def test_statistic_upsert_with_the_same_figures_changes_nothing(world_a):
    upsert(world_a, revenue="48.75")
    upsert(world_a, revenue="48.75")
    assert ParkStatistic.objects.count() == 1
    assert len(events("park_statistic.updated")) == 1


def test_statistic_correction_audits_before_and_after(world_a):
    statistic = upsert(world_a, revenue="48.75")
    upsert(world_a, revenue="49.00")
    last = events("park_statistic.updated", statistic)[-1]
    assert last.data["before"] == {"revenue": "48.75"}
    assert last.data["after"] == {"revenue": "49.00"}


def test_statistic_upsert_is_for_park_admins(world_a, world_b):
    with pytest.raises(PermissionDenied):
        park_statistic_upsert(park=world_a.park, year=2022, actor=world_b.park_admin, revenue=1)
    assert not ParkStatistic.objects.exists()


@pytest.mark.parametrize("kind,number", [("year", 1), ("month", 13), ("quarter", 0), ("half", 3), ("week", 1)])
def test_statistic_period_number_must_fit_the_period(world_a, kind, number):
    with pytest.raises(DomainError):
        park_statistic_upsert(
            park=world_a.park, year=2022, period_kind=kind, period_number=number, actor=world_a.park_admin
        )


def test_statistic_amounts_cannot_be_negative(world_a):
    with pytest.raises(DomainError) as excinfo:
        upsert(world_a, revenue="-1")
    assert excinfo.value.field == "revenue"


def test_statistic_refuses_unknown_figures(world_a):
    with pytest.raises(DomainError):
        upsert(world_a, profit_margin=3)


# --- department heads --------------------------------------------------------------------------------


def test_department_head_is_set_and_audited(world_a):
    department_set_head(department=world_a.business, head=world_a.handler, actor=world_a.park_admin)
    world_a.business.refresh_from_db()
    assert world_a.business.head == world_a.handler
    (event,) = events("department.head_changed", world_a.business)
    assert event.data == {"before": {"head": None}, "after": {"head": world_a.handler.pk}}


def test_setting_the_same_head_again_records_nothing(world_a):
    department_set_head(department=world_a.business, head=world_a.handler, actor=world_a.park_admin)
    department_set_head(department=world_a.business, head=world_a.handler, actor=world_a.park_admin)
    assert len(events("department.head_changed")) == 1


def test_department_head_must_work_in_the_park(world_a, world_b):
    with pytest.raises(DomainError) as excinfo:
        department_set_head(department=world_a.business, head=world_b.handler, actor=world_a.park_admin)
    assert excinfo.value.field == "head"


@pytest.mark.parametrize("who", ["handler", "dispatcher", "discipline"])
def test_only_park_admins_set_department_heads(world_a, who):
    with pytest.raises(PermissionDenied):
        department_set_head(department=world_a.business, head=world_a.handler, actor=getattr(world_a, who))
    assert not events("department.head_changed")


def test_a_registration_racing_past_the_checks_gets_a_conflict_not_a_server_error(world_a, monkeypatch):
    # Two applicants submitting the same code at once both pass the existence check; the unique constraint
    # decides, and the loser must see a clear error.
    monkeypatch.setattr("parks.services._check_credit_code", lambda code: code)
    with pytest.raises(Conflict) as excinfo:
        register(world_a.park, credit_code=world_a.enterprise.credit_code)
    assert excinfo.value.code == "registration_conflict"
    assert not User.objects.filter(username="zhangsan").exists()
