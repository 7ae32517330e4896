"""Published answer lists (第N批企业诉求解答清单及整改措施, DESIGN §6 "Disclosure").

A batch is published once, by `complaints.services.disclosure.answer_batch_publish`, and never edited: its
items keep a copy of the texts as published — with personal data removed — so the public page does not
change when a ticket is touched later, and nothing on it is read from the ticket at display time.
Imported at the end of `complaints.models`, so the tables belong to the complaints app.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AnswerBatch(models.Model):
    """One published list of answered demands of a park, numbered 1, 2, 3 … per park (第一批, 第二批 …)."""

    park = models.ForeignKey(
        "parks.Park", on_delete=models.PROTECT, related_name="answer_batches", verbose_name=_("park")
    )
    number = models.PositiveSmallIntegerField(_("batch number"))
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    published_at = models.DateTimeField(_("published at"), db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        verbose_name = _("answer batch")
        verbose_name_plural = _("answer batches")
        ordering = ["park", "-number"]
        constraints = [models.UniqueConstraint(fields=["park", "number"], name="answerbatch_unique_number_per_park")]

    def __str__(self):
        return self.title


class AnswerBatchItem(models.Model):
    """One demand of a batch as published: subject, demand, answer and rectification measures with
    personal data removed, the category and department names, and the dates. A ticket is published at
    most once (unique), so the same demand never appears in two batches."""

    batch = models.ForeignKey(AnswerBatch, on_delete=models.CASCADE, related_name="items", verbose_name=_("batch"))
    ticket = models.OneToOneField(
        "complaints.Ticket", on_delete=models.PROTECT, related_name="published_item", verbose_name=_("ticket")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    category_name = models.CharField(_("category"), max_length=200)
    department_name = models.CharField(_("department"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    demand = models.TextField(_("demand"))
    reply = models.TextField(_("answer"))
    rectification_measures = models.TextField(_("rectification measures"), blank=True)
    submitted_on = models.DateField(_("submitted on"))
    replied_on = models.DateField(_("answered on"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer batch item")
        verbose_name_plural = _("answer batch items")
        ordering = ["batch", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="answerbatchitem_unique_position"),
        ]

    def __str__(self):
        return f"{self.batch_id}#{self.position} {self.subject}"
