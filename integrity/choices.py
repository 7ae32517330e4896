"""Choices of the integrity registers, and the declarations' allowed-transitions table that services enforce.

Msgids are English; the Chinese terms of the source articles are the zh-hans translations (see the glossary in
DESIGN §11).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.errors import Conflict

# --- pledges (廉洁承诺) -------------------------------------------------------------------------------------


class SignerKind(models.TextChoices):
    OFFICIAL = "official", _("Official")
    ENTERPRISE = "enterprise", _("Enterprise")
    SUPPLIER = "supplier", _("Supplier")
    EVALUATOR = "evaluator", _("Evaluator")
    CONTRACT = "contract", _("Integrity contract party")


# A person signs these for themself; the others are signed by an enterprise user for their enterprise.
PERSONAL_SIGNER_KINDS = frozenset({SignerKind.OFFICIAL, SignerKind.EVALUATOR})
ENTERPRISE_SIGNER_KINDS = frozenset({SignerKind.ENTERPRISE, SignerKind.SUPPLIER, SignerKind.CONTRACT})


# --- conduct lists (正负清单) --------------------------------------------------------------------------------


class ConductKind(models.TextChoices):
    PROHIBITED = "prohibited", _("Prohibited")
    NORM = "norm", _("Norm")
    PERMITTED = "permitted", _("Permitted")


CONDUCT_KIND_ORDER = {ConductKind.PROHIBITED: 0, ConductKind.NORM: 1, ConductKind.PERMITTED: 2}


class Audience(models.TextChoices):
    OFFICIALS = "officials", _("Officials")
    ENTERPRISES = "enterprises", _("Enterprises")


# --- declarations -------------------------------------------------------------------------------------------


class DeclarationKind(models.TextChoices):
    GIFT = "gift", _("Gift or money")
    FAMILY_EVENT = "family_event", _("Family event")
    INTEREST = "interest", _("Relative's business")


class DeclarationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    ACTION_REQUIRED = "action_required", _("Action required")
    ACTION_TAKEN = "action_taken", _("Action reported")
    ACCEPTED = "accepted", _("Accepted")


class DeclarationTransition(models.TextChoices):
    SUBMIT = "submit", _("Submit")
    ACCEPT = "accept", _("Accept")
    RETURN = "return", _("Return for correction")
    REQUIRE_ACTION = "require_action", _("Require an action")
    REPORT_ACTION = "report_action", _("Report the action taken")


S, T = DeclarationStatus, DeclarationTransition

# (from status, transition) -> to status. Anything absent is refused by `next_declaration_status`.
DECLARATION_TRANSITIONS = {
    (S.DRAFT, T.SUBMIT): S.SUBMITTED,
    (S.RETURNED, T.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, T.ACCEPT): S.ACCEPTED,
    (S.SUBMITTED, T.RETURN): S.RETURNED,
    (S.SUBMITTED, T.REQUIRE_ACTION): S.ACTION_REQUIRED,
    (S.ACTION_REQUIRED, T.REPORT_ACTION): S.ACTION_TAKEN,
    (S.ACTION_TAKEN, T.ACCEPT): S.ACCEPTED,
    (S.ACTION_TAKEN, T.REQUIRE_ACTION): S.ACTION_REQUIRED,
}

# Who performs each transition: the declarant, or a discipline officer of the declaration's park.
DECLARANT_TRANSITIONS = frozenset({T.SUBMIT, T.REPORT_ACTION})
REVIEWER_TRANSITIONS = frozenset({T.ACCEPT, T.RETURN, T.REQUIRE_ACTION})

EDITABLE_STATUSES = frozenset({S.DRAFT, S.RETURNED})
AWAITING_REVIEW_STATUSES = frozenset({S.SUBMITTED, S.ACTION_TAKEN})
# Statuses that count as "declared" (sent to the discipline office at least once).
FILED_STATUSES = frozenset(set(S) - {S.DRAFT})

del S, T


def allowed_transitions(status):
    """The transitions allowed from `status`, in table order."""
    return [action for (source, action) in DECLARATION_TRANSITIONS if source == status]


def next_declaration_status(status, transition):
    """The status `transition` leads to from `status`; a translated Conflict when the table forbids it."""
    try:
        return DECLARATION_TRANSITIONS[(status, transition)]
    except KeyError:
        raise Conflict(
            _("A declaration that is “%(status)s” cannot be changed by “%(action)s”.")
            % {
                "status": DeclarationStatus(status).label,
                "action": DeclarationTransition(transition).label,
            },
            code="transition_not_allowed",
        ) from None


class RequiredAction(models.TextChoices):
    HAND_IN = "hand_in", _("Hand in the gift or money")
    RETURN_GIFT = "return_gift", _("Return the gift to the giver")
    RECUSE = "recuse", _("Recuse from matters concerning the enterprise")
    RELATIVE_EXIT = "relative_exit", _("The relative exits the enterprise")
    LEAVE_POST = "leave_post", _("Move to another post")
    REDUCE_SCALE = "reduce_scale", _("Reduce the scale of the event")
    WITHDRAW_INVITATIONS = "withdraw_invitations", _("Withdraw the invitations to enterprises")
    OTHER = "other", _("Other (see the reason)")


class DeclarationFlag(models.TextChoices):
    LATE = "late", _("Reported late")
    GIVER_OPEN_BUSINESS = "giver_open_business", _("The giver has open business with the park")
    GIFT_OVER_VALUE = "gift_over_value", _("Gift kept above the value limit")
    OVER_SCALE = "over_scale", _("Over the scale cap")
    PARK_ENTERPRISES_INVITED = "park_enterprises_invited", _("Enterprises of the park invited")
    INTEREST_IN_PARK_ENTERPRISE = "interest_in_park_enterprise", _("The enterprise is in the official's park")


class GiftKind(models.TextChoices):
    GOODS = "goods", _("Goods")
    CASH = "cash", _("Cash or red envelope")
    PREPAID_CARD = "prepaid_card", _("Shopping card or voucher")
    SECURITIES = "securities", _("Securities or payment instruments")
    HOSPITALITY = "hospitality", _("Meal, travel or entertainment")
    OTHER = "other", _("Other")


# Money and its equivalents (礼金、消费卡、有价证券) are always handed in, whatever their value.
MONEY_LIKE_GIFT_KINDS = frozenset({GiftKind.CASH, GiftKind.PREPAID_CARD, GiftKind.SECURITIES})


class GiftHandling(models.TextChoices):
    PENDING = "pending", _("Not yet handled")
    RETURNED = "returned", _("Returned to the giver")
    HANDED_IN = "handed_in", _("Handed in")
    KEPT_WITH_APPROVAL = "kept_with_approval", _("Kept with approval")


class FamilyEventKind(models.TextChoices):
    WEDDING = "wedding", _("Wedding")
    FUNERAL = "funeral", _("Funeral")
    OTHER = "other", _("Other celebration")


class Relation(models.TextChoices):
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    CHILD_SPOUSE = "child_spouse", _("Child's spouse")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Sibling")
    OTHER = "other", _("Other relative")


class InterestRole(models.TextChoices):
    OWNER = "owner", _("Owner or shareholder")
    LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")
    MANAGER = "manager", _("Senior manager")
    EMPLOYEE = "employee", _("Employee")
    OTHER = "other", _("Other")


class InterestOutcome(models.TextChoices):
    UNDECIDED = "undecided", _("Not yet decided")
    RELATIVE_EXITS = "relative_exits", _("The relative exits the enterprise")
    OFFICIAL_LEAVES_POST = "official_leaves_post", _("The official leaves the post")
    RECUSAL = "recusal", _("The official recuses")


class YearlyReturnStatus(models.TextChoices):
    PENDING = "pending", _("Not filed")
    FILED = "filed", _("Filed")


class VerificationOutcome(models.TextChoices):
    PENDING = "pending", _("Not yet verified")
    CONFIRMED = "confirmed", _("Confirmed")
    DISCREPANCY = "discrepancy", _("Discrepancy found")
