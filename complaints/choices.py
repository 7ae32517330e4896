"""Statuses, channels and the allowed-transitions table of the 吐槽区 (DESIGN §6).

`TRANSITIONS` is the one table the services enforce: each action names the statuses it may start from and
the status it leads to. Forms and the API read the same table (`allowed_actions`) to offer only the
buttons that can succeed.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    MERGED = "merged", _("Merged")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    REPLIED = "replied", _("Replied")
    CLOSED = "closed", _("Closed")


#: A ticket in one of these is still someone's work.
OPEN_STATUSES = frozenset({Status.SUBMITTED, Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS, Status.REPLIED})
#: Final statuses: nothing but messages happens after them.
FINAL_STATUSES = frozenset({Status.REJECTED, Status.MERGED, Status.CLOSED})
#: Statuses in which the reply clock runs (from acceptance to the reply).
REPLY_CLOCK_STATUSES = frozenset({Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS})


class Finding(models.TextChoices):
    """Whether the facts of a complaint or report were found true (查实), stated with the answer. A substantiated
    or partly substantiated finding brings forward the review of the integrity risks of the departments involved
    (DESIGN §7), and feeds the integrity index (only substantiated cases lower a score, DESIGN §9)."""

    NOT_STATED = "", _("Not stated")
    SUBSTANTIATED = "substantiated", _("Substantiated")
    PARTLY = "partly", _("Partly substantiated")
    UNSUBSTANTIATED = "unsubstantiated", _("Not substantiated")


SUBSTANTIATED_FINDINGS = frozenset({Finding.SUBSTANTIATED, Finding.PARTLY})


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    APP = "app", _("Mobile app")
    QR = "qr", _("QR code (码上监督)")
    HOTLINE_12345 = "hotline_12345", _("12345 hotline")
    PHONE = "phone", _("Phone")
    WALK_IN = "walk_in", _("Walk-in")
    MAILBOX = "mailbox", _("Mailbox")
    EMAIL = "email", _("Email")
    VISIT = "visit", _("Liaison visit")
    OPEN311 = "open311", _("Open311")


#: Channels open to the public and to enterprise users themselves.
PUBLIC_CHANNELS = frozenset({Channel.WEB, Channel.APP, Channel.QR, Channel.OPEN311})
#: Channels on which an official registers a demand on someone's behalf (dispatcher's form, liaison visits).
REGISTRATION_CHANNELS = frozenset(
    {Channel.HOTLINE_12345, Channel.PHONE, Channel.WALK_IN, Channel.MAILBOX, Channel.EMAIL, Channel.VISIT}
)


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class CategoryKind(models.TextChoices):
    """The 12345 kinds of demand, each with its default reply time limit in working days."""

    DEMAND = "demand", _("General demand")
    COMPLAINT = "complaint", _("Complaint")
    COMPLEX = "complex", _("Complex matter")


DEFAULT_REPLY_DAYS = {CategoryKind.DEMAND: 5, CategoryKind.COMPLAINT: 15, CategoryKind.COMPLEX: 15}


class Stage(models.TextChoices):
    """The three clocks of a ticket: each starts and ends at a known event and is frozen when it ends."""

    ACCEPT = "accept", _("Acceptance")  # submitted → accepted (or rejected / merged)
    SIGN = "sign", _("Signing")  # dispatched → signed by the lead department
    REPLY = "reply", _("Reply")  # accepted → replied


#: Reminders at these percentages of a stage's working time; 100 is the deadline and escalates.
REMINDER_THRESHOLDS = (50, 80, 100)


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ReturnStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    REDISPATCHED = "redispatched", _("Re-dispatched")
    REFUSED = "refused", _("Refused")


class FollowUpChannel(models.TextChoices):
    ONLINE = "online", _("Online (by the submitter)")
    PHONE = "phone", _("Phone call")
    VISIT = "visit", _("Visit")


class FollowUpOutcome(models.TextChoices):
    RATED = "rated", _("Rated")
    UNREACHABLE = "unreachable", _("Submitter not reachable")


class MessageAuthorKind(models.TextChoices):
    USER = "user", _("User")
    REPORTER = "reporter", _("Anonymous reporter")
    SYSTEM = "system", _("System")


class DuplicateReason(models.TextChoices):
    SAME_ENTERPRISE = "same_enterprise", _("Same enterprise")
    SIMILAR_TEXT = "similar_text", _("Similar text")


class SuggestionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MERGED = "merged", _("Merged")
    DISMISSED = "dismissed", _("Dismissed")


# action → (statuses it may start from, status it leads to; None = unchanged)
TRANSITIONS = {
    "accept": (frozenset({Status.SUBMITTED}), Status.ACCEPTED),
    "reject": (frozenset({Status.SUBMITTED}), Status.REJECTED),
    "merge": (frozenset({Status.SUBMITTED}), Status.MERGED),
    "dispatch": (frozenset({Status.ACCEPTED}), Status.ASSIGNED),
    # A return sends the ticket back to the dispatcher (accepted) until the return is decided.
    "return": (frozenset({Status.ASSIGNED}), Status.ACCEPTED),
    "return_redispatch": (frozenset({Status.ACCEPTED}), Status.ASSIGNED),
    "return_refuse": (frozenset({Status.ACCEPTED}), Status.ASSIGNED),
    "sign": (frozenset({Status.ASSIGNED}), Status.IN_PROGRESS),
    "extension_request": (frozenset({Status.IN_PROGRESS}), None),
    "extension_decide": (frozenset({Status.IN_PROGRESS}), None),
    "reply": (frozenset({Status.IN_PROGRESS}), Status.REPLIED),
    "confirm": (frozenset({Status.REPLIED}), Status.CLOSED),
    "followup": (frozenset({Status.REPLIED}), Status.CLOSED),
    "reject_answer": (frozenset({Status.REPLIED}), Status.IN_PROGRESS),
    "supervise": (OPEN_STATUSES, None),
    "escalate": (OPEN_STATUSES, None),
}


def can_transition(action, status):
    """True when the table allows `action` from `status`."""
    sources, _target = TRANSITIONS[action]
    return status in sources


def target_status(action, status):
    """The status `action` leads to from `status` (unchanged for in-place actions)."""
    return TRANSITIONS[action][1] or status


def allowed_actions(status):
    """The actions the table allows from `status`, for offering buttons."""
    return [action for action, (sources, _target) in TRANSITIONS.items() if status in sources]
