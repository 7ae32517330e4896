"""Configurable rules of procurement (DESIGN §8): per-method period rules and red-flag thresholds.

Rows with ``park = NULL`` are the platform defaults (created by a data migration from Chinese procurement law);
a park may keep its own row per method, which then wins. Change them in the admin.
"""

from decimal import Decimal

from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from procurement.choices import Method


class MethodRule(models.Model):
    """The period rules of one procurement method. Defaults: 政府采购法 and its implementing rules —
    at least 20 days from publication to bid deadline for tenders (招标), at least 3 working days for 竞争性谈判 and
    询价; a clarification or change less than 15 days before the deadline moves the deadline; single source needs
    its justification published for at least 5 working days; award decided within 5 working days of the
    evaluation report and announced within 2; objections within 7 working days after the publicity period and
    answered within 7; the contract signed within 30 days and published within 2 working days."""

    park = models.ForeignKey(
        "parks.Park", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("park")
    )
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    min_bidding_days = models.PositiveSmallIntegerField(_("minimum days from publication to bid deadline"))
    bidding_days_are_working_days = models.BooleanField(_("counted in working days"), default=False)
    change_notice_days = models.PositiveSmallIntegerField(
        _("a change less than this many days before the deadline moves it"), default=15
    )
    change_days_are_working_days = models.BooleanField(_("change notice counted in working days"), default=False)
    min_clarification_days = models.PositiveSmallIntegerField(
        _("clarification deadline at least this many days before the bid deadline"), default=0
    )
    justification_working_days = models.PositiveSmallIntegerField(
        _("single-source justification published for (working days)"), default=0
    )
    min_valid_bids = models.PositiveSmallIntegerField(_("minimum valid bids"), default=3)
    award_decision_working_days = models.PositiveSmallIntegerField(
        _("award decided within (working days of the evaluation report)"), default=5
    )
    announcement_working_days = models.PositiveSmallIntegerField(
        _("result announced within (working days of the decision)"), default=2
    )
    publicity_working_days = models.PositiveSmallIntegerField(_("award publicity lasts (working days)"), default=1)
    objection_working_days = models.PositiveSmallIntegerField(
        _("objections accepted for (working days after the publicity ends)"), default=7
    )
    objection_answer_working_days = models.PositiveSmallIntegerField(
        _("objections answered within (working days)"), default=7
    )
    contract_days = models.PositiveSmallIntegerField(_("contract signed within (days of the announcement)"), default=30)
    contract_publish_working_days = models.PositiveSmallIntegerField(
        _("contract published within (working days of signing)"), default=2
    )
    supplementary_cap_percent = models.DecimalField(
        _("supplementary contracts capped at (percent of the original value)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
    )

    class Meta:
        verbose_name = _("procurement method rule")
        verbose_name_plural = _("procurement method rules")
        ordering = ["park_id", "method"]
        constraints = [
            # One row per method per park, the platform default (park NULL) included.
            models.UniqueConstraint(Coalesce("park", Value(0)), "method", name="methodrule_unique_park_method"),
        ]

    def __str__(self):
        return f"{self.get_method_display()} ({self.park or _('platform default')})"


class FlagSettings(models.Model):
    """Red-flag thresholds (DESIGN §8). ``park = NULL`` is the platform default."""

    park = models.OneToOneField(
        "parks.Park", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("park")
    )
    near_budget_ratio = models.DecimalField(
        _("winning price at or above this share of the budget"), max_digits=5, decimal_places=4, default=Decimal("0.98")
    )
    close_price_ratio = models.DecimalField(
        _("bid prices within this share of each other"), max_digits=5, decimal_places=4, default=Decimal("0.01")
    )
    dominance_share = models.DecimalField(
        _("one supplier's share of the awarded value above"), max_digits=5, decimal_places=4, default=Decimal("0.5")
    )
    dominance_months = models.PositiveSmallIntegerField(_("over this many months"), default=12)
    dominance_min_awards = models.PositiveSmallIntegerField(_("with at least this many awards"), default=3)
    split_window_days = models.PositiveSmallIntegerField(_("split purchases: within this many days"), default=90)
    split_min_awards = models.PositiveSmallIntegerField(_("split purchases: at least this many awards"), default=3)
    open_tender_threshold = models.DecimalField(
        _("open-tender threshold (yuan)"), max_digits=14, decimal_places=2, default=Decimal("2000000")
    )
    amendment_growth_ratio = models.DecimalField(
        _("contract value raised by amendments above this share"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.10"),
    )

    class Meta:
        verbose_name = _("red-flag thresholds")
        verbose_name_plural = _("red-flag thresholds")
        constraints = [
            # A single platform default (park NULL); the OneToOne keeps one row per park.
            models.UniqueConstraint(Coalesce("park", Value(0)), name="flagsettings_one_per_park")
        ]

    def __str__(self):
        return str(self.park or _("platform default"))
