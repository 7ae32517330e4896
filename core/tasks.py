"""Celery tasks of core: thin and idempotent."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from core.models import Notification
from core.sms import get_sms_backend

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notifications(notification_ids):
    """Deliver notifications by email and SMS. Each channel is marked done once, under a row lock
    (skip_locked), so a repeated or concurrent run sends nothing twice."""
    for pk in notification_ids:
        deliver_notification(pk)


def deliver_notification(pk):
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .select_related("recipient")
            .filter(pk=pk, delivered_at__isnull=True)
            .first()
        )
        if notification is None:
            return False
        user = notification.recipient
        now = timezone.now()
        if notification.send_email and notification.emailed_at is None and user.email:
            link = f"{settings.SITE_URL}{notification.url}" if notification.url else ""
            send_mail(
                subject=notification.title,
                message="\n\n".join(part for part in (notification.body, link) if part),
                from_email=None,
                recipient_list=[user.email],
            )
            notification.emailed_at = now
        if notification.send_sms and notification.sms_sent_at is None and user.phone:
            get_sms_backend().send(phone=user.phone, text=notification.title)
            notification.sms_sent_at = now
        notification.delivered_at = now
        notification.save(update_fields=["emailed_at", "sms_sent_at", "delivered_at"])
    return True


@shared_task
def sweep_undelivered_notifications():
    """Deliver what a lost broker message left undone (DESIGN §4.6): notifications older than five minutes
    that were never delivered."""
    cutoff = timezone.now() - timedelta(minutes=5)
    ids = list(
        Notification.objects.filter(delivered_at__isnull=True, created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )
    for pk in ids:
        deliver_notification(pk)
    return len(ids)


@shared_task
def sweep_work_calendar():
    """Daily: warn the platform administrators when the work calendar lacks the statutory holidays of the
    current year, or — from 1 December, a few weeks after the State Council usually publishes them — of next
    year (`core.services.calendar_year_check`, which notifies once per year however often this runs).
    Returns the years it notified about."""
    from core.services import calendar_year_check

    today = timezone.localdate()
    years = [today.year, today.year + 1] if today.month == 12 else [today.year]
    return [year for year in years if calendar_year_check(year=year)]
