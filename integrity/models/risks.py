"""The integrity-risk register (廉政风险台账): versioned matrix rules, risks, their controls (防控措施) and
reviews, the review reminders, and screening campaigns (排查) with each department's response.

Rows change only through `integrity.services.risks`.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrity.choices_risk import (
    CampaignStatus,
    ControlKind,
    ControlStatus,
    PullForwardReason,
    ResponseStatus,
    ReviewReminderKind,
    RiskArea,
    RiskLevel,
    RiskSource,
    RiskStatus,
)
from integrity.risk_matrix import (
    DEFAULT_HIGH_FROM,
    DEFAULT_INHERENT_MAJOR_MAX_DAYS,
    DEFAULT_MAJOR_FROM,
    DEFAULT_MEDIUM_FROM,
    MatrixRules,
    default_impact_floors,
    default_review_days,
)

__all__ = [
    "IntegrityRisk",
    "RiskControl",
    "RiskMatrixVersion",
    "RiskReview",
    "RiskReviewReminder",
    "RiskScreeningCampaign",
    "RiskScreeningReminder",
    "RiskScreeningResponse",
]

SCALE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


def default_campaign_reminder_days():
    """Days before the deadline at which departments that have not answered are reminded; -1 is the day
    after the deadline (the reminder then also goes to the campaign's organiser)."""
    return [3, 1, -1]


class RiskMatrixVersion(models.Model):
    """One published version of the matrix rules: level thresholds on the likelihood × impact score, the
    impact floors ("impact 5 at least 高, impact 4 at least 中"), the review cadence by residual level and the
    cap for inherently 重大 risks. A version with no park is the platform default; a park may publish its own.
    Never changed after publication: each risk keeps the version it was scored under. Published by
    `risk_matrix_publish`; version 1 of the platform default comes from a data migration."""

    park = models.ForeignKey(
        "parks.Park",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="risk_matrix_versions",
        verbose_name=_("park"),
        help_text=_("Empty: the platform default, used by parks without their own version."),
    )
    version = models.PositiveIntegerField(_("version"))
    medium_from = models.PositiveSmallIntegerField(_("medium from score"), default=DEFAULT_MEDIUM_FROM)
    high_from = models.PositiveSmallIntegerField(_("high from score"), default=DEFAULT_HIGH_FROM)
    major_from = models.PositiveSmallIntegerField(_("major from score"), default=DEFAULT_MAJOR_FROM)
    impact_floors = models.JSONField(
        _("lowest level per impact"),
        default=default_impact_floors,
        help_text=_('For example {"5": "high", "4": "medium"}: impact 5 is at least high, impact 4 at least medium.'),
    )
    review_days = models.JSONField(_("review interval by residual level (days)"), default=default_review_days)
    inherent_major_max_days = models.PositiveSmallIntegerField(
        _("longest interval for inherently major risks (days)"), default=DEFAULT_INHERENT_MAJOR_MAX_DAYS
    )
    upcoming_reminder_days = models.PositiveSmallIntegerField(_("remind this many days before a review"), default=7)
    escalate_after_working_days = models.PositiveSmallIntegerField(
        _("escalate this many working days after a missed review"), default=5
    )
    note = models.TextField(_("note"), blank=True)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        verbose_name = _("risk matrix version")
        verbose_name_plural = _("risk matrix versions")
        ordering = ["park", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["park", "version"], condition=Q(park__isnull=False), name="riskmatrix_unique_park_version"
            ),
            models.UniqueConstraint(
                fields=["version"], condition=Q(park__isnull=True), name="riskmatrix_unique_default_version"
            ),
        ]

    def __str__(self):
        scope = self.park.name if self.park_id else _("platform default")
        return f"{scope} v{self.version}"

    @property
    def rules(self):
        return MatrixRules.from_version(self)


