"""Officials' declarations (礼品礼金登记、婚丧喜庆事宜报告、亲属经商办企业报告), the yearly round, and the random
verification samples.

CONFIDENTIAL: a declaration, a yearly return and a sample are seen only by the declaring official, the
discipline officers of the park and platform administrators. Every read goes through
`integrity.selectors.declarations`, never through these managers directly.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrity.choices import (
    DeclarationFlag,
    DeclarationKind,
    DeclarationStatus,
    FamilyEventKind,
    GiftHandling,
    GiftKind,
    InterestOutcome,
    InterestRole,
    Relation,
    RequiredAction,
    VerificationOutcome,
    YearlyReturnStatus,
)
from parks.validators import validate_credit_code


class Declaration(models.Model):
    """What every declaration has: the declarant, the park, the review state and the deadline.

    The kind-specific content lives in the child tables (multi-table inheritance), so the discipline office's
    queue, the sample and the export read one table. Statuses and transitions: `integrity.choices`
    (`DECLARATION_TRANSITIONS`), enforced by `integrity.services.declarations`. `due_date` is computed from
    the park's `IntegritySettings` when the content is saved; `is_late` is fixed at the first submission."""

    park = models.ForeignKey(
        "parks.Park", on_delete=models.PROTECT, related_name="integrity_declarations", verbose_name=_("park")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DeclarationKind.choices, editable=False)
    declarant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="integrity_declarations",
        verbose_name=_("declarant"),
    )
    declarant_post = models.CharField(_("declarant's post"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=DeclarationStatus.choices, default=DeclarationStatus.DRAFT
    )
    due_date = models.DateField(_("due by"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("last submitted at"), null=True, blank=True)
    is_late = models.BooleanField(_("late"), default=False)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    is_flagged = models.BooleanField(_("flagged"), default=False)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_reason = models.TextField(_("reason given by the reviewer"), blank=True)
    required_action = models.CharField(_("required action"), max_length=30, choices=RequiredAction.choices, blank=True)
    response_due = models.DateField(_("correction or action due by"), null=True, blank=True)
    returns_count = models.PositiveSmallIntegerField(_("times returned"), default=0)
    action_rounds = models.PositiveSmallIntegerField(_("times an action was required"), default=0)
    action_report = models.TextField(_("action taken"), blank=True)
    action_reported_at = models.DateTimeField(_("action reported at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["park", "status"], name="declaration_park_status"),
            models.Index(fields=["declarant", "status"], name="declaration_declarant"),
            models.Index(fields=["status", "due_date"], name="declaration_status_due"),
            models.Index(fields=["status", "response_due"], name="declaration_status_response"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def detail(self):
        """The kind-specific row (GiftDeclaration, …) of this declaration."""
        if isinstance(self, GiftDeclaration | FamilyEventDeclaration | InterestDeclaration):
            return self
        return getattr(self, KIND_ACCESSORS[self.kind])

    @property
    def flag_labels(self):
        labels = []
        for flag in self.flags or ():
            code = flag.get("code") if isinstance(flag, dict) else flag
            try:
                label = DeclarationFlag(code).label
            except ValueError:
                label = code
            detail = flag.get("detail", "") if isinstance(flag, dict) else ""
            labels.append(f"{label}: {detail}" if detail else str(label))
        return labels

    @property
    def summary(self):
        return self.detail.summary_text()


class GiftDeclaration(Declaration):
    """A gift, money or hospitality received (礼品礼金登记): registered within a month of receipt, money and
    its equivalents always handed in, flagged when the giver's enterprise has open business with the park."""

    giver_name = models.CharField(_("giver"), max_length=200)
    giver_enterprise = models.ForeignKey(
        "parks.Enterprise",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("giver's enterprise"),
    )
    giver_credit_code = models.CharField(
        _("giver's unified social credit code"), max_length=18, blank=True, validators=[validate_credit_code]
    )
    received_on = models.DateField(_("received on"))
    gift_kind = models.CharField(_("kind of gift"), max_length=20, choices=GiftKind.choices)
    description = models.TextField(_("description"))
    estimated_value = models.DecimalField(_("estimated value (yuan)"), max_digits=12, decimal_places=2)
    handling = models.CharField(_("handling"), max_length=20, choices=GiftHandling.choices)
    handled_on = models.DateField(_("handled on"), null=True, blank=True)
    handling_note = models.TextField(_("handling details"), blank=True)

    class Meta:
        verbose_name = _("gift declaration")
        verbose_name_plural = _("gift declarations")

    def summary_text(self):
        return f"{self.giver_name} · {self.get_gift_kind_display()} · ¥{self.estimated_value}"


class FamilyEventDeclaration(Declaration):
    """A wedding, funeral or other family celebration (婚丧喜庆事宜报告): weddings reported 3–10 days before,
    funerals within 10 days after; flagged over the scale cap or when enterprises of the park are invited."""

    event_kind = models.CharField(_("event"), max_length=20, choices=FamilyEventKind.choices)
    person_concerned = models.CharField(
        _("whose event"), max_length=100, help_text=_("E.g. myself, my son, my late father.")
    )
    event_date = models.DateField(_("date"))
    venue = models.CharField(_("venue"), max_length=200)
    tables = models.PositiveSmallIntegerField(_("tables"), default=0)
    guests = models.PositiveIntegerField(_("guests"), default=0)
    invited_enterprises = models.ManyToManyField(
        "parks.Enterprise", blank=True, related_name="+", verbose_name=_("invited enterprises")
    )
    invited_others = models.TextField(
        _("other invited enterprises"),
        blank=True,
        help_text=_("Names or unified social credit codes of invited enterprises not listed above, one a line."),
    )
    description = models.TextField(_("details"), blank=True)

    class Meta:
        verbose_name = _("family event declaration")
        verbose_name_plural = _("family event declarations")

    def summary_text(self):
        return f"{self.get_event_kind_display()} · {self.event_date} · {self.tables}/{self.guests}"


class InterestDeclaration(Declaration):
    """A relative's business (亲属经商办企业报告): the relative, the enterprise by its 统一社会信用代码, their role
    and stake, and how the conflict is handled. Changes are declared within 30 days. Complaint routing and
    procurement ask `officials_with_declared_interest(enterprise)` (through `core.interests`) before assigning
    anyone, so an interest counts from the moment it is written down until `ended_on`."""

    relative_name = models.CharField(_("relative"), max_length=100)
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    enterprise_name = models.CharField(_("enterprise"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, validators=[validate_credit_code], db_index=True
    )
    enterprise = models.ForeignKey(
        "parks.Enterprise",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enterprise in the portal"),
    )
    role = models.CharField(_("role"), max_length=30, choices=InterestRole.choices)
    stake_percent = models.DecimalField(
        _("stake (%)"), max_digits=5, decimal_places=2, null=True, blank=True, help_text=_("Leave empty if none.")
    )
    start_date = models.DateField(_("since"))
    change_date = models.DateField(_("changed on"), null=True, blank=True)
    change_description = models.TextField(_("what changed"), blank=True)
    outcome = models.CharField(
        _("handling"), max_length=30, choices=InterestOutcome.choices, default=InterestOutcome.UNDECIDED
    )
    ended_on = models.DateField(
        _("interest ended on"), null=True, blank=True, help_text=_("When the relative left the enterprise.")
    )

    class Meta:
        verbose_name = _("interest declaration")
        verbose_name_plural = _("interest declarations")

    def summary_text(self):
        return f"{self.relative_name} ({self.get_relation_display()}) · {self.enterprise_name}"


KIND_ACCESSORS = {
    DeclarationKind.GIFT: "giftdeclaration",
    DeclarationKind.FAMILY_EVENT: "familyeventdeclaration",
    DeclarationKind.INTEREST: "interestdeclaration",
}
KIND_MODELS = {
    DeclarationKind.GIFT: GiftDeclaration,
    DeclarationKind.FAMILY_EVENT: FamilyEventDeclaration,
    DeclarationKind.INTEREST: InterestDeclaration,
}


class DeclarationReminder(models.Model):
    """That one reminder about one declaration was sent (`code` names it, e.g. ``draft_due_soon`` or
    ``correction_overdue:2`` for the second return). Unique, so the sweep sends each once."""

    declaration = models.ForeignKey(
        Declaration, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("declaration")
    )
    code = models.CharField(_("reminder"), max_length=40)
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("declaration reminder")
        verbose_name_plural = _("declaration reminders")
        constraints = [models.UniqueConstraint(fields=["declaration", "code"], name="declarationreminder_unique")]

    def __str__(self):
        return f"{self.declaration_id} {self.code}"


class YearlyRound(models.Model):
    """The yearly declaration round of one park for one year: every official of the park files a return on
    that year by the due date (31 January of the next year unless the park's settings say otherwise), nil
    returns included. Opened by `yearly_round_open` (by a discipline officer, or by the beat sweep in
    January)."""

    park = models.ForeignKey(
        "parks.Park", on_delete=models.CASCADE, related_name="integrity_yearly_rounds", verbose_name=_("park")
    )
    year = models.PositiveSmallIntegerField(_("year reported on"))
    due_date = models.DateField(_("due by"))
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )

    class Meta:
        verbose_name = _("yearly declaration round")
        verbose_name_plural = _("yearly declaration rounds")
        ordering = ["park", "-year"]
        constraints = [models.UniqueConstraint(fields=["park", "year"], name="yearlyround_unique_year")]

    def __str__(self):
        return f"{self.park} {self.year}"


class YearlyReturn(models.Model):
    """One official's return in a yearly round: a statement of what they had to report that year, or a nil
    return (无应报告事项). Filed by `yearly_return_file`; on time when filed by the round's due date."""

    round = models.ForeignKey(YearlyRound, on_delete=models.CASCADE, related_name="returns", verbose_name=_("round"))
    park = models.ForeignKey("parks.Park", on_delete=models.CASCADE, related_name="+", verbose_name=_("park"))
    declarant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="integrity_yearly_returns",
        verbose_name=_("declarant"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=YearlyReturnStatus.choices, default=YearlyReturnStatus.PENDING
    )
    is_nil = models.BooleanField(_("nil return"), default=False)
    statement = models.TextField(_("statement"), blank=True)
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    is_late = models.BooleanField(_("late"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("yearly return")
        verbose_name_plural = _("yearly returns")
        ordering = ["round", "declarant__username"]
        constraints = [models.UniqueConstraint(fields=["round", "declarant"], name="yearlyreturn_unique_declarant")]
        indexes = [models.Index(fields=["status", "round"], name="yearlyreturn_status")]

    def __str__(self):
        return f"{self.round} · {self.declarant}"


class YearlyReturnReminder(models.Model):
    """That the reminder for one pending yearly return at one threshold (days before the due date) was sent,
    or skipped because a more urgent one went first."""

    yearly_return = models.ForeignKey(
        YearlyReturn, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("yearly return")
    )
    threshold_days = models.PositiveSmallIntegerField(_("days before the due date"))
    sent_at = models.DateTimeField(_("sent at"))
    skipped = models.BooleanField(_("skipped"), default=False)

    class Meta:
        verbose_name = _("yearly return reminder")
        verbose_name_plural = _("yearly return reminders")
        constraints = [
            models.UniqueConstraint(fields=["yearly_return", "threshold_days"], name="yearlyreturnreminder_unique")
        ]

    def __str__(self):
        return f"{self.yearly_return_id} −{self.threshold_days}d"


class VerificationSample(models.Model):
    """A random sample of a park's declarations drawn for verification (抽查核实) by a discipline officer.

    The population (ids of the filed declarations in the period), the seed and the drawn ids are stored and
    written to the audit trail, so anyone can redo the draw and see it was not picked by hand:
    ``random.Random(seed).sample(sorted(population_ids), size)``."""

    park = models.ForeignKey(
        "parks.Park", on_delete=models.CASCADE, related_name="integrity_samples", verbose_name=_("park")
    )
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("drawn by")
    )
    drawn_at = models.DateTimeField(_("drawn at"))
    period_start = models.DateField(_("submitted from"))
    period_end = models.DateField(_("submitted until"))
    kinds = models.JSONField(_("kinds"), default=list, blank=True)
    percent = models.PositiveSmallIntegerField(_("percent"))
    minimum = models.PositiveSmallIntegerField(_("at least"))
    seed = models.CharField(_("random seed"), max_length=40)
    population_ids = models.JSONField(_("population"), default=list)
    population_size = models.PositiveIntegerField(_("population size"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("verification sample")
        verbose_name_plural = _("verification samples")
        ordering = ["-drawn_at", "-id"]

    def __str__(self):
        return f"{self.park} {self.drawn_at:%Y-%m-%d}"


class SampleItem(models.Model):
    """One drawn declaration and the outcome of its verification (`sample_item_verify`)."""

    sample = models.ForeignKey(
        VerificationSample, on_delete=models.CASCADE, related_name="items", verbose_name=_("sample")
    )
    declaration = models.ForeignKey(
        Declaration, on_delete=models.PROTECT, related_name="sample_items", verbose_name=_("declaration")
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=VerificationOutcome.choices, default=VerificationOutcome.PENDING
    )
    note = models.TextField(_("findings"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sampled declaration")
        verbose_name_plural = _("sampled declarations")
        ordering = ["sample", "declaration_id"]
        constraints = [models.UniqueConstraint(fields=["sample", "declaration"], name="sampleitem_unique")]

    def __str__(self):
        return f"{self.sample_id}: {self.declaration_id}"
