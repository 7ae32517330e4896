"""Suppliers (供应商) and their qualifications (资质)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from procurement.choices import QualificationKind, SupplierStatus


class Supplier(models.Model):
    """A verified enterprise registered to bid in one park. Approved, rejected, suspended or blacklisted by the
    park's procurement officer, with a reason (`supplier_*` services). Only an approved supplier whose
    qualifications have not expired may bid. The enterprise's name, credit code and contact details live on
    `parks.Enterprise` (red flags compare them across bidders)."""

    park = models.ForeignKey("parks.Park", on_delete=models.PROTECT, related_name="suppliers", verbose_name=_("park"))
    enterprise = models.ForeignKey(
        "parks.Enterprise",
        on_delete=models.PROTECT,
        related_name="supplier_registrations",
        verbose_name=_("enterprise"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SupplierStatus.choices, default=SupplierStatus.PENDING
    )
    business_scope = models.TextField(_("goods, services and works offered"))
    categories = models.CharField(_("categories"), max_length=200, blank=True)
    bank_account_name = models.CharField(_("bank account name"), max_length=200, blank=True)
    status_reason = models.TextField(_("reason for the last decision"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status changed by"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["park", "enterprise__name"]
        constraints = [models.UniqueConstraint(fields=["park", "enterprise"], name="supplier_unique_per_park")]
        indexes = [models.Index(fields=["park", "status"], name="supplier_park_status")]

    def __str__(self):
        return str(self.enterprise)


class Qualification(models.Model):
    """One qualification a supplier holds (licence, certificate …), with its documents as attachments
    (target "procurement.qualification"). An expired qualification stops the supplier from bidding."""

    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="qualifications", verbose_name=_("supplier")
    )
    kind = models.CharField(_("type"), max_length=30, choices=QualificationKind.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)
    number = models.CharField(_("number"), max_length=100)
    issuer = models.CharField(_("issued by"), max_length=200)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True, help_text=_("Empty: does not expire."))
    created_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["supplier", "kind", "expires_on"]
        indexes = [models.Index(fields=["expires_on"], name="qualification_expiry")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def is_valid(self, on=None):
        return self.expires_on is None or self.expires_on >= (on or timezone.localdate())


class QualificationReminder(models.Model):
    """That the expiry reminder for one qualification at one threshold (days before expiry; 0 = expired) was
    sent. The unique constraint makes each reminder happen once however often the sweep runs."""

    qualification = models.ForeignKey(
        Qualification, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("qualification")
    )
    threshold_days = models.PositiveSmallIntegerField(_("days before expiry"))
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("qualification reminder")
        verbose_name_plural = _("qualification reminders")
        constraints = [
            models.UniqueConstraint(fields=["qualification", "threshold_days"], name="qualreminder_unique_threshold")
        ]

    def __str__(self):
        return f"{self.qualification_id} −{self.threshold_days}d"
