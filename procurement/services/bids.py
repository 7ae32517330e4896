"""Submitting, replacing and withdrawing sealed bids (docs/sealed-bids.md).

The server receives only what the bidder's browser (static/procurement/js/seal.js) or API client
(`procurement.sealing.client_seal`) produced: the AES-GCM ciphertext, the RSA-OAEP-wrapped content key, the IV
and the SHA-256 commitment of the plaintext. Nothing here can decrypt a bid; audit events name the receipt,
the commitment and the SHA-256 of the ciphertext, never the ciphertext itself.

Choices where the issue is silent:
- A supplier bids on tenders of the park it is registered (and approved) in; an invited tender takes bids only
  from the invited suppliers, a single-source procurement only from the proposed supplier.
- A new bid from the same supplier replaces its live sealed bid (the old row stays, status "replaced", and is
  never decrypted); a withdrawn bid is never decrypted either. The deadline is exclusive: at the deadline second
  the bid is late.
- The receipt code is random (it is published with the commitments at the deadline and must not name the
  supplier).
"""

import secrets
import string

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from core.audit import record_event
from core.errors import Conflict, DomainError, PermissionDenied
from procurement import sealing
from procurement.choices import BidStatus, Method, TenderStatus, check_transition
from procurement.models import Bid, Tender
from procurement.selectors.bids import can_bid_for
from procurement.selectors.suppliers import supplier_can_bid

BID_TRANSITIONS = {
    BidStatus.SEALED: {BidStatus.REPLACED, BidStatus.WITHDRAWN, BidStatus.OPENED, BidStatus.TAMPERED},
    BidStatus.REPLACED: set(),
    BidStatus.WITHDRAWN: set(),
    BidStatus.OPENED: set(),
    BidStatus.TAMPERED: set(),
}

_RECEIPT_ALPHABET = string.ascii_uppercase.replace("O", "").replace("I", "") + "23456789"


def _receipt_code():
    raw = "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(16))
    return "R-" + "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def _deadline_text(tender):
    return formats.date_format(timezone.localtime(tender.bid_deadline), "DATETIME_FORMAT")


def _check_open_for_bids(tender, now):
    if tender.status != TenderStatus.PUBLISHED or tender.bid_deadline is None:
        raise Conflict(_("This tender is not open for bids."), code="tender_not_open")
    if now >= tender.bid_deadline:
        raise Conflict(
            _("Bids closed at %(deadline)s; a late bid cannot be accepted.") % {"deadline": _deadline_text(tender)},
            code="late_bid",
        )
    if not tender.public_key_pem:
        raise Conflict(_("This tender has no sealing key."), code="no_sealing_key")


def _check_supplier(tender, supplier, now):
    if supplier.park_id != tender.park_id:
        raise DomainError(_("Only suppliers registered in this park can bid on its tenders."), code="other_park")
    allowed, reason = supplier_can_bid(supplier, at=now)
    if not allowed:
        raise DomainError(reason, code="supplier_cannot_bid")
    if tender.method == Method.INVITED_TENDER and not tender.invited_suppliers.filter(pk=supplier.pk).exists():
        raise DomainError(_("Only invited suppliers can bid on this tender."), code="not_invited")
    if tender.method == Method.SINGLE_SOURCE and tender.proposed_supplier_id != supplier.pk:
        raise DomainError(
            _("Only the proposed supplier can bid in this single-source procurement."), code="not_proposed"
        )


def _decode(ciphertext, wrapped_key, iv, commitment):
    ciphertext = sealing.decode_b64(ciphertext, field="ciphertext", maximum=sealing.MAX_CIPHERTEXT_BYTES)
    if len(ciphertext) <= sealing.GCM_TAG_BYTES:
        raise DomainError(_("The sealed bid is too short to hold anything."), code="bad_length", field="ciphertext")
    wrapped_key = sealing.decode_b64(wrapped_key, field="wrapped_key", expected=sealing.WRAPPED_KEY_BYTES)
    iv = sealing.decode_b64(iv, field="iv", expected=sealing.IV_BYTES)
    commitment = (commitment or "").strip().lower()
    if len(commitment) != 64 or any(c not in "0123456789abcdef" for c in commitment):
        raise DomainError(
            _("The commitment must be a SHA-256 hash (64 hexadecimal characters)."),
            code="bad_commitment",
            field="commitment",
        )
    return ciphertext, wrapped_key, iv, commitment


