"""Objections (质疑) to an award, contracts with their integrity contracts (廉政合同), and amendments."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from procurement.choices import ContractStatus, ObjectionStatus


class Objection(models.Model):
    """A bidder's written objection to the award, filed within the objection period and answered in writing
    within its time limit. One that may affect the result suspends contract signing until answered."""

    tender = models.ForeignKey(
        "procurement.Tender", on_delete=models.PROTECT, related_name="objections", verbose_name=_("tender")
    )
    supplier = models.ForeignKey(
        "procurement.Supplier", on_delete=models.PROTECT, related_name="objections", verbose_name=_("supplier")
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("filed by")
    )
    text = models.TextField(_("objection"))
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)
    may_affect_result = models.BooleanField(_("may affect the result"), default=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ObjectionStatus.choices, default=ObjectionStatus.FILED
    )
    answer_due_at = models.DateTimeField(_("to be answered by"))
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["tender", "filed_at", "id"]

    def __str__(self):
        return f"{self.tender_id} · {self.supplier}"


class Contract(models.Model):
    """The contract signed with the awarded supplier, with the supplier's signed integrity contract (a pledge of
    kind "contract") and, over the 三重一大 threshold, the collective decision that approved it."""

    tender = models.OneToOneField(
        "procurement.Tender", on_delete=models.PROTECT, related_name="contract", verbose_name=_("tender")
    )
    park = models.ForeignKey("parks.Park", on_delete=models.PROTECT, related_name="contracts", verbose_name=_("park"))
    supplier = models.ForeignKey(
        "procurement.Supplier", on_delete=models.PROTECT, related_name="contracts", verbose_name=_("supplier")
    )
    number = models.CharField(_("contract number"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    value = models.DecimalField(_("original value (yuan)"), max_digits=14, decimal_places=2)
    signed_on = models.DateField(_("signed on"))
    period_start = models.DateField(_("performance starts"), null=True, blank=True)
    period_end = models.DateField(_("performance ends"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ContractStatus.choices, default=ContractStatus.SIGNED)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    publish_due_at = models.DateTimeField(_("to be published by"), null=True, blank=True)
    integrity_pledge = models.ForeignKey(
        "integrity.Pledge",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("integrity contract (廉政合同)"),
    )
    decision = models.ForeignKey(
        "integrity.CollectiveDecision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="procurement_contracts",
        verbose_name=_("collective decision (三重一大)"),
        help_text=_("The meeting decision that approved this purchase, required over the park's threshold."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-signed_on", "-id"]
        indexes = [models.Index(fields=["park", "signed_on"], name="contract_park_signed")]

    def __str__(self):
        return f"{self.number} {self.title}"


class ContractAmendment(models.Model):
    """A supplementary contract (补充合同): its change of value and reason. The total of supplementary
    contracts may not exceed the method rule's cap (default 10 %) of the original value."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="amendments", verbose_name=_("contract")
    )
    value_change = models.DecimalField(_("change of value (yuan)"), max_digits=14, decimal_places=2)
    reason = models.TextField(_("reason"))
    signed_on = models.DateField(_("signed on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("supplementary contract")
        verbose_name_plural = _("supplementary contracts")
        ordering = ["contract", "signed_on", "id"]

    def __str__(self):
        return f"{self.contract.number} {self.value_change:+}"
