"""The red-flag checks of e-procurement (issue 5 point 6): one function per check, each returning `Finding`s.

A check reads the database and the park's thresholds (`procurement.rules.flag_settings`) and changes nothing;
`procurement.services.flags.flags_compute` turns findings into `RedFlag` rows, idempotently through each
finding's fingerprint (kind + the records it is about). `CHECKS_BY_TRIGGER` says which checks run after
which step.

Choices where the issue text is silent:

- Bids counted: a bid received is one opened at opening (status "opened", or "tampered" when it failed its
  commitment check); a *valid* bid is an opened one not declared invalid (``is_valid`` not False). The single
  bid flag counts received bids; price checks use valid bids only; related-bidder, document and interest
  checks look at every received bid (collusion matters whether or not a bid was valid).
- Bidding period: counted from the local date of publication to the local date of the bid deadline — in
  calendar days, or in working days (`core.workcalendar.working_days_between`) when the method's rule says so.
- Close prices: two prices are close when their difference is at most `close_price_ratio` of the lower one
  (so with 1 %, 100 000 and 101 000 are close, 100 000 and 101 001 are not). One flag per tender lists every
  close or identical pair.
- Related bidders, same documents, close prices, single bid, short period: one flag per tender with every
  pair in its evidence. Declared interest: one flag per (tender, bidder, official). Evaluator linked: one per
  (tender, evaluator, bidder). Award checks: one per tender; amendment growth: one per contract.
- Contact details are compared normalised: phones by their digits without a leading country code 86 or a
  trunk 0; e-mails trimmed and lower-cased; addresses and names NFKC-normalised, lower-cased, without spaces
  and punctuation. Empty values never match.
- Declared interest: the officials are those `core.interests.officials_with_interest_in` returns for the
  bidder's enterprise (integrity's provider matches the enterprise and every `InterestDeclaration` with its
  credit code, current on the day of the check), restricted to officials assigned to the tender's park (an
  official of another park has no hand in this tender) and to filed declarations (a draft is private to its
  declarant until submitted; the recusal of evaluators, which is the evaluation stage's, counts drafts too).
  The evidence names the official and the enterprise only — never the relative, the relation, the role or
  the stake — and is marked restricted: only discipline officers (and platform administrators, who see
  declarations) read it (`procurement.selectors.flags`).
- Evaluator linked: active committee members (not recused or declined) whose user filed a declaration of
  interest in a bidder, whose employer's credit code (in the park's evaluator pool) is the bidder's, or who
  is a member of the bidder's enterprise in the portal. The "declared interest" link is restricted evidence, as above.
- Dominant supplier: awards of the park decided in the `dominance_months` months up to this award, of
  tenders that have not failed or been cancelled; the winner's share of their total value must exceed
  `dominance_share`, with at least `dominance_min_awards` of them its own.
- Split purchase: awards of the park to the same supplier decided in the `split_window_days` days up to this
  award, each under the open-tender threshold; at least `split_min_awards` of them (this one included) and
  their total over the threshold.
- Not the lowest: under a lowest-price method, the awarded bid's price is above the lowest valid price.
- Amendment growth: the net total of the supplementary contracts exceeds `amendment_growth_ratio` of the
  original value.
"""

import itertools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.workcalendar import working_days_between
from procurement.choices import (
    BLOCKING_FLAG_KINDS,
    BidStatus,
    CommitteeMemberStatus,
    FlagKind,
    Method,
    TenderStatus,
)
from procurement.rules import flag_settings, method_rule

# Evidence keys listed under this key are read only by those who may see integrity declarations.
RESTRICTED = "restricted"

RECEIVED_BID_STATUSES = (BidStatus.OPENED, BidStatus.TAMPERED)
ACTIVE_MEMBER_STATUSES = (
    CommitteeMemberStatus.DRAWN,
    CommitteeMemberStatus.PLEDGED,
    CommitteeMemberStatus.SUBMITTED,
)
DEAD_TENDER_STATUSES = (TenderStatus.FAILED, TenderStatus.CANCELLED)


