"""Cross-cutting tables: the audit trail, notifications, the work calendar's overrides and attachments."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditImmutableError(Exception):
    """Raised when code tries to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditImmutableError("audit events are append-only")

    def delete(self):
        raise AuditImmutableError("audit events are append-only")


class AuditEvent(models.Model):
    """One entry of the append-only audit trail (轨迹化管理, DESIGN §4.1).

    Events form hash chains, one chain per audited record (``chain`` = ``"<app.model>:<pk>"``), so appending
    locks only that record's chain head, never a global row. ``hash`` is an HMAC over the event's content and
    the previous event's hash; `manage.py verify_audit` recomputes every chain and reports an edited, a
    deleted or an inserted event. Written only by `core.audit.record_event`.
    """

    class ActorKind(models.TextChoices):
        USER = "user", _("User")
        SYSTEM = "system", _("System")
        ANONYMOUS = "anonymous", _("Anonymous")

    created_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
        db_constraint=False,
    )
    actor_kind = models.CharField(_("actor kind"), max_length=10, choices=ActorKind.choices)
    actor_label = models.CharField(_("actor"), max_length=150, blank=True)
    park = models.ForeignKey(
        "parks.Park",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("park"),
        db_constraint=False,
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    target_type = models.CharField(_("target type"), max_length=80)
    target_id = models.CharField(_("target id"), max_length=64)
    data = models.JSONField(_("data"), default=dict, blank=True)
    chain = models.CharField(_("chain"), max_length=160)
    seq = models.PositiveIntegerField(_("sequence"))
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="auditevent_unique_chain_seq")]
        indexes = [
            models.Index(fields=["target_type", "target_id", "seq"], name="auditevent_target"),
            models.Index(fields=["park", "created_at"], name="auditevent_park_time"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditImmutableError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutableError("audit events are append-only")


class AuditChainHead(models.Model):
    """The last event of each chain: the row that serialises appends to one chain (and only to it), and that
    lets `verify_audit` notice events deleted from a chain's end."""

    chain = models.CharField(max_length=160, primary_key=True)
    seq = models.PositiveIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")

    def __str__(self):
        return f"{self.chain} #{self.seq}"


class Notification(models.Model):
    """A message to one user: shown in the in-app bell, and delivered by email and SMS from Celery
    (`core.tasks.send_notification`). Delivery times record what was done, so a repeated task sends nothing
    twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    park = models.ForeignKey(
        "parks.Park", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("park")
    )
    kind = models.CharField(_("kind"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    send_email = models.BooleanField(_("send email"), default=True)
    send_sms = models.BooleanField(_("send SMS"), default=False)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    sms_sent_at = models.DateTimeField(_("SMS sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["delivered_at", "created_at"], name="notification_undelivered"),
        ]

    def __str__(self):
        return self.title


class CalendarDay(models.Model):
    """An override of the work calendar for one date: a holiday or a make-up workday (调休) that the calendar
    package does not know yet, or a local day off. Without an override a date follows the package's
    statutory calendar, and outside the years it covers, Monday to Friday."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {'✓' if self.is_workday else '✗'} {self.name}"


def attachment_path(instance, filename):
    # The stored name is random: the original name is kept in the row, never trusted as a path.
    return f"attachments/{instance.created_at:%Y/%m}/{instance.token}"


class Attachment(models.Model):
    """An uploaded file, validated by its content (type sniffed from its bytes, size limit), stored outside
    static/ under MEDIA_ROOT and served only through `core.views.attachment_download`, which asks the owning
    record's app whether the user may see it."""

    token = models.CharField(max_length=40, unique=True, editable=False)
    park = models.ForeignKey(
        "parks.Park", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("park")
    )
    target_type = models.CharField(_("attached to"), max_length=80, blank=True)
    target_id = models.CharField(_("attached to id"), max_length=64, blank=True)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="attachment_target")]

    def __str__(self):
        return self.original_name
