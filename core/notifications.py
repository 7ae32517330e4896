"""Notifications (DESIGN §4.2): in-app rows written in the caller's transaction, delivered by email and SMS
from Celery after commit — never inside the request.

`notify` is what other apps call. The rest of this module renders a notification for its channels and reads
a user's notifications for the bell, the list page and the API.
"""

from functools import partial

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.models import Notification


def notify(*, recipients, kind, title, body="", url="", park=None, email=True, sms=False):
    """Create one notification per distinct active recipient and queue its delivery after commit.

    Call it inside the service's transaction: if the transaction rolls back, nobody is notified. `kind` is
    a dotted code (``ticket.assigned``); `title` and `body` are text in the recipient's language (callers
    render them with ``translation.override`` when it matters); `url` is a path on this site. Email goes
    only to recipients with an address, SMS only to those with a phone number. Returns the created rows.
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
        from core.tasks import enqueue_notification_delivery

        transaction.on_commit(partial(enqueue_notification_delivery, ids))
    return created


# --- reading -------------------------------------------------------------------------------------------------


def notifications_for(user, *, unread=None):
    """The user's own notifications, newest first; only the unread ones with ``unread=True``."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    queryset = Notification.objects.filter(recipient=user).order_by("-created_at", "-id")
    if unread is True:
        queryset = queryset.filter(read_at__isnull=True)
    elif unread is False:
        queryset = queryset.filter(read_at__isnull=False)
    return queryset


def unread_count_for(user):
    return notifications_for(user, unread=True).count()


# --- rendering for the delivery channels ---------------------------------------------------------------------


def recipient_language(user):
    """The language a user's messages are written in: theirs if the account has one, else the site's."""
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    return language if translation.check_for_language(language) else settings.LANGUAGE_CODE


def absolute_link(url):
    if not url:
        return ""
    if url.startswith(("http://", "https://")):
        return url
    return f"{settings.SITE_URL}/{url.lstrip('/')}"


def render_email(notification):
    """(subject, text body) of a notification's email, in the recipient's language."""
    user = notification.recipient
    with translation.override(recipient_language(user)):
        context = {
            "notification": notification,
            "recipient": user,
            "link": absolute_link(notification.url),
            "all_link": absolute_link(reverse("core:notifications")),
            "site_name": _("Clean Park portal"),
        }
        subject = render_to_string("core/email/notification_subject.txt", context)
        body = render_to_string("core/email/notification.txt", context)
    # A header injection guard as much as tidiness: a subject is one line.
    subject = " ".join(subject.split())[:200]
    return subject, body


def render_sms(notification):
    """The text message of a notification, in the recipient's language: the title and its link."""
    with translation.override(recipient_language(notification.recipient)):
        text = _("[Clean Park] %(title)s") % {"title": notification.title}
    link = absolute_link(notification.url)
    return f"{text} {link}" if link else text
