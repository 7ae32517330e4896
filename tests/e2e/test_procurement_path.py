"""In a real browser, the whole path of a procurement (issue 5, point 10): an enterprise user registers their
enterprise as a supplier and the procurement officer approves it; the officer drafts and publishes a tender
(竞争性谈判); three suppliers seal their bids in their browsers (the POST carries the commitment, never the
price); after the deadline the officer closes bidding and opens the bids with the discipline officer typing
their password; the committee evaluates double-blind (bids A, B, C without names); the officer records the
report, decides and announces the award; the public award page lists the evaluators; a bidder files an
objection (质疑) and the officer answers it; the winner signs the integrity contract (廉政合同); after the
objection period the officer records the contract and publishes it.

Every step is a page of the portal, used by the person who takes it in their own browser context. Time moves
with `time_machine` (process-wide, so the live server's thread sees it too): the test starts on a working day
and jumps past the bid deadline and past the objection period, signing people in again when their session
would have expired.
"""

import base64
import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from core import roles
from integrity.choices import SignerKind
from integrity.services.pledges import pledge_template_publish
from procurement.services.evaluation import evaluator_pool_add
from tests.accounts.factories import UserFactory
from tests.conftest import make_official
from tests.e2e.browsing import PASSWORD, browser_pages, sign_in
from tests.procurement.conftest import make_supplier

TITLE = "园区服务中心会议室智能化改造"
NEEDS = "会议室中控、拼接屏、扩声系统各1套，含安装调试和两年质保。"
PRICES = {"winner": "386000.00", "second": "392500.00", "third": "405000.00"}
NOTE = "工期30日历天，质保两年，驻场调试工程师2名。"
OBJECTION = "我公司技术方案优于中选人，请说明评审打分依据。"
ANSWER = "经复核，评审委员会按采购文件规定的评分办法打分，技术分三家相同，按价格分排序，质疑不成立。"


def _start_moment():
    """09:00 (Asia/Shanghai) of the second working day from today: a fixed office-hours start."""
    from core.workcalendar import next_working_day

    day = next_working_day(next_working_day(timezone.localdate()))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


@pytest.fixture
def path_world(world_a):
    """Park A with a procurement officer, two approved suppliers (each with a user), the enterprise that will
    register in the browser, an evaluator pool of two experts and one official (the committee of a
    negotiation is 3, two thirds experts), and the park's evaluator and integrity-contract texts."""
    world = world_a
    world.officer = make_official(park=world.park, role=roles.PROCUREMENT, department=world.business)
    world.second, world.second_user = make_supplier(
        world.park, "甲园区声光科技有限公司", contact_phone="0898-66001002", address="甲园区科创路2号"
    )
    world.third, world.third_user = make_supplier(
        world.park, "甲园区视讯工程有限公司", contact_phone="0898-66001003", address="甲园区科创路3号"
    )
    world.experts = [
        UserFactory(username=f"expert_pa_{n}", display_name=name, roles=[roles.EXPERT])
        for n, name in ((1, "评审专家甲"), (2, "评审专家乙"))
    ]
    for expert in world.experts:
        evaluator_pool_add(park=world.park, user=expert, kind="expert", actor=world.officer, specialty="智能化工程")
    evaluator_pool_add(park=world.park, user=world.handler, kind="official", actor=world.officer)
    for kind, title in ((SignerKind.EVALUATOR, "评审专家廉洁承诺书"), (SignerKind.CONTRACT, "廉政合同")):
        pledge_template_publish(
            park=world.park, signer_kind=kind, title=title, text=f"{title}：遵守廉洁纪律。", actor=world.park_admin
        )
    # Computed here, before Playwright starts: the work calendar reads its overrides from the database.
    world.start = _start_moment()
    return world


@pytest.fixture
def pages(request, path_world):
    # After path_world: the rows exist before Playwright starts.
    with browser_pages(request) as pages:
        yield pages


def _signed_in(pages, base, user):
    page = pages.new()
    sign_in(page, base, user.username)
    return page


