"""In a real browser, the service rating card (监督提醒卡, DESIGN §7): a visitor who is not signed in opens the
link the card's QR code carries, rates the official and reports an improper demand (吃拿卡要), and is shown the
report's receipt code once; the official sees their averages on their card page; the discipline officer finds
the confidential report in the ticket list and the rating with its comment."""

from urllib.parse import urlparse

import pytest
from django.urls import reverse

from integrity.cards import card_url, qr_code
from tests.e2e.browsing import browser_pages, sign_in
from tests.integrity.factories_ratings import issue_card, misconduct_category

COMMENT = "窗口答复含糊，材料来回补了三次。"
REPORT = "办理补贴申报时，窗口人员暗示请吃饭才能尽快审核。"


@pytest.fixture
def card_world(world_a):
    misconduct_category(world_a.park)
    world_a.card = issue_card(world_a)
    return world_a


@pytest.fixture
def pages(request, card_world):
    # After card_world: the rows exist before Playwright starts.
    with browser_pages(request) as pages:
        yield pages


@pytest.mark.browser
def test_a_visitor_rates_an_official_from_the_card_and_reports_an_improper_demand(live_server, card_world, pages):
    from playwright.sync_api import expect

    base = live_server.url
    world = card_world
    link = card_url(world.card)
    # The QR code printed on the card encodes exactly this link.
    assert qr_code(link).designator and link.endswith(f"/integrity/rate/{world.card.token}/")

    # A visitor, not signed in, opens the card's link, rates and reports.
    visitor = pages.new()
    visitor.goto(base + urlparse(link).path)
    expect(visitor.locator("h1")).to_contain_text(world.handler.get_full_name())
    expect(visitor.locator("#rater-notice")).to_contain_text("No sign-in needed")
    visitor.locator("#score-attitude").get_by_text("4", exact=True).click()
    visitor.locator("#score-efficiency").get_by_text("2", exact=True).click()
    visitor.locator("#score-integrity").get_by_text("3", exact=True).click()
    visitor.get_by_label("Comment").fill(COMMENT)
    visitor.get_by_label("I want to report an improper demand", exact=False).check()
    visitor.get_by_label("What happened").fill(REPORT)
    visitor.locator("#rating-form").get_by_role("button", name="Send rating").click()
    expect(visitor.locator("#rating-thanks")).to_be_visible()
    expect(visitor.locator("#receipt-warning")).to_be_visible()
    number = visitor.locator("#report-number").inner_text().strip()
    assert visitor.locator("#receipt-code").inner_text().strip()

    # A second rating from the same browser is refused with a message.
    visitor.goto(base + urlparse(link).path)
    visitor.locator("#score-attitude").get_by_text("5", exact=True).click()
    visitor.locator("#score-efficiency").get_by_text("5", exact=True).click()
    visitor.locator("#score-integrity").get_by_text("5", exact=True).click()
    visitor.locator("#rating-form").get_by_role("button", name="Send rating").click()
    expect(visitor.locator("#rating-form .alert-danger")).to_contain_text("already rated this official")

    # The official sees the averages on their card page, not the comment.
    official = pages.new()
    sign_in(official, base, world.handler.username)
    official.goto(base + reverse("integrity:my-card"))
    section = official.locator(f"#my-card-{world.park.code}")
    averages = section.locator("[data-averages]").first
    expect(averages.locator('[data-average="count"]')).to_have_text("1")
    expect(averages.locator('[data-average="attitude"]')).to_have_text("4.0")
    expect(averages.locator('[data-average="efficiency"]')).to_have_text("2.0")
    expect(section.locator("[data-card-link]")).to_have_text(link)
    assert COMMENT not in official.content()

    # The discipline officer finds the confidential report and the rating with its comment.
    officer = pages.new()
    sign_in(officer, base, world.discipline.username)
    officer.goto(base + reverse("complaints:ticket-list"))
    row = officer.locator(f'#ticket-list tr[data-ticket="{number}"]')
    expect(row).to_be_visible()
    row.get_by_role("link", name=number).click()
    expect(officer.locator("body")).to_contain_text(REPORT)
    officer.goto(base + reverse("integrity:rating-list"))
    expect(officer.locator("#rating-list")).to_contain_text(COMMENT)

    # Nothing was loaded from outside the portal.
    assert pages.off_host(base) == []
