"""State changes of core's own records."""

from django.db import transaction
from django.utils import timezone

from core.errors import PermissionDenied
from core.models import Notification


def notification_mark_read(*, notification, actor):
    """The recipient marks one notification read. Refused for anyone else. A user's read marks are not
    business state, so no audit event is written."""
    if notification.recipient_id != actor.pk:
        raise PermissionDenied()
    with transaction.atomic():
        updated = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
    return bool(updated)


def notification_mark_all_read(*, actor):
    """The user marks all their unread notifications read."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())