# Chromium does not report the body of a multipart POST that carries a file (the sealed bid is one), so the
# page itself records what its forms submit: `form.submit()` is wrapped to hand the form's data — exactly the
# named fields the browser posts, files as base64 — to the test before the real submission goes ahead.
RECORD_FORM_POSTS = """
(() => {
  const submit = HTMLFormElement.prototype.submit;
  const base64 = (buffer) => {
    const bytes = new Uint8Array(buffer);
    let text = "";
    for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return btoa(text);
  };
  HTMLFormElement.prototype.submit = function () {
    const form = this;
    const entries = Array.from(new FormData(form).entries()).map(([name, value]) =>
      value instanceof File ? value.arrayBuffer().then((b) => [name, "file", base64(b)]) : [name, "text", value]
    );
    Promise.all(entries).then((fields) => window.recordFormPost(fields)).then(() => submit.call(form));
  };
})();
"""


def _record_form_posts(page):
    """The fields every `form.submit()` of `page` posts from now on: a list (one per post) of
    [(name, bytes)]."""
    posts = []

    def record(fields):
        posts.append(
            [(name, base64.b64decode(value) if kind == "file" else value.encode()) for name, kind, value in fields]
        )

    page.expose_function("recordFormPost", record)
    page.add_init_script(RECORD_FORM_POSTS)
    return posts


def _submit_bid(page, tender_url, price, note):
    """Seal a bid on the tender's bid page; returns (the fields posted, the receipt's commitment)."""
    from playwright.sync_api import expect

    posts = _record_form_posts(page)
    page.goto(tender_url)
    page.locator("#bid-submit-link").click()
    expect(page.locator("h1")).to_have_text("Sealed bid")
    page.get_by_label("Total price (yuan)").fill(price)
    page.get_by_label("Note to the evaluators").fill(note)
    page.get_by_label("Bid documents").set_input_files(
        files=[{"name": "报价函.txt", "mimeType": "text/plain", "buffer": f"报价函：{price}元".encode()}]
    )
    page.get_by_role("button", name="Seal and submit").click()
    expect(page.locator("h1")).to_have_text("Bid receipt")
    assert len(posts) == 1
    return dict(posts[0]), page.locator("#receipt-commitment").inner_text()


