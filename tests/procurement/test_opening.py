"""Opening sealed bids: two parties, commitments, tampering, aliases, failing below the minimum."""

import pytest

from procurement.choices import BidStatus, TenderStatus
from procurement.services.opening import tender_open
from tests.procurement.factories_bids import PASSWORD, bidding_world

pytestmark = pytest.mark.django_db


def test_opening_with_the_officers_password_decrypts_every_bid_and_matches_the_commitments(
    world_a, procurement_officer, suppliers_a
):
    w = bidding_world(world_a, procurement_officer, suppliers_a)
    tender = tender_open(
        tender=w.tender,
        actor=procurement_officer,
        officer=world_a.discipline,
        officer_password=PASSWORD,
        now=w.after_deadline,
    )
    assert tender.status == TenderStatus.OPENED
    prices = sorted(str(b.price) for b in tender.bids.filter(status=BidStatus.OPENED))
    assert prices == ["100000.00", "110000.00", "120000.00"]
    assert all(b.commitment_ok for b in tender.bids.all())
