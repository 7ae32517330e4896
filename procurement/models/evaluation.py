"""The evaluator pool, a tender's committee drawn from it, the evaluators' scores, and the award."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from procurement.choices import CommitteeMemberStatus, EvaluatorKind


class EvaluatorPoolMember(models.Model):
    """An official or external expert (评审专家) in a park's pool, from which committees are drawn at random."""

    park = models.ForeignKey(
        "parks.Park", on_delete=models.CASCADE, related_name="evaluator_pool", verbose_name=_("park")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluator_pools", verbose_name=_("evaluator")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EvaluatorKind.choices)
    specialty = models.CharField(_("specialty"), max_length=200, blank=True)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    employer_credit_code = models.CharField(_("employer's credit code"), max_length=18, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("evaluator pool member")
        verbose_name_plural = _("evaluator pool")
        ordering = ["park", "kind", "user__username"]
        constraints = [models.UniqueConstraint(fields=["park", "user"], name="evaluatorpool_unique_member")]

    def __str__(self):
        return str(self.user)


class CommitteeDraw(models.Model):
    """One recorded random draw of a tender's evaluation committee: the pool as it was, the random seed, who
    drew and when — so the draw can be replayed and checked."""

    tender = models.ForeignKey(
        "procurement.Tender", on_delete=models.CASCADE, related_name="draws", verbose_name=_("tender")
    )
    seed = models.CharField(_("random seed"), max_length=64)
    pool_snapshot = models.JSONField(_("pool at the draw"), default=list)
    size = models.PositiveSmallIntegerField(_("committee size"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("drawn by")
    )
    drawn_at = models.DateTimeField(_("drawn at"), default=timezone.now)

    class Meta:
        verbose_name = _("committee draw")
        verbose_name_plural = _("committee draws")
        ordering = ["tender", "drawn_at", "id"]

    def __str__(self):
        return f"{self.tender_id} @ {self.drawn_at:%Y-%m-%d %H:%M}"


class CommitteeMember(models.Model):
    """An evaluator on one tender's committee. Must sign the evaluator pledge before seeing bids; recused
    automatically when they or a relative they declared are linked to a bidder."""

    tender = models.ForeignKey(
        "procurement.Tender", on_delete=models.CASCADE, related_name="committee", verbose_name=_("tender")
    )
    draw = models.ForeignKey(
        CommitteeDraw, on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("draw")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="committee_seats", verbose_name=_("evaluator")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EvaluatorKind.choices)
    is_chair = models.BooleanField(_("chair"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=CommitteeMemberStatus.choices, default=CommitteeMemberStatus.DRAWN
    )
    pledge = models.ForeignKey(
        "integrity.Pledge", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("pledge")
    )
    recusal_reason = models.TextField(_("reason for recusal"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["tender", "-is_chair", "id"]
        constraints = [models.UniqueConstraint(fields=["tender", "user"], name="committeemember_unique")]

    def __str__(self):
        return f"{self.tender_id} · {self.user}"


class Score(models.Model):
    """One evaluator's marks for one opened bid (seen by the evaluator as its alias only)."""

    member = models.ForeignKey(
        CommitteeMember, on_delete=models.CASCADE, related_name="scores", verbose_name=_("evaluator")
    )
    bid = models.ForeignKey("procurement.Bid", on_delete=models.CASCADE, related_name="scores", verbose_name=_("bid"))
    technical_score = models.DecimalField(_("technical score"), max_digits=7, decimal_places=2, null=True, blank=True)
    passes_qualification = models.BooleanField(_("meets the qualification requirements"), default=True)
    comment = models.TextField(_("comment"), blank=True)
    scored_at = models.DateTimeField(_("scored at"), default=timezone.now)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [models.UniqueConstraint(fields=["member", "bid"], name="score_unique_member_bid")]

    def __str__(self):
        return f"{self.member_id}/{self.bid_id}"


class Award(models.Model):
    """The buyer's award decision (in the committee's ranking order; skipping a higher-ranked bid needs a
    reason), its announcement and the objection period."""

    tender = models.OneToOneField(
        "procurement.Tender", on_delete=models.PROTECT, related_name="award", verbose_name=_("tender")
    )
    bid = models.ForeignKey(
        "procurement.Bid", on_delete=models.PROTECT, related_name="+", verbose_name=_("winning bid")
    )
    supplier = models.ForeignKey(
        "procurement.Supplier", on_delete=models.PROTECT, related_name="awards", verbose_name=_("supplier")
    )
    amount = models.DecimalField(_("awarded amount (yuan)"), max_digits=14, decimal_places=2)
    reason = models.TextField(
        _("reason"), blank=True, help_text=_("Required when the first-ranked bid is passed over.")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"))
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-decided_at"]
        indexes = [models.Index(fields=["supplier", "decided_at"], name="award_supplier_decided")]

    def __str__(self):
        return f"{self.tender_id} → {self.supplier}"