@pytest.mark.browser
def test_a_tender_goes_from_supplier_approval_through_sealed_bids_opening_blind_evaluation_award_and_objection_to_a_published_contract(  # noqa: E501 (the name tells the path)
    live_server, path_world, pages
):
    import time_machine
    from playwright.sync_api import expect

    base = live_server.url
    world = path_world
    start = world.start
    with time_machine.travel(start, tick=True) as traveller:
        # The discipline officer signs in once: their opening key is set up under their password, so that the
        # tender's key share can be wrapped to it at publication.
        discipline = _signed_in(pages, base, world.discipline)
        discipline.goto(base + reverse("procurement:officer-key"))
        expect(discipline.locator("body")).to_contain_text(re.compile("fingerprint", re.I))

        # An enterprise user registers their verified enterprise as a supplier, with its business licence.
        applicant = _signed_in(pages, base, world.enterprise_user)
        applicant.goto(base + reverse("procurement:supplier-register"))
        form = applicant.locator("#supplier-register-form")
        form.get_by_label("Goods, services and works offered").fill("会议室智能化系统集成、音视频设备")
        form.get_by_label("Type").select_option("business_licence")
        form.get_by_label("Number", exact=True).fill("91460000MA5T000001")
        form.get_by_label("Issued by").fill("市场监督管理局")
        form.get_by_label("Expires on").fill((start.date() + dt.timedelta(days=700)).isoformat())
        form.get_by_label("Documents").set_input_files(
            files=[{"name": "营业执照.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7\n%%EOF\n"}]
        )
        form.get_by_role("button", name="Apply").click()
        expect(applicant.locator("body")).to_contain_text("Pending approval")

        # The procurement officer approves it from the review queue.
        officer = _signed_in(pages, base, world.officer)
        officer.goto(base + reverse("procurement:supplier-review"))
        officer.locator("#supplier-queue").get_by_role("link", name=world.enterprise.name).click()
        officer.locator("#supplier-approve").click()
        expect(officer.locator("body")).to_contain_text("Approved")

        # The officer drafts the tender and publishes it with a deadline just past the earliest the method allows.
        officer.goto(base + reverse("procurement:tender-create"))
        form = officer.locator("#tender-form")
        form.get_by_label("Title").fill(TITLE)
        form.get_by_label("Method").select_option("negotiation")
        form.get_by_label("Needs").fill(NEEDS)
        form.get_by_label("Budget (yuan)").fill("450000")
        form.get_by_label("Price weight (%)").fill("50")
        form.get_by_role("button", name="Save the draft").click()
        expect(officer.locator("#tender-title")).to_have_text(TITLE)
        tender_url = officer.url
        # The form proposes the earliest deadline the rule allows, to the minute; an hour later is on the safe
        # side of the rule.
        deadline_input = officer.locator("#publish-form").get_by_label("Bid deadline and opening time")
        earliest = dt.datetime.strptime(deadline_input.input_value(), "%Y-%m-%dT%H:%M")
        deadline_input.fill((earliest + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
        officer.locator("#tender-publish").click()
        expect(officer.locator("body")).to_contain_text("Open for bids")
        deadline_text = officer.locator("#tender-deadline").inner_text()
        deadline = timezone.make_aware(dt.datetime.strptime(deadline_text, "%Y-%m-%d %H:%M"))

        # Three suppliers seal their bids in their browsers; what is posted holds the commitment, not the bid.
        bidders = {
            "winner": applicant,
            "second": _signed_in(pages, base, world.second_user),
            "third": _signed_in(pages, base, world.third_user),
        }
        commitments = []
        for key, page in bidders.items():
            posted, commitment = _submit_bid(page, tender_url, PRICES[key], NOTE)
            commitments.append(commitment)
            assert set(posted) == {"csrfmiddlewaretoken", "supplier", "wrapped_key", "iv", "commitment", "ciphertext"}
            assert posted["commitment"] == commitment.encode()
            body = b"".join(posted.values())
            for secret in (PRICES[key], PRICES[key][:6], NOTE, "报价函"):
                assert secret.encode() not in body

        # After the deadline, the officer closes bidding and opens the bids; the discipline officer co-signs by
        # typing their password on the opening page.
        traveller.move_to(deadline + dt.timedelta(minutes=2))
        officer.goto(tender_url)
        officer.get_by_role("button", name="Close bidding").click()
        expect(officer.locator("body")).to_contain_text("Bidding closed")
        # At the deadline the commitments are public, before anything is opened.
        public = pages.new()
        public.goto(tender_url)
        public.locator("#commitments-link").click()
        for commitment in commitments:
            expect(public.locator("#main")).to_contain_text(commitment)
        officer.locator("#tender-open-link").click()
        opening = officer.locator("#opening-form")
        opening.get_by_label("Co-signing discipline officer").select_option(label=world.discipline.get_full_name())
        opening.get_by_label("Discipline officer's password").fill(PASSWORD)
        opening.get_by_role("button", name="Open the bids").click()
        record = officer.locator("#main")
        for name, price in (
            (world.enterprise.name, PRICES["winner"]),
            (world.second.enterprise.name, PRICES["second"]),
            (world.third.enterprise.name, PRICES["third"]),
        ):
            expect(record.locator("tr", has_text=name)).to_contain_text(price.split(".")[0])

        # The committee is drawn, and the evaluation starts.
        officer.goto(base + reverse("procurement:evaluations"))
        officer.locator("#evaluation-tenders").get_by_role("link", name=re.compile(TITLE)).click()
        evaluation_url = officer.url
        officer.locator("#committee").get_by_label("Committee size").fill("3")
        officer.get_by_role("button", name="Draw the committee").click()
        officer.get_by_role("button", name="Start the evaluation").click()
        expect(officer.locator("#tender-status")).to_have_text("Under evaluation")

        # Each evaluator signs the pledge, sees bids A, B and C without the suppliers' names, marks and hands in.
        supplier_names = [world.enterprise.name, world.second.enterprise.name, world.third.enterprise.name]
        for evaluator in (*world.experts, world.handler):
            panel = _signed_in(pages, base, evaluator)
            panel.goto(base + reverse("procurement:evaluations"))
            panel.locator("#my-seats").get_by_role("link", name=re.compile(TITLE)).click()
            panel.locator("#agree").check()
            panel.get_by_role("button", name="Sign the evaluator's pledge").click()
            for alias in ("A", "B", "C"):
                expect(panel.locator(f"#bid-{alias}")).to_be_visible()
            content = panel.locator("#main").inner_text()
            assert not [name for name in supplier_names if name in content]
            for alias in ("A", "B", "C"):
                section = panel.locator(f"#bid-{alias}")
                section.get_by_label("Technical mark (0–100)").fill("80")
                section.get_by_role("button", name="Save").click()
                expect(panel.locator(f"#bid-{alias}")).to_contain_text("My marks")
            panel.get_by_role("button", name="Hand in my marks").click()
            expect(panel.locator("#seat-status")).to_have_text("Scores submitted")

        # The officer records the report, awards the first-ranked bid (the lowest price, the marks being
        # equal) and announces the result.
        officer.goto(evaluation_url)
        officer.get_by_role("button", name="Record the evaluation report").click()
        expect(officer.locator("#tender-status")).to_have_text("Evaluation report recorded")
        first = officer.locator("#ranking tbody tr").filter(has_text=world.enterprise.name)
        expect(first.locator("td").first).to_have_text("1")
        first.get_by_role("button", name="Award").click()
        expect(officer.locator("#tender-status")).to_have_text("Award decided")
        officer.get_by_role("button", name="Announce the result").click()
        expect(officer.locator("#tender-status")).to_have_text("Award publicity")

        # The public award page names the winner and lists the evaluators.
        award_url = base + officer.get_by_role("link", name="Public award page").get_attribute("href")
        public.goto(award_url)
        expect(public.locator("#winner")).to_contain_text(world.enterprise.name)
        for evaluator in (*world.experts, world.handler):
            expect(public.locator("#evaluators")).to_contain_text(evaluator.get_full_name())

        # A losing bidder files an objection; the officer answers it in writing.
        third = bidders["third"]
        third.goto(award_url)
        third.get_by_label("Your objection").fill(OBJECTION)
        third.get_by_role("button", name="File an objection (质疑)").click()
        expect(third.locator("#bidder-actions")).to_contain_text("Filed")
        officer.goto(evaluation_url)
        objections = officer.locator("#objections")
        expect(objections).to_contain_text(OBJECTION)
        objections.get_by_label("Decision").select_option("0")
        objections.get_by_label("Written answer").fill(ANSWER)
        objections.get_by_role("button", name="Send the answer").click()
        public.goto(award_url)
        expect(public.locator("body")).to_contain_text(ANSWER)

        # The winner signs the integrity contract on the award page.
        winner = bidders["winner"]
        winner.goto(award_url)
        winner.locator("#agree-contract").check()
        winner.get_by_role("button", name="Sign the integrity contract").click()
        expect(winner.locator("#bidder-actions")).to_contain_text("Signed on")

        # After the objection period, the officer records the signed contract and publishes it. The jump is
        # longer than a session lasts: the officer signs in again.
        objection_deadline = timezone.make_aware(
            dt.datetime.strptime(public.locator("#objection-deadline").inner_text(), "%Y-%m-%d %H:%M")
        )
        traveller.move_to(objection_deadline + dt.timedelta(hours=10))
        officer = _signed_in(pages, base, world.officer)
        officer.goto(evaluation_url)
        contract = officer.locator("#contract")
        contract.get_by_label("Contract number").fill("PA-HT-2026-001")
        contract.get_by_label("Value (yuan)").fill(PRICES["winner"])
        contract.get_by_label("Signed on").fill(timezone.localdate().isoformat())
        contract.get_by_role("button", name="Record the signed contract").click()
        officer.get_by_role("button", name="Publish the contract").click()
        expect(officer.locator("#tender-status")).to_have_text("Contract signed")

        public.goto(award_url)
        public.get_by_role("link", name="PA-HT-2026-001").click()
        expect(public.locator("body")).to_contain_text(world.enterprise.name)
        expect(public.locator("body")).to_contain_text("廉政合同")

    assert pages.requested and not pages.off_host(base), f"requests to other hosts: {pages.off_host(base)}"
