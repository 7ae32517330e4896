"""Red flags (风险预警) computed on tenders, awards and contracts."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from procurement.choices import FlagKind, FlagStatus


class RedFlag(models.Model):
    """One warning sign with its evidence. Computed by Celery after opening, award and every amendment;
    idempotent through `fingerprint` (kind + the records it is about). A discipline officer confirms it (which
    raises or updates a risk in the integrity register) or dismisses it with a reason. Blocking kinds (legal
    breaches) stop the tender's next step while open."""

    park = models.ForeignKey("parks.Park", on_delete=models.PROTECT, related_name="red_flags", verbose_name=_("park"))
    tender = models.ForeignKey(
        "procurement.Tender",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="red_flags",
        verbose_name=_("tender"),
    )
    contract = models.ForeignKey(
        "procurement.Contract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="red_flags",
        verbose_name=_("contract"),
    )
    supplier = models.ForeignKey(
        "procurement.Supplier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="red_flags",
        verbose_name=_("supplier"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=FlagKind.choices)
    blocking = models.BooleanField(_("blocks the next step"), default=False)
    fingerprint = models.CharField(_("fingerprint"), max_length=200, unique=True)
    summary = models.CharField(_("summary"), max_length=300)
    evidence = models.JSONField(_("evidence"), default=dict)
    status = models.CharField(_("status"), max_length=20, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    risk = models.ForeignKey(
        "integrity.IntegrityRisk",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="red_flags",
        verbose_name=_("risk in the register"),
    )

    class Meta:
        verbose_name = _("red flag")
        verbose_name_plural = _("red flags")
        ordering = ["-raised_at", "-id"]
        indexes = [
            models.Index(fields=["park", "status"], name="redflag_park_status"),
            models.Index(fields=["tender", "status", "blocking"], name="redflag_tender_blocking"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.summary}"
