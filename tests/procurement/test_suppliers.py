"""Suppliers: registration with qualifications, the officer's decisions (each audited, the enterprise told),
who may bid, expiry reminders, the public directory."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.errors import Conflict, DomainError, PermissionDenied
from core.models import Attachment, AuditEvent, Notification
from procurement.choices import QualificationKind, SupplierStatus
from procurement.models import Qualification, QualificationReminder, Supplier
from procurement.selectors.suppliers import supplier_can_bid, supplier_directory
from procurement.services import suppliers as services
from tests.procurement.conftest import make_supplier
from tests.procurement.factories import QualificationFactory, SupplierFactory

TODAY = dt.date(2026, 3, 2)


def _qualification(**overrides):
    values = {
        "kind": QualificationKind.BUSINESS_LICENCE,
        "number": "91460000MA5T000001",
        "issuer": "三亚市市场监督管理局",
        "expires_on": timezone.localdate() + dt.timedelta(days=400),
    }
    return values | overrides


def _register(world, **overrides):
    values = {
        "enterprise": world.enterprise,
        "park": world.park,
        "actor": world.enterprise_user,
        "business_scope": "办公家具、办公设备",
        "qualifications": [_qualification()],
    } | overrides
    return services.supplier_register(**values)


def _events(target, action):
    return AuditEvent.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk), action=action)


def test_registration_is_pending_with_its_qualification_and_documents(world_a, procurement_officer):
    upload = SimpleUploadedFile("licence.txt", "营业执照副本".encode(), content_type="text/plain")

    supplier = _register(world_a, qualifications=[_qualification(files=[upload])])

    assert supplier.status == SupplierStatus.PENDING
    qualification = supplier.qualifications.get()
    assert Attachment.objects.filter(target_type="procurement.qualification", target_id=str(qualification.pk)).exists()
    assert _events(supplier, "supplier.registered").count() == 1
    assert _events(qualification, "qualification.added").count() == 1
    assert Notification.objects.filter(recipient=procurement_officer, kind="supplier.registered").exists()


def test_only_a_user_of_the_enterprise_can_register_it(world_a, world_b):
    with pytest.raises(PermissionDenied):
        _register(world_a, actor=world_b.enterprise_user)

    assert not Supplier.objects.exists()


def test_registration_with_an_expired_qualification_is_refused_and_nothing_is_kept(world_a):
    expired = _qualification(expires_on=timezone.localdate() - dt.timedelta(days=1))

    with pytest.raises(DomainError) as error:
        _register(world_a, qualifications=[expired])

    assert error.value.code == "qualification_expired"
    assert not Supplier.objects.exists() and not Qualification.objects.exists()


def test_registration_without_qualification_is_refused(world_a):
    with pytest.raises(DomainError) as error:
        _register(world_a, qualifications=[])

    assert error.value.code == "qualification_required"


def test_a_second_registration_in_the_same_park_is_refused(world_a):
    _register(world_a)

    with pytest.raises(Conflict):
        _register(world_a)


def test_a_rejected_supplier_applies_again(world_a, procurement_officer):
    supplier = _register(world_a)
    services.supplier_reject(supplier=supplier, actor=procurement_officer, reason="营业执照模糊")

    again = _register(world_a, business_scope="办公家具")

    assert again.pk == supplier.pk and again.status == SupplierStatus.PENDING
    assert _events(supplier, "supplier.reapplied").count() == 1


ALLOWED = [
    (SupplierStatus.PENDING, "approve", SupplierStatus.APPROVED, "supplier.approved"),
    (SupplierStatus.PENDING, "reject", SupplierStatus.REJECTED, "supplier.rejected"),
    (SupplierStatus.APPROVED, "suspend", SupplierStatus.SUSPENDED, "supplier.suspended"),
    (SupplierStatus.APPROVED, "blacklist", SupplierStatus.BLACKLISTED, "supplier.blacklisted"),
    (SupplierStatus.SUSPENDED, "blacklist", SupplierStatus.BLACKLISTED, "supplier.blacklisted"),
    (SupplierStatus.SUSPENDED, "reinstate", SupplierStatus.APPROVED, "supplier.reinstated"),
]
FORBIDDEN = [
    (SupplierStatus.APPROVED, "approve"),
    (SupplierStatus.APPROVED, "reinstate"),
    (SupplierStatus.PENDING, "suspend"),
    (SupplierStatus.PENDING, "blacklist"),
    (SupplierStatus.BLACKLISTED, "reinstate"),
    (SupplierStatus.BLACKLISTED, "approve"),
    (SupplierStatus.REJECTED, "approve"),
    (SupplierStatus.SUSPENDED, "suspend"),
]


def _service(verb):
    return getattr(services, f"supplier_{verb}")


@pytest.mark.parametrize(("start", "verb", "end", "action"), ALLOWED)
def test_allowed_decision_changes_status_audits_and_tells_the_enterprise(
    world_a, procurement_officer, start, verb, end, action
):
    supplier, user = make_supplier(world_a.park, "海南测试供应商有限公司")
    Supplier.objects.filter(pk=supplier.pk).update(status=start)

    _service(verb)(supplier=supplier, actor=procurement_officer, reason="依据检查结果")

    supplier.refresh_from_db()
    assert supplier.status == end and supplier.status_changed_by == procurement_officer
    event = _events(supplier, action).get()
    assert event.data["before"]["status"] == start and event.data["after"]["status"] == end
    assert Notification.objects.filter(recipient=user, kind=action).exists()


@pytest.mark.parametrize(("start", "verb"), FORBIDDEN)
def test_forbidden_decision_is_refused_and_changes_nothing(world_a, procurement_officer, start, verb):
    supplier, _user = make_supplier(world_a.park, "海南测试供应商有限公司")
    Supplier.objects.filter(pk=supplier.pk).update(status=start)

    with pytest.raises(Conflict):
        _service(verb)(supplier=supplier, actor=procurement_officer, reason="理由")

    supplier.refresh_from_db()
    assert supplier.status == start
    assert not AuditEvent.objects.filter(target_type="procurement.supplier", target_id=str(supplier.pk)).exists()


@pytest.mark.parametrize("verb", ["reject", "suspend", "blacklist"])
def test_a_decision_against_the_supplier_needs_a_reason(world_a, procurement_officer, verb):
    supplier, _user = make_supplier(world_a.park, "海南测试供应商有限公司")
    Supplier.objects.filter(pk=supplier.pk).update(status=SupplierStatus.APPROVED if verb != "reject" else "pending")

    with pytest.raises(DomainError) as error:
        _service(verb)(supplier=supplier, actor=procurement_officer, reason="  ")

    assert error.value.field == "reason"


def test_approval_needs_a_valid_qualification(world_a, procurement_officer):
    supplier = SupplierFactory(park=world_a.park, enterprise=world_a.enterprise, status=SupplierStatus.PENDING)
    QualificationFactory(supplier=supplier, expires_on=timezone.localdate() - dt.timedelta(days=1))

    with pytest.raises(Conflict) as error:
        services.supplier_approve(supplier=supplier, actor=procurement_officer)

    assert error.value.code == "no_valid_qualification"


@pytest.mark.parametrize("who", ["handler", "discipline", "auditor", "enterprise_user"])
def test_only_procurement_officers_and_park_admins_decide(world_a, who):
    supplier, _user = make_supplier(world_a.park, "海南测试供应商有限公司")
    Supplier.objects.filter(pk=supplier.pk).update(status=SupplierStatus.PENDING)

    with pytest.raises(PermissionDenied):
        services.supplier_approve(supplier=supplier, actor=getattr(world_a, who))


def test_a_procurement_officer_of_another_park_cannot_decide(world_a, world_b):
    from core import roles
    from tests.conftest import make_official

    officer_b = make_official(park=world_b.park, role=roles.PROCUREMENT)
    supplier, _user = make_supplier(world_a.park, "海南测试供应商有限公司")

    with pytest.raises(PermissionDenied):
        services.supplier_suspend(supplier=supplier, actor=officer_b, reason="x")


def test_park_admin_may_approve(world_a):
    supplier, _user = make_supplier(world_a.park, "海南测试供应商有限公司")
    Supplier.objects.filter(pk=supplier.pk).update(status=SupplierStatus.PENDING)

    services.supplier_approve(supplier=supplier, actor=world_a.park_admin)

    supplier.refresh_from_db()
    assert supplier.status == SupplierStatus.APPROVED


# --- who may bid ----------------------------------------------------------------------------------------------


def test_an_approved_supplier_with_valid_qualifications_may_bid(world_a):
    supplier, _user = make_supplier(world_a.park, "海南测试供应商有限公司")

    assert supplier_can_bid(supplier) == (True, "")


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (SupplierStatus.PENDING, "pending"),
        (SupplierStatus.SUSPENDED, "suspended"),
        (SupplierStatus.BLACKLISTED, "blacklisted"),
        (SupplierStatus.REJECTED, "rejected"),
    ],
)
def test_a_supplier_not_approved_cannot_bid_and_is_told_why(world_a, status, words):
    supplier, _user = make_supplier(world_a.park, "海南测试供应商有限公司")
    supplier.status = status

    allowed, reason = supplier_can_bid(supplier)

    assert not allowed and words in reason


def test_an_expired_qualification_stops_bidding_and_the_message_names_it(world_a):
    supplier, _user = make_supplier(world_a.park, "海南测试供应商有限公司")
    QualificationFactory(
        supplier=supplier, kind=QualificationKind.SAFETY, number="AQ-2020-7", expires_on=dt.date(2026, 3, 1)
    )

    allowed, reason = supplier_can_bid(supplier, at=timezone.make_aware(dt.datetime(2026, 3, 2, 9)))

    assert not allowed and "AQ-2020-7" in reason and "2026-03-01" in reason


def test_a_renewed_qualification_of_the_same_type_lifts_the_stop(world_a):
    supplier, _user = make_supplier(world_a.park, "海南测试供应商有限公司")
    QualificationFactory(supplier=supplier, kind=QualificationKind.SAFETY, expires_on=dt.date(2026, 3, 1))
    QualificationFactory(supplier=supplier, kind=QualificationKind.SAFETY, expires_on=dt.date(2029, 3, 1))

    assert supplier_can_bid(supplier, at=timezone.make_aware(dt.datetime(2026, 3, 2, 9)))[0]


def test_a_qualification_is_valid_on_its_expiry_day(world_a):
    supplier, _user = make_supplier(world_a.park, "海南测试供应商有限公司")
    supplier.qualifications.update(expires_on=dt.date(2026, 3, 2))

    assert supplier_can_bid(supplier, at=timezone.make_aware(dt.datetime(2026, 3, 2, 23)))[0]


# --- reminders ------------------------------------------------------------------------------------------------


def _expiring(world, days):
    supplier, user = make_supplier(world.park, "海南测试供应商有限公司")
    qualification = supplier.qualifications.get()
    qualification.expires_on = TODAY + dt.timedelta(days=days)
    qualification.save()
    return qualification, user


def test_the_30_day_reminder_is_sent_once_however_often_the_sweep_runs(world_a):
    qualification, user = _expiring(world_a, 30)

    first = services.qualification_reminders_send(today=TODAY)
    second = services.qualification_reminders_send(today=TODAY)

    assert (first, second) == (1, 0)
    assert list(QualificationReminder.objects.values_list("threshold_days", flat=True)) == [30]
    assert Notification.objects.filter(recipient=user, kind="qualification.expiring").count() == 1


def test_no_reminder_before_30_days(world_a):
    _expiring(world_a, 31)

    assert services.qualification_reminders_send(today=TODAY) == 0


def test_a_qualification_entered_late_gets_only_the_most_urgent_reminder(world_a):
    _expiring(world_a, 5)

    services.qualification_reminders_send(today=TODAY)

    assert list(QualificationReminder.objects.values_list("threshold_days", flat=True)) == [7]


def test_the_30_7_and_expiry_reminders_each_go_once_as_days_pass(world_a, procurement_officer):
    qualification, _user = _expiring(world_a, 30)

    for offset in range(0, 35):
        services.qualification_reminders_send(today=TODAY + dt.timedelta(days=offset))

    assert sorted(qualification.reminders.values_list("threshold_days", flat=True)) == [0, 7, 30]
    assert Notification.objects.filter(recipient=procurement_officer, kind="qualification.expiring").count() == 1


def test_blacklisted_suppliers_get_no_reminders(world_a):
    qualification, _user = _expiring(world_a, 7)
    Supplier.objects.filter(pk=qualification.supplier_id).update(status=SupplierStatus.BLACKLISTED)

    assert services.qualification_reminders_send(today=TODAY) == 0


def test_the_beat_task_sends_the_reminders(world_a):
    from procurement.tasks_tenders import sweep_qualification_reminders

    _expiring(world_a, (timezone.localdate() - TODAY).days + 7)

    assert sweep_qualification_reminders() == 1


# --- qualifications and the directory ----------------------------------------------------------------------------


def test_a_user_of_the_supplier_adds_a_qualification(world_a):
    supplier, user = make_supplier(world_a.park, "海南测试供应商有限公司")

    qualification = services.qualification_add(
        supplier=supplier,
        actor=user,
        kind=QualificationKind.QUALITY,
        number="ISO-9001-01",
        issuer="中国质量认证中心",
        expires_on=timezone.localdate() + dt.timedelta(days=700),
    )

    assert qualification.supplier == supplier
    assert _events(qualification, "qualification.added").count() == 1


def test_another_enterprise_cannot_add_qualifications(world_a):
    supplier, _user = make_supplier(world_a.park, "海南测试供应商有限公司")

    with pytest.raises(PermissionDenied):
        services.qualification_add(
            supplier=supplier,
            actor=world_a.enterprise_user,
            kind=QualificationKind.QUALITY,
            number="X",
            issuer="Y",
            expires_on=None,
        )


def test_the_directory_lists_approved_suppliers_only(world_a, world_b):
    approved, _u = make_supplier(world_a.park, "甲已批准供应商")
    pending, _u = make_supplier(world_a.park, "甲待审供应商")
    Supplier.objects.filter(pk=pending.pk).update(status=SupplierStatus.PENDING)
    other, _u = make_supplier(world_b.park, "乙已批准供应商")

    assert set(supplier_directory()) == {approved, other}
    assert list(supplier_directory(park=world_a.park)) == [approved]
