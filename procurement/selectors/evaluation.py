"""Read queries of the evaluation, award, objection and contract stages (pages, API and exports share them).

Double-blind: what an evaluator may see of a bid is decided here (`evaluator_bids`, `identities_revealed`),
not in the templates. Until the evaluation report is recorded an evaluator gets bids as aliases (A, B, C…)
with prices and documents only; supplier identities appear once `Tender.evaluation_report_at` is set.
"""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q

from core.scoping import ALL
from procurement.choices import BidStatus, CommitteeMemberStatus, ContractStatus, TenderStatus
from procurement.models import (
    Award,
    Bid,
    BidDocument,
    CommitteeMember,
    Contract,
    ContractAmendment,
    EvaluatorPoolMember,
    Objection,
    Score,
    Tender,
)
from procurement.selectors.access import (
    can_read_procurement_files,
    can_run_procurement,
    procurement_park_ids,
    supplier_enterprise_ids,
)

# Committee members who take part (not recused, not declined).
SEATED_STATUSES = (CommitteeMemberStatus.DRAWN, CommitteeMemberStatus.PLEDGED, CommitteeMemberStatus.SUBMITTED)
# Statuses from which the committee's work (or its result) exists.
EVALUATION_STAGE_STATUSES = (
    TenderStatus.OPENED,
    TenderStatus.EVALUATION,
    TenderStatus.EVALUATED,
    TenderStatus.AWARDED,
    TenderStatus.ANNOUNCED,
    TenderStatus.CONTRACTED,
)
ANNOUNCED_STATUSES = (TenderStatus.ANNOUNCED, TenderStatus.CONTRACTED)


def _by_park(queryset, user, field="park"):
    ids = procurement_park_ids(user)
    if ids is ALL:
        return queryset
    return queryset.filter(**{f"{field}__in": ids})


# --- pool and committee --------------------------------------------------------------------------------------


def pool_for(user):
    """Pool members of the parks whose procurement files the user reads."""
    return _by_park(EvaluatorPoolMember.objects.select_related("park", "user"), user)


