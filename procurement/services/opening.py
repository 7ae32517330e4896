"""Opening the sealed bids of a tender (开标), co-signed by a discipline officer (docs/sealed-bids.md).

Choices where the issue is silent:
- Two different people: the procurement officer (or park administrator) who runs the opening and a discipline
  officer of the park who types their password on the same page. One person holding both roles cannot open
  alone, so no single account can read the bids.
- A wrong password is refused and recorded (``tender.opening_refused``) in its own transaction, so the failed
  attempt stays in the trail while nothing is opened.
- Only live sealed bids are decrypted; replaced and withdrawn bids stay sealed for ever.
- Every decrypted bid gets an alias (A, B, C…, then AA, AB…) in a random order (`secrets`), valid or not, so
  the opening record and the evaluators speak of the same letters.
- A bid that decrypts and matches its commitment but whose content cannot be read (no valid positive price)
  is opened and marked invalid; a bid whose supplier could no longer bid at the deadline (suspended,
  qualification expired) is marked invalid too.
- A decrypted document is stored as an attachment of the bid when its type is allowed for attachments (the
  same content checks as every upload); otherwise only its name, size and SHA-256 are kept and the opening note
  says so.
- Fewer valid bids than the method's minimum fails the tender (废标) at once, with the reason and a public
  failure notice; the opening record stays visible.
"""

import secrets
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from core.audit import record_event
from core.errors import Conflict, DomainError, PermissionDenied
from core.notifications import notify
from core.services import attachment_create
from procurement import sealing
from procurement.choices import TENDER_TRANSITIONS, BidStatus, TenderChangeKind, TenderStatus, check_transition
from procurement.models import Bid, BidDocument, OfficerKey, Tender, TenderChange
from procurement.rules import method_rule
from procurement.selectors.access import can_run_procurement, is_discipline_officer
from procurement.selectors.suppliers import supplier_can_bid
from procurement.services.bids import BID_TRANSITIONS
from procurement.services.flags import schedule_flag_check


