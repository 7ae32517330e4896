"""In a real browser, the whole path of a demand through the 吐槽区 (DESIGN §6): an enterprise user files it
on the web form, the dispatcher accepts it and dispatches it to a department, a handler of that department
signs for it and answers, the enterprise user rates the answer and the ticket closes. Each actor has their
own browser context and signs in through the login form; the pages, forms and buttons are the real ones."""

import re

import pytest
from django.urls import reverse

from tests.complaints.factories import CategoryFactory
from tests.e2e.browsing import browser_pages, expect_status, open_action, sign_in

SUBJECT = "研发费用补贴迟迟未到账"
BODY = "我公司三月提交了研发费用补贴申请，至今没有收到答复，请尽快办理。"
REPLY = "经核实，补贴已于本周拨付到位，并已告知企业后续申报流程。"


@pytest.fixture
def path_world(world_a):
    """Park A with a public category whose default department is the business department, so that routing
    suggests it to the dispatcher."""
    CategoryFactory(park=world_a.park, name="政策兑现", code="policy", default_department=world_a.business)
    return world_a


@pytest.fixture
def pages(request, path_world):
    # After path_world: the rows exist before Playwright starts.
    with browser_pages(request) as pages:
        yield pages


@pytest.mark.browser
def test_a_demand_goes_from_the_enterprise_form_through_dispatch_and_answer_to_a_rated_closure(
    live_server, path_world, pages
):
    from playwright.sync_api import expect

    base = live_server.url
    world = path_world

    # The enterprise user files the demand on the web form and gets the acknowledgement (回执).
    enterprise = pages.new()
    sign_in(enterprise, base, world.enterprise_user.username)
    enterprise.goto(base + reverse("complaints:new"))
    expect(enterprise.locator("h1")).to_contain_text(world.park.name)
    enterprise.get_by_label("Category").select_option(label="政策兑现")
    enterprise.get_by_label("Subject").fill(SUBJECT)
    enterprise.get_by_label("Description").fill(BODY)
    enterprise.locator("#ticket-new-form").get_by_role("button", name="Submit").click()
    expect(enterprise.locator("h1")).to_have_text("Acknowledgement of receipt")
    expect(enterprise.locator("#ack-number")).to_have_text(re.compile(rf"^{world.park.code}-\d{{4}}-\d{{6}}$"))
    number = enterprise.locator("#ack-number").inner_text()
    enterprise.get_by_role("link", name="Follow this ticket").click()
    expect_status(enterprise, "Submitted")
    ticket_url = enterprise.url

    # The dispatcher finds it in the intake queue, accepts it (受理), then dispatches it (派单) to the
    # department routing suggested.
    dispatcher = pages.new()
    sign_in(dispatcher, base, world.dispatcher.username)
    dispatcher.goto(base + reverse("complaints:queue", args=["dispatch"]))
    row = dispatcher.locator(f'#ticket-list tr[data-ticket="{number}"]')
    expect(row).to_contain_text("Submitted")
    expect(row).to_contain_text(world.enterprise.name)
    row.get_by_role("link", name=number).click()
    expect_status(dispatcher, "Submitted")
    form = open_action(dispatcher, "accept")
    form.get_by_label("Dispatch to the suggested department at once").uncheck()
    form.get_by_role("button", name="Accept (受理)").click()
    expect_status(dispatcher, "Accepted")
    form = open_action(dispatcher, "dispatch")
    expect(form.get_by_label("Lead department")).to_have_value(str(world.business.pk))
    form.get_by_role("button", name="Dispatch (派单)").click()
    expect_status(dispatcher, "Assigned")
    expect(dispatcher.locator("#ticket-facts")).to_contain_text(world.business.name)

    # A handler of that department finds it in the department queue, signs for it (签收) and answers (答复).
    handler = pages.new()
    sign_in(handler, base, world.handler.username)
    handler.goto(base + reverse("complaints:queue", args=["department"]))
    row = handler.locator(f'#ticket-list tr[data-ticket="{number}"]')
    expect(row).to_contain_text("Assigned")
    row.get_by_role("link", name=number).click()
    form = open_action(handler, "sign")
    form.get_by_role("button", name="Sign for it and start (签收)").click()
    expect_status(handler, "In progress")
    form = open_action(handler, "reply")
    form.get_by_label("Answer").fill(REPLY)
    form.get_by_label("Rectification measures (整改措施)").fill("建立补贴兑现限时办结制度。")
    form.get_by_role("button", name="Answer (答复)").click()
    expect_status(handler, "Replied")

    # The enterprise user reads the answer and rates it (回访); the ticket is closed (办结).
    enterprise.goto(ticket_url)
    expect_status(enterprise, "Replied")
    expect(enterprise.locator("#ticket-reply")).to_contain_text(REPLY)
    form = open_action(enterprise, "confirm")
    form.get_by_label("5", exact=True).check()
    form.get_by_label("Comment").fill("办理及时，非常满意。")
    form.get_by_role("button", name="Rate the answer").click()
    expect_status(enterprise, "Closed")
    expect(enterprise.locator("#ticket-reply")).to_contain_text("Satisfaction: 5/5")
    expect(enterprise.locator("#ticket-action-list")).to_have_count(0)

    # The ticket page's trail, read from the audit events, tells the whole story in order.
    trail = enterprise.locator("#ticket-trail > li")
    actions = trail.evaluate_all("items => items.map(item => item.dataset.action)")
    assert [a for a in actions if a != "ticket.routed"] == [
        "ticket.submitted",
        "ticket.accepted",
        "ticket.dispatched",
        "ticket.signed",
        "ticket.replied",
        "ticket.confirmed",
    ]
    expect(trail.filter(has_text="Dispatched (派单)")).to_contain_text(world.dispatcher.get_full_name())
    expect(trail.filter(has_text="Answered (答复)")).to_contain_text(world.handler.get_full_name())
    expect(trail.filter(has_text="Rated and closed (办结)")).to_have_count(1)

    assert pages.requested and not pages.off_host(base), f"requests to other hosts: {pages.off_host(base)}"
