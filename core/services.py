"""State changes of core's own records: notification read marks, work-calendar overrides."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import workcalendar
from core.audit import events_for, lock_chain, record_event
from core.errors import DomainError, PermissionDenied
from core.models import CalendarDay, Notification
from core.notifications import notify
from core.roles import PLATFORM_ADMIN, is_platform_admin


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