@dataclass
class Finding:
    """What a check found: becomes one `RedFlag` (unless its fingerprint exists already)."""

    kind: str
    fingerprint: str
    summary: str
    evidence: dict
    tender: object = None
    supplier: object = None
    contract: object = None
    park: object = None
    restricted: list = field(default_factory=list)

    @property
    def blocking(self):
        return self.kind in BLOCKING_FLAG_KINDS


# --- helpers ----------------------------------------------------------------------------------------------


def _money(value):
    return None if value is None else f"{Decimal(value):.2f}"


def _ratio(value):
    return f"{Decimal(value):.4f}"


def _bidder_label(bid):
    return f"{bid.alias or '—'} {bid.supplier.enterprise.name}".strip()


def received_bids(tender):
    """Bids opened at the opening (including those that failed their commitment check), suppliers loaded."""
    return list(
        tender.bids.filter(status__in=RECEIVED_BID_STATUSES)
        .select_related("supplier__enterprise")
        .order_by("alias", "id")
    )


def valid_bids(tender):
    """Opened bids not declared invalid, with a price."""
    return [
        bid
        for bid in received_bids(tender)
        if bid.status == BidStatus.OPENED and bid.is_valid is not False and bid.price is not None
    ]


def _award(tender):
    from procurement.models import Award

    awards = Award.objects.filter(tender=tender)
    return awards.select_related("supplier__enterprise", "bid__supplier__enterprise").first()


def normalise_phone(value):
    digits = re.sub(r"\D", "", value or "")
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) > 11:
        digits = digits[2:]
    return digits.lstrip("0")


def normalise_email(value):
    return (value or "").strip().lower()


def normalise_text(value):
    """Addresses and names: NFKC (full-width → half-width), lower case, no spaces or punctuation."""
    text = unicodedata.normalize("NFKC", value or "").lower()
    return "".join(ch for ch in text if not (ch.isspace() or unicodedata.category(ch).startswith("P")))


CONTACT_FIELDS = (
    ("contact_phone", normalise_phone),
    ("contact_email", normalise_email),
    ("address", normalise_text),
    ("legal_representative", normalise_text),
)


def _user_name(user):
    return user.get_full_name() or user.get_username()


# --- bid checks (after opening) ---------------------------------------------------------------------------


def check_single_bid(tender, settings):
    """Only one bid received (a single-source tender expects one and is skipped)."""
    if tender.method == Method.SINGLE_SOURCE:
        return []
    bids = received_bids(tender)
    if len(bids) != 1:
        return []
    bid = bids[0]
    return [
        Finding(
            kind=FlagKind.SINGLE_BID,
            fingerprint=f"single_bid:tender:{tender.pk}",
            summary=_("Only one bid was received for %(tender)s.") % {"tender": tender.number},
            evidence={"bids": 1, "bidder": _bidder_label(bid), "method": tender.method},
            tender=tender,
            supplier=bid.supplier,
        )
    ]


def check_short_period(tender, settings):
    """From publication to the bid deadline shorter than the method rule's minimum."""
    if tender.published_at is None or tender.bid_deadline is None:
        return []
    rule = method_rule(tender.park, tender.method)
    if rule.bidding_days_are_working_days:
        days = working_days_between(tender.published_at, tender.bid_deadline)
    else:
        days = (timezone.localdate(tender.bid_deadline) - timezone.localdate(tender.published_at)).days
    if days >= rule.min_bidding_days:
        return []
    return [
        Finding(
            kind=FlagKind.SHORT_PERIOD,
            fingerprint=f"short_period:tender:{tender.pk}",
            summary=_("Bidding period of %(days)s days, below the minimum of %(minimum)s.")
            % {"days": days, "minimum": rule.min_bidding_days},
            evidence={
                "published_at": timezone.localtime(tender.published_at).isoformat(),
                "bid_deadline": timezone.localtime(tender.bid_deadline).isoformat(),
                "days": days,
                "minimum_days": rule.min_bidding_days,
                "working_days": rule.bidding_days_are_working_days,
                "method": tender.method,
            },
            tender=tender,
        )
    ]


