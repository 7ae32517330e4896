"""Each red-flag check with a case that raises it and one that does not, at the boundary values of its
threshold (procurement.redflags; thresholds from procurement.rules.flag_settings)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from core import roles
from procurement import redflags
from procurement.choices import BidStatus, CommitteeMemberStatus, FlagKind, Method, TenderStatus
from procurement.rules import flag_settings
from tests.conftest import make_official
from tests.parks.factories import EnterpriseMembershipFactory
from tests.procurement.factories import FlagSettingsFactory, MethodRuleFactory
from tests.procurement.factories_flags import (
    CommitteeSeatFactory,
    ContractAmendmentRowFactory,
    ContractRowFactory,
    OpenedBidDocumentFactory,
    OpenedBidFactory,
    PoolSeatFactory,
    award,
    opened_tender,
)

pytestmark = pytest.mark.django_db


def run(check, tender):
    return check(tender, flag_settings(tender.park))


def kinds(findings):
    return [f.kind for f in findings]


# --- single bid ------------------------------------------------------------------------------------------


def test_a_single_bid_is_flagged(world_a):
    tender, (bid,) = opened_tender(world_a.park, prices=[500000])

    (finding,) = run(redflags.check_single_bid, tender)

    assert finding.kind == FlagKind.SINGLE_BID
    assert finding.supplier == bid.supplier
    assert not finding.blocking


def test_two_bids_are_not_a_single_bid(world_a):
    tender, _bids = opened_tender(world_a.park, prices=[500000, 600000])

    assert run(redflags.check_single_bid, tender) == []


def test_a_withdrawn_bid_does_not_count_as_received(world_a):
    tender, (bid, other) = opened_tender(world_a.park, prices=[500000, 600000])
    other.status = BidStatus.WITHDRAWN
    other.save()

    assert kinds(run(redflags.check_single_bid, tender)) == [FlagKind.SINGLE_BID]


def test_a_single_source_tender_is_not_flagged_for_its_single_bid(world_a):
    tender, _bids = opened_tender(world_a.park, prices=[500000], method=Method.SINGLE_SOURCE)

    assert run(redflags.check_single_bid, tender) == []


# --- bidding period --------------------------------------------------------------------------------------


def at(day, hour=10):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_default_timezone())


def test_an_open_tender_with_nineteen_days_of_bidding_is_flagged(world_a):
    tender, _ = opened_tender(
        world_a.park, prices=[1], published_at=at(dt.date(2026, 3, 2)), bid_deadline=at(dt.date(2026, 3, 21), 9)
    )

    (finding,) = run(redflags.check_short_period, tender)

    assert finding.evidence["days"] == 19
    assert finding.evidence["minimum_days"] == 20


def test_an_open_tender_with_exactly_twenty_days_of_bidding_is_not_flagged(world_a):
    tender, _ = opened_tender(
        world_a.park, prices=[1], published_at=at(dt.date(2026, 3, 2)), bid_deadline=at(dt.date(2026, 3, 22), 9)
    )

    assert run(redflags.check_short_period, tender) == []


def test_an_inquiry_counts_its_bidding_period_in_working_days(world_a):
    # Published Tuesday 30 Sep 2025 (National Day holiday 1-8 Oct; Saturday 11 Oct is worked): 9, 10 and
    # 11 Oct are the three working days, so a deadline on 10 Oct is one working day short.
    published = at(dt.date(2025, 9, 30))
    short, _ = opened_tender(
        world_a.park, prices=[1], method=Method.INQUIRY, published_at=published, bid_deadline=at(dt.date(2025, 10, 10))
    )
    enough, _ = opened_tender(
        world_a.park, prices=[1], method=Method.INQUIRY, published_at=published, bid_deadline=at(dt.date(2025, 10, 11))
    )

    assert [f.evidence["days"] for f in run(redflags.check_short_period, short)] == [2]
    assert run(redflags.check_short_period, enough) == []


def test_a_parks_own_method_rule_sets_the_minimum(world_a):
    MethodRuleFactory(park=world_a.park, method=Method.OPEN_TENDER, min_bidding_days=30)
    tender, _ = opened_tender(
        world_a.park, prices=[1], published_at=at(dt.date(2026, 3, 2)), bid_deadline=at(dt.date(2026, 3, 25))
    )

    assert kinds(run(redflags.check_short_period, tender)) == [FlagKind.SHORT_PERIOD]


# --- near the budget -------------------------------------------------------------------------------------


def test_a_winning_price_at_98_percent_of_the_budget_is_flagged(world_a):
    tender, (bid,) = opened_tender(world_a.park, prices=["980000.00"], budget=Decimal("1000000.00"))
    award(bid)

    (finding,) = run(redflags.check_near_budget, tender)

    assert finding.evidence["share"] == "0.9800"


def test_a_winning_price_just_under_98_percent_of_the_budget_is_not_flagged(world_a):
    tender, (bid,) = opened_tender(world_a.park, prices=["979999.99"], budget=Decimal("1000000.00"))
    award(bid)

    assert run(redflags.check_near_budget, tender) == []


def test_the_parks_threshold_for_near_budget_applies(world_a):
    FlagSettingsFactory(park=world_a.park, near_budget_ratio=Decimal("0.95"))
    tender, (bid,) = opened_tender(world_a.park, prices=["960000.00"], budget=Decimal("1000000.00"))
    award(bid)

    assert kinds(run(redflags.check_near_budget, tender)) == [FlagKind.NEAR_BUDGET]


def test_no_award_no_near_budget_flag(world_a):
    tender, _ = opened_tender(world_a.park, prices=["999999.00"])

    assert run(redflags.check_near_budget, tender) == []


# --- close prices ----------------------------------------------------------------------------------------


def test_prices_within_one_percent_of_the_lower_are_flagged_with_the_pair(world_a):
    tender, _ = opened_tender(world_a.park, prices=["100000.00", "101000.00", "150000.00"])

    (finding,) = run(redflags.check_close_prices, tender)

    assert len(finding.evidence["pairs"]) == 1
    assert finding.evidence["pairs"][0]["prices"] == ["100000.00", "101000.00"]


def test_prices_just_over_one_percent_apart_are_not_flagged(world_a):
    tender, _ = opened_tender(world_a.park, prices=["100000.00", "101000.01"])

    assert run(redflags.check_close_prices, tender) == []


def test_identical_prices_are_flagged_as_identical(world_a):
    tender, _ = opened_tender(world_a.park, prices=["88000.00", "88000.00"])

    (finding,) = run(redflags.check_close_prices, tender)

    assert finding.evidence["pairs"][0]["identical"] is True


def test_an_invalid_bid_is_left_out_of_the_price_comparison(world_a):
    tender, (_a, b) = opened_tender(world_a.park, prices=["88000.00", "88000.00"])
    b.is_valid = False
    b.save()

    assert run(redflags.check_close_prices, tender) == []


# --- same documents --------------------------------------------------------------------------------------


def test_the_same_document_hash_in_two_bidders_bids_is_flagged(world_a):
    tender, (a, b, c) = opened_tender(world_a.park, prices=[1, 2, 3])
    OpenedBidDocumentFactory(bid=a, sha256="ab" * 32, name="技术方案.pdf")
    OpenedBidDocumentFactory(bid=b, sha256="ab" * 32, name="方案.pdf")
    OpenedBidDocumentFactory(bid=c)

    (finding,) = run(redflags.check_same_documents, tender)

    assert finding.evidence["shared"][0]["sha256"] == "ab" * 32
    assert {d["name"] for d in finding.evidence["shared"][0]["documents"]} == {"技术方案.pdf", "方案.pdf"}


def test_different_documents_and_one_bidders_duplicates_are_not_flagged(world_a):
    tender, (a, b) = opened_tender(world_a.park, prices=[1, 2])
    OpenedBidDocumentFactory(bid=a, sha256="cd" * 32)
    OpenedBidDocumentFactory(bid=a, sha256="cd" * 32)
    OpenedBidDocumentFactory(bid=b)

    assert run(redflags.check_same_documents, tender) == []


# --- related bidders -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "left", "right"),
    [
        ("contact_phone", "+86 138-0000-1234", "13800001234"),
        ("contact_email", "Sales@Example.com ", "sales@example.com"),
        ("address", "三亚市 天涯区 1号", "三亚市天涯区１号"),
        ("legal_representative", "王 强", "王强"),
    ],
)
def test_bidders_sharing_a_normalised_contact_are_related_and_block(world_a, field, left, right):
    tender, (a, b, _c) = opened_tender(world_a.park, prices=[1, 2, 3])
    for bid, value in ((a, left), (b, right)):
        setattr(bid.supplier.enterprise, field, value)
        bid.supplier.enterprise.save()

    (finding,) = run(redflags.check_related_bidders, tender)

    assert finding.blocking
    assert finding.evidence["pairs"] == [
        {"bids": [redflags._bidder_label(a), redflags._bidder_label(b)], "shared": [field]}
    ]


def test_bidders_with_different_or_empty_contacts_are_not_related(world_a):
    tender, (a, b) = opened_tender(world_a.park, prices=[1, 2])
    a.supplier.enterprise.contact_phone = "13800001234"
    a.supplier.enterprise.save()
    b.supplier.enterprise.contact_phone = "13800001235"
    b.supplier.enterprise.save()

    assert run(redflags.check_related_bidders, tender) == []


# --- declared interest -----------------------------------------------------------------------------------


def declare_interest(world, official, enterprise, status=None):
    """`official` files (submits) a declaration of a relative's business in `enterprise`, by its credit code."""
    from integrity.choices import DeclarationKind, DeclarationStatus
    from tests.integrity.conftest import make_declaration

    return make_declaration(
        world,
        kind=DeclarationKind.INTEREST,
        declarant=official,
        status=status or DeclarationStatus.SUBMITTED,
        credit_code=enterprise.credit_code,
        enterprise_name=enterprise.name,
    )


