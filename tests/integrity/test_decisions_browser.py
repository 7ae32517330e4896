"""In a real browser: a discipline officer records the attendance of a meeting in which only half of the
members came, records an item raised without notice and the members' positions, and sees the flags on the
meeting page and in the register's flag list."""

import pytest
from django.urls import reverse

from tests.e2e.browsing import browser_pages, sign_in
from tests.integrity.factories_decisions import make_body

TITLE = "临时追加园区绿化提升经费"


@pytest.fixture
def meeting(world_a):
    from django.utils import timezone

    from integrity.services.decisions import meeting_create

    body = make_body(world_a, members=4)
    return meeting_create(body=body, actor=world_a.discipline, meeting_type="regular", held_on=timezone.localdate())


@pytest.fixture
def pages(request, world_a, meeting):
    with browser_pages(request) as pages:
        yield pages


@pytest.mark.browser
def test_a_discipline_officer_records_a_meeting_and_sees_its_flags(live_server, world_a, meeting, pages):
    from playwright.sync_api import expect

    base = live_server.url
    page = pages.new()
    sign_in(page, base, world_a.discipline.username)
    page.goto(base + reverse("integrity:meeting-detail", args=[meeting.pk]))

    form = page.locator("#attendance-form")
    page.locator("summary", has=page.locator("text=Record the attendance")).first.click()
    selects = form.locator("select")
    for index in range(4):
        selects.nth(index).select_option("present" if index < 2 else "absent")
    texts = form.locator("input[type=text]")
    texts.nth(2).fill("出差")
    texts.nth(3).fill("病假")
    form.get_by_role("button").click()
    expect(page.locator("#meeting-flags")).to_contain_text("Fewer than two thirds")

    page.locator("#decision-add-form").evaluate("form => form.closest('details').open = true")
    add = page.locator("#decision-add-form")
    add.get_by_label("Kind", exact=True).select_option("major_decision")
    add.get_by_label("Title").fill(TITLE)
    add.get_by_label("On the agenda notified in advance").uncheck()
    add.get_by_label("Outcome").select_option("adopted")
    add.get_by_role("button").click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.locator("#decision-flags")).to_contain_text("Raised without notice")

    page.goto(base + reverse("integrity:decision-flag-list"))
    expect(page.locator("#flag-table")).to_contain_text(TITLE)
    assert not pages.off_host(base)
