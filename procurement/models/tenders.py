"""Tenders (采购项目) with their periods, change notices and clarification questions."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from procurement.choices import LOWEST_PRICE_METHODS, Method, TenderChangeKind, TenderStatus

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class Tender(models.Model):
    """One procurement: what is bought, by which method, with which budget, and its periods. Status moves only
    through the services in `procurement.services` (table in `procurement.choices.TENDER_TRANSITIONS`).

    Period fields are filled at publication from the method's `MethodRule` and later steps (the evaluation
    report, the decision, the announcement). The bid deadline is the opening time. Sealing keys are set up at
    publication (`procurement.sealing`): `public_key_pem` is what bidders' browsers encrypt to; the private key
    exists only encrypted (`sealed_private_key`) under two shares, one wrapped with the platform's sealing key
    (`platform_share`) and one wrapped to each discipline officer of the park (`TenderKeyShare`)."""

    park = models.ForeignKey("parks.Park", on_delete=models.PROTECT, related_name="tenders", verbose_name=_("park"))
    number = models.CharField(_("number"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    status = models.CharField(_("status"), max_length=20, choices=TenderStatus.choices, default=TenderStatus.DRAFT)
    buyer_department = models.ForeignKey(
        "parks.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tenders",
        verbose_name=_("buying department"),
    )
    category = models.CharField(
        _("category"),
        max_length=20,
        choices=[("goods", _("Goods")), ("services", _("Services")), ("works", _("Works"))],
        default="goods",
    )
    needs = models.TextField(_("needs"), help_text=_("What is bought: quantities, specifications, service levels."))
    qualification_requirements = models.TextField(_("qualification requirements"), blank=True)
    budget = models.DecimalField(_("budget (yuan)"), max_digits=14, decimal_places=2)
    price_weight = models.PositiveSmallIntegerField(
        _("price weight (%)"), default=30, validators=PERCENT, help_text=_("Scored methods: the rest is technical.")
    )
    justification = models.TextField(
        _("single-source justification"), blank=True, help_text=_("Why only one supplier can meet the need.")
    )
    proposed_supplier = models.ForeignKey(
        "procurement.Supplier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed single-source supplier"),
    )
    invited_suppliers = models.ManyToManyField(
        "procurement.Supplier", blank=True, related_name="invitations", verbose_name=_("invited suppliers")
    )
    previous_tender = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retenders",
        verbose_name=_("re-tender of"),
    )
    decision = models.ForeignKey(
        "integrity.CollectiveDecision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="procurement_tenders",
        verbose_name=_("collective decision (三重一大)"),
        help_text=_("The meeting decision that approved this purchase, required over the park's threshold."),
    )

    # Periods.
    justification_published_at = models.DateTimeField(_("justification published at"), null=True, blank=True)
    justification_ends_at = models.DateTimeField(_("justification publicity ends"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    clarification_deadline = models.DateTimeField(_("clarification questions until"), null=True, blank=True)
    bid_deadline = models.DateTimeField(_("bid deadline and opening time"), null=True, blank=True)
    closed_at = models.DateTimeField(_("bidding closed at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    opening_cosigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opening co-signed by"),
    )
    evaluation_started_at = models.DateTimeField(_("evaluation started at"), null=True, blank=True)
    evaluation_report_at = models.DateTimeField(_("evaluation report recorded at"), null=True, blank=True)
    award_due_at = models.DateTimeField(_("award to be decided by"), null=True, blank=True)
    awarded_at = models.DateTimeField(_("award decided at"), null=True, blank=True)
    announcement_due_at = models.DateTimeField(_("result to be announced by"), null=True, blank=True)
    announced_at = models.DateTimeField(_("result announced at"), null=True, blank=True)
    publicity_ends_at = models.DateTimeField(_("award publicity ends"), null=True, blank=True)
    objection_deadline = models.DateTimeField(_("objections accepted until"), null=True, blank=True)
    contract_due_at = models.DateTimeField(_("contract to be signed by"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    failure_reason = models.TextField(_("reason for failure or cancellation"), blank=True)

    # Sealing (procurement.sealing). Never a bid's plaintext.
    public_key_pem = models.TextField(_("sealing public key"), blank=True)
    sealed_private_key = models.BinaryField(_("sealed private key"), null=True, blank=True, editable=False)
    platform_share = models.BinaryField(_("platform key share"), null=True, blank=True, editable=False)
    commitments_published_at = models.DateTimeField(_("commitments published at"), null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("tender")
        verbose_name_plural = _("tenders")
        ordering = ["-published_at", "-created_at", "-id"]
        indexes = [
            models.Index(fields=["park", "status"], name="tender_park_status"),
            models.Index(fields=["status", "bid_deadline"], name="tender_status_deadline"),
            models.Index(fields=["park", "awarded_at"], name="tender_park_awarded"),
        ]
        constraints = [models.CheckConstraint(condition=models.Q(budget__gt=0), name="tender_budget_positive")]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def is_lowest_price(self):
        return self.method in LOWEST_PRICE_METHODS

    @property
    def technical_weight(self):
        return 100 - self.price_weight

    def budget_share(self, amount):
        return (Decimal(amount) / self.budget) if self.budget else None


class TenderChange(models.Model):
    """A public notice changing or clarifying a tender (更正公告 / 澄清), or announcing its cancellation or
    failure. A change less than the method's notice period before the deadline moves the deadline; the move is
    recorded here (`deadline_before` → `deadline_after`)."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="changes", verbose_name=_("tender"))
    kind = models.CharField(_("kind"), max_length=20, choices=TenderChangeKind.choices)
    text = models.TextField(_("text"))
    deadline_before = models.DateTimeField(_("deadline before"), null=True, blank=True)
    deadline_after = models.DateTimeField(_("deadline after"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        verbose_name = _("tender notice")
        verbose_name_plural = _("tender notices")
        ordering = ["tender", "published_at", "id"]

    def __str__(self):
        return f"{self.tender.number} · {self.get_kind_display()}"


class ClarificationQuestion(models.Model):
    """A question from a (prospective) bidder about the tender documents. The answer is published to everyone
    without naming who asked: `asked_by` is never shown outside the procurement officer's own view and the
    audit trail."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="questions", verbose_name=_("tender"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("asked by")
    )
    question = models.TextField(_("question"))
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now)
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
        verbose_name = _("clarification question")
        verbose_name_plural = _("clarification questions")
        ordering = ["tender", "asked_at", "id"]

    def __str__(self):
        return f"{self.tender.number} Q{self.pk}"