def test_a_bidder_an_official_declared_for_a_relative_is_flagged_naming_the_official_and_enterprise(world_a):
    tender, (a, _b) = opened_tender(world_a.park, prices=[1, 2])
    declare_interest(world_a, world_a.handler, a.supplier.enterprise)

    (finding,) = run(redflags.check_declared_interest, tender)

    assert finding.supplier == a.supplier
    assert finding.evidence["official"] == (world_a.handler.get_full_name() or world_a.handler.username)
    assert finding.evidence["enterprise"] == a.supplier.enterprise.name
    assert "李红" not in str(finding.evidence)  # the relative is never named
    assert set(finding.evidence["restricted"]) == {"official", "credit_code"}
    assert not finding.blocking


def test_a_draft_declaration_raises_no_flag(world_a):
    from integrity.choices import DeclarationStatus

    tender, (a, _b) = opened_tender(world_a.park, prices=[1, 2])
    declare_interest(world_a, world_a.handler, a.supplier.enterprise, status=DeclarationStatus.DRAFT)

    assert run(redflags.check_declared_interest, tender) == []


def test_a_bidder_nobody_declared_is_not_flagged(world_a):
    tender, (a, _b) = opened_tender(world_a.park, prices=[1, 2])
    declare_interest(world_a, world_a.handler, world_a.enterprise)

    assert run(redflags.check_declared_interest, tender) == []


