"""Notifications (DESIGN §4.2): in-app rows written in the caller's transaction, delivered by email and SMS
from Celery after commit — never inside the request."""

from django.db import transaction

from core.models import Notification


def notify(*, recipients, kind, title, body="", url="", park=None, email=True, sms=False):
    """Create one notification per distinct active recipient and queue its delivery after commit.

    `kind` is a dotted code (``ticket.assigned``); `title` and `body` are already-rendered text in the
    recipient's language (callers render them with ``translation.override`` when it matters). Returns the
    created notifications.
    """
    seen, rows = set(), []
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                recipient=user,
                park=park,
                kind=kind,
                title=str(title)[:200],
                body=str(body),
                url=url,
                send_email=email and bool(user.email),
                send_sms=sms and bool(getattr(user, "phone", "")),
            )
        )
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created if n.pk is not None]
    if ids:
        from core.tasks import send_notifications

        transaction.on_commit(lambda: send_notifications.delay(ids))
    return created
