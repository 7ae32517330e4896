"""The limits and deadlines of the integrity registers, kept as data per park."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def default_pledge_reminder_days():
    return [30, 7, 0]


def default_yearly_reminder_days():
    return [14, 3, 0]


class IntegritySettings(models.Model):
    """One park's rules for pledges and declarations. The defaults follow the common Chinese rules for
    officials (收到礼品一个月内登记、婚事提前三至十天报告、丧事事后十天内报告、亲属经商变化三十日内报告、
    年度报告一月底前); a park changes them in the admin (through `integrity_settings_update`). Read them with
    `integrity.selectors.settings.settings_for(park)`, which supplies the defaults for a park without a row."""

    park = models.OneToOneField(
        "parks.Park", on_delete=models.CASCADE, related_name="integrity_settings", verbose_name=_("park")
    )
    gift_due_months = models.PositiveSmallIntegerField(
        _("months to register a gift"), default=1, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    gift_value_limit = models.DecimalField(
        _("value above which a kept gift is flagged (yuan)"), max_digits=10, decimal_places=2, default=200
    )
    wedding_min_days_before = models.PositiveSmallIntegerField(
        _("report a wedding at least this many days before"), default=3
    )
    wedding_max_days_before = models.PositiveSmallIntegerField(
        _("report a wedding at most this many days before"), default=10
    )
    funeral_days_after = models.PositiveSmallIntegerField(_("report a funeral within this many days after"), default=10)
    family_event_max_tables = models.PositiveSmallIntegerField(_("scale cap: tables"), default=20)
    family_event_max_guests = models.PositiveIntegerField(_("scale cap: guests"), default=200)
    interest_change_days = models.PositiveSmallIntegerField(
        _("days to declare a change in a relative's business"), default=30
    )
    correction_days = models.PositiveSmallIntegerField(_("days to correct a returned declaration"), default=10)
    action_days = models.PositiveSmallIntegerField(_("days to carry out a required action"), default=15)
    draft_reminder_days = models.PositiveSmallIntegerField(
        _("remind of an unsubmitted draft this many days before its due date"), default=3
    )
    yearly_due_month = models.PositiveSmallIntegerField(
        _("yearly return due: month"), default=1, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    yearly_due_day = models.PositiveSmallIntegerField(
        _("yearly return due: day"), default=31, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    yearly_reminder_days = models.JSONField(
        _("yearly return reminders (days before the due date)"), default=default_yearly_reminder_days
    )
    pledge_reminder_days = models.JSONField(
        _("pledge renewal reminders (days before expiry)"), default=default_pledge_reminder_days
    )
    sample_percent = models.PositiveSmallIntegerField(
        _("verification sample (percent)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    sample_minimum = models.PositiveSmallIntegerField(_("verification sample (at least)"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("integrity settings")
        verbose_name_plural = _("integrity settings")

    def __str__(self):
        return str(self.park)

    @staticmethod
    def _thresholds(values):
        return sorted({int(v) for v in values or () if int(v) >= 0}, reverse=True)

    @property
    def pledge_thresholds(self):
        """Reminder thresholds in days before expiry, largest first."""
        return self._thresholds(self.pledge_reminder_days)

    @property
    def yearly_thresholds(self):
        return self._thresholds(self.yearly_reminder_days)
