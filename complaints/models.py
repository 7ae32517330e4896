"""Tables of the 吐槽区 (DESIGN §6): categories, routing rules, tickets and everything that happens to them.

Statuses change only through `complaints.services`; this module holds the tables, their invariants
(constraints, indexes) and read-only conveniences.
"""

import re

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from complaints.choices import (
    DEFAULT_REPLY_DAYS,
    OPEN_STATUSES,
    CategoryKind,
    Channel,
    DuplicateReason,
    Finding,
    FollowUpChannel,
    FollowUpOutcome,
    MessageAuthorKind,
    Priority,
    RequestStatus,
    ReturnStatus,
    Stage,
    Status,
    SuggestionStatus,
)

KEYWORD_SEPARATORS = re.compile(r"[\s,，、;；]+")


def mask_phone(phone):
    """``13812345678`` → ``138****5678``; short numbers keep only their last two characters."""
    phone = (phone or "").strip()
    if not phone:
        return ""
    if len(phone) >= 7:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    return "*" * (len(phone) - 2) + phone[-2:]


def mask_name(name):
    """``张三丰`` → ``张**``: the first character only."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


class Category(models.Model):
    """A kind of demand in a park's category tree (政策兑现 › 补贴申领 …), with its default department and
    time-limit policy (受理 / 签收 / 答复 in working days).

    A misconduct category (作风问题) makes its tickets confidential: they go only to the discipline office
    and are invisible to everyone else. `show_on_public_form` decides whether the public and enterprises
    may choose it; officials may use every active category.
    """

    park = models.ForeignKey(
        "parks.Park", on_delete=models.CASCADE, related_name="ticket_categories", verbose_name=_("park")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent category"),
    )
    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=60, help_text=_("Stable identifier, e.g. policy-payout."))
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CategoryKind.choices, default=CategoryKind.DEMAND)
    default_department = models.ForeignKey(
        "parks.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default department"),
        help_text=_("Used when no routing rule matches."),
    )
    accept_days = models.PositiveSmallIntegerField(
        _("accept within (working days)"), default=1, validators=[MinValueValidator(1)]
    )
    sign_days = models.PositiveSmallIntegerField(
        _("sign within (working days)"), default=1, validators=[MinValueValidator(1)]
    )
    reply_days = models.PositiveSmallIntegerField(
        _("reply within (working days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty: 5 for general demands, 15 for complaints and complex matters."),
    )
    urgent_same_day = models.BooleanField(
        _("urgent tickets are answered the same day"),
        default=True,
        help_text=_("Otherwise urgent tickets get one working day."),
    )
    is_misconduct = models.BooleanField(
        _("misconduct (作风问题)"),
        default=False,
        help_text=_("Confidential; handled by the discipline office only."),
    )
    is_confidential = models.BooleanField(_("confidential"), default=False)
    show_on_public_form = models.BooleanField(_("shown on the public form"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("ticket category")
        verbose_name_plural = _("ticket categories")
        ordering = ["park", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["park", "code"], name="category_unique_code_per_park"),
        ]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id and self.parent else self.name

    @property
    def confidential(self):
        """Misconduct implies confidentiality."""
        return self.is_misconduct or self.is_confidential

    @property
    def effective_reply_days(self):
        return self.reply_days or DEFAULT_REPLY_DAYS[self.kind]


class RoutingRule(models.Model):
    """An admin-editable rule that chooses the lead department (and co-handlers) of a new ticket.

    Active rules are tried in ascending `priority`; the first whose category (the ticket's category or an
    ancestor of it) and keywords (any of them in the subject or body) both match wins. An empty category or
    an empty keyword list matches everything.
    """

    park = models.ForeignKey(
        "parks.Park", on_delete=models.CASCADE, related_name="routing_rules", verbose_name=_("park")
    )
    name = models.CharField(_("name"), max_length=100)
    category = models.ForeignKey(
        Category,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="routing_rules",
        verbose_name=_("category"),
    )
    keywords = models.TextField(
        _("keywords"), blank=True, help_text=_("Separated by commas or spaces; any of them in the subject or body.")
    )
    department = models.ForeignKey(
        "parks.Department", on_delete=models.CASCADE, related_name="+", verbose_name=_("lead department")
    )
    co_departments = models.ManyToManyField(
        "parks.Department", blank=True, related_name="+", verbose_name=_("co-handling departments")
    )
    priority = models.PositiveIntegerField(_("priority"), default=100, help_text=_("Lower numbers are tried first."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["park", "priority", "id"]
        indexes = [models.Index(fields=["park", "is_active", "priority"], name="routingrule_park_active")]

    def __str__(self):
        return self.name

    @property
    def keyword_list(self):
        return [k for k in KEYWORD_SEPARATORS.split(self.keywords or "") if k]


class TicketCounter(models.Model):
    """The last ticket number issued per park and year. Numbering locks only this row (select_for_update),
    so parks never wait for each other and a number is never issued twice."""

    park = models.ForeignKey("parks.Park", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("ticket counter")
        verbose_name_plural = _("ticket counters")
        constraints = [models.UniqueConstraint(fields=["park", "year"], name="ticketcounter_unique_park_year")]

    def __str__(self):
        return f"{self.park_id}/{self.year}: {self.last_number}"


class TicketQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class Ticket(models.Model):
    """An enterprise's demand or complaint (诉求), or an anonymous report, from intake to closure.

    Each stage has its own clock: ``accept_due`` (set on submission), ``sign_due`` (on dispatch) and
    ``reply_due`` (on acceptance, restarted by a reopening), each ended by its completion time
    (``accepted_at``, ``signed_at``, ``replied_at``) so on-time figures never change afterwards.
    ``next_reminder_at`` is the earliest moment a reminder is due; the reminder sweep reads only tickets
    whose moment has come (indexed).
    ``routed_at`` stays empty until routing has run, so a lost task is caught up by the sweep (DESIGN §4.6).
    """

    park = models.ForeignKey("parks.Park", on_delete=models.PROTECT, related_name="tickets", verbose_name=_("park"))
    number = models.CharField(_("number"), max_length=40, editable=False)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.WEB)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("category"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("description"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submitted_tickets",
        verbose_name=_("submitter"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
        help_text=_("The official who registered a phone, walk-in or hotline demand."),
    )
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    enterprise = models.ForeignKey(
        "parks.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("enterprise"),
    )
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    hide_identity = models.BooleanField(
        _("hide identity from the handling department"),
        default=False,
        help_text=_("保密: only the dispatch centre and the discipline office see who filed it."),
    )
    accused_official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accused official"),
    )
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    is_confidential = models.BooleanField(_("confidential"), default=False)
    suggested_department = models.ForeignKey(
        "parks.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suggested department"),
        help_text=_("Chosen by routing; applied when the ticket is accepted."),
    )
    suggested_co_departments = models.ManyToManyField(
        "parks.Department", blank=True, related_name="+", verbose_name=_("suggested co-handling departments")
    )
    routing_rule = models.ForeignKey(
        RoutingRule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("routing rule"),
    )
    routed_at = models.DateTimeField(_("routed at"), null=True, blank=True)
    lead_department = models.ForeignKey(
        "parks.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_tickets",
        verbose_name=_("lead department"),
    )
    co_departments = models.ManyToManyField(
        "parks.Department", blank=True, related_name="co_handled_tickets", verbose_name=_("co-handling departments")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        verbose_name=_("handler"),
    )
    supervision_level = models.PositiveSmallIntegerField(_("supervision level"), default=0)
    accept_due = models.DateTimeField(_("accept by"), null=True, blank=True)
    sign_due = models.DateTimeField(_("sign by"), null=True, blank=True)
    reply_due = models.DateTimeField(_("reply by"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    reply_started_at = models.DateTimeField(
        _("reply clock started at"),
        null=True,
        blank=True,
        help_text=_("On acceptance, and again when a rejected answer reopens the ticket (重办)."),
    )
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    next_reminder_at = models.DateTimeField(_("next reminder at"), null=True, blank=True, db_index=True)
    closure_reason = models.TextField(_("reason for rejection or merge"), blank=True)
    reply = models.TextField(_("reply"), blank=True)
    rectification_measures = models.TextField(_("rectification measures"), blank=True)
    finding = models.CharField(_("finding"), max_length=20, choices=Finding.choices, blank=True, default="")
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replied by"),
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    satisfaction_comment = models.TextField(_("satisfaction comment"), blank=True)
    consent_to_publish = models.BooleanField(_("consent to publish"), default=False)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_tickets",
        verbose_name=_("merged into"),
    )
    reopen_count = models.PositiveSmallIntegerField(_("reopened"), default=0)
    extension_count = models.PositiveSmallIntegerField(_("extensions"), default=0)
    return_count = models.PositiveSmallIntegerField(_("returns"), default=0)
    created_at = models.DateTimeField(_("submitted at"), db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["park", "number"], name="ticket_unique_number_per_park"),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="ticket_satisfaction_1_to_5",
            ),
        ]
        indexes = [
            models.Index(fields=["park", "status", "created_at"], name="ticket_park_status"),
            models.Index(fields=["lead_department", "status"], name="ticket_lead_status"),
            models.Index(fields=["enterprise", "created_at"], name="ticket_enterprise_time"),
            models.Index(fields=["submitter", "created_at"], name="ticket_submitter_time"),
            models.Index(fields=["park", "reply_due"], name="ticket_park_reply_due"),
            models.Index(fields=["park", "supervision_level"], name="ticket_park_supervision"),
            models.Index(fields=["created_at"], condition=Q(routed_at__isnull=True), name="ticket_unrouted"),
            # The scope of a list: its page count becomes an index-only scan (bench/README.md).
            models.Index(fields=["park", "is_confidential", "submitter"], name="ticket_park_scope"),
        ]

    def __str__(self):
        return f"{self.number} {self.subject}"

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def contact_phone_masked(self):
        """The contact phone as lists and exports show it."""
        return mask_phone(self.contact_phone)

    @property
    def contact_name_masked(self):
        return mask_name(self.contact_name)

    def stage_window(self, stage):
        """``(start, due, ended_at)`` of one stage clock; ``start`` is None while the stage has not begun."""
        if stage == Stage.ACCEPT:
            ended = self.accepted_at or (self.closed_at if self.status in (Status.REJECTED, Status.MERGED) else None)
            return self.created_at, self.accept_due, ended
        if stage == Stage.SIGN:
            return self.dispatched_at, self.sign_due, self.signed_at
        return self.reply_started_at, self.reply_due, self.replied_at

    def is_stage_overdue(self, stage, now):
        start, due, ended = self.stage_window(stage)
        if start is None or due is None:
            return False
        return (ended or now) > due

    def is_overdue(self, now):
        """True when a running stage has passed its deadline."""
        if not self.is_open:
            return False
        return any(
            self.is_stage_overdue(stage, now) and self.stage_window(stage)[2] is None
            for stage in (Stage.ACCEPT, Stage.SIGN, Stage.REPLY)
        )


class TicketMessage(models.Model):
    """A message in a ticket's conversation: between the submitter (or the anonymous reporter, who holds the
    receipt) and officials. Internal notes (`internal`) are never shown to the submitter."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages", verbose_name=_("ticket"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    author_kind = models.CharField(
        _("author kind"), max_length=10, choices=MessageAuthorKind.choices, default=MessageAuthorKind.USER
    )
    body = models.TextField(_("message"))
    internal = models.BooleanField(_("internal note"), default=False)
    created_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("ticket message")
        verbose_name_plural = _("ticket messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="ticketmessage_ticket_time")]

    def __str__(self):
        return self.body[:50]


class TicketReminder(models.Model):
    """One reminder sent for one stage clock at one threshold (50 / 80 / 100 % of the working time).

    The unique constraint is what makes a reminder go out exactly once, even when the sweep runs twice or
    on two workers at once. ``cycle`` numbers the clock: a re-dispatch starts a new signing clock and a
    reopened ticket (重办) a new reply clock, each with its own reminders.
    """

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("ticket"))
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    cycle = models.PositiveSmallIntegerField(_("cycle"), default=0)
    threshold = models.PositiveSmallIntegerField(_("threshold (%)"))
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("ticket reminder")
        verbose_name_plural = _("ticket reminders")
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "stage", "cycle", "threshold"], name="ticketreminder_once_per_threshold"
            )
        ]

    def __str__(self):
        return f"{self.ticket_id} {self.stage}#{self.cycle} {self.threshold}%"


