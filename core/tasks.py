"""Celery tasks of core: thin and idempotent; they call `core.services`."""

import logging
from datetime import timedelta

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable

from core.models import Notification
from core.services import notification_deliver

logger = logging.getLogger(__name__)

# A message queued but not delivered after this long is presumed lost by the broker.
NOTIFICATION_SWEEP_DELAY = timedelta(minutes=5)
# Older undelivered notifications are given up on (they stay visible in the bell), so that a few with a
# permanently failing address are not retried for ever ahead of newer ones.
NOTIFICATION_SWEEP_HORIZON = timedelta(days=2)
NOTIFICATION_BATCH = 50


def enqueue_notification_delivery(notification_ids):
    """Queue delivery of freshly committed notifications (called by `core.notifications.notify` on commit).

    A broker that is down must not fail the request that created them: the rows are committed, and the
    periodic sweep delivers them once the broker is back (DESIGN §4.6).
    """
    try:
        send_notifications.delay(list(notification_ids))
    except BrokerUnavailable:
        logger.warning("broker unavailable; %d notification(s) left to the sweep", len(notification_ids))


@shared_task(bind=True, acks_late=True, max_retries=8)
def send_notifications(self, notification_ids):
    """Deliver notifications by email and SMS (`core.services.notification_deliver`): each channel once, even
    if this task runs twice or concurrently. Ids whose delivery failed on a transient error (``OSError``:
    SMTP, SMS gateway) are retried with exponential backoff; the others are not repeated."""
    failed, error = [], None
    for pk in notification_ids:
        try:
            notification_deliver(notification_id=pk)
        except OSError as exc:
            logger.warning("delivery of notification %s failed: %s", pk, exc)
            failed.append(pk)
            error = exc
    if failed:
        countdown = get_exponential_backoff_interval(
            factor=30, retries=self.request.retries, maximum=1800, full_jitter=True
        )
        raise self.retry(args=[failed], exc=error, countdown=countdown)
    return len(notification_ids)


@shared_task
def sweep_undelivered_notifications():
    """Re-queue what a lost broker message left undone (DESIGN §4.6): notifications created more than five
    minutes (and less than two days) ago and still undelivered. Safe to run twice at once: delivery itself
    sends each channel once."""
    now = timezone.now()
    ids = list(
        Notification.objects.filter(
            delivered_at__isnull=True,
            created_at__lt=now - NOTIFICATION_SWEEP_DELAY,
            created_at__gte=now - NOTIFICATION_SWEEP_HORIZON,
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:1000]
    )
    for start in range(0, len(ids), NOTIFICATION_BATCH):
        send_notifications.delay(ids[start : start + NOTIFICATION_BATCH])
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