def test_an_official_of_another_park_declaring_the_bidder_is_not_flagged(world_a, world_b):
    tender, (a, _b) = opened_tender(world_a.park, prices=[1, 2])
    declare_interest(world_b, world_b.handler, a.supplier.enterprise)

    assert run(redflags.check_declared_interest, tender) == []


# --- evaluator linked ------------------------------------------------------------------------------------


def test_an_evaluator_employed_by_a_bidder_is_flagged_and_blocks(world_a):
    tender, (a, _b) = opened_tender(world_a.park, prices=[1, 2])
    seat = CommitteeSeatFactory(tender=tender)
    PoolSeatFactory(park=world_a.park, user=seat.user, employer_credit_code=a.supplier.enterprise.credit_code)

    (finding,) = run(redflags.check_evaluator_linked, tender)

    assert finding.blocking
    assert finding.evidence["links"] == ["employer"]
    assert finding.supplier == a.supplier


def test_an_evaluator_acting_for_a_bidders_enterprise_is_flagged(world_a):
    tender, (a, _b) = opened_tender(world_a.park, prices=[1, 2])
    seat = CommitteeSeatFactory(tender=tender)
    EnterpriseMembershipFactory(user=seat.user, enterprise=a.supplier.enterprise)

    assert [f.evidence["links"] for f in run(redflags.check_evaluator_linked, tender)] == [["membership"]]


def test_an_evaluator_who_declared_an_interest_in_a_bidder_is_flagged_with_restricted_evidence(world_a):
    tender, (a, _b) = opened_tender(world_a.park, prices=[1, 2])
    official = make_official(park=world_a.park, role=roles.HANDLER, username="evaluator_official")
    CommitteeSeatFactory(tender=tender, user=official, kind="official")
    declare_interest(world_a, official, a.supplier.enterprise)

    (finding,) = run(redflags.check_evaluator_linked, tender)

    assert finding.evidence["declared_interest"] is True
    assert finding.evidence["restricted"] == ["declared_interest"]


