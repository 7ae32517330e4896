"""Service rating cards (监督提醒卡) and the ratings given through them (DESIGN §7, §9).

A card belongs to one official in one park and carries an unguessable token; its QR code opens the public
rating page ``/integrity/rate/<token>/``. A card is revoked (a lost card, a leak) by issuing a new one: the old
token then opens nothing. Ratings keep the official and the park themselves, so an official's averages go on
across card re-issues.

A rating stores who rated only as far as the once-per-30-days rule needs it: the enterprise for a signed-in
enterprise user, else an HMAC of a random browser id (never an IP address or a user agent).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

__all__ = ["RaterKind", "ServiceCard", "ServiceRating"]

SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class RaterKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    ANONYMOUS = "anonymous", _("Anonymous visitor")


class ServiceCard(models.Model):
    """An official's supervision reminder card (监督提醒卡) in one park. Issued by `service_card_issue`, revoked
    by `service_card_revoke` (or replaced by `service_card_reissue`); at most one card per official and park
    is valid at a time. The token is the only thing the QR code carries."""

    park = models.ForeignKey(
        "parks.Park", on_delete=models.CASCADE, related_name="service_cards", verbose_name=_("park")
    )
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="service_cards",
        verbose_name=_("official"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoke_reason = models.CharField(_("reason for revoking"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("service rating card")
        verbose_name_plural = _("service rating cards")
        ordering = ["park", "official", "-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["park", "official"],
                condition=Q(revoked_at__isnull=True),
                name="servicecard_one_valid_per_official_park",
            )
        ]

    def __str__(self):
        name = self.official.get_full_name() or self.official.get_username()
        return f"{name} · {self.park}"

    @property
    def is_valid(self):
        return self.revoked_at is None


class ServiceRating(models.Model):
    """One rating of an official's service: attitude, efficiency and integrity on 1–5, and a comment.
    Created by `service_rating_submit` only (never changed afterwards). `ticket` links a named report of an
    improper demand (吃拿卡要) filed with the rating; an anonymous report is never linked, so that the rating's
    enterprise cannot unmask it."""

    park = models.ForeignKey(
        "parks.Park", on_delete=models.CASCADE, related_name="service_ratings", verbose_name=_("park")
    )
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="service_ratings",
        verbose_name=_("official"),
    )
    card = models.ForeignKey(ServiceCard, on_delete=models.PROTECT, related_name="ratings", verbose_name=_("card"))
    created_at = models.DateTimeField(_("rated at"))
    attitude = models.PositiveSmallIntegerField(_("attitude"), validators=SCORE_VALIDATORS)
    efficiency = models.PositiveSmallIntegerField(_("efficiency"), validators=SCORE_VALIDATORS)
    integrity = models.PositiveSmallIntegerField(_("integrity"), validators=SCORE_VALIDATORS)
    comment = models.TextField(_("comment"), blank=True)
    rater_kind = models.CharField(_("rated by"), max_length=20, choices=RaterKind.choices)
    enterprise = models.ForeignKey(
        "parks.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_ratings",
        verbose_name=_("enterprise"),
    )
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enterprise user"),
    )
    browser_digest = models.CharField(_("browser digest"), max_length=64, blank=True, editable=False)
    is_low = models.BooleanField(_("low rating"), default=False, help_text=_("Some dimension rated 2 or less."))
    ticket = models.ForeignKey(
        "complaints.Ticket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("report of an improper demand"),
    )

    class Meta:
        verbose_name = _("service rating")
        verbose_name_plural = _("service ratings")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["park", "created_at"], name="servicerating_park_time"),
            models.Index(fields=["official", "park", "created_at"], name="servicerating_official_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(attitude__gte=1, attitude__lte=5)
                & Q(efficiency__gte=1, efficiency__lte=5)
                & Q(integrity__gte=1, integrity__lte=5),
                name="servicerating_scores_1_to_5",
            ),
            models.CheckConstraint(
                condition=(Q(rater_kind="enterprise") & Q(enterprise__isnull=False))
                | (Q(rater_kind="anonymous") & Q(enterprise__isnull=True) & ~Q(browser_digest="")),
                name="servicerating_rater_identified",
            ),
        ]

    def __str__(self):
        return f"{self.official} {self.attitude}/{self.efficiency}/{self.integrity}"

    @property
    def average(self):
        return round((self.attitude + self.efficiency + self.integrity) / 3, 2)
