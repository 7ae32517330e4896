"""Root test configuration: service requirements (PostgreSQL, Redis, the browser).

A test marked ``postgres``, ``redis`` or ``browser`` skips when the service is missing locally, and FAILS
when ``REQUIRE_SERVICES=1`` (postgres, redis) or ``REQUIRE_BROWSER=1`` (browser) is set, as in CI.
"""

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest


def _flag(name):
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _reachable(url, default_port):
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=2):
            return True
    except OSError:
        return False


def postgres_missing():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        return "DATABASE_URL does not point at PostgreSQL"
    if not _reachable(url, 5432):
        return "PostgreSQL at DATABASE_URL is not reachable"
    return None


def redis_missing():
    url = os.environ.get("REDIS_URL", "")
    if not url.startswith("redis"):
        return "REDIS_URL is not set"
    if not _reachable(url, 6379):
        return "Redis at REDIS_URL is not reachable"
    return None


CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def chromium_path():
    for path in (os.environ.get("CHROMIUM_PATH", ""), *CHROMIUM_PATHS):
        if path and os.path.exists(path):
            return path
    return shutil.which("chromium")


def browser_missing():
    try:
        import playwright.sync_api  # noqa: F401  (only checking that it imports)
    except ImportError:
        return "Playwright is not installed"
    if not chromium_path():
        return "Chromium is not installed (apt-get install chromium)"
    return None


_CHECKS = {
    "postgres": (postgres_missing, "REQUIRE_SERVICES"),
    "redis": (redis_missing, "REQUIRE_SERVICES"),
    "browser": (browser_missing, "REQUIRE_BROWSER"),
}


def pytest_runtest_setup(item):
    for marker, (check, flag) in _CHECKS.items():
        if item.get_closest_marker(marker) is None:
            continue
        reason = check()
        if reason is None:
            continue
        if _flag(flag):
            pytest.fail(f"{reason}, and {flag}=1 requires it", pytrace=False)
        pytest.skip(reason)
