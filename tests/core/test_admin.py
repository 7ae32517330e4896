"""The Django admin of core: the audit trail is read-only and scoped to the user's parks; calendar overrides
are edited by platform administrators through the audited services."""

from datetime import date

import pytest
from django.urls import reverse

from core import audit
from core import workcalendar as wc
from core.models import AuditEvent, CalendarDay, Notification
from core.notifications import notify


@pytest.fixture(autouse=True)
def fresh_calendar():
    wc.clear_cache()
    yield
    wc.clear_cache()


def _staff(client, user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    return client


def test_audit_admin_lists_only_events_of_the_users_parks(client, world_a, world_b):
    audit.record_event(action="park.visible", target=world_a.park, park=world_a.park)
    audit.record_event(action="park.hidden", target=world_b.park, park=world_b.park)

    response = _staff(client, world_a.auditor).get(reverse("admin:core_auditevent_changelist"))

    assert response.status_code == 200
    assert list(response.context["cl"].result_list.values_list("action", flat=True)) == ["park.visible"]


def test_audit_admin_shows_all_parks_to_a_platform_admin(client, world_a, world_b, platform_admin):
    audit.record_event(action="park.a", target=world_a.park, park=world_a.park)
    audit.record_event(action="park.b", target=world_b.park, park=world_b.park)

    response = _staff(client, platform_admin).get(reverse("admin:core_auditevent_changelist"))

    assert response.context["cl"].result_count == 2


def test_audit_admin_hides_another_parks_event_detail(client, world_a, world_b):
    event = audit.record_event(action="park.hidden", target=world_b.park, park=world_b.park)

    response = _staff(client, world_a.auditor).get(reverse("admin:core_auditevent_change", args=[event.pk]))

    assert response.status_code == 302  # Django's admin redirects a missing object to the index


def test_audit_admin_shows_an_event_read_only(client, world_a):
    event = audit.record_event(action="park.visible", target=world_a.park, park=world_a.park, data={"a": "甲"})

    response = _staff(client, world_a.auditor).get(reverse("admin:core_auditevent_change", args=[event.pk]))

    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert "甲" in response.content.decode()


def test_audit_admin_filters_by_action(client, world_a):
    audit.record_event(action="park.one", target=world_a.park, park=world_a.park)
    audit.record_event(action="park.two", target=world_a.park, park=world_a.park)

    response = _staff(client, world_a.auditor).get(reverse("admin:core_auditevent_changelist"), {"action": "park.two"})

    assert [e.action for e in response.context["cl"].result_list] == ["park.two"]


@pytest.mark.parametrize("url_name", ["admin:core_auditevent_add", "admin:core_notification_add"])
def test_read_only_admins_offer_no_add_page_even_to_a_platform_admin(client, platform_admin, url_name):
    response = _staff(client, platform_admin).get(reverse(url_name))

    assert response.status_code == 403


def test_audit_admin_refuses_delete_even_to_a_platform_admin(client, world_a, platform_admin):
    event = audit.record_event(action="park.kept", target=world_a.park, park=world_a.park)

    response = _staff(client, platform_admin).post(
        reverse("admin:core_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_notification_admin_lists_notifications_to_a_platform_admin(client, world_a, platform_admin):
    notify(recipients=[world_a.handler], kind="test.kind", title="请处理", park=world_a.park, email=False)

    response = _staff(client, platform_admin).get(reverse("admin:core_notification_changelist"))

    assert response.context["cl"].result_count == Notification.objects.count() == 1


def test_attachment_admin_is_read_only(client, platform_admin):
    response = _staff(client, platform_admin).get(reverse("admin:core_attachment_changelist"))

    assert response.status_code == 200
    assert not response.context["has_add_permission"]


def test_platform_admin_adds_a_calendar_override_through_the_audited_service(client, platform_admin):
    response = _staff(client, platform_admin).post(
        reverse("admin:core_calendarday_add"), {"date": "2025-10-09", "is_workday": "", "name": "台风停工", "note": ""}
    )

    assert response.status_code == 302
    assert CalendarDay.objects.get(date=date(2025, 10, 9)).name == "台风停工"
    assert AuditEvent.objects.filter(action="calendar_day.created", actor=platform_admin).exists()
    assert not wc.is_workday(date(2025, 10, 9))


def test_platform_admin_deletes_a_calendar_override_through_the_audited_service(client, platform_admin):
    from core.services import calendar_day_set

    day = calendar_day_set(date=date(2025, 10, 9), is_workday=False, name="", note="", actor=platform_admin)

    response = _staff(client, platform_admin).post(
        reverse("admin:core_calendarday_delete", args=[day.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not CalendarDay.objects.exists()
    assert AuditEvent.objects.filter(action="calendar_day.deleted").exists()
    assert wc.is_workday(date(2025, 10, 9))


def test_park_admin_may_not_add_calendar_overrides(client, world_a):
    response = _staff(client, world_a.park_admin).get(reverse("admin:core_calendarday_add"))

    assert response.status_code == 403


def test_park_admin_may_view_calendar_overrides(client, world_a):
    response = _staff(client, world_a.park_admin).get(reverse("admin:core_calendarday_changelist"))

    assert response.status_code == 200
