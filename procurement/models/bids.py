"""Sealed bids and the keys that open them (see docs/sealed-bids.md for the threat model)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from procurement.choices import BidStatus


class OfficerKey(models.Model):
    """A discipline officer's key pair for co-signing openings. The private key is stored only encrypted under
    a key derived from the officer's password (scrypt with its own salt — not Django's password hash), so the
    server cannot use it without the officer typing their password."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="officer_key", verbose_name=_("officer")
    )
    public_key_pem = models.TextField(_("public key"))
    encrypted_private_key = models.BinaryField(_("encrypted private key"), editable=False)
    kdf_salt = models.BinaryField(_("key-derivation salt"), editable=False)
    kdf_params = models.JSONField(_("key-derivation parameters"), default=dict)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    rewrapped_at = models.DateTimeField(_("re-encrypted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("officer opening key")
        verbose_name_plural = _("officer opening keys")

    def __str__(self):
        return f"{self.user} · {self.fingerprint[:16]}"


class TenderKeyShare(models.Model):
    """The officers' share of one tender's sealing key, wrapped to one discipline officer's public key. Any one
    of the park's officers can co-sign the opening with it."""

    tender = models.ForeignKey(
        "procurement.Tender", on_delete=models.CASCADE, related_name="key_shares", verbose_name=_("tender")
    )
    officer_key = models.ForeignKey(
        OfficerKey, on_delete=models.CASCADE, related_name="tender_shares", verbose_name=_("officer key")
    )
    wrapped_share = models.BinaryField(_("wrapped share"), editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("tender key share")
        verbose_name_plural = _("tender key shares")
        constraints = [models.UniqueConstraint(fields=["tender", "officer_key"], name="tenderkeyshare_unique")]

    def __str__(self):
        return f"{self.tender_id} → {self.officer_key_id}"


class Bid(models.Model):
    """One sealed bid: ciphertext produced in the bidder's browser (or API client) with the tender's public
    key. Until opening the server holds only the ciphertext, the wrapped content key and the bidder's
    commitment (SHA-256 of the plaintext, which includes a random nonce). A replaced bid stays as a row with
    status "replaced"; withdrawal keeps the row too. After opening, the decrypted price and document hashes
    are filled and `commitment_ok` says whether the plaintext matched the commitment published at the
    deadline. `alias` (A, B, C…) is what evaluators see until the award recommendation is recorded."""

    tender = models.ForeignKey(
        "procurement.Tender", on_delete=models.PROTECT, related_name="bids", verbose_name=_("tender")
    )
    supplier = models.ForeignKey(
        "procurement.Supplier", on_delete=models.PROTECT, related_name="bids", verbose_name=_("supplier")
    )
    status = models.CharField(_("status"), max_length=20, choices=BidStatus.choices, default=BidStatus.SEALED)
    ciphertext = models.BinaryField(_("ciphertext"), editable=False)
    wrapped_key = models.BinaryField(_("wrapped content key"), editable=False)
    iv = models.BinaryField(_("initialisation vector"), editable=False)
    commitment = models.CharField(_("commitment (SHA-256)"), max_length=64)
    ciphertext_sha256 = models.CharField(_("SHA-256 of the ciphertext"), max_length=64)
    receipt = models.CharField(_("receipt"), max_length=80, unique=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    replaced_by = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaces", verbose_name=_("replaced by")
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    # Filled at opening.
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    alias = models.CharField(_("alias"), max_length=4, blank=True)
    price = models.DecimalField(_("price (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    commitment_ok = models.BooleanField(_("commitment matches"), null=True, blank=True)
    opening_note = models.TextField(_("opening note"), blank=True)
    is_valid = models.BooleanField(_("valid bid"), null=True, blank=True)
    invalid_reason = models.TextField(_("why invalid"), blank=True)

    # Filled by the evaluation.
    price_score = models.DecimalField(_("price score"), max_digits=7, decimal_places=2, null=True, blank=True)
    technical_score = models.DecimalField(_("technical score"), max_digits=7, decimal_places=2, null=True, blank=True)
    total_score = models.DecimalField(_("total score"), max_digits=7, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)

    class Meta:
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        ordering = ["tender", "alias", "submitted_at", "id"]
        constraints = [
            # At most one live (sealed or opened) bid per supplier per tender.
            models.UniqueConstraint(
                fields=["tender", "supplier"],
                condition=models.Q(status__in=["sealed", "opened", "tampered"]),
                name="bid_one_live_per_supplier",
            )
        ]
        indexes = [models.Index(fields=["tender", "status"], name="bid_tender_status")]

    def __str__(self):
        return f"{self.tender.number} · {self.alias or self.receipt}"


class BidDocument(models.Model):
    """A document of an opened bid: decrypted at opening, stored as an attachment, with its SHA-256 (compared
    across bidders by the red-flag check)."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="documents", verbose_name=_("bid"))
    name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size"))
    attachment = models.ForeignKey(
        "core.Attachment", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("file")
    )

    class Meta:
        verbose_name = _("bid document")
        verbose_name_plural = _("bid documents")
        ordering = ["bid", "name"]
        indexes = [models.Index(fields=["sha256"], name="biddocument_sha256")]

    def __str__(self):
        return self.name