class ExtensionRequest(models.Model):
    """延期: a handler asks, before the reply deadline and with a reason, for a later deadline; the dispatcher
    approves (the reply deadline moves) or refuses."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="extension_requests", verbose_name=_("ticket")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    reason = models.TextField(_("reason"))
    previous_due = models.DateTimeField(_("deadline before"))
    requested_due = models.DateTimeField(_("requested deadline"))
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("decision reason"), blank=True)
    created_at = models.DateTimeField(_("requested at"))

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"], condition=Q(status="pending"), name="extensionrequest_one_pending_per_ticket"
            )
        ]

    def __str__(self):
        return f"{self.ticket_id} → {self.requested_due:%Y-%m-%d}"


class ReturnRequest(models.Model):
    """退单: the lead department says a ticket is not theirs, with a reason; the dispatcher re-dispatches it
    (改派) to another department or refuses the return (back to the same department)."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="return_requests", verbose_name=_("ticket")
    )
    department = models.ForeignKey(
        "parks.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("returning department")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    reason = models.TextField(_("reason"))
    suggested_department = models.ForeignKey(
        "parks.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suggested department"),
    )
    status = models.CharField(_("status"), max_length=15, choices=ReturnStatus.choices, default=ReturnStatus.PENDING)
    new_department = models.ForeignKey(
        "parks.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("re-dispatched to"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("decision reason"), blank=True)
    created_at = models.DateTimeField(_("returned at"))

    class Meta:
        verbose_name = _("return request")
        verbose_name_plural = _("return requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"], condition=Q(status="pending"), name="returnrequest_one_pending_per_ticket"
            )
        ]

    def __str__(self):
        return f"{self.ticket_id} ← {self.department}"


