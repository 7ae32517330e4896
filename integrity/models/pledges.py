"""Integrity pledges (廉洁承诺): versioned texts, the signatures, and their renewal reminders."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrity.choices import SignerKind


class PledgeTemplate(models.Model):
    """One published version of a pledge text for one kind of signer in one park. Published (and the previous
    version superseded) by `pledge_template_publish`; its text never changes afterwards, so the hash a pledge
    records always matches the version it names. Pledge templates can cite conduct-list items, which are
    shown under the text and are part of what is signed."""

    park = models.ForeignKey(
        "parks.Park", on_delete=models.CASCADE, related_name="pledge_templates", verbose_name=_("park")
    )
    signer_kind = models.CharField(_("signed by"), max_length=20, choices=SignerKind.choices)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    term_days = models.PositiveIntegerField(_("valid for (days)"), default=365)
    cited_items = models.ManyToManyField(
        "integrity.ConductItem", blank=True, related_name="pledge_templates", verbose_name=_("cited conduct items")
    )
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("pledge template")
        verbose_name_plural = _("pledge templates")
        ordering = ["park", "signer_kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["park", "signer_kind", "version"], name="pledgetemplate_unique_version")
        ]

    def __str__(self):
        return f"{self.title} v{self.version}"

    @property
    def is_current(self):
        return self.superseded_at is None

    def document(self, cited_items=None):
        """The exact text a signer agrees to: title, text and the cited conduct items, one per line.

        `cited_items` may be passed when the caller already holds them (in their display order)."""
        items = list(self.cited_items.order_by("conduct_list_id", "order")) if cited_items is None else cited_items
        parts = [self.title.strip(), "", self.text.strip()]
        if items:
            parts.append("")
            parts.extend(f"{n}. {item.text.strip()}" for n, item in enumerate(items, start=1))
        return "\n".join(parts)

    def document_sha256(self, cited_items=None):
        return hashlib.sha256(self.document(cited_items).encode("utf-8")).hexdigest()


class Pledge(models.Model):
    """A signature under one version of a pledge template: by an official for themself, or by an enterprise
    user for their verified enterprise. Records the version and the SHA-256 of the exact document signed, and
    snapshots of the names shown on the public board (公开栏). Valid until `expires_at` (signed + the
    template's term); renewed by signing again. Created only by `pledge_sign`."""

    template = models.ForeignKey(
        PledgeTemplate, on_delete=models.PROTECT, related_name="pledges", verbose_name=_("pledge template")
    )
    park = models.ForeignKey("parks.Park", on_delete=models.CASCADE, related_name="pledges", verbose_name=_("park"))
    signer_kind = models.CharField(_("signed as"), max_length=20, choices=SignerKind.choices)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pledges", verbose_name=_("signed by")
    )
    enterprise = models.ForeignKey(
        "parks.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pledges",
        verbose_name=_("enterprise"),
    )
    signer_name = models.CharField(_("signer's name"), max_length=150)
    signer_post = models.CharField(_("signer's post"), max_length=200, blank=True)
    enterprise_name = models.CharField(_("enterprise name"), max_length=200, blank=True)
    reference = models.CharField(
        _("reference"), max_length=100, blank=True, help_text=_("E.g. the contract or tender number.")
    )
    template_version = models.PositiveIntegerField(_("template version"))
    text_sha256 = models.CharField(_("SHA-256 of the signed text"), max_length=64)
    signed_at = models.DateTimeField(_("signed at"))
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["-signed_at", "-id"]
        indexes = [
            models.Index(fields=["park", "signer_kind", "expires_at"], name="pledge_park_kind_expiry"),
            models.Index(fields=["expires_at"], name="pledge_expiry"),
            models.Index(fields=["signer", "signer_kind", "signed_at"], name="pledge_signer"),
            models.Index(fields=["enterprise", "signer_kind", "signed_at"], name="pledge_enterprise"),
        ]

    def __str__(self):
        return f"{self.enterprise_name or self.signer_name} · {self.template}"

    def is_valid(self, at=None):
        return self.expires_at > (at or timezone.now())

    @property
    def display_name(self):
        return self.enterprise_name or self.signer_name


class PledgeReminder(models.Model):
    """That the renewal reminder for one pledge at one threshold (days before expiry; 0 = at expiry) was
    sent — or skipped because a more urgent one went out first. The unique constraint makes each reminder
    happen once however often, and however concurrently, the sweep runs."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("pledge"))
    threshold_days = models.PositiveSmallIntegerField(_("days before expiry"))
    sent_at = models.DateTimeField(_("sent at"))
    skipped = models.BooleanField(_("skipped"), default=False)

    class Meta:
        verbose_name = _("pledge reminder")
        verbose_name_plural = _("pledge reminders")
        constraints = [
            models.UniqueConstraint(fields=["pledge", "threshold_days"], name="pledgereminder_unique_threshold")
        ]

    def __str__(self):
        return f"{self.pledge_id} −{self.threshold_days}d"
