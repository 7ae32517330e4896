"""Helpers of the 吐槽区 browser tests: one Chromium per test with a fresh context per actor, sign-in through
the login form (django-axes refuses `client.login`), and the check that nothing left the live server."""

import asyncio
import os
from contextlib import contextmanager
from urllib.parse import urlparse

from django.urls import reverse

from conftest import CHROMIUM_ARGS, chromium_path

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the ORM calls the
# live server's fixtures make (SynchronousOnlyOperation) although none of them runs in async code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "pass-12345-word"  # tests.accounts.factories.UserFactory's


def _playwright_running():
    # The session-wide `browser` fixture of the root conftest keeps an event loop running in this thread;
    # a second sync Playwright cannot start inside it.
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class Pages:
    """``pages.new()`` opens a page in a fresh browser context (its own cookies, English); every URL any of
    them requests is appended to ``pages.requested``.

    English, so that assertions read the source strings rather than a catalogue still being translated; the
    Chinese pages are covered by test_language_switch.py."""

    def __init__(self, browser):
        self.browser = browser
        self.requested = []
        self.contexts = []

    def new(self):
        context = self.browser.new_context(locale="en-US")
        context.set_default_timeout(15_000)
        self.contexts.append(context)
        page = context.new_page()
        page.on("request", lambda request: self.requested.append(request.url))
        return page

    def close(self):
        for context in self.contexts:
            context.close()

    def off_host(self, base):
        """The URLs requested from any host but the live server's (data: and blob: URLs are local)."""
        portal = urlparse(base).netloc
        return [
            url
            for url in self.requested
            if urlparse(url).scheme not in ("data", "blob") and urlparse(url).netloc != portal
        ]


@contextmanager
def browser_pages(request):
    """A `Pages` on a headless Chromium started for this test.

    Start it only after the test's database rows exist (request the data fixtures first): under Playwright's
    event loop an ORM call opens a connection nobody closes, and PostgreSQL then refuses to drop the test
    database. When the root conftest's session browser is already running, that one is used instead."""
    if _playwright_running():
        pages = Pages(request.getfixturevalue("browser"))
        try:
            yield pages
        finally:
            pages.close()
        return
    from playwright.sync_api import expect, sync_playwright

    # Assertions wait as long as actions do (15 s, set per context): a loaded CI machine with two cores can take
    # more than Playwright's default 5 s to post a form and render the next page.
    expect.set_options(timeout=15_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        try:
            yield Pages(browser)
        finally:
            browser.close()


def sign_in(page, base, username):
    page.goto(base + reverse("accounts:login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("#main form button[type=submit]").click()
    page.wait_for_url(base + reverse("core:home"))


def open_action(page, action):
    """Unfold the panel of `action` on the ticket page; returns its form."""
    panel = page.locator(f'#ticket-action-list [data-action="{action}"]')
    panel.locator(".accordion-button").click()
    # Wait for Bootstrap's collapse animation to end (the panel goes from .collapsing to .collapse.show): a click
    # on a button that is still sliding into place can miss on a loaded machine.
    panel.locator(".accordion-collapse.collapse.show").wait_for(state="visible")
    form = panel.locator("form")
    form.wait_for(state="visible")
    return form


def expect_status(page, text):
    """The status badge of the ticket page (officials' and filers' view) reads `text`."""
    from playwright.sync_api import expect

    expect(page.locator("#ticket-status .badge").first).to_have_text(text)
