"""In a real browser: sign in, land on the home page in Chinese, switch to English, and load nothing from
any host but the portal."""

import os
from urllib.parse import urlparse

import pytest
from django.urls import reverse

from conftest import chromium_path
from core import roles
from tests.accounts.factories import UserFactory

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the ORM calls the
# test makes (SynchronousOnlyOperation) although none of them runs in async code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "pass-12345-word"  # the factory's


@pytest.fixture
def dispatcher(transactional_db):
    # Made before Playwright starts: under its greenlets the ORM would open a connection of its own that
    # nobody closes, and PostgreSQL would then refuse to drop the test database.
    return UserFactory(username="zhangsan", display_name="张三", roles=[roles.DISPATCHER])


@pytest.fixture
def zh_page():
    """A headless Chromium page whose browser prefers Chinese, as on a mainland desktop."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="zh-CN")
        context.set_default_timeout(15_000)
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()


@pytest.mark.browser
def test_sign_in_lands_in_chinese_and_the_switch_turns_the_page_english(
    live_server, compiled_catalogues, dispatcher, zh_page
):
    from playwright.sync_api import expect

    requested = []
    zh_page.on("request", lambda request: requested.append(request.url))
    home = live_server.url + reverse("core:home")

    zh_page.goto(live_server.url + reverse("accounts:login"))
    zh_page.fill("input[name=username]", dispatcher.username)
    zh_page.fill("input[name=password]", PASSWORD)
    zh_page.locator("#main form button[type=submit]").click()
    zh_page.wait_for_url(home)
    expect(zh_page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(zh_page.locator("h1")).to_have_text("欢迎您，张三")
    expect(zh_page.locator("#portal-nav")).to_contain_text("工作台")

    zh_page.locator("#language-menu").click()
    zh_page.locator("button[name=language][value=en]").click()
    zh_page.wait_for_url(home)
    expect(zh_page.locator("html")).to_have_attribute("lang", "en")
    expect(zh_page.locator("h1")).to_have_text("Welcome, 张三")
    expect(zh_page.locator("#portal-nav")).to_contain_text("My desk")
    # The notification bell is loaded by htmx: wait for it, so its request is counted too.
    zh_page.wait_for_load_state("networkidle")
    assert any("/notifications/bell/" in url for url in requested)

    portal = urlparse(live_server.url).netloc
    elsewhere = [
        url for url in requested if urlparse(url).scheme not in ("data", "blob") and urlparse(url).netloc != portal
    ]
    assert not elsewhere, f"requests to other hosts: {elsewhere}"
