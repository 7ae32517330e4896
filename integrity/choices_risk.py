"""Choices of the integrity-risk register (廉政风险台账), its screening campaigns (排查) and the disciplinary
notices (通报), with the risks' allowed-transitions table that `integrity.services.risks` enforces.

Msgids are English; the Chinese terms of the source articles are the zh-hans translations.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.errors import Conflict

# --- the register ---------------------------------------------------------------------------------------


class RiskArea(models.TextChoices):
    """The key areas (重点领域) the source articles name for integrity-risk screening in parks."""

    PERSONNEL = "personnel", _("Personnel management")
    INVESTMENT = "investment", _("Investment attraction")
    ENGINEERING = "engineering", _("Engineering projects")
    APPROVAL = "approval", _("Administrative approval")
    POLICY_PAYOUTS = "policy_payouts", _("Policy payouts and subsidies")
    FINANCING = "financing", _("Financing and debt")
    PROCUREMENT = "procurement", _("Procurement")
    ASSET_DISPOSAL = "asset_disposal", _("Asset disposal")
    INTERNAL = "internal", _("Internal management")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    MAJOR = "major", _("Major")


LEVEL_RANK = {RiskLevel.LOW: 0, RiskLevel.MEDIUM: 1, RiskLevel.HIGH: 2, RiskLevel.MAJOR: 3}
LEVELS_IN_ORDER = (RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.MAJOR)
# Accepting or closing a risk at these residual levels is the discipline office head's decision.
HEAD_DECISION_LEVELS = frozenset({RiskLevel.HIGH, RiskLevel.MAJOR})


def higher_level(a, b):
    """The more severe of two levels."""
    return a if LEVEL_RANK[RiskLevel(a)] >= LEVEL_RANK[RiskLevel(b)] else b


class RiskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CONTROLLED = "controlled", _("Controlled")
    ACCEPTED = "accepted", _("Accepted")
    CLOSED = "closed", _("Closed")


class RiskTransition(models.TextChoices):
    MARK_CONTROLLED = "mark_controlled", _("Mark as controlled")
    ACCEPT = "accept", _("Accept the risk")
    CLOSE = "close", _("Close")
    REOPEN = "reopen", _("Reopen")


S, T = RiskStatus, RiskTransition

# (from status, transition) -> to status. Anything absent is refused by `next_risk_status`.
RISK_TRANSITIONS = {
    (S.OPEN, T.MARK_CONTROLLED): S.CONTROLLED,
    (S.OPEN, T.ACCEPT): S.ACCEPTED,
    (S.OPEN, T.CLOSE): S.CLOSED,
    (S.CONTROLLED, T.ACCEPT): S.ACCEPTED,
    (S.CONTROLLED, T.CLOSE): S.CLOSED,
    (S.CONTROLLED, T.REOPEN): S.OPEN,
    (S.ACCEPTED, T.CLOSE): S.CLOSED,
    (S.ACCEPTED, T.REOPEN): S.OPEN,
    (S.CLOSED, T.REOPEN): S.OPEN,
}
# Transitions that need the discipline office head when the risk's residual level is 高 or 重大.
HEAD_TRANSITIONS = frozenset({T.ACCEPT, T.CLOSE})
# Risks under review: a closed risk has no review cycle; an accepted one is still watched.
ACTIVE_STATUSES = frozenset({S.OPEN, S.CONTROLLED, S.ACCEPTED})

del S, T


def allowed_risk_transitions(status):
    """The transitions allowed from `status`, in table order."""
    return [action for (source, action) in RISK_TRANSITIONS if source == status]


def next_risk_status(status, transition):
    """The status `transition` leads to from `status`; a translated Conflict when the table forbids it."""
    try:
        return RISK_TRANSITIONS[(status, transition)]
    except KeyError:
        raise Conflict(
            _("A risk that is “%(status)s” cannot be changed by “%(action)s”.")
            % {"status": RiskStatus(status).label, "action": RiskTransition(transition).label},
            code="transition_not_allowed",
        ) from None


class RiskSource(models.TextChoices):
    """Where a risk was found."""

    SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
    SCREENING = "screening", _("Screening campaign")
    TICKET = "ticket", _("Complaint or report")
    RED_FLAG = "red_flag", _("Procurement red flag")
    INSPECTION = "inspection", _("Inspection finding")
    VISIT = "visit", _("Enterprise visit")


class ControlKind(models.TextChoices):
    """The five angles of the controls (防控措施) in the source articles."""

    INTERNAL_CONTROL = "internal_control", _("Internal control")
    EARLY_WARNING = "early_warning", _("Early warning and reminders")
    MITIGATION = "mitigation", _("Risk mitigation")
    SANCTION = "sanction", _("Sanctions")
    EDUCATION = "education", _("Education and guidance")


class ControlStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ReviewReminderKind(models.TextChoices):
    UPCOMING = "upcoming", _("Review coming up")
    DUE = "due", _("Review due")
    ESCALATED = "escalated", _("Escalated to the discipline office")


class PullForwardReason(models.TextChoices):
    """Events that bring a risk's next review forward."""

    COMPLAINT_SUBSTANTIATED = "complaint_substantiated", _("A complaint was substantiated")
    RED_FLAG_CONFIRMED = "red_flag_confirmed", _("A red flag was confirmed")
    INSPECTION_FINDING = "inspection_finding", _("An inspection found a problem")
    POST_HOLDER_CHANGED = "post_holder_changed", _("The post holder changed")
    OTHER = "other", _("Other")


# Likelihood and impact scales of the 5 × 5 matrix (1 … 5).
LIKELIHOOD_LABELS = {
    1: _("Rare"),
    2: _("Unlikely"),
    3: _("Possible"),
    4: _("Likely"),
    5: _("Almost certain"),
}
IMPACT_LABELS = {
    1: _("Minor"),
    2: _("Limited"),
    3: _("Moderate"),
    4: _("Serious"),
    5: _("Severe"),
}
SCALE_CHOICES = [(n, str(n)) for n in range(1, 6)]


# --- screening campaigns (排查) ----------------------------------------------------------------------------


class CampaignStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ResponseStatus(models.TextChoices):
    PENDING = "pending", _("Not answered")
    ANSWERED = "answered", _("Risks reported")
    NIL = "nil", _("Nil response")


ANSWERED_STATUSES = frozenset({ResponseStatus.ANSWERED, ResponseStatus.NIL})


# --- disciplinary notices (通报) ---------------------------------------------------------------------------


class NoticeKind(models.TextChoices):
    CRITICISM = "criticism", _("Notice of criticism")
    CONDUCT = "conduct", _("Conduct and discipline notice")
    CASE = "case", _("Typical case notice")
    ACCOUNTABILITY = "accountability", _("Accountability notice")


class NoticeVisibility(models.TextChoices):
    INTERNAL = "internal", _("Internal (officials of the park)")
    PUBLIC = "public", _("Public")


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")
