"""In a real browser, an anonymous report followed with its receipt (DESIGN §6, issue point 6): a visitor who
is not signed in files a report on the public form and is shown a 16-digit receipt code once; the
dispatcher accepts it and asks a question on the ticket page; the visitor looks the report up with the code
on the receipt page, sees its status and the question, and answers, and the dispatcher reads the answer."""

import re

import pytest
from django.urls import reverse

from tests.complaints.factories import CategoryFactory
from tests.e2e.browsing import browser_pages, expect_status, open_action, sign_in

SUBJECT = "工地夜间施工噪音扰民"
BODY = "园区东侧工地连续一周凌晨两点仍在施工，附近员工宿舍无法休息。"
QUESTION = "请问施工发生在哪一栋楼附近？大约几点开始？"
ANSWER = "在三号楼北侧，每晚十一点以后开始，一直持续到凌晨三点。"


@pytest.fixture
def report_world(world_a):
    CategoryFactory(park=world_a.park, name="噪音环境", code="environment", default_department=world_a.business)
    return world_a


@pytest.fixture
def pages(request, report_world):
    # After report_world: the rows exist before Playwright starts.
    with browser_pages(request) as pages:
        yield pages


@pytest.mark.browser
def test_an_anonymous_reporter_follows_the_report_with_the_receipt_code_and_answers_the_officials_question(
    live_server, report_world, pages
):
    from playwright.sync_api import expect

    base = live_server.url
    world = report_world

    # A visitor, not signed in, files the report and is shown the receipt code once.
    visitor = pages.new()
    visitor.goto(base + reverse("complaints:new") + f"?park={world.park.code}")
    expect(visitor.locator("#anonymous-notice")).to_be_visible()
    expect(visitor.get_by_label("Contact phone")).to_have_count(0)
    visitor.get_by_label("Category").select_option(label="噪音环境")
    visitor.get_by_label("Subject").fill(SUBJECT)
    visitor.get_by_label("Description").fill(BODY)
    visitor.locator("#ticket-new-form").get_by_role("button", name="Submit").click()
    expect(visitor.locator("#receipt-warning h1")).to_have_text("Write down your receipt code now")
    shown = visitor.locator("#receipt-code").inner_text().strip()
    assert re.fullmatch(r"\d{4} \d{4} \d{4} \d{4}", shown), shown
    code = shown.replace(" ", "")
    number = visitor.locator("#ack-number").inner_text()

    # The dispatcher sees an anonymous report without the code, accepts it and asks a question.
    dispatcher = pages.new()
    sign_in(dispatcher, base, world.dispatcher.username)
    dispatcher.goto(base + reverse("complaints:queue", args=["dispatch"]))
    row = dispatcher.locator(f'#ticket-list tr[data-ticket="{number}"]')
    expect(row).to_contain_text("Anonymous")
    row.get_by_role("link", name=number).click()
    expect(dispatcher.locator("#ticket-filer")).to_have_text("Anonymous reporter")
    assert code not in dispatcher.content() and shown not in dispatcher.content()
    form = open_action(dispatcher, "accept")
    form.get_by_label("Dispatch to the suggested department at once").uncheck()
    form.get_by_role("button", name="Accept (受理)").click()
    expect_status(dispatcher, "Accepted")
    messages = dispatcher.locator("#ticket-messages")
    messages.get_by_label("Message").fill(QUESTION)
    messages.get_by_role("button", name="Send").click()
    expect(dispatcher.locator("#ticket-messages")).to_contain_text(QUESTION)

    # The visitor comes back with the code (typed with its spaces) on the receipt page.
    visitor.goto(base + reverse("complaints:receipt"))
    visitor.get_by_label("Receipt code").fill(shown)
    visitor.locator("#receipt-form").get_by_role("button", name="Look up").click()
    expect(visitor.locator("h1")).to_contain_text(number)
    expect(visitor.locator("h1 .badge")).to_have_text("Accepted")
    expect(visitor.locator("#ticket-trail")).to_contain_text("Accepted (受理)")
    question = visitor.locator("#receipt-messages li").filter(has_text=QUESTION)
    expect(question).to_contain_text("Park official")
    expect(question).not_to_contain_text(world.dispatcher.get_full_name())

    # … and answers; the answer is listed as theirs.
    visitor.locator("#receipt-messages").get_by_label("Your answer or message").fill(ANSWER)
    visitor.locator("#receipt-messages").get_by_role("button", name="Send").click()
    expect(visitor.locator("#receipt-done")).to_have_text("Your message was sent.")
    expect(visitor.locator("#receipt-messages li").filter(has_text=ANSWER)).to_contain_text("You")

    # The dispatcher reads the answer on the ticket page, from the anonymous reporter.
    dispatcher.reload()
    answer = dispatcher.locator("#ticket-messages li").filter(has_text=ANSWER)
    expect(answer).to_contain_text("Anonymous reporter")

    assert pages.requested and not pages.off_host(base), f"requests to other hosts: {pages.off_host(base)}"