def test_a_recused_evaluator_or_an_unrelated_one_is_not_flagged(world_a):
    tender, (a, _b) = opened_tender(world_a.park, prices=[1, 2])
    recused = CommitteeSeatFactory(tender=tender, status=CommitteeMemberStatus.RECUSED)
    PoolSeatFactory(park=world_a.park, user=recused.user, employer_credit_code=a.supplier.enterprise.credit_code)
    unrelated = CommitteeSeatFactory(tender=tender)
    PoolSeatFactory(park=world_a.park, user=unrelated.user, employer_credit_code=world_a.enterprise.credit_code)

    assert run(redflags.check_evaluator_linked, tender) == []


# --- not the lowest --------------------------------------------------------------------------------------


def test_an_inquiry_awarded_above_the_lowest_valid_bid_is_flagged(world_a):
    tender, (low, high) = opened_tender(world_a.park, prices=["90000.00", "95000.00"], method=Method.INQUIRY)
    award(high, reason="技术更优")

    (finding,) = run(redflags.check_not_lowest, tender)

    assert finding.evidence["lowest_price"] == "90000.00"
    assert finding.evidence["awarded_price"] == "95000.00"


def test_an_inquiry_awarded_to_the_lowest_valid_bid_is_not_flagged(world_a):
    tender, (invalid, low, high) = opened_tender(
        world_a.park, prices=["80000.00", "90000.00", "95000.00"], method=Method.INQUIRY
    )
    invalid.is_valid = False
    invalid.save()
    award(low)

    assert run(redflags.check_not_lowest, tender) == []


def test_a_scored_open_tender_awarded_above_the_lowest_is_not_flagged(world_a):
    tender, (low, high) = opened_tender(world_a.park, prices=["90000.00", "95000.00"])
    award(high)

    assert run(redflags.check_not_lowest, tender) == []


# --- dominant supplier -----------------------------------------------------------------------------------


def awarded_tender(park, supplier, amount, decided_at):
    tender, _ = opened_tender(park, prices=[])
    bid = OpenedBidFactory(tender=tender, supplier=supplier, price=Decimal(amount), alias="A")
    award(bid, decided_at=decided_at)
    return tender


def test_a_supplier_with_more_than_half_of_the_parks_awarded_value_in_a_year_is_flagged(world_a):
    now = timezone.now()
    winner = OpenedBidFactory(tender__park=world_a.park).supplier
    other = OpenedBidFactory(tender__park=world_a.park).supplier
    awarded_tender(world_a.park, winner, "100", now - dt.timedelta(days=300))
    awarded_tender(world_a.park, winner, "100", now - dt.timedelta(days=100))
    awarded_tender(world_a.park, other, "299", now - dt.timedelta(days=50))
    awarded_tender(world_a.park, other, "1000", now - dt.timedelta(days=400))  # outside the 12 months
    tender = awarded_tender(world_a.park, winner, "100", now)

    (finding,) = run(redflags.check_dominant_supplier, tender)

    assert finding.supplier == winner
    assert finding.evidence["share"] == "0.5008"
    assert len(finding.evidence["awards"]) == 3


def test_exactly_half_of_the_awarded_value_is_not_dominant(world_a):
    now = timezone.now()
    winner = OpenedBidFactory(tender__park=world_a.park).supplier
    other = OpenedBidFactory(tender__park=world_a.park).supplier
    awarded_tender(world_a.park, winner, "100", now - dt.timedelta(days=30))
    awarded_tender(world_a.park, winner, "100", now - dt.timedelta(days=20))
    awarded_tender(world_a.park, other, "300", now - dt.timedelta(days=10))
    tender = awarded_tender(world_a.park, winner, "100", now)

    assert run(redflags.check_dominant_supplier, tender) == []


def test_a_dominant_share_with_only_two_awards_is_not_flagged(world_a):
    now = timezone.now()
    winner = OpenedBidFactory(tender__park=world_a.park).supplier
    awarded_tender(world_a.park, winner, "100", now - dt.timedelta(days=30))
    tender = awarded_tender(world_a.park, winner, "100", now)

    assert run(redflags.check_dominant_supplier, tender) == []


