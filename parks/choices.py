"""Statuses of parks/ records and the transitions that services allow."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EnterpriseStatus(models.TextChoices):
    PENDING = "pending", _("Pending verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


# A park reviews a registration once. The rejected record keeps its credit code, so the same code cannot be
# registered again behind the park's back; the applicant is told to contact the park instead.
ENTERPRISE_TRANSITIONS = {
    EnterpriseStatus.PENDING: {EnterpriseStatus.VERIFIED, EnterpriseStatus.REJECTED},
    EnterpriseStatus.VERIFIED: set(),
    EnterpriseStatus.REJECTED: set(),
}


def enterprise_can_move(current, target):
    return target in ENTERPRISE_TRANSITIONS.get(current, set())


# The economic figures a park publishes, in the order pages and the API show them.
STATISTIC_FIELDS = ("revenue", "output", "fixed_asset_investment", "rd_spending", "import_export", "industrial_profit")
