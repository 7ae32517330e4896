"""The yearly declaration round: opening it, enrolling the park's officials, filing returns (nil included),
and the reminders."""

import contextlib
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from core.audit import record_event
from core.errors import Conflict, DomainError, PermissionDenied
from core.notifications import notify
from integrity import deadlines
from integrity.choices import YearlyReturnStatus
from integrity.models import YearlyReturn, YearlyReturnReminder, YearlyRound
from integrity.selectors.access import can_review_declarations, park_officials
from integrity.selectors.settings import settings_for


def _enrol(yearly_round, now):
    """Create a pending return for every official of the park who has none in the round; the new rows."""
    have = set(yearly_round.returns.values_list("declarant_id", flat=True))
    missing = [user for user in park_officials(yearly_round.park) if user.pk not in have]
    rows = YearlyReturn.objects.bulk_create(
        [YearlyReturn(round=yearly_round, park=yearly_round.park, declarant=user, created_at=now) for user in missing]
    )
    if missing:
        notify(
            recipients=missing,
            kind="yearly_return.opened",
            title=_t("Yearly declaration %(year)d: file your return by %(date)s")
            % {"year": yearly_round.year, "date": yearly_round.due_date},
            body=_t("If you have nothing to report, file a nil return."),
            url=reverse("integrity:my-yearly-returns"),
            park=yearly_round.park,
        )
    return rows, missing


def yearly_round_open(*, park, year, actor=None, now=None):
    """Open the park's yearly declaration round on `year`, due on the configured day of the next year
    (31 January by default), with a pending return for each of the park's officials, who are notified.

    May call: a discipline officer of the park, or the beat sweep (``actor=None``). Refuses a round that
    already exists (``round_exists``) and a year in the future. Audit: ``yearly_round.opened``."""
    if actor is not None and not can_review_declarations(actor, park):
        raise PermissionDenied(_("Only a discipline officer of the park opens the yearly round."))
    now = now or timezone.now()
    if int(year) > timezone.localdate(now).year:
        raise DomainError(_("A round is opened on a year that has begun."), field="year")
    rules = settings_for(park)
    with transaction.atomic():
        if YearlyRound.objects.filter(park=park, year=year).exists():
            raise Conflict(_("The round on this year is already open."), code="round_exists")
        try:
            with transaction.atomic():
                yearly_round = YearlyRound.objects.create(
                    park=park,
                    year=int(year),
                    due_date=deadlines.yearly_due_date(int(year), rules),
                    opened_at=now,
                    opened_by=actor,
                )
        except IntegrityError:
            raise Conflict(_("The round on this year is already open."), code="round_exists") from None
        _rows, enrolled = _enrol(yearly_round, now)
        record_event(
            action="yearly_round.opened",
            target=yearly_round,
            actor=actor,
            park=park,
            data={"year": yearly_round.year, "due_date": yearly_round.due_date, "officials": len(enrolled)},
        )
    return yearly_round


def yearly_round_enrol(*, yearly_round, actor=None, now=None):
    """Add a pending return for officials who joined the park after the round opened (the beat sweep does
    this daily until the due date). Audit: ``yearly_round.enrolled`` when anyone was added."""
    if actor is not None and not can_review_declarations(actor, yearly_round.park):
        raise PermissionDenied()
    now = now or timezone.now()
    with transaction.atomic():
        yearly_round = YearlyRound.objects.select_for_update().select_related("park").get(pk=yearly_round.pk)
        _rows, enrolled = _enrol(yearly_round, now)
        if enrolled:
            record_event(
                action="yearly_round.enrolled",
                target=yearly_round,
                actor=actor,
                park=yearly_round.park_id,
                data={"added": [user.pk for user in enrolled]},
            )
    return enrolled


