"""In a real browser: an official registers a gift and submits it, a discipline officer finds it in the review
queue and accepts it, and the official sees it accepted. Each actor has their own browser context and signs in
through the login form; the pages, forms and buttons are the real ones."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.e2e.browsing import browser_pages, sign_in

DESCRIPTION = "企业来访时留下月饼两盒，已当日登记上交。"


@pytest.fixture
def pages(request, world_a):
    # After world_a: the rows exist before Playwright starts.
    with browser_pages(request) as pages:
        yield pages


@pytest.mark.browser
def test_an_official_declares_a_gift_and_a_discipline_officer_accepts_it(live_server, world_a, pages):
    from playwright.sync_api import expect

    base = live_server.url

    official = pages.new()
    sign_in(official, base, world_a.handler.username)
    official.goto(base + reverse("integrity:my-declarations"))
    official.get_by_role("link", name="Register a gift").click()
    official.get_by_label("Giver", exact=True).fill("某企业负责人")
    official.get_by_label("Received on").fill(timezone.localdate().isoformat())
    official.get_by_label("Kind of gift").select_option("goods")
    official.get_by_label("Description").fill(DESCRIPTION)
    official.get_by_label("Estimated value (yuan)").fill("260")
    official.get_by_label("Handling", exact=True).select_option("handed_in")
    official.get_by_role("button", name="Save and submit").click()
    expect(official.locator("h1 .badge")).to_have_text("Submitted")
    declaration_url = official.url

    officer = pages.new()
    sign_in(officer, base, world_a.discipline.username)
    officer.goto(base + reverse("integrity:review-queue"))
    row = officer.locator("#review-queue-table tbody tr").filter(has_text=world_a.handler.get_full_name())
    expect(row).to_contain_text("Submitted")
    row.locator("a").first.click()
    expect(officer.locator("body")).to_contain_text(DESCRIPTION)
    review = officer.locator("#review-actions")
    review.get_by_label("Note (optional)").fill("已核实上交回执。")
    review.get_by_role("button", name="Accept").click()
    expect(officer.locator("h1")).to_have_text("Declaration review")

    official.goto(declaration_url)
    expect(official.locator("h1 .badge")).to_have_text("Accepted")
    expect(official.locator("#declaration-history")).to_contain_text("已核实上交回执。")
    assert not pages.off_host(base)
