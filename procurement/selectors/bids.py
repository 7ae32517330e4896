"""Read queries of sealed bids, receipts, published commitments and the opening record (开标记录).

None of these ever decrypts anything: before opening a bid is only ciphertext, and the pages and API built on
these selectors show receipts and commitments, never the ciphertext or the wrapped key.
"""

from core.roles import DISCIPLINE, has_role
from core.scoping import ALL, park_ids_for
from procurement.choices import BidStatus, TenderStatus
from procurement.models import Bid, BidDocument, OfficerKey, Tender, TenderKeyShare
from procurement.selectors.access import (
    can_read_procurement_files,
    can_run_procurement,
    is_discipline_officer,
    procurement_park_ids,
    supplier_enterprise_ids,
)

# Bids decrypted at opening (a tampered one was decrypted and failed its check, or failed to decrypt).
OPENED_BID_STATUSES = (BidStatus.OPENED, BidStatus.TAMPERED)


def officer_park_ids(user):
    """Parks where `user` is an assigned discipline officer (their opening key gets a share of those tenders)."""
    if not getattr(user, "is_authenticated", False) or not has_role(user, DISCIPLINE):
        return frozenset()
    ids = park_ids_for(user)
    if ids is ALL:
        profile = getattr(user, "staff_profile", None)
        return frozenset(profile.parks.values_list("pk", flat=True)) if profile else frozenset()
    return frozenset(ids)


def officer_key_of(user):
    return OfficerKey.objects.filter(user=user).first() if getattr(user, "is_authenticated", False) else None


def officer_key_shares(user):
    """The tenders whose key share `user`'s opening key holds, newest first."""
    return (
        TenderKeyShare.objects.filter(officer_key__user=user)
        .select_related("tender", "tender__park")
        .order_by("-tender__published_at", "-id")
    )


def tenders_without_share(park=None):
    """Published, unopened tenders that no officer key can co-sign any more (every share lost): they can only be
    failed and re-tendered."""
    qs = Tender.objects.filter(status__in=[TenderStatus.PUBLISHED, TenderStatus.CLOSED]).exclude(
        key_shares__isnull=False
    )
    return qs.filter(park=park) if park is not None else qs


def supplier_bids_for(user):
    """Every bid (any status) of the suppliers `user` acts for, newest first: the "my bids" list."""
    return (
        Bid.objects.filter(supplier__enterprise_id__in=supplier_enterprise_ids(user))
        .select_related("tender", "tender__park", "supplier", "supplier__enterprise")
        .order_by("-submitted_at", "-id")
    )


def live_bid_of(tender, supplier):
    """The supplier's current sealed bid on `tender`, or None."""
    return Bid.objects.filter(tender=tender, supplier=supplier, status=BidStatus.SEALED).first()


def can_bid_for(user, supplier):
    return supplier.enterprise_id in supplier_enterprise_ids(user)


def published_commitments(tender):
    """The commitments and receipt codes of the sealed bids, published at the deadline (empty before). Ordered by
    commitment, so the list says nothing about who bid when."""
    if tender.commitments_published_at is None:
        return Bid.objects.none()
    return (
        Bid.objects.filter(tender=tender, submitted_at__lte=tender.commitments_published_at)
        .filter(status__in=[BidStatus.SEALED, *OPENED_BID_STATUSES])
        .only("id", "tender_id", "receipt", "commitment", "ciphertext_sha256", "status")
        .order_by("commitment")
    )


def is_bidder(user, tender):
    """Whether `user` acts for a supplier with a live (sealed or opened) bid on `tender`."""
    ids = supplier_enterprise_ids(user)
    if not ids:
        return False
    return Bid.objects.filter(
        tender=tender, supplier__enterprise_id__in=ids, status__in=[BidStatus.SEALED, *OPENED_BID_STATUSES]
    ).exists()


def can_see_opening_record(user, tender):
    """The 开标记录 is for the tender's bidders and the officials who read its files, once it has been opened."""
    if tender.opened_at is None:
        return False
    return can_read_procurement_files(user, tender.park) or is_bidder(user, tender)


def opening_record(tender):
    """The opened bids of `tender` with supplier names, prices and commitment checks (caller checks access)."""
    return (
        Bid.objects.filter(tender=tender, status__in=OPENED_BID_STATUSES)
        .select_related("supplier", "supplier__enterprise")
        .prefetch_related("documents")
        .order_by("alias", "id")
    )


def tenders_awaiting_opening(user):
    """Closed tenders of the parks where `user` runs procurement or co-signs openings (the opening list)."""
    ids = procurement_park_ids(user)
    qs = Tender.objects.filter(status=TenderStatus.CLOSED).select_related("park").order_by("bid_deadline", "id")
    if ids is ALL:
        return qs
    return qs.filter(park_id__in=ids)


def can_open(user, tender):
    return can_run_procurement(user, tender.park)


def can_cosign(user, tender):
    return is_discipline_officer(user, tender.park)


def cosigning_officers(tender):
    """Discipline officers holding a share of `tender`'s key (who may co-sign its opening)."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(officer_key__tender_shares__tender=tender, is_active=True)
        .distinct()
        .order_by("username")
    )


def bid_documents(bid):
    return BidDocument.objects.filter(bid=bid).select_related("attachment").order_by("name", "id")
