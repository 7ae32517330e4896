"""The configurable rules in force for a park: per-method period rules and red-flag thresholds.

A park's own row wins over the platform default (``park = NULL``, created by migration 0002 from the law).
"""

from django.db.models import F

from procurement.models import FlagSettings, MethodRule

# The platform defaults per method (see migration 0002 for their sources in the law). Also the fallback when
# the rows are missing (Django's transactional tests flush data-migration rows).
DEFAULT_RULES = {
    "open_tender": {
        "min_bidding_days": 20,
        "bidding_days_are_working_days": False,
        "change_notice_days": 15,
        "change_days_are_working_days": False,
        "min_clarification_days": 3,
        "min_valid_bids": 3,
    },
    "invited_tender": {
        "min_bidding_days": 20,
        "bidding_days_are_working_days": False,
        "change_notice_days": 15,
        "change_days_are_working_days": False,
        "min_clarification_days": 3,
        "min_valid_bids": 3,
    },
    "negotiation": {
        "min_bidding_days": 3,
        "bidding_days_are_working_days": True,
        "change_notice_days": 3,
        "change_days_are_working_days": True,
        "min_clarification_days": 1,
        "min_valid_bids": 3,
    },
    "inquiry": {
        "min_bidding_days": 3,
        "bidding_days_are_working_days": True,
        "change_notice_days": 3,
        "change_days_are_working_days": True,
        "min_clarification_days": 1,
        "min_valid_bids": 3,
    },
    "single_source": {
        "min_bidding_days": 1,
        "bidding_days_are_working_days": True,
        "change_notice_days": 0,
        "change_days_are_working_days": True,
        "min_clarification_days": 0,
        "min_valid_bids": 1,
        "justification_working_days": 5,
    },
}


def method_rule(park, method):
    """The `MethodRule` for `method` in `park` (the park's own, else the platform default)."""
    rule = MethodRule.objects.filter(method=method, park=getattr(park, "pk", park)).first()
    if rule is None:
        rule = MethodRule.objects.filter(method=method, park__isnull=True).first()
    if rule is None:  # the data migration's row was removed: fall back to the model's defaults, never crash
        rule = MethodRule(park=None, method=method, **DEFAULT_RULES[method])
    return rule


def flag_settings(park):
    """The red-flag thresholds of `park` (its own, else the platform default, else the model defaults)."""
    found = FlagSettings.objects.filter(park=getattr(park, "pk", park)).first()
    if found is None:
        found = FlagSettings.objects.filter(park__isnull=True).order_by(F("id").asc()).first()
    return found or FlagSettings(park=None)
