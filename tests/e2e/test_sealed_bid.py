"""In a real browser: a discipline officer's first sign-in sets up their opening key; a supplier seals a bid in
the browser and the POST carries neither the price nor the note; the receipt shows the commitment the browser
computed; after the deadline the bid opens with the officer's password and matches its commitment."""

import datetime as dt

import pytest
from django.urls import reverse

from procurement.choices import BidStatus
from procurement.models import Bid, OfficerKey
from tests.e2e.browsing import browser_pages, sign_in
from tests.procurement.conftest import make_supplier

PRICE = "765432.10"
NOTE = "浏览器内加密的备注-ZK93"
DOCUMENT = "技术方案：五年质保。".encode()


@pytest.fixture
def officer(world_a):
    from core import roles
    from tests.conftest import make_official

    return make_official(park=world_a.park, role=roles.PROCUREMENT, department=world_a.business)


@pytest.fixture
def supplier_and_user(world_a):
    return make_supplier(world_a.park, "甲园区密封投标测试有限公司")


@pytest.fixture
def received_bodies(monkeypatch):
    """The raw bodies of the bid POSTs as the server received them (the live server runs in this process)."""
    from django.core.handlers.wsgi import WSGIRequest

    bodies = []
    original = WSGIRequest._load_post_and_files

    def capture(self):
        if self.method == "POST" and self.path.endswith("/bid/"):
            bodies.append(self.body)
        return original(self)

    monkeypatch.setattr(WSGIRequest, "_load_post_and_files", capture)
    return bodies


@pytest.fixture
def pages(request, world_a, officer, supplier_and_user):
    with browser_pages(request) as pages:
        yield pages


@pytest.mark.browser
def test_a_bid_sealed_in_the_browser_never_reaches_the_server_in_clear_and_opens_afterwards(
    live_server, world_a, officer, supplier_and_user, received_bodies, pages
):
    from playwright.sync_api import expect

    from procurement.services.opening import tender_open
    from tests.procurement.factories_bids import PASSWORD, close, publish

    base = live_server.url
    officer_page = pages.new()
    sign_in(officer_page, base, world_a.discipline.username)
    assert OfficerKey.objects.filter(user=world_a.discipline).exists()

    tender = publish(world_a, officer)
    supplier, user = supplier_and_user
    bidder = pages.new()
    sign_in(bidder, base, user.username)
    bidder.goto(base + reverse("procurement:bid-submit", args=[tender.pk]))
    bidder.fill("#bid-price", PRICE)
    bidder.fill("#bid-note", NOTE)
    bidder.set_input_files("#bid-files", files=[{"name": "plan.txt", "mimeType": "text/plain", "buffer": DOCUMENT}])
    bidder.get_by_role("button", name="Seal and submit").click()
    bidder.wait_for_url("**/receipt/")
    assert len(received_bodies) == 1
    body = received_bodies[0]
    assert b"wrapped_key" in body and b"sealed-bid.bin" in body  # the capture saw the real request
    for secret in (PRICE.encode(), PRICE.replace(".", "").encode(), NOTE.encode(), DOCUMENT):
        assert secret not in body
    bid = Bid.objects.get(tender=tender, supplier=supplier)
    expect(bidder.locator("#receipt-commitment")).to_have_text(bid.commitment)
    expect(bidder.locator("#receipt-check")).to_have_class("badge text-bg-success")

    close(tender)
    tender_open(
        tender=tender,
        actor=officer,
        officer=world_a.discipline,
        officer_password=PASSWORD,
        now=tender.bid_deadline + dt.timedelta(minutes=1),
    )
    bid.refresh_from_db()
    assert (bid.status, str(bid.price), bid.commitment_ok) == (BidStatus.OPENED, PRICE, True)
    assert NOTE in bid.opening_note
    assert bid.documents.get().attachment.file.read() == DOCUMENT