class AnonymousReceipt(models.Model):
    """The receipt of an anonymous report: a 16-digit code shown once to the reporter, never stored.

    Two columns make it both findable and hard to reverse:
    - ``lookup`` is an HMAC-SHA256, keyed with a key derived from SECRET_KEY, of the code's first 8 digits.
      It is indexed, so a lookup reads one or two rows; without the key the column says nothing.
    - ``code_hash`` is a slow salted hash of the whole code (Django's first password hasher: Argon2 in
      production), checked on each candidate row.
    Because the lookup covers only half the code, even someone holding both the database and SECRET_KEY
    must still run the slow hash ~10^8 times per receipt to recover one; a lookup of the whole code would
    let them test every code at HMAC speed.
    """

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="anonymous_receipt")
    lookup = models.CharField(max_length=64, db_index=True, editable=False)
    code_hash = models.CharField(max_length=200, editable=False)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("anonymous receipt")
        verbose_name_plural = _("anonymous receipts")

    def __str__(self):
        return f"receipt of {self.ticket_id}"


class FollowUp(models.Model):
    """回访: how the submitter judged the answer — rated online by the submitter, or recorded by the
    dispatcher after a phone call when the submitter did not answer in time."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("ticket"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=FollowUpChannel.choices)
    outcome = models.CharField(
        _("outcome"), max_length=15, choices=FollowUpOutcome.choices, default=FollowUpOutcome.RATED
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.ticket_id} {self.get_channel_display()} {self.satisfaction or ''}"


class DuplicateSuggestion(models.Model):
    """A likely duplicate found by routing (same enterprise, or similar text, same park, last 30 days),
    offered to the dispatcher, who merges the ticket into the candidate or dismisses the suggestion."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="duplicate_suggestions", verbose_name=_("ticket")
    )
    candidate = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="+", verbose_name=_("possible original")
    )
    reason = models.CharField(_("reason"), max_length=20, choices=DuplicateReason.choices)
    score = models.FloatField(_("similarity"))
    status = models.CharField(
        _("status"), max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN
    )
    created_at = models.DateTimeField(_("found at"))

    class Meta:
        verbose_name = _("duplicate suggestion")
        verbose_name_plural = _("duplicate suggestions")
        ordering = ["-score", "id"]
        constraints = [models.UniqueConstraint(fields=["ticket", "candidate"], name="duplicatesuggestion_unique_pair")]

    def __str__(self):
        return f"{self.ticket_id} ≈ {self.candidate_id} ({self.score:.2f})"


# The published answer lists (第N批解答清单) live in their own module, owned by the disclosure pages.
from complaints.models_disclosure import AnswerBatch, AnswerBatchItem  # noqa: E402,F401  (registers the models)
