"""Choices of e-procurement, and the allowed-transitions tables that services enforce (DESIGN §8).

Msgids are English; the Chinese terms of procurement law are the zh-hans translations.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.errors import Conflict

# --- suppliers ------------------------------------------------------------------------------------------------


class SupplierStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("supplier status", "Pending approval")
    APPROVED = "approved", pgettext_lazy("supplier status", "Approved")
    REJECTED = "rejected", pgettext_lazy("supplier status", "Rejected")
    SUSPENDED = "suspended", pgettext_lazy("supplier status", "Suspended")
    BLACKLISTED = "blacklisted", pgettext_lazy("supplier status", "Blacklisted")


SUPPLIER_TRANSITIONS = {
    SupplierStatus.PENDING: {SupplierStatus.APPROVED, SupplierStatus.REJECTED},
    SupplierStatus.REJECTED: {SupplierStatus.PENDING},  # the supplier corrects and applies again
    SupplierStatus.APPROVED: {SupplierStatus.SUSPENDED, SupplierStatus.BLACKLISTED},
    SupplierStatus.SUSPENDED: {SupplierStatus.APPROVED, SupplierStatus.BLACKLISTED},
    SupplierStatus.BLACKLISTED: set(),
}


class QualificationKind(models.TextChoices):
    BUSINESS_LICENCE = "business_licence", _("Business licence")
    INDUSTRY_PERMIT = "industry_permit", _("Industry permit")
    CONSTRUCTION = "construction", _("Construction enterprise qualification")
    SAFETY = "safety", _("Work safety licence")
    QUALITY = "quality", _("Quality management certificate")
    TAX = "tax", _("Tax compliance certificate")
    OTHER = "other", _("Other qualification")


# --- tenders --------------------------------------------------------------------------------------------------


class Method(models.TextChoices):
    OPEN_TENDER = "open_tender", _("Open tender")
    INVITED_TENDER = "invited_tender", _("Invited tender")
    NEGOTIATION = "negotiation", _("Competitive negotiation")
    INQUIRY = "inquiry", _("Request for quotations")
    SINGLE_SOURCE = "single_source", _("Single source")


# Methods whose award goes to the lowest valid price; the others are scored on weighted price and technical marks.
LOWEST_PRICE_METHODS = frozenset({Method.INQUIRY})


class TenderStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("tender status", "Draft")
    JUSTIFICATION = "justification", pgettext_lazy("tender status", "Single-source justification published")
    PUBLISHED = "published", pgettext_lazy("tender status", "Open for bids")
    CLOSED = "closed", pgettext_lazy("tender status", "Bidding closed, awaiting opening")
    OPENED = "opened", pgettext_lazy("tender status", "Bids opened")
    EVALUATION = "evaluation", pgettext_lazy("tender status", "Under evaluation")
    EVALUATED = "evaluated", pgettext_lazy("tender status", "Evaluation report recorded")
    AWARDED = "awarded", pgettext_lazy("tender status", "Award decided")
    ANNOUNCED = "announced", pgettext_lazy("tender status", "Award publicity")
    CONTRACTED = "contracted", pgettext_lazy("tender status", "Contract signed")
    FAILED = "failed", pgettext_lazy("tender status", "Failed")
    CANCELLED = "cancelled", pgettext_lazy("tender status", "Cancelled")


TENDER_TRANSITIONS = {
    TenderStatus.DRAFT: {TenderStatus.JUSTIFICATION, TenderStatus.PUBLISHED, TenderStatus.CANCELLED},
    TenderStatus.JUSTIFICATION: {TenderStatus.PUBLISHED, TenderStatus.CANCELLED},
    TenderStatus.PUBLISHED: {TenderStatus.CLOSED, TenderStatus.CANCELLED},
    TenderStatus.CLOSED: {TenderStatus.OPENED, TenderStatus.FAILED, TenderStatus.CANCELLED},
    TenderStatus.OPENED: {TenderStatus.EVALUATION, TenderStatus.FAILED},
    TenderStatus.EVALUATION: {TenderStatus.EVALUATED, TenderStatus.FAILED},
    TenderStatus.EVALUATED: {TenderStatus.AWARDED, TenderStatus.FAILED},
    TenderStatus.AWARDED: {TenderStatus.ANNOUNCED},
    # → AWARDED: an upheld objection (质疑) lets the buyer decide again from the ranking (then re-announce).
    TenderStatus.ANNOUNCED: {TenderStatus.CONTRACTED, TenderStatus.AWARDED, TenderStatus.FAILED},
    TenderStatus.CONTRACTED: set(),
    TenderStatus.FAILED: set(),
    TenderStatus.CANCELLED: set(),
}

# Statuses in which the tender is publicly visible (everything after publication).
PUBLIC_TENDER_STATUSES = frozenset(TENDER_TRANSITIONS) - {TenderStatus.DRAFT}
OPEN_TENDER_STATUSES = frozenset(
    {
        TenderStatus.JUSTIFICATION,
        TenderStatus.PUBLISHED,
        TenderStatus.CLOSED,
        TenderStatus.OPENED,
        TenderStatus.EVALUATION,
        TenderStatus.EVALUATED,
        TenderStatus.AWARDED,
        TenderStatus.ANNOUNCED,
    }
)


def check_transition(table, current, target, what=None):
    """Raise Conflict unless `table` allows current → target (`what` names the record in the message)."""
    if target not in table.get(current, ()):
        what = what or _("This record")
        raise Conflict(
            _("%(what)s cannot go from “%(current)s” to “%(target)s”.")
            % {"what": what, "current": _label(table, current), "target": _label(table, target)},
            code="invalid_transition",
        )


def _label(table, value):
    for choices in (SupplierStatus, TenderStatus, BidStatus, ObjectionStatus, ContractStatus, FlagStatus):
        if value in choices.values:
            return choices(value).label
    return value


class TenderChangeKind(models.TextChoices):
    CLARIFICATION = "clarification", _("Clarification")
    AMENDMENT = "amendment", _("Change to the tender documents")
    DEADLINE = "deadline", _("Deadline moved")
    CANCELLATION = "cancellation", _("Cancellation")
    FAILURE = "failure", _("Failure notice")


# --- bids -----------------------------------------------------------------------------------------------------


class BidStatus(models.TextChoices):
    SEALED = "sealed", pgettext_lazy("bid status", "Sealed")
    REPLACED = "replaced", pgettext_lazy("bid status", "Replaced")
    WITHDRAWN = "withdrawn", pgettext_lazy("bid status", "Withdrawn")
    OPENED = "opened", pgettext_lazy("bid status", "Opened")
    TAMPERED = "tampered", pgettext_lazy("bid status", "Failed the commitment check")


# --- evaluation -----------------------------------------------------------------------------------------------


class EvaluatorKind(models.TextChoices):
    OFFICIAL = "official", _("Park official")
    EXPERT = "expert", _("External expert")


class CommitteeMemberStatus(models.TextChoices):
    DRAWN = "drawn", pgettext_lazy("evaluator status", "Drawn")
    PLEDGED = "pledged", pgettext_lazy("evaluator status", "Pledge signed")
    RECUSED = "recused", pgettext_lazy("evaluator status", "Recused")
    DECLINED = "declined", pgettext_lazy("evaluator status", "Declined")
    SUBMITTED = "submitted", pgettext_lazy("evaluator status", "Scores submitted")


# --- objections and contracts ---------------------------------------------------------------------------------


class ObjectionStatus(models.TextChoices):
    FILED = "filed", pgettext_lazy("objection status", "Filed")
    UPHELD = "upheld", pgettext_lazy("objection status", "Upheld")
    REJECTED = "rejected", pgettext_lazy("objection status", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("objection status", "Withdrawn")


class ContractStatus(models.TextChoices):
    SIGNED = "signed", pgettext_lazy("contract status", "Signed")
    PUBLISHED = "published", pgettext_lazy("contract status", "Published")
    TERMINATED = "terminated", pgettext_lazy("contract status", "Terminated")


# --- red flags ------------------------------------------------------------------------------------------------


class FlagKind(models.TextChoices):
    SINGLE_BID = "single_bid", _("Single bid")
    SHORT_PERIOD = "short_period", _("Bidding period shorter than the method's minimum")
    NEAR_BUDGET = "near_budget", _("Winning price at or near the budget")
    CLOSE_PRICES = "close_prices", _("Bid prices identical or within a narrow band")
    SAME_DOCUMENTS = "same_documents", _("Identical documents across bidders")
    RELATED_BIDDERS = "related_bidders", _("Bidders share contact details or legal representative")
    DECLARED_INTEREST = "declared_interest", _("Bidder linked to an official's declared relative")
    EVALUATOR_LINKED = "evaluator_linked", _("Evaluator linked to a bidder")
    DOMINANT_SUPPLIER = "dominant_supplier", _("One supplier wins most of the park's awarded value")
    SPLIT_PURCHASE = "split_purchase", _("Possible split purchase")
    NOT_LOWEST = "not_lowest", _("Award to other than the lowest bid under a lowest-price method")
    AMENDMENT_GROWTH = "amendment_growth", _("Contract value raised by amendments")


# Legal breaches: an open flag of these kinds blocks the tender's next step until a discipline officer decides.
BLOCKING_FLAG_KINDS = frozenset({FlagKind.RELATED_BIDDERS, FlagKind.EVALUATOR_LINKED})


class FlagStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("red flag status", "Open")
    CONFIRMED = "confirmed", pgettext_lazy("red flag status", "Confirmed")
    DISMISSED = "dismissed", pgettext_lazy("red flag status", "Dismissed")


FLAG_TRANSITIONS = {
    FlagStatus.OPEN: {FlagStatus.CONFIRMED, FlagStatus.DISMISSED},
    FlagStatus.CONFIRMED: set(),
    FlagStatus.DISMISSED: set(),
}