def alias_for(index):
    """0 → "A", 25 → "Z", 26 → "AA", 27 → "AB"…"""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _parse_price(text):
    try:
        price = Decimal(str(text).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        return None
    if not price.is_finite() or price <= 0 or price >= Decimal("1e12"):
        return None
    return price.quantize(Decimal("0.01"))


def _check_parties(tender, actor, officer, now):
    if not can_run_procurement(actor, tender.park):
        raise PermissionDenied(_("Only the park's procurement officers and administrators open bids."))
    if officer is None or not is_discipline_officer(officer, tender.park):
        raise PermissionDenied(
            _("The opening must be co-signed by a discipline officer of this park."), code="cosigner_required"
        )
    if officer.pk == actor.pk:
        raise DomainError(
            _("The opening needs two people: the co-signing discipline officer cannot be the one who opens."),
            code="same_person",
            field="officer",
        )
    if tender.status != TenderStatus.CLOSED:
        raise Conflict(_("Only a tender whose bidding has closed can be opened."), code="not_closed")
    if tender.bid_deadline is None or now < tender.bid_deadline:
        raise Conflict(_("The bids cannot be opened before the deadline."), code="before_deadline")


def _refuse(tender, actor, officer, exc, now):
    """Record a refused opening attempt in its own transaction, then re-raise."""
    with transaction.atomic():
        record_event(
            action="tender.opening_refused",
            target=tender,
            actor=actor,
            park=tender.park_id,
            data={"officer": officer.pk, "officer_name": officer.get_username(), "code": exc.code},
            at=now,
        )
    raise exc


def tender_open(*, tender, actor, officer, officer_password, now=None):
    """Open the sealed bids of a closed tender; returns the tender (status "opened", or "failed" with too few
    valid bids).

    `actor` is a procurement officer or administrator of the park; `officer` a different person, a discipline
    officer of the park holding a share of the tender's key, who typed `officer_password`. Refuses anyone else,
    the same person twice, a tender not closed or before its deadline, an officer without a share, a wrong
    password (recorded as ``tender.opening_refused``; nothing is opened), and a platform sealing key that is not
    the one the tender was sealed with. Decrypts every live sealed bid, records ``bid.unsealed`` for each (the
    commitment check, never the ciphertext), stores prices and documents, marks tampered and ineligible bids,
    gives aliases in random order, fails the tender below the method's minimum of valid bids, records
    ``tender.opened`` (and ``tender.failed``), notifies the bidders and queues the red-flag check."""
    now = now or timezone.now()
    tender = Tender.objects.select_related("park").get(pk=tender.pk)  # the caller's copy may be stale
    _check_parties(tender, actor, officer, now)
    officer_key = OfficerKey.objects.filter(user=officer).first()
    if officer_key is None:
        _refuse(
            tender,
            actor,
            officer,
            sealing.SealingError(_("This officer has no opening key."), code="no_officer_key", field="officer"),
            now,
        )
    try:
        private_key = sealing.tender_private_key(tender=tender, officer_key=officer_key, password=officer_password)
    except sealing.SealingError as exc:
        if exc.code in ("wrong_password", "password_required"):
            exc.field = "officer_password"
        _refuse(tender, actor, officer, exc, now)

    with transaction.atomic():
        locked = Tender.objects.select_for_update().select_related("park").get(pk=tender.pk)
        _check_parties(locked, actor, officer, now)  # again under the lock: a concurrent opening lost the race
        check_transition(TENDER_TRANSITIONS, locked.status, TenderStatus.OPENED, _("The tender"))
        bids = list(
            Bid.objects.select_for_update()
            .filter(tender=locked, status=BidStatus.SEALED)
            .select_related("supplier", "supplier__enterprise")
            .order_by("id")
        )
        order = list(range(len(bids)))
        secrets.SystemRandom().shuffle(order)
        valid = 0
        summary = []
        for position, bid in zip(order, bids, strict=True):
            _open_one(locked, bid, private_key, actor, alias_for(position), now)
            valid += 1 if bid.is_valid else 0
            summary.append({"receipt": bid.receipt, "alias": bid.alias, "status": bid.status, "valid": bid.is_valid})
        rule = method_rule(locked.park, locked.method)
        before = locked.status
        locked.status = TenderStatus.OPENED
        locked.opened_at = now
        locked.opening_cosigned_by = officer
        locked.save(update_fields=["status", "opened_at", "opening_cosigned_by", "updated_at"])
        record_event(
            action="tender.opened",
            target=locked,
            actor=actor,
            park=locked.park_id,
            data={
                "before": {"status": before},
                "after": {"status": TenderStatus.OPENED, "opened_at": now},
                "cosigned_by": officer.pk,
                "cosigner": officer.get_username(),
                "bids": summary,
                "valid_bids": valid,
                "minimum": rule.min_valid_bids,
            },
            at=now,
        )
        if valid < rule.min_valid_bids:
            _fail(locked, actor, valid, rule.min_valid_bids, now)
        _notify_bidders(locked, bids)
        schedule_flag_check(locked, "opening")
    return Tender.objects.get(pk=locked.pk)


def _open_one(tender, bid, private_key, actor, alias, now):
    result = sealing.unseal_bid(
        private_key, ciphertext=bid.ciphertext, wrapped_key=bid.wrapped_key, iv=bid.iv, commitment=bid.commitment
    )
    fields = ["status", "opened_at", "alias", "commitment_ok", "opening_note", "is_valid", "invalid_reason", "price"]
    notes = []
    bid.opened_at = now
    bid.alias = alias
    if not result.ok:
        check_transition(BID_TRANSITIONS, bid.status, BidStatus.TAMPERED, _("The bid"))
        bid.status = BidStatus.TAMPERED
        bid.commitment_ok = False
        bid.is_valid = False
        if result.problem == "ciphertext":
            notes.append(
                _t("Ciphertext changed: the sealed bid no longer decrypts with its key (authentication failed).")
            )
        else:
            notes.append(
                _t("Ciphertext changed: the decrypted bid does not match the commitment published at the deadline.")
            )
        bid.invalid_reason = _t("The bid failed the commitment check.")
    else:
        check_transition(BID_TRANSITIONS, bid.status, BidStatus.OPENED, _("The bid"))
        bid.status = BidStatus.OPENED
        bid.commitment_ok = True
        price = _parse_price(result.price) if not result.problem else None
        bid.price = price
        reasons = []
        if price is None:
            reasons.append(_t("The bid holds no valid price."))
        allowed, why = supplier_can_bid(bid.supplier, at=tender.bid_deadline)
        if not allowed:
            reasons.append(_t("The supplier could not bid at the deadline: %(reason)s") % {"reason": why})
        bid.is_valid = not reasons
        bid.invalid_reason = " ".join(reasons)
        if result.note:
            notes.append(_t("Bidder's note: %(note)s") % {"note": result.note})
        for document in result.documents or ():
            problem = _store_document(tender, bid, document, now)
            if problem:
                notes.append(problem)
    bid.opening_note = "\n".join(notes)
    bid.save(update_fields=fields)
    record_event(
        action="bid.unsealed",
        target=bid,
        actor=actor,
        park=tender.park_id,
        data={
            "before": {"status": BidStatus.SEALED},
            "after": {"status": bid.status, "alias": alias, "price": bid.price, "valid": bid.is_valid},
            "receipt": bid.receipt,
            "commitment": bid.commitment,
            "commitment_ok": bid.commitment_ok,
            "problem": result.problem,
            "plaintext_sha256": result.plaintext_sha256,
        },
        at=now,
    )


def _store_document(tender, bid, document, now):
    content = document["content"]
    name = (document["name"] or "document").strip()[:200] or "document"
    row = BidDocument(bid=bid, name=name, sha256=sealing.sha256_hex(content), size=len(content))
    problem = ""
    try:
        row.attachment = attachment_create(
            file=ContentFile(content, name=name), actor=None, park=tender.park, target=bid, strip_metadata=False
        )
    except DomainError as exc:
        problem = _t("Document “%(name)s” kept only as its hash: %(reason)s") % {"name": name, "reason": exc}
    row.save()
    return problem


def _fail(tender, actor, valid, minimum, now):
    check_transition(TENDER_TRANSITIONS, tender.status, TenderStatus.FAILED, _("The tender"))
    reason = _t("Fewer valid bids than required: %(valid)d valid, at least %(minimum)d needed.") % {
        "valid": valid,
        "minimum": minimum,
    }
    tender.status = TenderStatus.FAILED
    tender.failed_at = now
    tender.failure_reason = reason
    tender.save(update_fields=["status", "failed_at", "failure_reason", "updated_at"])
    TenderChange.objects.create(
        tender=tender, kind=TenderChangeKind.FAILURE, text=reason, published_at=now, published_by=actor
    )
    record_event(
        action="tender.failed",
        target=tender,
        actor=actor,
        park=tender.park_id,
        data={"before": {"status": TenderStatus.OPENED}, "after": {"status": TenderStatus.FAILED}, "reason": reason},
        at=now,
    )


def _notify_bidders(tender, bids):
    enterprise_ids = {bid.supplier.enterprise_id for bid in bids}
    if not enterprise_ids:
        return
    recipients = (
        get_user_model()
        .objects.filter(is_active=True, enterprise_memberships__enterprise_id__in=enterprise_ids)
        .distinct()
    )
    notify(
        recipients=recipients,
        kind="tender.opened",
        title=_t("Bids opened: %(tender)s") % {"tender": tender.number},
        body=_t("The opening record of %(title)s is available.") % {"title": tender.title},
        url=reverse("procurement:opening-record", args=[tender.pk]),
        park=tender.park,
    )