def yearly_return_file(*, yearly_return, actor, is_nil, statement="", now=None):
    """The official files their yearly return: a nil return (nothing to report), or a statement of what
    they had to report that year. On time when filed by the round's due date.

    Refuses anyone but the declarant, a return already filed (``already_filed``) and a non-nil return
    without a statement. Audit: ``yearly_return.filed``."""
    statement = (statement or "").strip()
    if not is_nil and not statement:
        raise DomainError(_("Describe what you report, or file a nil return."), field="statement", code="required")
    now = now or timezone.now()
    with transaction.atomic():
        row = YearlyReturn.objects.select_for_update().select_related("round").get(pk=yearly_return.pk)
        if row.declarant_id != actor.pk:
            raise PermissionDenied(_("Only the official files their own return."))
        if row.status == YearlyReturnStatus.FILED:
            raise Conflict(_("This return has already been filed."), code="already_filed")
        before = row.status
        row.status = YearlyReturnStatus.FILED
        row.is_nil = bool(is_nil)
        row.statement = statement
        row.filed_at = now
        row.is_late = timezone.localdate(now) > row.round.due_date
        row.save(update_fields=["status", "is_nil", "statement", "filed_at", "is_late"])
        record_event(
            action="yearly_return.filed",
            target=row,
            actor=actor,
            park=row.park_id,
            data={
                "before": {"status": before},
                "after": {"status": row.status, "is_nil": row.is_nil, "is_late": row.is_late},
            },
        )
    return row


def yearly_return_remind(*, yearly_return, threshold_days, skip=(), now=None):
    """Remind the official of a pending return at `threshold_days` before the due date (0: on the day),
    once; less urgent thresholds in `skip` are recorded as skipped. Audit: ``yearly_return.reminder_sent``."""
    now = now or timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                YearlyReturnReminder.objects.create(
                    yearly_return_id=yearly_return.pk, threshold_days=threshold_days, sent_at=now
                )
        except IntegrityError:
            return False
        for other in skip:
            YearlyReturnReminder.objects.get_or_create(
                yearly_return_id=yearly_return.pk, threshold_days=other, defaults={"sent_at": now, "skipped": True}
            )
        yearly_round = yearly_return.round
        notify(
            recipients=[yearly_return.declarant],
            kind="yearly_return.reminder",
            title=_t("Yearly declaration %(year)d is due on %(date)s: file your return")
            % {"year": yearly_round.year, "date": yearly_round.due_date},
            body=_t("If you have nothing to report, file a nil return."),
            url=reverse("integrity:my-yearly-returns"),
            park=yearly_return.park,
        )
        record_event(
            action="yearly_return.reminder_sent",
            target=yearly_return,
            actor=None,
            park=yearly_return.park_id,
            data={"threshold_days": threshold_days, "skipped": list(skip)},
        )
    return True


def yearly_reminders_send(*, now=None):
    """The sweep: open each active park's round on last year in January (until its due date), enrol
    officials who joined since, and remind the officials whose return is pending at the park's thresholds
    (14 and 3 days before and on the due date by default), each reminder once. Returns the number sent."""
    from parks.models import Park

    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    for park in Park.objects.filter(is_active=True):
        rules = settings_for(park)
        last_year = today.year - 1
        if (
            today <= deadlines.yearly_due_date(last_year, rules)
            and not YearlyRound.objects.filter(park=park, year=last_year).exists()
        ):
            # Another sweep may have opened it a moment ago.
            with contextlib.suppress(Conflict):
                yearly_round_open(park=park, year=last_year, actor=None, now=now)
        for yearly_round in YearlyRound.objects.filter(park=park, due_date__gte=today).select_related("park"):
            yearly_round_enrol(yearly_round=yearly_round, actor=None, now=now)
        thresholds = rules.yearly_thresholds
        if not thresholds:
            continue
        final = YearlyReturnReminder.objects.filter(yearly_return=OuterRef("pk"), threshold_days=min(thresholds))
        pending = (
            YearlyReturn.objects.filter(
                park=park,
                status=YearlyReturnStatus.PENDING,
                round__due_date__gte=today,
                round__due_date__lte=today + timedelta(days=thresholds[0]),
            )
            .exclude(Exists(final))
            .select_related("round", "declarant", "park")
        )
        for row in pending:
            days_left = (row.round.due_date - today).days
            reached = [t for t in thresholds if days_left <= t]
            if not reached:
                continue
            most_urgent = min(reached)
            already = set(row.reminders.values_list("threshold_days", flat=True))
            if most_urgent in already:
                continue
            skip = [t for t in reached if t != most_urgent and t not in already]
            sent += yearly_return_remind(yearly_return=row, threshold_days=most_urgent, skip=skip, now=now)
    return sent