def eligible_pool(park):
    """Active pool members of `park` whose account is active, in a stable order (the draw's snapshot)."""
    return (
        EvaluatorPoolMember.objects.filter(park=park, is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    )


def committee_for(user):
    """Committee seats the user may list: every seat of their parks for procurement staff, discipline officers
    and auditors; their own seats for evaluators."""
    queryset = CommitteeMember.objects.select_related("tender", "tender__park", "user", "pledge")
    ids = procurement_park_ids(user)
    if ids is ALL:
        return queryset
    return queryset.filter(Q(tender__park_id__in=ids) | Q(user_id=user.pk)) if ids else queryset.filter(user=user)


def seats_of(user):
    """The user's own committee seats, newest tender first."""
    return (
        CommitteeMember.objects.filter(user=user)
        .select_related("tender", "tender__park", "pledge")
        .order_by("-tender__opened_at", "-id")
    )


def seated_members(tender):
    """The members who evaluate `tender` (not recused or declined)."""
    return tender.committee.filter(status__in=SEATED_STATUSES).select_related("user").order_by("-is_chair", "id")


def member_may_see_bids(member):
    """An evaluator sees the bids once the evaluation has started and they have signed the pledge."""
    return (
        member.status in (CommitteeMemberStatus.PLEDGED, CommitteeMemberStatus.SUBMITTED)
        and member.tender.evaluation_started_at is not None
        and member.tender.status != TenderStatus.FAILED
    )


def identities_revealed(tender):
    """Supplier identities are shown to evaluators once the evaluation report (the recommendation) is
    recorded."""
    return tender.evaluation_report_at is not None


def evaluable_bids(tender):
    """The bids the committee evaluates: opened, valid at opening, in alias order."""
    return Bid.objects.filter(tender=tender, status=BidStatus.OPENED, is_valid=True).order_by("alias", "id")


def evaluator_bids(member):
    """The bids `member` may see, with their documents (aliases, prices, files; no supplier loaded). Empty
    until `member_may_see_bids`."""
    if not member_may_see_bids(member):
        return Bid.objects.none()
    return (
        evaluable_bids(member.tender)
        .only("id", "tender_id", "alias", "price", "status", "is_valid", "rank", "total_score", "supplier_id")
        .prefetch_related(Prefetch("documents", queryset=BidDocument.objects.select_related("attachment")))
    )


def scores_of(user):
    """The scores the user gave (the API's double-blind "scores" endpoint)."""
    return Score.objects.filter(member__user=user).select_related("member", "member__tender", "bid")


def can_view_bid_files(user, bid_id):
    """Attachment access for the decrypted documents of a bid (stored at opening as attachments of the bid,
    target "procurement.bid"): the park's procurement files readers once the bid is opened, the bidder's own
    enterprise users, and the tender's evaluators who signed the pledge, once the evaluation started (valid
    bids only). Nobody before opening. Registered in `ProcurementConfig.ready()`."""
    if not getattr(user, "is_authenticated", False):
        return False
    bid = Bid.objects.filter(pk=bid_id).select_related("tender", "supplier").first()
    if bid is None or bid.opened_at is None:
        return False
    if can_read_procurement_files(user, bid.tender.park_id):
        return True
    if bid.supplier.enterprise_id in supplier_enterprise_ids(user):
        return True
    member = CommitteeMember.objects.filter(tender_id=bid.tender_id, user=user).select_related("tender").first()
    return member is not None and member_may_see_bids(member) and bid.is_valid is True


def register_bid_file_access():
    from core.attachments import register_attachment_access

    register_attachment_access("procurement.bid", can_view_bid_files)


# --- tenders at the evaluation stages ------------------------------------------------------------------------


def evaluation_tenders_for(user):
    """Tenders from opening to contract of the parks whose procurement files the user reads."""
    return _by_park(Tender.objects.filter(status__in=EVALUATION_STAGE_STATUSES).select_related("park"), user).order_by(
        "-opened_at", "-id"
    )


def ranked_bids(tender):
    """The tender's opened bids with their scores, ranked first (procurement staff only: names included)."""
    return (
        Bid.objects.filter(tender=tender, status__in=(BidStatus.OPENED, BidStatus.TAMPERED))
        .select_related("supplier", "supplier__enterprise")
        .order_by("rank", "alias", "id")
    )


def bidder_users(tender):
    """Active users acting for the enterprises that bid on `tender` (notified of the result)."""
    enterprise_ids = Bid.objects.filter(tender=tender, status__in=(BidStatus.OPENED, BidStatus.TAMPERED)).values(
        "supplier__enterprise_id"
    )
    return (
        get_user_model()
        .objects.filter(is_active=True, enterprise_memberships__enterprise_id__in=enterprise_ids)
        .distinct()
    )


def bidder_supplier_for(user, tender):
    """The supplier (of the enterprises `user` acts for) that bid on `tender`, or None."""
    ids = supplier_enterprise_ids(user)
    if not ids:
        return None
    bid = (
        Bid.objects.filter(
            tender=tender,
            status__in=(BidStatus.OPENED, BidStatus.TAMPERED),
            supplier__enterprise_id__in=ids,
        )
        .select_related("supplier", "supplier__enterprise")
        .first()
    )
    return bid.supplier if bid else None


# --- award, objections, contracts ----------------------------------------------------------------------------


def awards_for(user):
    """Awards of the user's parks (procurement files readers), and announced awards of tenders the user's
    enterprises bid on."""
    queryset = Award.objects.select_related("tender", "tender__park", "supplier", "supplier__enterprise", "bid")
    ids = procurement_park_ids(user)
    if ids is ALL:
        return queryset
    q = Q(tender__park_id__in=ids)
    enterprises = supplier_enterprise_ids(user)
    if enterprises:
        q |= Q(announced_at__isnull=False, tender__bids__supplier__enterprise_id__in=enterprises)
    return queryset.filter(q).distinct()


def public_award_tenders():
    """Tenders whose award is announced (public award publicity, 中选公示)."""
    return Tender.objects.filter(status__in=ANNOUNCED_STATUSES, award__announced_at__isnull=False).select_related(
        "park", "award", "award__supplier", "award__supplier__enterprise"
    )


def publicity_evaluators(tender):
    """The evaluators' names listed on the award publicity (those who evaluated)."""
    return [member.user.get_full_name() for member in seated_members(tender)]


def objections_for(user):
    """Objections of the user's parks (procurement files readers), and those filed by the user's enterprises."""
    queryset = Objection.objects.select_related("tender", "tender__park", "supplier", "supplier__enterprise")
    ids = procurement_park_ids(user)
    if ids is ALL:
        return queryset
    q = Q(tender__park_id__in=ids)
    enterprises = supplier_enterprise_ids(user)
    if enterprises:
        q |= Q(supplier__enterprise_id__in=enterprises)
    return queryset.filter(q)


def current_round_objections(tender):
    """Objections to the current announcement (a re-decided award starts a new round)."""
    queryset = tender.objections.all()
    if tender.announced_at:
        queryset = queryset.filter(filed_at__gte=tender.announced_at)
    return queryset


def contracts_for(user):
    """Contracts of the user's parks, the user's enterprises' own, and every published one."""
    queryset = Contract.objects.select_related("tender", "park", "supplier", "supplier__enterprise")
    ids = procurement_park_ids(user)
    if ids is ALL:
        return queryset
    q = Q(park_id__in=ids) | Q(status=ContractStatus.PUBLISHED)
    enterprises = supplier_enterprise_ids(user)
    if enterprises:
        q |= Q(supplier__enterprise_id__in=enterprises)
    return queryset.filter(q)


def public_contracts():
    return Contract.objects.filter(status=ContractStatus.PUBLISHED).select_related(
        "tender", "park", "supplier", "supplier__enterprise"
    )


def amendments_for(user):
    return ContractAmendment.objects.filter(contract__in=contracts_for(user)).select_related("contract")


def may_manage(user, tender):
    return can_run_procurement(user, tender.park_id)
