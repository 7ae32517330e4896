"""Settings from the environment, the Celery set-up, and the test suite's own skip-or-fail rule for services."""

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

import conftest as root_conftest
from portal.env import env_bool, env_int, env_list

BASE_DIR = Path(settings.BASE_DIR)
SERVICE_VARIABLES = ("DATABASE_URL", "REDIS_URL", "REQUIRE_SERVICES", "REQUIRE_BROWSER", "CHROMIUM_PATH")


def settings_in_subprocess(tmp_path, names, **env):
    """Import portal.settings in a fresh interpreter under `env` (nothing inherited from the test run's
    service variables) and return the named settings, JSON-encoded."""
    clean = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES and k != "DJANGO_SETTINGS_MODULE"}
    clean.update(DJANGO_SETTINGS_MODULE="portal.settings", VAR_DIR=str(tmp_path / "var"), **env)
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=clean, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# --- reading the environment ------------------------------------------------------------------------------


@pytest.mark.parametrize("raw, expected", [("1", True), ("true", True), ("On", True), ("0", False), ("no", False)])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG") is expected


def test_env_bool_refuses_a_value_that_is_not_a_boolean(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env_bool("SOME_FLAG")


def test_env_int_refuses_a_value_that_is_not_a_number(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER"):
        env_int("SOME_NUMBER", 1)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("SOME_HOSTS", " a.example.cn, ,b.example.cn ")
    assert env_list("SOME_HOSTS") == ["a.example.cn", "b.example.cn"]


def test_without_service_urls_the_portal_uses_sqlite_under_var_and_the_filesystem_broker(tmp_path):
    values = settings_in_subprocess(tmp_path, ["DATABASES", "CELERY_BROKER_URL", "CACHES"])
    assert values["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert values["DATABASES"]["default"]["NAME"] == str(tmp_path / "var" / "portal.sqlite3")
    assert values["CELERY_BROKER_URL"].startswith("filesystem://")
    assert values["CACHES"]["default"]["BACKEND"].endswith("FileBasedCache")


def test_with_service_urls_the_portal_uses_postgresql_and_redis(tmp_path):
    values = settings_in_subprocess(
        tmp_path,
        ["DATABASES", "CELERY_BROKER_URL", "CACHES"],
        DATABASE_URL="postgres://portal:secret@db.example.cn:5432/portal",
        REDIS_URL="redis://cache.example.cn:6379/0",
    )
    database = values["DATABASES"]["default"]
    assert (database["ENGINE"], database["HOST"], database["NAME"]) == (
        "django.db.backends.postgresql",
        "db.example.cn",
        "portal",
    )
    assert values["CELERY_BROKER_URL"] == "redis://cache.example.cn:6379/0"
    assert values["CACHES"]["default"]["LOCATION"] == "redis://cache.example.cn:6379/0"


def test_readme_documents_every_environment_variable_the_settings_read():
    source = (BASE_DIR / "portal" / "settings.py").read_text() + (BASE_DIR / "portal" / "gunicorn.conf.py").read_text()
    names = set(re.findall(r'(?:env_(?:str|bool|int|list)|os\.environ\.get)\(\s*"([A-Z0-9_]+)"', source))
    readme = (BASE_DIR / "README.md").read_text()
    undocumented = sorted(name for name in names if f"`{name}`" not in readme)
    assert names and not undocumented


# --- Celery -----------------------------------------------------------------------------------------------


def test_every_periodic_task_is_a_registered_celery_task():
    from portal.celery import app

    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled and scheduled <= set(app.tasks)


def test_every_task_route_sends_to_a_declared_queue():
    declared = {queue.name for queue in settings.CELERY_TASK_QUEUES}
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    assert routed <= declared and settings.CELERY_TASK_DEFAULT_QUEUE in declared


def test_a_reminder_sweep_is_routed_to_the_reminders_queue():
    from portal.celery import app

    route = app.amqp.router.route({}, "core.tasks.sweep_undelivered_notifications")
    assert route["queue"].name == "reminders"


SEND_SCRIPT = (
    "import django; django.setup(); from core.tasks import send_notifications; print(send_notifications.delay([]).id)"
)


def wait_for_line(process, needle, timeout):
    """Read the process's output until a line contains `needle`; return everything read."""
    seen = []
    finder = threading.Thread(target=lambda: seen.extend(iter(process.stdout.readline, "")), daemon=True)
    finder.start()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not any(needle in line for line in seen) and process.poll() is None:
        finder.join(0.2)
    return "".join(seen)


def test_a_real_worker_runs_a_task_sent_through_the_demo_filesystem_broker(tmp_path):
    """The demo's path with no server at all; tests/services/ does the same against Redis."""
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES and k != "DJANGO_SETTINGS_MODULE"}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings", VAR_DIR=str(tmp_path / "var"))
    sent = subprocess.run(
        [sys.executable, "-c", SEND_SCRIPT], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert sent.returncode == 0, sent.stderr
    task_id = sent.stdout.strip().splitlines()[-1]
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo", "--loglevel=INFO",
         "--queues=notifications", "--without-mingle", "--without-gossip", "--without-heartbeat"],
        cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        output = wait_for_line(worker, f"[{task_id}] succeeded", timeout=60)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert f"Task core.tasks.send_notifications[{task_id}] succeeded" in output


# --- skip locally, fail in CI -----------------------------------------------------------------------------


@pytest.fixture
def no_services(monkeypatch):
    for name in SERVICE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(root_conftest, "CHROMIUM_PATHS", ())
    monkeypatch.setattr(root_conftest.shutil, "which", lambda name: None)
    return monkeypatch


@pytest.fixture
def listening_port():
    """A port on this machine that accepts connections, standing in for a running service."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


@pytest.mark.parametrize("marker", ["postgres", "redis", "browser"])
def test_a_test_needing_a_missing_service_is_skipped_locally(no_services, marker):
    outcome, _reason = root_conftest.requirement_verdict(marker)
    assert outcome == "skip"


@pytest.mark.parametrize("marker, flag", [("postgres", "REQUIRE_SERVICES"), ("redis", "REQUIRE_SERVICES")])
def test_a_test_needing_a_missing_service_fails_when_services_are_required(no_services, marker, flag):
    no_services.setenv(flag, "1")
    outcome, reason = root_conftest.requirement_verdict(marker)
    assert outcome == "fail" and flag in reason


def test_a_browser_test_fails_without_chromium_when_the_browser_is_required(no_services):
    no_services.setenv("REQUIRE_BROWSER", "1")
    outcome, reason = root_conftest.requirement_verdict("browser")
    assert outcome == "fail" and "Chromium" in reason


def test_requiring_services_does_not_require_the_browser(no_services):
    no_services.setenv("REQUIRE_SERVICES", "1")
    assert root_conftest.requirement_verdict("browser")[0] == "skip"


def test_an_unreachable_postgresql_fails_when_services_are_required(no_services):
    with socket.socket() as probe:  # a port nobody listens on: bound, then released
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    no_services.setenv("DATABASE_URL", f"postgres://postgres@127.0.0.1:{port}/portal")
    no_services.setenv("REQUIRE_SERVICES", "1")
    outcome, reason = root_conftest.requirement_verdict("postgres")
    assert outcome == "fail" and "not reachable" in reason


def test_a_reachable_redis_lets_the_test_run(no_services, listening_port):
    no_services.setenv("REDIS_URL", f"redis://127.0.0.1:{listening_port}/0")
    no_services.setenv("REQUIRE_SERVICES", "1")
    assert root_conftest.requirement_verdict("redis") is None


def sub_run_project(pytester):
    pytester.makeconftest((BASE_DIR / "conftest.py").read_text())
    pytester.makeini("[pytest]\nmarkers =\n    postgres\n    redis\n    browser\n")


def test_the_hook_fails_a_marked_test_in_a_run_that_requires_services(pytester, no_services):
    sub_run_project(pytester)
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.postgres
        def test_needs_postgresql():
            pass
        """
    )
    no_services.setenv("REQUIRE_SERVICES", "1")
    result = pytester.runpytest_subprocess("-p", "no:django", "-p", "no:cacheprovider")
    # Failing in set-up counts as an error: the run fails all the same.
    result.assert_outcomes(errors=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_the_hook_skips_a_marked_test_in_a_local_run(pytester, no_services):
    sub_run_project(pytester)
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.redis
        def test_needs_redis():
            pass
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:django", "-p", "no:cacheprovider")
    result.assert_outcomes(skipped=1)


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_suite_runs_on_postgresql_when_database_url_points_at_it():
    from django.db import connection

    assert connection.vendor == "postgresql"
