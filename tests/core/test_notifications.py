"""Notifications (DESIGN §4.2): notify(), delivery by email and SMS from Celery (each channel once), the sweep
that re-delivers lost messages, the bell, the list page and the API."""

import threading
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from kombu.exceptions import OperationalError

from core import notifications as notifications_module
from core.errors import PermissionDenied
from core.models import Notification
from core.notifications import notify
from core.services import notification_deliver, notification_mark_read
from core.sms import LoggingSmsBackend, SmsError
from core.tasks import send_notifications, sweep_undelivered_notifications
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_sms_log():
    LoggingSmsBackend.sent.clear()
    yield
    LoggingSmsBackend.sent.clear()


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", email="alice@example.cn", phone="13800138000")


@pytest.fixture
def bob(db):
    return UserFactory(username="bob", email="bob@example.cn")


def queued(django_capture_on_commit_callbacks, **kwargs):
    """notify() inside a committed transaction, with its delivery run as the worker would."""
    with django_capture_on_commit_callbacks(execute=True):
        return notify(**kwargs)


def lost(django_capture_on_commit_callbacks, **kwargs):
    """notify() whose queued delivery message never reaches a worker."""
    with django_capture_on_commit_callbacks(execute=False):
        return notify(**kwargs)


def make_unread(user, n=1, **kwargs):
    return [Notification.objects.create(recipient=user, kind="test.kind", title=f"通知{i}", **kwargs) for i in range(n)]


# --- notify() ----------------------------------------------------------------------------------------------------


def test_notify_creates_one_notification_per_distinct_active_recipient(alice, bob):
    inactive = UserFactory(username="gone", is_active=False)
    created = notify(recipients=[alice, bob, alice, None, inactive], kind="ticket.assigned", title="新工单")
    assert sorted(n.recipient.username for n in created) == ["alice", "bob"]
    assert Notification.objects.count() == 2


def test_notify_delivers_only_after_the_transaction_commits(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipients=[alice], kind="ticket.assigned", title="新工单")
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1


def test_notify_in_a_rolled_back_transaction_leaves_nothing(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[alice], kind="ticket.assigned", title="新工单")
        raise RuntimeError("the service failed")
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_notify_skips_email_for_a_recipient_without_an_address(django_capture_on_commit_callbacks):
    user = UserFactory(username="noemail", email="")
    (notification,) = queued(django_capture_on_commit_callbacks, recipients=[user], kind="k", title="标题")
    notification.refresh_from_db()
    assert notification.send_email is False
    assert notification.delivered_at is not None
    assert mail.outbox == []


def test_a_broker_that_is_down_does_not_fail_the_caller(alice, django_capture_on_commit_callbacks):
    with mock.patch.object(send_notifications, "delay", side_effect=OperationalError("connection refused")):
        (notification,) = queued(django_capture_on_commit_callbacks, recipients=[alice], kind="k", title="标题")
    notification.refresh_from_db()
    assert notification.delivered_at is None


# --- delivery ---------------------------------------------------------------------------------------------------


def test_email_is_rendered_from_the_template_with_the_absolute_link(alice, django_capture_on_commit_callbacks):
    queued(
        django_capture_on_commit_callbacks,
        recipients=[alice],
        kind="ticket.assigned",
        title="工单 T-1 已分派给您",
        body="请在三个工作日内办理。",
        url="/complaints/tickets/1/",
    )
    (message,) = mail.outbox
    assert message.to == ["alice@example.cn"]
    assert "工单 T-1 已分派给您" in message.subject
    assert "请在三个工作日内办理。" in message.body
    assert f"{settings.SITE_URL}/complaints/tickets/1/" in message.body
    assert f"{settings.SITE_URL}/notifications/" in message.body


def test_email_text_is_not_html_escaped(alice, django_capture_on_commit_callbacks):
    queued(django_capture_on_commit_callbacks, recipients=[alice], kind="k", title="A & B", body="<甲> & '乙'")
    assert "<甲> & '乙'" in mail.outbox[0].body
    assert "A & B" in mail.outbox[0].subject


def test_email_is_written_in_the_site_language_whatever_the_sender_uses(alice, django_capture_on_commit_callbacks):
    languages = []
    real_render = notifications_module.render_to_string

    def spy(*args, **kwargs):
        languages.append(translation.get_language())
        return real_render(*args, **kwargs)

    with mock.patch.object(notifications_module, "render_to_string", side_effect=spy), translation.override("en"):
        queued(django_capture_on_commit_callbacks, recipients=[alice], kind="k", title="标题")
    assert languages and set(languages) == {settings.LANGUAGE_CODE}


def test_sms_goes_through_the_configured_backend(alice, django_capture_on_commit_callbacks):
    queued(django_capture_on_commit_callbacks, recipients=[alice], kind="k", title="督办提醒", sms=True, url="/t/1/")
    ((phone, text),) = LoggingSmsBackend.sent
    assert phone == "13800138000"
    assert "督办提醒" in text
    assert f"{settings.SITE_URL}/t/1/" in text


