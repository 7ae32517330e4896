"""The 三重一大 register: decision bodies with their rosters, meetings with attendance and minutes, the items
decided there (collective decisions) with each member's position, the park's amount thresholds, and the
register of large fund payments (大额资金支付) that must rest on a collective decision.

Rows change only through `integrity.services.decisions`; the compliance flags are computed from them by
`integrity.decisions_flags`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrity.choices_decisions import Attendance, BodyKind, DecisionKind, MeetingType, Outcome, Position

__all__ = [
    "CollectiveDecision",
    "DecisionBody",
    "DecisionBodyMember",
    "DecisionThreshold",
    "DecisionVote",
    "FundPayment",
    "Meeting",
    "MeetingAttendance",
]

MONEY = {"max_digits": 14, "decimal_places": 2}


class DecisionThreshold(models.Model):
    """The amount (yuan) from which an item of a park needs a collective decision. A row with no kind is the
    park's general threshold; a row with a kind overrides it for that kind. Without any row the park uses
    `integrity.decisions_flags.DEFAULT_THRESHOLD`. Set by `decision_threshold_set`."""

    park = models.ForeignKey(
        "parks.Park", on_delete=models.CASCADE, related_name="decision_thresholds", verbose_name=_("park")
    )
    kind = models.CharField(
        _("kind of item"),
        max_length=20,
        choices=DecisionKind.choices,
        blank=True,
        help_text=_("Empty: every kind without a threshold of its own."),
    )
    amount = models.DecimalField(_("threshold (yuan)"), **MONEY)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("decision threshold")
        verbose_name_plural = _("decision thresholds")
        ordering = ["park", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["park", "kind"], name="decisionthreshold_once_per_park_kind"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="decisionthreshold_amount_positive"),
        ]

    def __str__(self):
        return f"{self.park} · {self.get_kind_display() or _('all kinds')} · {self.amount}"


class DecisionBody(models.Model):
    """A body that takes collective decisions (党工委会议, 管委会主任办公会…) in one park. Created by
    `decision_body_create`, changed by `decision_body_update`."""

    park = models.ForeignKey(
        "parks.Park", on_delete=models.CASCADE, related_name="decision_bodies", verbose_name=_("park")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=BodyKind.choices)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("decision body")
        verbose_name_plural = _("decision bodies")
        ordering = ["park", "name"]
        constraints = [models.UniqueConstraint(fields=["park", "name"], name="decisionbody_unique_name_per_park")]

    def __str__(self):
        return self.name

    def members_on(self, day):
        """The roster entitled to sit on `day` (from the prefetched ``members`` when loaded)."""
        return [m for m in self.members.all() if m.is_entitled_on(day)]


class DecisionBodyMember(models.Model):
    """A seat on a body's roster: who (a portal user, or only a name), in which post, from when until when.
    The members entitled to sit at a meeting are those whose period covers its date. Added by
    `body_member_add`, ended by `body_member_end`."""

    body = models.ForeignKey(DecisionBody, on_delete=models.CASCADE, related_name="members", verbose_name=_("body"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decision_seats",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    post = models.CharField(_("post"), max_length=100, help_text=_("For example 党工委书记, 管委会副主任."))
    from_date = models.DateField(_("member from"))
    to_date = models.DateField(_("member until"), null=True, blank=True)
    created_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("decision body member")
        verbose_name_plural = _("decision body members")
        ordering = ["body", "from_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_date__isnull=True) | Q(to_date__gte=models.F("from_date")),
                name="decisionbodymember_period_in_order",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.post})"

    @property
    def park_id(self):
        return self.body.park_id

    def is_entitled_on(self, day):
        return self.from_date <= day and (self.to_date is None or self.to_date >= day)


class Meeting(models.Model):
    """One meeting of a body: type, date, number, when the agenda was notified, and its minutes (files
    attached through `core.attachments`). Recorded by `meeting_create`, attendance by
    `meeting_record_attendance`, minutes by `meeting_attach_minutes`."""

    body = models.ForeignKey(DecisionBody, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("body"))
    park = models.ForeignKey("parks.Park", on_delete=models.CASCADE, related_name="meetings", verbose_name=_("park"))
    meeting_type = models.CharField(_("meeting type"), max_length=20, choices=MeetingType.choices)
    held_on = models.DateField(_("held on"))
    number = models.CharField(_("number"), max_length=50, blank=True, help_text=_("For example 2026年第3次."))
    location = models.CharField(_("location"), max_length=100, blank=True)
    agenda_notified_on = models.DateField(
        _("agenda notified on"), null=True, blank=True, help_text=_("When the agenda was sent to the members.")
    )
    chair = models.ForeignKey(
        DecisionBodyMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chaired by"),
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["park", "held_on"], name="meeting_park_held_on")]

    def __str__(self):
        return f"{self.body} {self.number or self.held_on}"


class MeetingAttendance(models.Model):
    """Whether one member of the roster was present at a meeting, or absent and why."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("meeting"))
    member = models.ForeignKey(
        DecisionBodyMember, on_delete=models.PROTECT, related_name="attendance", verbose_name=_("member")
    )
    status = models.CharField(_("attendance"), max_length=10, choices=Attendance.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("meeting attendance")
        verbose_name_plural = _("meeting attendance")
        ordering = ["meeting", "member__from_date", "member_id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="meetingattendance_once")]

    def __str__(self):
        return f"{self.meeting} · {self.member} · {self.get_status_display()}"


class CollectiveDecision(models.Model):
    """One agenda item decided at a meeting: its kind (the four kinds of 三重一大), title, amount (yuan, for
    projects and funds), whether it was on the agenda notified in advance or raised on the spot (临时动议),
    the outcome, and each member's position (`DecisionVote`, recusals included). Recorded by
    `decision_record`, changed by `decision_update`, positions by `decision_record_votes`."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("meeting"))
    park = models.ForeignKey(
        "parks.Park", on_delete=models.CASCADE, related_name="collective_decisions", verbose_name=_("park")
    )
    item_number = models.PositiveSmallIntegerField(_("agenda item"), default=1)
    kind = models.CharField(_("kind"), max_length=20, choices=DecisionKind.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    amount = models.DecimalField(_("amount (yuan)"), null=True, blank=True, **MONEY)
    notified_in_advance = models.BooleanField(
        _("on the agenda notified in advance"),
        default=True,
        help_text=_("Unticked: raised at the meeting without notice (临时动议)."),
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("collective decision")
        verbose_name_plural = _("collective decisions")
        ordering = ["-meeting__held_on", "meeting_id", "item_number", "id"]
        indexes = [models.Index(fields=["park", "kind"], name="decision_park_kind")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="collectivedecision_amount_not_negative"
            )
        ]

    def __str__(self):
        return self.title


class DecisionVote(models.Model):
    """One member's position on one item: for, against or abstain (with their dissent in words), or recused
    as an interested member (with the reason)."""

    decision = models.ForeignKey(
        CollectiveDecision, on_delete=models.CASCADE, related_name="votes", verbose_name=_("decision")
    )
    member = models.ForeignKey(
        DecisionBodyMember, on_delete=models.PROTECT, related_name="votes", verbose_name=_("member")
    )
    position = models.CharField(_("position"), max_length=10, choices=Position.choices)
    statement = models.TextField(
        _("dissent or reason"), blank=True, help_text=_("A dissenting opinion in words, or why the member is recused.")
    )

    class Meta:
        verbose_name = _("decision vote")
        verbose_name_plural = _("decision votes")
        ordering = ["decision", "member__from_date", "member_id"]
        constraints = [models.UniqueConstraint(fields=["decision", "member"], name="decisionvote_once")]

    def __str__(self):
        return f"{self.decision} · {self.member} · {self.get_position_display()}"


class FundPayment(models.Model):
    """A large payment (大额资金支付) entered by an official: payee, amount, date, purpose and the collective
    decision it rests on (none yet: flagged when over the threshold). One of the spending sources of
    `integrity.decisions_spending`. Recorded by `fund_payment_record`, linked by `fund_payment_link_decision`."""

    park = models.ForeignKey(
        "parks.Park", on_delete=models.CASCADE, related_name="fund_payments", verbose_name=_("park")
    )
    payee = models.CharField(_("payee"), max_length=200)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    paid_on = models.DateField(_("paid on"))
    purpose = models.CharField(_("purpose"), max_length=300)
    reference = models.CharField(_("voucher number"), max_length=50, blank=True)
    decision = models.ForeignKey(
        CollectiveDecision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_payments",
        verbose_name=_("collective decision"),
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("fund payment")
        verbose_name_plural = _("fund payments")
        ordering = ["-paid_on", "-id"]
        indexes = [models.Index(fields=["park", "paid_on"], name="fundpayment_park_paid_on")]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="fundpayment_amount_positive")]

    def __str__(self):
        return f"{self.payee} · {self.amount}"