def prices_are_close(a, b, ratio):
    """Whether two prices differ by at most `ratio` of the lower one (identical prices always are)."""
    low, high = sorted((Decimal(a), Decimal(b)))
    return high - low <= Decimal(ratio) * low


def check_close_prices(tender, settings):
    """Valid bids whose prices are identical or within `close_price_ratio` of each other."""
    bids = valid_bids(tender)
    pairs = []
    for a, b in itertools.combinations(bids, 2):
        if prices_are_close(a.price, b.price, settings.close_price_ratio):
            low = min(a.price, b.price)
            pairs.append(
                {
                    "bids": [_bidder_label(a), _bidder_label(b)],
                    "prices": [_money(a.price), _money(b.price)],
                    "identical": a.price == b.price,
                    "difference_share": _ratio(abs(a.price - b.price) / low) if low else "0.0000",
                }
            )
    if not pairs:
        return []
    identical = any(pair["identical"] for pair in pairs)
    return [
        Finding(
            kind=FlagKind.CLOSE_PRICES,
            fingerprint=f"close_prices:tender:{tender.pk}",
            summary=(
                _("Identical bid prices in %(tender)s.")
                if identical
                else _("Bid prices within %(share)s %% of each other in %(tender)s.")
            )
            % {"tender": tender.number, "share": f"{settings.close_price_ratio * 100:g}"},
            evidence={"threshold": _ratio(settings.close_price_ratio), "pairs": pairs},
            tender=tender,
        )
    ]


def check_same_documents(tender, settings):
    """A document with the same SHA-256 in the bids of two or more different bidders."""
    from procurement.models import BidDocument

    documents = (
        BidDocument.objects.filter(bid__tender=tender, bid__status__in=RECEIVED_BID_STATUSES)
        .select_related("bid__supplier__enterprise")
        .order_by("sha256", "bid__alias", "name")
    )
    by_hash = defaultdict(list)
    for document in documents:
        by_hash[document.sha256].append(document)
    shared = []
    for digest, docs in by_hash.items():
        if len({d.bid.supplier_id for d in docs}) < 2:
            continue
        shared.append(
            {
                "sha256": digest,
                "documents": [{"bid": _bidder_label(d.bid), "name": d.name, "size": d.size} for d in docs],
            }
        )
    if not shared:
        return []
    return [
        Finding(
            kind=FlagKind.SAME_DOCUMENTS,
            fingerprint=f"same_documents:tender:{tender.pk}",
            summary=_("%(count)s identical document(s) in the bids of different bidders.") % {"count": len(shared)},
            evidence={"shared": shared},
            tender=tender,
        )
    ]


def check_related_bidders(tender, settings):
    """Bidders sharing a phone, an e-mail, an address or a legal representative (a legal breach: blocking)."""
    bids = received_bids(tender)
    pairs = []
    for a, b in itertools.combinations(bids, 2):
        if a.supplier_id == b.supplier_id:
            continue
        shared = []
        for name, normalise in CONTACT_FIELDS:
            left = normalise(getattr(a.supplier.enterprise, name))
            if left and left == normalise(getattr(b.supplier.enterprise, name)):
                shared.append(name)
        if shared:
            pairs.append({"bids": [_bidder_label(a), _bidder_label(b)], "shared": shared})
    if not pairs:
        return []
    return [
        Finding(
            kind=FlagKind.RELATED_BIDDERS,
            fingerprint=f"related_bidders:tender:{tender.pk}",
            summary=_("%(count)s pair(s) of bidders share contact details or a legal representative.")
            % {"count": len(pairs)},
            evidence={"pairs": pairs},
            tender=tender,
        )
    ]


def filed_interest_user_ids(enterprise):
    """Ids of the users `core.interests` names for `enterprise`, less those whose only matching declaration is
    still a draft (private to its declarant until submitted; the flag's evidence is read by the discipline
    office)."""
    from core.interests import officials_with_interest_in
    from integrity.choices import DeclarationStatus
    from integrity.models import InterestDeclaration

    ids = officials_with_interest_in(enterprise)
    if not ids:
        return frozenset()
    match = Q(enterprise_id=enterprise.pk)
    if enterprise.credit_code:
        match |= Q(credit_code=enterprise.credit_code)
    return frozenset(
        InterestDeclaration.objects.filter(match, declarant_id__in=ids)
        .exclude(status=DeclarationStatus.DRAFT)
        .values_list("declarant_id", flat=True)
    )