def test_a_failed_tenders_award_does_not_count_towards_dominance(world_a):
    now = timezone.now()
    winner = OpenedBidFactory(tender__park=world_a.park).supplier
    other = OpenedBidFactory(tender__park=world_a.park).supplier
    awarded_tender(world_a.park, winner, "100", now - dt.timedelta(days=30))
    awarded_tender(world_a.park, winner, "100", now - dt.timedelta(days=20))
    failed = awarded_tender(world_a.park, other, "1000", now - dt.timedelta(days=10))
    failed.status = TenderStatus.FAILED
    failed.save()
    tender = awarded_tender(world_a.park, winner, "100", now)

    assert kinds(run(redflags.check_dominant_supplier, tender)) == [FlagKind.DOMINANT_SUPPLIER]


# --- split purchases -------------------------------------------------------------------------------------


def test_three_awards_under_the_threshold_within_90_days_together_over_it_are_flagged(world_a):
    now = timezone.now()
    supplier = OpenedBidFactory(tender__park=world_a.park).supplier
    awarded_tender(world_a.park, supplier, "700000", now - dt.timedelta(days=89))
    awarded_tender(world_a.park, supplier, "700000", now - dt.timedelta(days=40))
    tender = awarded_tender(world_a.park, supplier, "700000", now)

    (finding,) = run(redflags.check_split_purchase, tender)

    assert finding.evidence["total"] == "2100000.00"
    assert len(finding.evidence["awards"]) == 3


def test_awards_spread_over_more_than_90_days_are_not_a_split_purchase(world_a):
    now = timezone.now()
    supplier = OpenedBidFactory(tender__park=world_a.park).supplier
    awarded_tender(world_a.park, supplier, "700000", now - dt.timedelta(days=91))
    awarded_tender(world_a.park, supplier, "700000", now - dt.timedelta(days=40))
    tender = awarded_tender(world_a.park, supplier, "700000", now)

    assert run(redflags.check_split_purchase, tender) == []


def test_awards_totalling_exactly_the_threshold_are_not_a_split_purchase(world_a):
    now = timezone.now()
    supplier = OpenedBidFactory(tender__park=world_a.park).supplier
    awarded_tender(world_a.park, supplier, "600000", now - dt.timedelta(days=10))
    awarded_tender(world_a.park, supplier, "600000", now - dt.timedelta(days=5))
    tender = awarded_tender(world_a.park, supplier, "800000", now)

    assert run(redflags.check_split_purchase, tender) == []


def test_an_award_at_the_threshold_is_not_part_of_a_split(world_a):
    now = timezone.now()
    supplier = OpenedBidFactory(tender__park=world_a.park).supplier
    awarded_tender(world_a.park, supplier, "700000", now - dt.timedelta(days=10))
    awarded_tender(world_a.park, supplier, "2000000", now - dt.timedelta(days=5))
    tender = awarded_tender(world_a.park, supplier, "700000", now)

    assert run(redflags.check_split_purchase, tender) == []


# --- amendment growth ------------------------------------------------------------------------------------


def test_amendments_raising_a_contract_by_more_than_ten_percent_are_flagged(world_a):
    contract = ContractRowFactory(tender__park=world_a.park, value=Decimal("1000000.00"))
    ContractAmendmentRowFactory(contract=contract, value_change=Decimal("60000.00"))
    ContractAmendmentRowFactory(contract=contract, value_change=Decimal("40000.01"))

    (finding,) = run(redflags.check_amendment_growth, contract.tender)

    assert finding.contract == contract
    assert finding.evidence["total_change"] == "100000.01"


def test_amendments_of_exactly_ten_percent_are_not_flagged(world_a):
    contract = ContractRowFactory(tender__park=world_a.park, value=Decimal("1000000.00"))
    ContractAmendmentRowFactory(contract=contract, value_change=Decimal("100000.00"))

    assert run(redflags.check_amendment_growth, contract.tender) == []


# --- triggers --------------------------------------------------------------------------------------------


def test_the_opening_runs_the_bid_checks_only(world_a):
    tender, (bid,) = opened_tender(world_a.park, prices=["999000.00"])
    award(bid)

    assert kinds(redflags.findings_for(tender, "opening")) == [FlagKind.SINGLE_BID]
    assert kinds(redflags.findings_for(tender, "award")) == [FlagKind.NEAR_BUDGET]


def test_restricted_evidence_is_redacted():
    shown = redflags.redact_evidence({"official": "张三", "enterprise": "某公司", "restricted": ["official"]})

    assert shown == {"enterprise": "某公司", "redacted": True}
