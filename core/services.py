"""State changes of core's own records: notification delivery and read marks, work-calendar overrides,
attachments (whose validation rules and access registry are `core.attachments`). The audit trail is written
by `core.audit`.
"""

import hashlib
import os
import secrets

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import attachments as attachment_rules
from core import workcalendar
from core.audit import ANONYMOUS, events_for, lock_chain, record_event, target_label
from core.errors import Conflict, DomainError, PermissionDenied
from core.models import Attachment, CalendarDay, Notification
from core.notifications import notify, render_email, render_sms
from core.roles import PLATFORM_ADMIN, is_platform_admin
from core.sms import get_sms_backend


def _lock_undelivered(notification_id):
    # skip_locked: a row another worker is delivering right now is left to it instead of being sent twice.
    return (
        Notification.objects.select_for_update(skip_locked=True)
        .select_related("recipient")
        .filter(pk=notification_id, delivered_at__isnull=True)
        .first()
    )


def _send_email(notification):
    user = notification.recipient
    if not (notification.send_email and notification.emailed_at is None and user.email):
        return False
    subject, body = render_email(notification)
    EmailMessage(subject=subject, body=body, to=[user.email], headers={"Auto-Submitted": "auto-generated"}).send(
        fail_silently=False
    )
    notification.emailed_at = timezone.now()
    return True


def _send_sms(notification):
    user = notification.recipient
    phone = getattr(user, "phone", "")
    if not (notification.send_sms and notification.sms_sent_at is None and phone):
        return False
    get_sms_backend().send(phone=phone, text=render_sms(notification))
    notification.sms_sent_at = timezone.now()
    return True


_CHANNELS = ((_send_email, "emailed_at"), (_send_sms, "sms_sent_at"))


def notification_deliver(*, notification_id, actor=None):
    """Deliver one notification by email and SMS, each channel at most once, and mark it delivered.

    Called by Celery tasks only (`core.tasks.send_notifications`, the sweep); `actor` is unused (the system
    acts). Each channel is sent while the row is locked and its time is recorded in the same transaction, so
    a task that runs twice sends nothing twice and a concurrent run skips the row. A channel that fails
    (``OSError``: SMTP, SMS gateway) raises so the task retries; channels already sent stay marked and are
    not repeated. A recipient who has lost their address or number since is skipped on that channel.
    Returns True when this call completed the delivery, False when there was nothing to do (already
    delivered, deleted, or being delivered by another worker). Delivery is not business state: no audit event.
    """
    for send, field in _CHANNELS:
        with transaction.atomic():
            notification = _lock_undelivered(notification_id)
            if notification is None:
                return False
            if send(notification):
                notification.save(update_fields=[field])
    with transaction.atomic():
        notification = _lock_undelivered(notification_id)
        if notification is None:
            return False
        notification.delivered_at = timezone.now()
        notification.save(update_fields=["delivered_at"])
    return True


def notification_mark_read(*, notification, actor):
    """The recipient marks one of their notifications read; returns False if it was read already.

    Refused (PermissionDenied) for anyone but the recipient. A user's read marks are not business state, so
    no audit event is written.
    """
    if notification.recipient_id != getattr(actor, "pk", None):
        raise PermissionDenied()
    with transaction.atomic():
        now = timezone.now()
        updated = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
    if updated:
        notification.read_at = now
    return bool(updated)


def notification_mark_all_read(*, actor):
    """A user marks all their unread notifications read; returns how many were unread. No audit event."""
    with transaction.atomic():
        return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


# --- work calendar overrides (DESIGN §4.3) ------------------------------------------------------------------


def _calendar_target(day):
    # One audit chain per date, so a date's history survives its override being deleted and set again.
    return ("core.calendarday", day.isoformat())


def _calendar_snapshot(calendar_day):
    if calendar_day is None:
        return None
    return {"is_workday": calendar_day.is_workday, "name": calendar_day.name, "note": calendar_day.note}