def park_officials_with_interest(enterprise, park):
    """Users assigned to `park` who filed a declaration of interest in `enterprise`."""
    from django.contrib.auth import get_user_model

    ids = filed_interest_user_ids(enterprise)
    if not ids:
        return []
    return list(
        get_user_model()
        .objects.filter(pk__in=ids, staff_profile__parks=park)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def check_declared_interest(tender, settings):
    """A bidder that is, or shares its credit code with, an enterprise an official of the park declared for a
    relative. The evidence names the official and the enterprise only, and is restricted."""
    findings = []
    seen = set()
    for bid in received_bids(tender):
        enterprise = bid.supplier.enterprise
        if bid.supplier_id in seen:
            continue
        seen.add(bid.supplier_id)
        for official in park_officials_with_interest(enterprise, tender.park):
            findings.append(
                Finding(
                    kind=FlagKind.DECLARED_INTEREST,
                    fingerprint=f"declared_interest:tender:{tender.pk}:supplier:{bid.supplier_id}:user:{official.pk}",
                    summary=_("Bidder %(bidder)s is linked to an interest an official declared.")
                    % {"bidder": enterprise.name},
                    evidence={
                        "bidder": _bidder_label(bid),
                        "enterprise": enterprise.name,
                        "credit_code": enterprise.credit_code,
                        "official": _user_name(official),
                        RESTRICTED: ["official", "credit_code"],
                    },
                    tender=tender,
                    supplier=bid.supplier,
                    restricted=["official", "credit_code"],
                )
            )
    return findings


def check_evaluator_linked(tender, settings):
    """A committee member linked to a bidder: a declared interest in it, an employer with its credit code, or
    a membership of its enterprise (a legal breach: blocking)."""
    from parks.models import EnterpriseMembership
    from procurement.models import CommitteeMember, EvaluatorPoolMember

    members = list(
        CommitteeMember.objects.filter(tender=tender, status__in=ACTIVE_MEMBER_STATUSES).select_related("user")
    )
    if not members:
        return []
    employers = dict(
        EvaluatorPoolMember.objects.filter(park=tender.park, user__in=[m.user_id for m in members])
        .exclude(employer_credit_code="")
        .values_list("user_id", "employer_credit_code")
    )
    findings = []
    bidders = {bid.supplier_id: bid for bid in received_bids(tender)}
    for bid in bidders.values():
        enterprise = bid.supplier.enterprise
        # Evaluators may be external experts, assigned to no park: any declaration of theirs counts.
        interested = filed_interest_user_ids(enterprise)
        staff = set(EnterpriseMembership.objects.filter(enterprise=enterprise).values_list("user_id", flat=True))
        for member in members:
            links = []
            if employers.get(member.user_id, "").upper() == (enterprise.credit_code or "").upper():
                links.append("employer")
            if member.user_id in staff:
                links.append("membership")
            declared = member.user_id in interested
            if not links and not declared:
                continue
            evidence = {
                "evaluator": _user_name(member.user),
                "bidder": _bidder_label(bid),
                "links": links,
            }
            restricted = []
            if declared:
                evidence["declared_interest"] = True
                restricted = ["declared_interest"]
                evidence[RESTRICTED] = restricted
            findings.append(
                Finding(
                    kind=FlagKind.EVALUATOR_LINKED,
                    fingerprint=(
                        f"evaluator_linked:tender:{tender.pk}:member:{member.user_id}:supplier:{bid.supplier_id}"
                    ),
                    summary=_("Evaluator %(evaluator)s is linked to bidder %(bidder)s.")
                    % {"evaluator": _user_name(member.user), "bidder": enterprise.name},
                    evidence=evidence,
                    tender=tender,
                    supplier=bid.supplier,
                    restricted=restricted,
                )
            )
    return findings


# --- award checks -----------------------------------------------------------------------------------------


def check_near_budget(tender, settings):
    """The awarded amount at or above `near_budget_ratio` of the budget."""
    award = _award(tender)
    if award is None or not tender.budget:
        return []
    share = Decimal(award.amount) / tender.budget
    if share < settings.near_budget_ratio:
        return []
    return [
        Finding(
            kind=FlagKind.NEAR_BUDGET,
            fingerprint=f"near_budget:tender:{tender.pk}",
            summary=_("Awarded at %(share)s %% of the budget.") % {"share": f"{share * 100:.2f}"},
            evidence={
                "amount": _money(award.amount),
                "budget": _money(tender.budget),
                "share": _ratio(share),
                "threshold": _ratio(settings.near_budget_ratio),
            },
            tender=tender,
            supplier=award.supplier,
        )
    ]


def check_not_lowest(tender, settings):
    """Under a lowest-price method, the award went to other than the lowest valid bid."""
    if not tender.is_lowest_price:
        return []
    award = _award(tender)
    if award is None or award.bid.price is None:
        return []
    bids = valid_bids(tender)
    if not bids:
        return []
    lowest = min(bids, key=lambda b: (b.price, b.alias))
    if award.bid.price <= lowest.price:
        return []
    return [
        Finding(
            kind=FlagKind.NOT_LOWEST,
            fingerprint=f"not_lowest:tender:{tender.pk}",
            summary=_("Awarded at %(awarded)s while the lowest valid bid was %(lowest)s.")
            % {"awarded": _money(award.bid.price), "lowest": _money(lowest.price)},
            evidence={
                "awarded_bid": _bidder_label(award.bid),
                "awarded_price": _money(award.bid.price),
                "lowest_bid": _bidder_label(lowest),
                "lowest_price": _money(lowest.price),
                "reason": award.reason,
            },
            tender=tender,
            supplier=award.supplier,
        )
    ]


def _park_awards(park, since, until):
    from procurement.models import Award

    return (
        Award.objects.filter(tender__park=park, decided_at__gte=since, decided_at__lte=until)
        .exclude(tender__status__in=DEAD_TENDER_STATUSES)
        .select_related("tender", "supplier__enterprise")
        .order_by("decided_at", "id")
    )


def _award_row(award):
    return {
        "tender": award.tender.number,
        "amount": _money(award.amount),
        "decided_at": timezone.localtime(award.decided_at).date().isoformat(),
    }


def check_dominant_supplier(tender, settings):
    """The winner holds more than `dominance_share` of the park's awarded value over `dominance_months`, with
    at least `dominance_min_awards` awards."""
    award = _award(tender)
    if award is None:
        return []
    since = award.decided_at - relativedelta(months=settings.dominance_months)
    awards = list(_park_awards(tender.park, since, award.decided_at))
    total = sum((a.amount for a in awards), Decimal(0))
    own = [a for a in awards if a.supplier_id == award.supplier_id]
    own_total = sum((a.amount for a in own), Decimal(0))
    if not total or len(own) < settings.dominance_min_awards:
        return []
    share = own_total / total
    if share <= settings.dominance_share:
        return []
    return [
        Finding(
            kind=FlagKind.DOMINANT_SUPPLIER,
            fingerprint=f"dominant_supplier:tender:{tender.pk}:supplier:{award.supplier_id}",
            summary=_("%(supplier)s won %(share)s %% of the park's awarded value in %(months)s months.")
            % {
                "supplier": award.supplier.enterprise.name,
                "share": f"{share * 100:.1f}",
                "months": settings.dominance_months,
            },
            evidence={
                "since": timezone.localtime(since).date().isoformat(),
                "until": timezone.localtime(award.decided_at).date().isoformat(),
                "park_total": _money(total),
                "supplier_total": _money(own_total),
                "share": _ratio(share),
                "threshold": _ratio(settings.dominance_share),
                "awards": [_award_row(a) for a in own],
            },
            tender=tender,
            supplier=award.supplier,
        )
    ]


def check_split_purchase(tender, settings):
    """`split_min_awards` or more awards to the winner within `split_window_days`, each under the open-tender
    threshold, together over it."""
    award = _award(tender)
    threshold = settings.open_tender_threshold
    if award is None or award.amount >= threshold:
        return []
    since = award.decided_at - relativedelta(days=settings.split_window_days)
    awards = [
        a
        for a in _park_awards(tender.park, since, award.decided_at).filter(supplier=award.supplier)
        if a.amount < threshold
    ]
    total = sum((a.amount for a in awards), Decimal(0))
    if len(awards) < settings.split_min_awards or total <= threshold:
        return []
    return [
        Finding(
            kind=FlagKind.SPLIT_PURCHASE,
            fingerprint=f"split_purchase:tender:{tender.pk}:supplier:{award.supplier_id}",
            summary=_("%(count)s awards to %(supplier)s within %(days)s days total %(total)s, over the threshold.")
            % {
                "count": len(awards),
                "supplier": award.supplier.enterprise.name,
                "days": settings.split_window_days,
                "total": _money(total),
            },
            evidence={
                "window_days": settings.split_window_days,
                "threshold": _money(threshold),
                "total": _money(total),
                "awards": [_award_row(a) for a in awards],
            },
            tender=tender,
            supplier=award.supplier,
        )
    ]


# --- contract checks --------------------------------------------------------------------------------------


def check_amendment_growth(tender, settings):
    """Supplementary contracts raising the contract's value by more than `amendment_growth_ratio`."""
    from procurement.models import Contract

    contract = Contract.objects.filter(tender=tender).select_related("supplier__enterprise").first()
    if contract is None or not contract.value:
        return []
    change = contract.amendments.aggregate(total=Sum("value_change"))["total"] or Decimal(0)
    share = change / contract.value
    if share <= settings.amendment_growth_ratio:
        return []
    return [
        Finding(
            kind=FlagKind.AMENDMENT_GROWTH,
            fingerprint=f"amendment_growth:contract:{contract.pk}",
            summary=_("Contract %(number)s raised by %(share)s %% through supplementary contracts.")
            % {"number": contract.number, "share": f"{share * 100:.2f}"},
            evidence={
                "original_value": _money(contract.value),
                "total_change": _money(change),
                "share": _ratio(share),
                "threshold": _ratio(settings.amendment_growth_ratio),
                "amendments": [
                    {"signed_on": a.signed_on.isoformat(), "value_change": _money(a.value_change), "reason": a.reason}
                    for a in contract.amendments.order_by("signed_on", "id")
                ],
            },
            tender=tender,
            contract=contract,
            supplier=contract.supplier,
        )
    ]


BID_CHECKS = (
    check_single_bid,
    check_short_period,
    check_close_prices,
    check_same_documents,
    check_related_bidders,
    check_declared_interest,
    check_evaluator_linked,
)
AWARD_CHECKS = (
    check_near_budget,
    check_not_lowest,
    check_dominant_supplier,
    check_split_purchase,
    # The committee sits after the opening: its links and new declarations are checked again at the award.
    check_declared_interest,
    check_evaluator_linked,
)
CONTRACT_CHECKS = (check_amendment_growth,)

CHECKS_BY_TRIGGER = {
    "opening": BID_CHECKS,
    "award": AWARD_CHECKS,
    "contract": CONTRACT_CHECKS,
    "amendment": CONTRACT_CHECKS,
}


def findings_for(tender, trigger):
    """Every finding of the checks `trigger` runs on `tender`, with the park's thresholds."""
    settings = flag_settings(tender.park)
    findings = []
    for check in CHECKS_BY_TRIGGER[trigger]:
        for finding in check(tender, settings):
            finding.park = tender.park
            findings.append(finding)
    return findings


def redact_evidence(evidence):
    """`evidence` without its restricted keys, for people who may not read integrity declarations."""
    restricted = set(evidence.get(RESTRICTED) or ())
    if not restricted:
        return evidence
    shown = {key: value for key, value in evidence.items() if key not in restricted and key != RESTRICTED}
    shown["redacted"] = True
    return shown