class IntegrityRisk(models.Model):
    """A risk point (风险点) of one post (岗位) in one department: what could go wrong, how it shows, its
    inherent and residual likelihood × impact with the levels computed under `matrix_version`, its status
    and its review schedule.

    ``review_due_date`` is when the next review is due (what reminders read); ``review_anchor_date`` is the
    regular cadence date it was computed from. They differ only while a review is pulled forward; the next
    due date is counted from the anchor, so the schedule never drifts (see `integrity.risk_matrix`)."""

    park = models.ForeignKey("parks.Park", on_delete=models.CASCADE, related_name="risks", verbose_name=_("park"))
    department = models.ForeignKey(
        "parks.Department", on_delete=models.PROTECT, related_name="risks", verbose_name=_("department")
    )
    post = models.CharField(_("post"), max_length=100)
    post_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("post holder"),
    )
    area = models.CharField(_("area"), max_length=20, choices=RiskArea.choices)
    title = models.CharField(_("risk point"), max_length=200)
    description = models.TextField(_("description"))
    manifestations = models.TextField(_("manifestations"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible person"),
    )
    matrix_version = models.ForeignKey(
        RiskMatrixVersion, on_delete=models.PROTECT, related_name="risks", verbose_name=_("scored under")
    )
    inherent_likelihood = models.PositiveSmallIntegerField(_("inherent likelihood"), validators=SCALE_VALIDATORS)
    inherent_impact = models.PositiveSmallIntegerField(_("inherent impact"), validators=SCALE_VALIDATORS)
    inherent_score = models.PositiveSmallIntegerField(_("inherent score"))
    inherent_level = models.CharField(_("inherent level"), max_length=10, choices=RiskLevel.choices)
    residual_likelihood = models.PositiveSmallIntegerField(_("residual likelihood"), validators=SCALE_VALIDATORS)
    residual_impact = models.PositiveSmallIntegerField(_("residual impact"), validators=SCALE_VALIDATORS)
    residual_score = models.PositiveSmallIntegerField(_("residual score"))
    residual_level = models.CharField(_("residual level"), max_length=10, choices=RiskLevel.choices)
    status = models.CharField(_("status"), max_length=20, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    source = models.CharField(
        _("source"), max_length=20, choices=RiskSource.choices, default=RiskSource.SELF_ASSESSMENT
    )
    source_ticket = models.ForeignKey(
        "complaints.Ticket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("raised from ticket"),
    )
    source_reference = models.CharField(_("source reference"), max_length=200, blank=True)
    review_anchor_date = models.DateField(_("regular review date"), null=True, blank=True)
    review_due_date = models.DateField(_("next review due"), null=True, blank=True)
    review_pulled_reason = models.CharField(
        _("review pulled forward because"), max_length=30, choices=PullForwardReason.choices, blank=True
    )
    review_pulled_note = models.TextField(_("note on the pulled-forward review"), blank=True)
    last_reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)
    decision_note = models.TextField(_("note on the last decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("integrity risk")
        verbose_name_plural = _("integrity risks")
        ordering = ["park", "department", "post", "id"]
        indexes = [
            models.Index(fields=["park", "status", "residual_level"], name="risk_park_status_level"),
            models.Index(fields=["department", "status"], name="risk_department_status"),
            models.Index(fields=["status", "review_due_date"], name="risk_status_review_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(inherent_likelihood__gte=1, inherent_likelihood__lte=5)
                & Q(inherent_impact__gte=1, inherent_impact__lte=5)
                & Q(residual_likelihood__gte=1, residual_likelihood__lte=5)
                & Q(residual_impact__gte=1, residual_impact__lte=5),
                name="risk_scores_on_the_5x5_matrix",
            )
        ]

    def __str__(self):
        return self.title

    def is_review_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.review_due_date is not None and self.review_due_date < today


class RiskControl(models.Model):
    """A control (防控措施) of one of the five kinds, with its owner, due date and status; evidence files are
    attached to it through `core.attachments`. Added by `risk_control_add`, completed by
    `risk_control_complete`, cancelled by `risk_control_cancel`."""

    risk = models.ForeignKey(IntegrityRisk, on_delete=models.CASCADE, related_name="controls", verbose_name=_("risk"))
    kind = models.CharField(_("kind"), max_length=20, choices=ControlKind.choices)
    description = models.TextField(_("control"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="risk_controls",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=10, choices=ControlStatus.choices, default=ControlStatus.OPEN)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("completed by"),
    )
    completion_note = models.TextField(_("what was done"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("risk control")
        verbose_name_plural = _("risk controls")
        ordering = ["risk", "due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"], name="riskcontrol_status_due")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.description[:40]}"

    @property
    def park_id(self):
        # Attachments (evidence) check that a file was uploaded for the record's park.
        return self.risk.park_id

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.status == ControlStatus.OPEN and self.due_date < today


class RiskReview(models.Model):
    """One review of a risk (复核): who, when, what they found, and the residual scores it set (levels
    computed under the risk's matrix version). ``due_date`` is the review it satisfied and
    ``next_due_date`` what it scheduled. Recorded by `risk_review_record`."""

    risk = models.ForeignKey(IntegrityRisk, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("risk"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewer")
    )
    reviewed_on = models.DateField(_("reviewed on"))
    findings = models.TextField(_("findings"))
    residual_likelihood = models.PositiveSmallIntegerField(_("residual likelihood"), validators=SCALE_VALIDATORS)
    residual_impact = models.PositiveSmallIntegerField(_("residual impact"), validators=SCALE_VALIDATORS)
    residual_score = models.PositiveSmallIntegerField(_("residual score"))
    residual_level = models.CharField(_("residual level"), max_length=10, choices=RiskLevel.choices)
    previous_residual_level = models.CharField(
        _("residual level before"), max_length=10, choices=RiskLevel.choices, blank=True
    )
    matrix_version = models.ForeignKey(
        RiskMatrixVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("scored under")
    )
    due_date = models.DateField(_("review that was due"), null=True, blank=True)
    next_due_date = models.DateField(_("next review due"), null=True, blank=True)
    was_pulled_forward = models.BooleanField(_("pulled forward"), default=False)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("risk review")
        verbose_name_plural = _("risk reviews")
        ordering = ["risk", "-reviewed_on", "-id"]

    def __str__(self):
        return f"{self.risk} · {self.reviewed_on}"

    @property
    def was_late(self):
        return self.due_date is not None and self.reviewed_on > self.due_date


class RiskReviewReminder(models.Model):
    """A review reminder sent once: one row per risk, due date and kind (upcoming, due, escalated). The
    unique constraint is what makes the sweep safe to run twice, or twice at once."""

    risk = models.ForeignKey(
        IntegrityRisk, on_delete=models.CASCADE, related_name="review_reminders", verbose_name=_("risk")
    )
    due_date = models.DateField(_("review due"))
    kind = models.CharField(_("kind"), max_length=10, choices=ReviewReminderKind.choices)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipient_count = models.PositiveSmallIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("risk review reminder")
        verbose_name_plural = _("risk review reminders")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["risk", "due_date", "kind"], name="riskreviewreminder_once"),
        ]

    def __str__(self):
        return f"{self.risk} · {self.due_date} · {self.get_kind_display()}"


class RiskScreeningCampaign(models.Model):
    """A screening campaign (廉洁风险排查): the park asks each of its departments to report its risk points by
    a deadline; a department with nothing to report answers with a nil response. Launched by
    `screening_campaign_launch`, which creates one response per department; closed by
    `screening_campaign_close`."""

    park = models.ForeignKey(
        "parks.Park", on_delete=models.CASCADE, related_name="risk_screenings", verbose_name=_("park")
    )
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(_("instructions"), blank=True)
    areas = models.JSONField(_("areas in focus"), default=list, blank=True)
    deadline = models.DateField(_("deadline"))
    reminder_days = models.JSONField(
        _("reminders (days before the deadline; -1 the day after)"), default=default_campaign_reminder_days
    )
    status = models.CharField(_("status"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("launched by"),
    )
    created_at = models.DateTimeField(_("launched at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )

    class Meta:
        verbose_name = _("risk screening campaign")
        verbose_name_plural = _("risk screening campaigns")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "deadline"], name="screening_status_deadline")]

    def __str__(self):
        return self.title


class RiskScreeningResponse(models.Model):
    """One department's answer to a screening campaign: the risks it reported, or a nil response, or still
    nothing. Answered through `screening_response_submit`."""

    campaign = models.ForeignKey(
        RiskScreeningCampaign, on_delete=models.CASCADE, related_name="responses", verbose_name=_("campaign")
    )
    department = models.ForeignKey(
        "parks.Department",
        on_delete=models.CASCADE,
        related_name="risk_screening_responses",
        verbose_name=_("department"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.PENDING
    )
    risks = models.ManyToManyField(
        IntegrityRisk, blank=True, related_name="screening_responses", verbose_name=_("risks reported")
    )
    note = models.TextField(_("note"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )

    class Meta:
        verbose_name = _("screening response")
        verbose_name_plural = _("screening responses")
        ordering = ["campaign", "department__name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "department"], name="screeningresponse_once_per_department")
        ]

    def __str__(self):
        return f"{self.campaign} · {self.department}"

    @property
    def park_id(self):
        return self.campaign.park_id

    def is_late(self):
        if self.answered_at is not None:
            return timezone.localdate(self.answered_at) > self.campaign.deadline
        return timezone.localdate() > self.campaign.deadline


class RiskScreeningReminder(models.Model):
    """A reminder to a department that has not answered a campaign, sent once per threshold."""

    response = models.ForeignKey(
        RiskScreeningResponse, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("response")
    )
    threshold = models.SmallIntegerField(_("days before the deadline"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    notified = models.BooleanField(
        _("notified"), default=True, help_text=_("False when a later reminder of the same sweep superseded it.")
    )

    class Meta:
        verbose_name = _("screening reminder")
        verbose_name_plural = _("screening reminders")
        ordering = ["-sent_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["response", "threshold"], name="screeningreminder_once")]

    def __str__(self):
        return f"{self.response} · {self.threshold}"