def calendar_day_set(*, date, is_workday, name="", note="", actor):
    """Set the work-calendar override of one date (create it, or change the existing one) and return it.

    Platform administrators only (PermissionDenied otherwise); refuses a name over 100 or a note over 200
    characters. Records ``calendar_day.created`` or ``calendar_day.changed`` with before and after values
    (nothing when nothing changed). Every process's calendar picks the change up after commit
    (`core.workcalendar.invalidate`).
    """
    if not is_platform_admin(actor):
        raise PermissionDenied(_("Only platform administrators may change the work calendar."))
    name, note = (name or "").strip(), (note or "").strip()
    if len(name) > CalendarDay._meta.get_field("name").max_length:
        raise DomainError(_("The name is too long (100 characters at most)."), field="name")
    if len(note) > CalendarDay._meta.get_field("note").max_length:
        raise DomainError(_("The note is too long (200 characters at most)."), field="note")
    target = _calendar_target(date)
    with transaction.atomic():
        # The chain lock serialises two administrators setting the same date (the row may not exist yet).
        lock_chain(target)
        calendar_day = CalendarDay.objects.select_for_update().filter(date=date).first()
        before = _calendar_snapshot(calendar_day)
        if calendar_day is None:
            calendar_day = CalendarDay.objects.create(date=date, is_workday=is_workday, name=name, note=note)
            action = "calendar_day.created"
        else:
            calendar_day.is_workday, calendar_day.name, calendar_day.note = is_workday, name, note
            if _calendar_snapshot(calendar_day) == before:
                return calendar_day
            calendar_day.save(update_fields=["is_workday", "name", "note"])
            action = "calendar_day.changed"
        record_event(
            action=action,
            target=target,
            actor=actor,
            data={"date": date, "before": before, "after": _calendar_snapshot(calendar_day)},
        )
        workcalendar.invalidate()
        transaction.on_commit(workcalendar.invalidate)
    return calendar_day


def calendar_day_delete(*, date, actor):
    """Remove the override of one date, so that it follows the statutory calendar again.

    Platform administrators only (PermissionDenied otherwise); refused (not_found) when the date has no
    override. Records ``calendar_day.deleted`` with the values removed.
    """
    if not is_platform_admin(actor):
        raise PermissionDenied(_("Only platform administrators may change the work calendar."))
    target = _calendar_target(date)
    with transaction.atomic():
        lock_chain(target)
        calendar_day = CalendarDay.objects.select_for_update().filter(date=date).first()
        if calendar_day is None:
            raise DomainError(_("This date has no calendar override."), code="not_found", kind="not_found")
        before = _calendar_snapshot(calendar_day)
        calendar_day.delete()
        record_event(action="calendar_day.deleted", target=target, actor=actor, data={"date": date, "before": before})
        workcalendar.invalidate()
        transaction.on_commit(workcalendar.invalidate)


def calendar_year_check(*, year, actor=None):
    """Tell the platform administrators, once per year, that `year` has no statutory holiday calendar yet
    (neither the `chinesecalendar` package nor any override covers it), so deadlines would count plain
    Monday–Friday. Returns True when it notified them.

    Called by the periodic task `core.tasks.sweep_work_calendar` (the system acts; `actor` is unused).
    Safe to run twice at once: the year's audit chain is locked, and only its first
    ``calendar.year_uncovered`` event notifies.
    """
    if workcalendar.year_is_covered(year):
        return False
    target = ("core.calendaryear", str(year))
    with transaction.atomic():
        lock_chain(target)
        if events_for(target).filter(action="calendar.year_uncovered").exists():
            return False
        record_event(action="calendar.year_uncovered", target=target, data={"year": year})
        admins = (
            get_user_model()
            .objects.filter(Q(groups__name=PLATFORM_ADMIN) | Q(is_superuser=True), is_active=True)
            .distinct()
        )
        notify(
            recipients=list(admins),
            kind="calendar.year_uncovered",
            title=_("The work calendar has no holidays for %(year)s yet") % {"year": year},
            body=_(
                "Deadlines in %(year)s will count Monday to Friday only until the statutory holidays and "
                "make-up workdays are known. Update the chinesecalendar package once it has %(year)s, or enter "
                "the holidays as calendar overrides."
            )
            % {"year": year},
            url=reverse("admin:core_calendarday_changelist"),
        )
    return True