def test_running_the_task_twice_sends_each_channel_once(alice, django_capture_on_commit_callbacks):
    created = queued(django_capture_on_commit_callbacks, recipients=[alice], kind="k", title="标题", sms=True)
    send_notifications.apply(args=[[n.pk for n in created]])
    assert len(mail.outbox) == 1
    assert len(LoggingSmsBackend.sent) == 1


def test_a_failed_sms_is_retried_without_resending_the_email(alice, django_capture_on_commit_callbacks):
    (notification,) = lost(django_capture_on_commit_callbacks, recipients=[alice], kind="k", title="标题", sms=True)
    with (
        mock.patch.object(LoggingSmsBackend, "send", side_effect=SmsError("gateway down")),
        pytest.raises(SmsError),
    ):
        notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert notification.sms_sent_at is None
    assert notification.delivered_at is None

    assert notification_deliver(notification_id=notification.pk) is True
    assert len(mail.outbox) == 1
    assert len(LoggingSmsBackend.sent) == 1


def test_the_task_retries_only_the_notifications_that_failed(alice, bob, django_capture_on_commit_callbacks):
    first, second = lost(django_capture_on_commit_callbacks, recipients=[alice, bob], kind="k", title="标题")
    calls = []
    real_deliver = notification_deliver

    def flaky(*, notification_id):
        calls.append(notification_id)
        if notification_id == first.pk and calls.count(first.pk) == 1:
            raise ConnectionRefusedError("SMTP server unavailable")
        return real_deliver(notification_id=notification_id)

    with mock.patch("core.tasks.notification_deliver", side_effect=flaky):
        # throw=False: let eager mode run the retry as a worker would, instead of raising Retry here.
        send_notifications.apply(args=[[first.pk, second.pk]], throw=False)
    assert calls == [first.pk, second.pk, first.pk]
    assert Notification.objects.filter(delivered_at__isnull=True).count() == 0
    assert len(mail.outbox) == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_concurrent_run_skips_the_notification_another_worker_is_sending(alice):
    # Worker A is inside the SMTP conversation (row locked) when worker B starts on the same notification:
    # B must not send it again, and must not wait for A either.
    (notification,) = make_unread(alice, send_sms=True)
    sending, release = threading.Event(), threading.Event()
    real_send = mail.EmailMessage.send
    errors = []

    def slow_send(message, *args, **kwargs):
        sending.set()
        assert release.wait(timeout=30)
        return real_send(message, *args, **kwargs)

    def worker_a():
        try:
            notification_deliver(notification_id=notification.pk)
        except Exception as exc:  # reported to the main thread below
            errors.append(exc)
        finally:
            connection.close()

    with mock.patch("django.core.mail.EmailMessage.send", slow_send):
        thread = threading.Thread(target=worker_a)
        thread.start()
        assert sending.wait(timeout=30)
        assert notification_deliver(notification_id=notification.pk) is False
        release.set()
        thread.join(timeout=30)
    assert not errors
    notification.refresh_from_db()
    assert notification.delivered_at is not None
    assert len(mail.outbox) == 1
    assert len(LoggingSmsBackend.sent) == 1


# --- the sweep ----------------------------------------------------------------------------------------------------


def test_the_sweep_redelivers_a_notification_whose_message_was_lost(alice, django_capture_on_commit_callbacks):
    (notification,) = lost(django_capture_on_commit_callbacks, recipients=[alice], kind="k", title="标题")
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert sweep_undelivered_notifications.apply().get() == 1
    notification.refresh_from_db()
    assert notification.delivered_at is not None
    assert len(mail.outbox) == 1


def test_the_sweep_leaves_recent_notifications_to_their_queued_message(alice, django_capture_on_commit_callbacks):
    lost(django_capture_on_commit_callbacks, recipients=[alice], kind="k", title="标题")
    assert sweep_undelivered_notifications.apply().get() == 0
    assert mail.outbox == []


def test_the_sweep_gives_up_on_notifications_older_than_two_days(alice, django_capture_on_commit_callbacks):
    lost(django_capture_on_commit_callbacks, recipients=[alice], kind="k", title="标题")
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        assert sweep_undelivered_notifications.apply().get() == 0
    assert mail.outbox == []


def test_the_sweep_does_not_resend_delivered_notifications(alice, django_capture_on_commit_callbacks):
    queued(django_capture_on_commit_callbacks, recipients=[alice], kind="k", title="标题")
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert sweep_undelivered_notifications.apply().get() == 0
    assert len(mail.outbox) == 1


# --- read marks ---------------------------------------------------------------------------------------------------


def test_only_the_recipient_may_mark_a_notification_read(alice, bob):
    (notification,) = make_unread(alice)
    with pytest.raises(PermissionDenied):
        notification_mark_read(notification=notification, actor=bob)
    notification.refresh_from_db()
    assert notification.read_at is None


# --- the bell and the list page -------------------------------------------------------------------------------


def bell_count(client):
    response = client.get(reverse("core:notification-bell"))
    assert response.status_code == 200
    return response.context["unread_count"]


