"""A real Celery worker, started as its own process against Redis and the PostgreSQL test database, runs the
real notification task to completion (issue 2, point 12).

Everything else in the suite runs tasks in-process (CELERY_TASK_ALWAYS_EAGER); this test proves that the
project's Celery app, its settings from the environment, the broker and the worker's database connection
work together.
"""

import email
import os
import subprocess
import sys
import time
import uuid
from email import policy
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.conf import settings
from django.db import connection

from core.models import Notification
from core.tasks import send_notifications
from portal.celery import app as celery_app
from tests.accounts.factories import UserFactory

pytestmark = [pytest.mark.redis, pytest.mark.postgres]

WORKER_DEADLINE = 60  # seconds: start-up, connecting, running the task


def worker_database_url():
    """DATABASE_URL with the database replaced by the test database pytest-django created."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


@pytest.fixture
def worker(transactional_db, tmp_path):
    # A queue of its own, so no other worker on the same Redis (a developer's `make run`) takes the task.
    queue = f"test-worker-{uuid.uuid4().hex}"
    var_dir = tmp_path / "var"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "1",
        "DATABASE_URL": worker_database_url(),
        "CELERY_BROKER_URL": os.environ["REDIS_URL"],
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        # The settings put the file mail backend's folder (and the worker's other scratch files) in VAR_DIR.
        "VAR_DIR": str(var_dir),
    }
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--queues",
                queue,
                "--pool",
                "solo",
                "--hostname",
                f"{queue}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel",
                "INFO",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield SimpleNamespace(queue=queue, process=process, mail_dir=var_dir / "mail", log_path=log_path)
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
            # The queue and kombu's binding sets for it: every key carrying this run's unique name.
            client = redis.Redis.from_url(os.environ["REDIS_URL"])
            stale = list(client.scan_iter(match=f"*{queue}*"))
            if stale:
                client.delete(*stale)


def send_to(queue, notification_ids, monkeypatch):
    # The test settings run tasks in-process over an in-memory broker; this one message goes to Redis.
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    with celery_app.connection_for_write(os.environ["REDIS_URL"]) as broker:
        send_notifications.apply_async(args=[notification_ids], queue=queue, connection=broker)


def wait_until_delivered(notification, worker):
    deadline = time.monotonic() + WORKER_DEADLINE
    while time.monotonic() < deadline:
        notification.refresh_from_db()
        if notification.delivered_at is not None:
            return
        if worker.process.poll() is not None:
            pytest.fail(f"the worker exited with {worker.process.returncode}:\n{worker.log_path.read_text()}")
        time.sleep(0.25)  # polling another process: there is no clock to move here
    pytest.fail(f"not delivered within {WORKER_DEADLINE} s; worker log:\n{worker.log_path.read_text()}")


def test_a_real_worker_delivers_a_notification_by_email(worker, monkeypatch):
    user = UserFactory(username="worker_test", email="worker_test@example.cn")
    # Created directly, not through notify(): its on-commit delivery would run in this process.
    notification = Notification.objects.create(
        recipient=user, kind="test.worker", title="真实队列测试", body="由 Celery 工作进程发送。", url="/home/"
    )

    send_to(worker.queue, [notification.pk], monkeypatch)
    wait_until_delivered(notification, worker)

    assert notification.emailed_at is not None
    (mail_file,) = worker.mail_dir.iterdir()
    message = email.message_from_bytes(mail_file.read_bytes(), policy=policy.default)
    assert message["To"] == "worker_test@example.cn"
    assert "真实队列测试" in message["Subject"]
    assert f"{settings.SITE_URL}/home/" in message.get_content()