def bid_submit(*, tender, supplier, actor, ciphertext, wrapped_key, iv, commitment, now=None):
    """Store a sealed bid of `supplier` on `tender`; returns the new `Bid` (its `receipt` and `commitment` are
    the bidder's receipt).

    `ciphertext`, `wrapped_key` and `iv` are base64 text (or raw bytes); `commitment` is the SHA-256 hex of the
    plaintext. May call: a user acting for the supplier's enterprise. Refuses a tender that is not open for bids
    or whose deadline has passed (a late bid, naming the deadline), a supplier that may not bid (not approved,
    qualification expired, other park, not invited), a wrapped key that is not 384 bytes, an IV that is not 12
    bytes, a malformed commitment, and a ciphertext over the size limit. Replaces the supplier's live sealed bid
    (status "replaced"). Records ``bid.submitted`` (receipt, commitment, ciphertext hash and size) and
    ``bid.replaced`` on the replaced bid."""
    now = now or timezone.now()
    if not can_bid_for(actor, supplier):
        raise PermissionDenied(_("You can only bid for a supplier your enterprise account represents."))
    ciphertext, wrapped_key, iv, commitment = _decode(ciphertext, wrapped_key, iv, commitment)
    with transaction.atomic():
        # Lock the tender: closing at the deadline takes the same lock, so no bid slips in after it.
        locked = Tender.objects.select_for_update().get(pk=tender.pk)
        _check_open_for_bids(locked, now)
        _check_supplier(locked, supplier, now)
        previous = (
            Bid.objects.select_for_update().filter(tender=locked, supplier=supplier, status=BidStatus.SEALED).first()
        )
        if previous is not None:
            check_transition(BID_TRANSITIONS, previous.status, BidStatus.REPLACED, _("The bid"))
            previous.status = BidStatus.REPLACED
            previous.save(update_fields=["status"])
        bid = Bid.objects.create(
            tender=locked,
            supplier=supplier,
            status=BidStatus.SEALED,
            ciphertext=ciphertext,
            wrapped_key=wrapped_key,
            iv=iv,
            commitment=commitment,
            ciphertext_sha256=sealing.sha256_hex(ciphertext),
            receipt=_receipt_code(),
            submitted_by=actor,
            submitted_at=now,
        )
        if previous is not None:
            previous.replaced_by = bid
            previous.save(update_fields=["replaced_by"])
            record_event(
                action="bid.replaced",
                target=previous,
                actor=actor,
                park=locked.park_id,
                data={
                    "before": {"status": BidStatus.SEALED},
                    "after": {"status": BidStatus.REPLACED},
                    "by": bid.receipt,
                },
                at=now,
            )
        record_event(
            action="bid.submitted",
            target=bid,
            actor=actor,
            park=locked.park_id,
            data={
                "after": {"status": BidStatus.SEALED},
                "tender": locked.number,
                "receipt": bid.receipt,
                "commitment": commitment,
                "ciphertext_sha256": bid.ciphertext_sha256,
                "ciphertext_bytes": len(ciphertext),
                "replaces": previous.receipt if previous else None,
            },
            at=now,
        )
    return bid


def bid_withdraw(*, bid, actor, now=None):
    """Withdraw a sealed bid before the deadline; it is never decrypted. May call: a user acting for the bid's
    supplier. Refuses a bid that is not sealed (replaced, withdrawn, opened) and a withdrawal at or after the
    deadline. Records ``bid.withdrawn``."""
    now = now or timezone.now()
    if not can_bid_for(actor, bid.supplier):
        raise PermissionDenied(_("You can only withdraw your own enterprise's bids."))
    with transaction.atomic():
        tender = Tender.objects.select_for_update().get(pk=bid.tender_id)
        locked = Bid.objects.select_for_update().get(pk=bid.pk)
        check_transition(BID_TRANSITIONS, locked.status, BidStatus.WITHDRAWN, _("The bid"))
        if tender.status != TenderStatus.PUBLISHED or tender.bid_deadline is None or now >= tender.bid_deadline:
            raise Conflict(
                _("Bids could be withdrawn until %(deadline)s.") % {"deadline": _deadline_text(tender)},
                code="late_withdrawal",
            )
        locked.status = BidStatus.WITHDRAWN
        locked.withdrawn_at = now
        locked.save(update_fields=["status", "withdrawn_at"])
        record_event(
            action="bid.withdrawn",
            target=locked,
            actor=actor,
            park=tender.park_id,
            data={
                "before": {"status": BidStatus.SEALED},
                "after": {"status": BidStatus.WITHDRAWN},
                "receipt": locked.receipt,
            },
            at=now,
        )
    bid.status, bid.withdrawn_at = locked.status, locked.withdrawn_at
    return locked