def test_the_bell_shows_the_unread_count(client, alice, bob):
    make_unread(alice, 3)
    make_unread(bob, 2)
    client.force_login(alice)
    response = client.get(reverse("core:notification-bell"))
    assert 'data-unread="3"' in response.content.decode()


def test_the_unread_count_drops_after_marking_one_read(client, alice):
    first, _second = make_unread(alice, 2)
    client.force_login(alice)
    assert bell_count(client) == 2
    response = client.post(reverse("core:notification-read", args=[first.pk]))
    assert response.status_code == 302
    assert bell_count(client) == 1


def test_the_bell_tells_htmx_to_stop_polling_once_signed_out(client):
    response = client.get(reverse("core:notification-bell"))
    assert response.status_code == 286
    assert response.content == b""


def test_a_user_cannot_mark_another_users_notification_read(client, alice, bob):
    (notification,) = make_unread(alice)
    client.force_login(bob)
    response = client.post(reverse("core:notification-read", args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_read_by_get_is_refused(client, alice):
    (notification,) = make_unread(alice)
    client.force_login(alice)
    assert client.get(reverse("core:notification-read", args=[notification.pk])).status_code == 405


def test_mark_all_read_marks_only_the_users_own(client, alice, bob):
    make_unread(alice, 2)
    make_unread(bob, 1)
    client.force_login(alice)
    client.post(reverse("core:notification-read-all"))
    assert Notification.objects.filter(recipient=alice, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(recipient=bob, read_at__isnull=True).count() == 1


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, alice):
    (notification,) = make_unread(alice, url="/complaints/tickets/7/")
    client.force_login(alice)
    response = client.post(reverse("core:notification-read", args=[notification.pk]), {"follow": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/complaints/tickets/7/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_never_redirects_to_another_site(client, alice):
    (notification,) = make_unread(alice, url="https://evil.example/phish")
    client.force_login(alice)
    response = client.post(
        reverse("core:notification-read", args=[notification.pk]),
        {"follow": "1", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("core:notifications")


def test_the_list_page_shows_only_the_users_own_notifications(client, alice, bob):
    make_unread(alice, 1)
    Notification.objects.create(recipient=bob, kind="k", title="别人的通知")
    client.force_login(alice)
    response = client.get(reverse("core:notifications"))
    assert response.status_code == 200
    assert [n.recipient_id for n in response.context["page"]] == [alice.pk]


def test_the_list_page_filters_unread(client, alice):
    read, _unread = make_unread(alice, 2)
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    client.force_login(alice)
    response = client.get(reverse("core:notifications"), {"unread": "true"})
    assert [n.read_at for n in response.context["page"]] == [None]


def test_the_list_page_query_count_does_not_grow_with_notifications(client, alice, django_assert_max_num_queries):
    make_unread(alice, 30)
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("core:notifications"))
    assert len(response.context["page"]) == 25


# --- API ------------------------------------------------------------------------------------------------------


def test_api_lists_only_the_users_own_notifications_paginated(client, alice, bob):
    make_unread(alice, 3)
    make_unread(bob, 2)
    client.force_login(alice)
    data = client.get("/api/v1/notifications/", {"page_size": 2}).json()
    assert data["count"] == 3
    assert len(data["results"]) == 2
    assert data["next"]


def test_api_filters_unread(client, alice):
    read, unread = make_unread(alice, 2)
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    client.force_login(alice)
    data = client.get("/api/v1/notifications/", {"unread": "true"}).json()
    assert [row["id"] for row in data["results"]] == [unread.pk]
    assert data["results"][0]["is_read"] is False


def test_api_marks_one_notification_read(client, alice):
    (notification,) = make_unread(alice)
    client.force_login(alice)
    response = client.post(f"/api/v1/notifications/{notification.pk}/read/")
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_api_another_users_notification_is_not_found(client, alice, bob):
    (notification,) = make_unread(alice)
    client.force_login(bob)
    assert client.get(f"/api/v1/notifications/{notification.pk}/").status_code == 404
    response = client.post(f"/api/v1/notifications/{notification.pk}/read/")
    assert response.status_code == 404
    assert response.json()["error"]["message"]
    notification.refresh_from_db()
    assert notification.read_at is None


def test_api_marks_all_read(client, alice):
    make_unread(alice, 3)
    client.force_login(alice)
    response = client.post("/api/v1/notifications/read-all/")
    assert response.json() == {"marked": 3, "unread_count": 0}


def test_api_unread_count(client, alice, bob):
    make_unread(alice, 2)
    make_unread(bob, 5)
    client.force_login(alice)
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread_count": 2}


def test_api_requires_authentication(client):
    response = client.get("/api/v1/notifications/")
    assert response.status_code in {401, 403}
    assert response.json()["error"]["message"]


def test_api_list_query_count_does_not_grow_with_notifications(client, alice, django_assert_max_num_queries):
    make_unread(alice, 30)
    client.force_login(alice)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/notifications/")
    assert len(response.json()["results"]) == 25
