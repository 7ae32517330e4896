"""Root test configuration: service requirements (PostgreSQL, Redis, the browser) and the browser fixtures.

A test marked ``postgres``, ``redis`` or ``browser`` skips when the service is missing locally, and FAILS
when ``REQUIRE_SERVICES=1`` (postgres, redis) or ``REQUIRE_BROWSER=1`` (browser) is set, as in CI.
"""

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest

# pytester: tests/test_settings.py runs this file's hook in a sub-run to prove it skips or fails.
pytest_plugins = ("pytester",)

TRUE = {"1", "true", "yes", "on"}


def _flag(name):
    return os.environ.get(name, "").strip().lower() in TRUE


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
    if not url.startswith(("redis://", "rediss://")):
        return "REDIS_URL does not point at Redis"
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


REQUIREMENTS = {
    "postgres": (postgres_missing, "REQUIRE_SERVICES"),
    "redis": (redis_missing, "REQUIRE_SERVICES"),
    "browser": (browser_missing, "REQUIRE_BROWSER"),
}


def requirement_verdict(marker):
    """What to do with a test marked `marker`: None to run it, else ("skip" | "fail", reason)."""
    check, flag = REQUIREMENTS[marker]
    reason = check()
    if reason is None:
        return None
    if _flag(flag):
        return "fail", f"{reason}, and {flag}=1 requires it"
    return "skip", reason


def require(marker):
    """Skip or fail the running test when what `marker` needs is missing (see requirement_verdict)."""
    verdict = requirement_verdict(marker)
    if verdict is None:
        return
    outcome, reason = verdict
    if outcome == "fail":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def pytest_runtest_setup(item):
    for marker in REQUIREMENTS:
        if item.get_closest_marker(marker) is not None:
            require(marker)


# Flags for a headless Chromium on a closed network, as root: without the background-networking ones it
# keeps trying to reach Google's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium (Debian's, not a Playwright download), shared by the session's browser tests.
    Use it only in tests marked ``browser``."""
    require("browser")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django would then refuse ORM calls from the
    # test itself (SynchronousOnlyOperation) although they are not made from async code.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies) and page, in Chinese like a visitor from the mainland."""
    context = browser.new_context(locale="zh-CN")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()