# --- attachments (DESIGN §4.5) -------------------------------------------------------------------------------


def attachment_create(*, file, actor, park, target=None, strip_metadata=True):
    """Validate and store an uploaded file; returns the `Attachment`.

    Anyone who may submit the form that carries the file may call it (the calling service decides), also
    anonymously (``actor=None``). Refuses with `DomainError` a file that is empty, larger than
    ``ATTACHMENT_MAX_BYTES``, or whose bytes are not an allowed type (JPEG, PNG, GIF, WebP, PDF, DOCX,
    XLSX, PPTX without macros, DOC, XLS, UTF-8 text named .txt) — whatever its name says. Images are
    re-encoded without metadata unless ``strip_metadata=False``. With `target`, the file is attached to
    that record at once. Records ``attachment.uploaded``.
    """
    data = attachment_rules.read_upload(file)
    original = getattr(file, "name", "") or ""
    kind = attachment_rules.detect_kind(data, os.path.basename(original))
    if kind.image_format:
        data = attachment_rules.clean_image(data, kind, strip_metadata)
    user = actor if getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    attachment = Attachment(
        token=secrets.token_urlsafe(24),
        park=park,
        original_name=attachment_rules.clean_name(original, kind),
        content_type=kind.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=user,
        created_at=now,
    )
    if target is not None:
        attachment.target_type, attachment.target_id = target_label(target)
    with transaction.atomic():
        attachment.file.save(attachment.token, ContentFile(data), save=False)
        try:
            attachment.save()
            record_event(
                action="attachment.uploaded",
                target=attachment,
                actor=user,
                actor_kind=None if user else ANONYMOUS,
                park=park,
                data={
                    "name": attachment.original_name,
                    "content_type": attachment.content_type,
                    "size": attachment.size,
                    "sha256": attachment.sha256,
                    "attached_to": attachment_rules.target_text(attachment),
                },
            )
        except BaseException:
            attachment.file.delete(save=False)
            raise
    return attachment


def attachment_attach(*, attachment, target, actor):
    """Link an upload to the record it belongs to; returns the attachment. Attaching it again to the same
    record changes nothing.

    Called by the service that creates or changes `target`. Refuses (PermissionDenied) anyone but the
    uploader of a signed-in upload; refuses (Conflict) a file already attached to another record, and a
    file uploaded for another park than the record's. Records ``attachment.attached``.
    """
    target_type, target_id = target_label(target)
    target_park_id = getattr(target, "park_id", None)
    with transaction.atomic():
        locked = Attachment.objects.select_for_update().get(pk=attachment.pk)
        if (locked.target_type, locked.target_id) == (target_type, target_id):
            return locked
        if locked.target_type:
            raise Conflict(_("This file is already attached to another record."), code="attachment_already_attached")
        if locked.uploaded_by_id is not None and locked.uploaded_by_id != getattr(actor, "pk", None):
            raise PermissionDenied(_("Only the person who uploaded a file can attach it."))
        if locked.park_id and target_park_id and locked.park_id != target_park_id:
            raise Conflict(_("This file was uploaded for another park."), code="attachment_other_park")
        locked.target_type, locked.target_id = target_type, target_id
        fields = ["target_type", "target_id"]
        if locked.park_id is None and target_park_id:
            locked.park_id = target_park_id
            fields.append("park")
        locked.save(update_fields=fields)
        record_event(
            action="attachment.attached",
            target=locked,
            actor=actor,
            park=locked.park_id,
            data={"before": {"attached_to": ""}, "after": {"attached_to": attachment_rules.target_text(locked)}},
        )
    for field in ("target_type", "target_id", "park_id"):
        setattr(attachment, field, getattr(locked, field))
    return locked
