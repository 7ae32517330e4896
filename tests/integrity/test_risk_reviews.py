"""Reviews of risks: the cadence by residual level, the next due date counted from the previous due date (no
drift), pulling a review forward, and the sweep's reminders — each once — and escalation to the discipline
office five working days after a missed review."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from core.audit import events_for
from core.errors import Conflict, DomainError, PermissionDenied
from core.models import Notification
from integrity.choices_risk import PullForwardReason, ReviewReminderKind, RiskLevel
from integrity.models import RiskReviewReminder
from integrity.services import risks as services
from integrity.tasks_risk import sweep_risk_reviews
from tests.integrity.factories_risk import make_head, register_risk

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = dt.datetime(2026, 1, 5, 10, 0, tzinfo=SHANGHAI)


def at(day, hour=9):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)


@pytest.fixture
def risk(world_a):
    """A 中 risk (residual 2 × 3) registered on 5 January 2026: reviews every 180 days, first due 4 July."""
    with time_machine.travel(START, tick=False):
        return register_risk(world_a, owner=world_a.handler)


def review(risk, actor, day, likelihood=2, impact=3):
    with time_machine.travel(at(day, 15), tick=False):
        return services.risk_review_record(
            risk=risk,
            actor=actor,
            findings="检查台账，措施执行正常。",
            residual_likelihood=likelihood,
            residual_impact=impact,
            reviewed_on=day,
        )


def test_the_first_review_of_a_medium_risk_is_due_180_days_after_registration(risk):
    assert risk.review_due_date == dt.date(2026, 7, 4)


def test_a_late_review_schedules_the_next_one_from_the_previous_due_date(risk, world_a):
    record = review(risk, world_a.discipline, dt.date(2026, 7, 20))
    risk.refresh_from_db()

    assert record.due_date == dt.date(2026, 7, 4) and record.was_late
    assert risk.review_due_date == dt.date(2026, 12, 31)  # 4 July + 180, not 20 July + 180


def test_an_early_review_does_not_move_the_schedule_earlier(risk, world_a):
    review(risk, world_a.discipline, dt.date(2026, 6, 20))
    risk.refresh_from_db()

    assert risk.review_due_date == dt.date(2026, 12, 31)


def test_a_second_review_in_a_period_already_satisfied_does_not_push_the_schedule(risk, world_a):
    review(risk, world_a.discipline, dt.date(2026, 6, 20))
    record = review(risk, world_a.discipline, dt.date(2026, 6, 25))
    risk.refresh_from_db()

    assert risk.review_due_date == dt.date(2026, 12, 31)
    assert record.due_date is None


def test_a_higher_residual_level_shortens_the_next_interval_from_the_previous_due_date(world_a):
    with time_machine.travel(START, tick=False):
        risk = register_risk(world_a, inherent_likelihood=4, inherent_impact=4)  # residual 2 × 3: 中, 180 days
    record = review(risk, world_a.discipline, dt.date(2026, 7, 1), likelihood=3, impact=4)  # 12: 高 → 90 days
    risk.refresh_from_db()

    assert record.residual_level == RiskLevel.HIGH and record.previous_residual_level == RiskLevel.MEDIUM
    assert risk.review_due_date == dt.date(2026, 10, 2)


def test_a_review_records_the_new_residual_scores_and_is_audited(risk, world_a):
    review(risk, world_a.discipline, dt.date(2026, 7, 1), likelihood=1, impact=3)
    risk.refresh_from_db()

    assert (risk.residual_score, risk.residual_level, risk.last_reviewed_on) == (3, RiskLevel.LOW, dt.date(2026, 7, 1))
    assert [e.action for e in events_for(risk)][-1] == "risk.reviewed"


def test_the_responsible_person_may_review_their_risk(risk, world_a):
    record = review(risk, world_a.handler, dt.date(2026, 7, 1))

    assert record.reviewer == world_a.handler


def test_an_official_who_is_neither_responsible_nor_a_manager_cannot_review(risk, world_a):
    with pytest.raises(PermissionDenied):
        review(risk, world_a.dispatcher, dt.date(2026, 7, 1))


def test_a_review_dated_in_the_future_is_refused(risk, world_a):
    with time_machine.travel(at(dt.date(2026, 7, 1)), tick=False), pytest.raises(DomainError) as error:
        services.risk_review_record(
            risk=risk,
            actor=world_a.discipline,
            findings="x",
            residual_likelihood=2,
            residual_impact=3,
            reviewed_on=dt.date(2026, 7, 2),
        )

    assert error.value.field == "reviewed_on"


def test_a_closed_risk_cannot_be_reviewed(risk, world_a):
    with time_machine.travel(at(dt.date(2026, 2, 1)), tick=False):
        services.risk_close(risk=risk, actor=world_a.discipline)
    with pytest.raises(Conflict):
        review(risk, world_a.discipline, dt.date(2026, 2, 2))


# --- pulling a review forward ---------------------------------------------------------------------------


def test_pulling_a_review_forward_makes_it_due_today_and_keeps_the_regular_date(risk, world_a):
    with time_machine.travel(at(dt.date(2026, 3, 2)), tick=False):
        services.risk_pull_review_forward(
            risk=risk, reason=PullForwardReason.COMPLAINT_SUBSTANTIATED, actor=world_a.discipline, note="投诉属实"
        )
    risk.refresh_from_db()

    assert (risk.review_due_date, risk.review_anchor_date) == (dt.date(2026, 3, 2), dt.date(2026, 7, 4))
    assert [e.action for e in events_for(risk)][-1] == "risk.review_pulled_forward"


def test_after_a_pulled_forward_review_the_schedule_continues_from_the_regular_date(risk, world_a):
    with time_machine.travel(at(dt.date(2026, 3, 2)), tick=False):
        services.risk_pull_review_forward(risk=risk, reason=PullForwardReason.INSPECTION_FINDING, actor=None)
    review(risk, world_a.discipline, dt.date(2026, 3, 5))
    risk.refresh_from_db()

    assert risk.review_due_date == dt.date(2026, 12, 31)
    assert risk.review_pulled_reason == ""


def test_the_system_may_pull_a_review_forward(risk):
    with time_machine.travel(at(dt.date(2026, 3, 2)), tick=False):
        services.risk_pull_review_forward(risk=risk, reason=PullForwardReason.RED_FLAG_CONFIRMED, actor=None)

    assert [e.actor_kind for e in events_for(risk)][-1] == "system"


def test_an_enterprise_user_cannot_pull_a_review_forward(risk, world_a):
    with pytest.raises(PermissionDenied):
        services.risk_pull_review_forward(risk=risk, reason=PullForwardReason.OTHER, actor=world_a.enterprise_user)


def test_a_pulled_forward_review_is_notified_once_not_again_by_the_sweep(risk, world_a):
    day = dt.date(2026, 3, 2)
    with time_machine.travel(at(day, 10), tick=False):
        services.risk_pull_review_forward(risk=risk, reason=PullForwardReason.OTHER, actor=world_a.discipline)
        services.risk_review_reminders_send(now=at(day, 11))

    assert Notification.objects.filter(recipient=world_a.handler, kind__startswith="risk.review").count() == 1


# --- the sweep ------------------------------------------------------------------------------------------


def kinds_sent(risk):
    return sorted(RiskReviewReminder.objects.filter(risk=risk).values_list("kind", flat=True))


def test_nothing_is_sent_long_before_the_due_date(risk):
    assert services.risk_review_reminders_send(now=at(dt.date(2026, 6, 1))) == {
        "upcoming": 0,
        "due": 0,
        "escalated": 0,
    }


def test_a_coming_review_is_announced_seven_days_before_exactly_once(risk, world_a):
    services.risk_review_reminders_send(now=at(dt.date(2026, 6, 27)))
    services.risk_review_reminders_send(now=at(dt.date(2026, 6, 28)))

    assert kinds_sent(risk) == [ReviewReminderKind.UPCOMING]
    assert Notification.objects.filter(recipient=world_a.handler, kind="risk.review_upcoming").count() == 1


def test_the_due_reminder_goes_to_the_responsible_person_and_the_department_head_once(risk, world_a):
    head = make_head(world_a.business, world_a.park_admin)

    services.risk_review_reminders_send(now=at(dt.date(2026, 7, 4)))
    services.risk_review_reminders_send(now=at(dt.date(2026, 7, 4), 18))

    due = Notification.objects.filter(kind="risk.review_due")
    assert sorted(due.values_list("recipient_id", flat=True)) == sorted([world_a.handler.pk, head.pk])


def test_the_celery_task_runs_the_sweep(risk):
    with time_machine.travel(at(dt.date(2026, 7, 4)), tick=False):
        result = sweep_risk_reviews.delay().get()

    assert result["due"] == 1


def test_an_overdue_review_escalates_to_the_discipline_office_after_five_working_days(world_a):
    # Due on 30 September 2025: 1–8 October is the National Day holiday, 11 October a make-up working day, so
    # the five working days are 9, 10, 11, 13 and 14 October.
    make_head(world_a.discipline_dept, world_a.discipline)
    with time_machine.travel(dt.datetime(2025, 4, 3, 10, tzinfo=SHANGHAI), tick=False):
        risk = register_risk(world_a, owner=world_a.handler)  # 180 days later: 30 September
    assert risk.review_due_date == dt.date(2025, 9, 30)

    on_fifth = services.risk_review_reminders_send(now=at(dt.date(2025, 10, 14), 20))
    after = services.risk_review_reminders_send(now=at(dt.date(2025, 10, 15), 8))

    assert on_fifth["escalated"] == 0 and after["escalated"] == 1
    assert Notification.objects.filter(recipient=world_a.discipline, kind="risk.review_escalated").count() == 1
    assert "risk.review_escalated" in [e.action for e in events_for(risk)]


def test_an_escalation_is_sent_once_when_the_sweep_runs_twice(risk, world_a):
    late = at(dt.date(2026, 7, 20))

    first = services.risk_review_reminders_send(now=late)
    second = services.risk_review_reminders_send(now=late)

    assert first["escalated"] == 1 and second == {"upcoming": 0, "due": 0, "escalated": 0}
    assert Notification.objects.filter(recipient=world_a.discipline, kind="risk.review_escalated").count() == 1


def test_a_sweep_that_missed_days_sends_only_the_most_urgent_reminder(risk, world_a):
    services.risk_review_reminders_send(now=at(dt.date(2026, 7, 20)))

    assert kinds_sent(risk) == ["due", "escalated"]
    assert not Notification.objects.filter(kind="risk.review_due").exists()


def test_a_new_due_date_after_a_review_gets_its_own_reminders(risk, world_a):
    services.risk_review_reminders_send(now=at(dt.date(2026, 7, 4)))
    review(risk, world_a.discipline, dt.date(2026, 7, 5))

    services.risk_review_reminders_send(now=at(dt.date(2026, 12, 31)))

    assert RiskReviewReminder.objects.filter(risk=risk, kind="due").count() == 2


def test_a_closed_risk_gets_no_reminders(risk, world_a):
    with time_machine.travel(at(dt.date(2026, 2, 1)), tick=False):
        services.risk_close(risk=risk, actor=world_a.discipline)

    services.risk_review_reminders_send(now=at(dt.date(2026, 7, 30)))

    assert kinds_sent(risk) == []


def test_reviews_keep_their_dates_over_a_year_of_late_quarterly_reviews(world_a):
    with time_machine.travel(START, tick=False):
        risk = register_risk(
            world_a, inherent_likelihood=4, inherent_impact=4, residual_likelihood=3, residual_impact=4
        )
    assert risk.review_due_date == dt.date(2026, 4, 5)  # 高: every 90 days

    dues = []
    for _ in range(3):
        due = risk.review_due_date
        review(risk, world_a.discipline, due + dt.timedelta(days=12), likelihood=3, impact=4)
        risk.refresh_from_db()
        dues.append(risk.review_due_date)

    assert dues == [dt.date(2026, 7, 4), dt.date(2026, 10, 2), dt.date(2026, 12, 31)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_escalate_each_missed_review_exactly_once(world_a):
    with time_machine.travel(START, tick=False):
        risks = [register_risk(world_a, title=f"风险{n}", owner=world_a.handler) for n in range(10)]
    late = at(dt.date(2026, 7, 20))
    barrier = threading.Barrier(2)
    errors = []

    def sweep():
        try:
            barrier.wait()
            services.risk_review_reminders_send(now=late)
        except Exception as exc:  # collected and asserted below: a thread cannot fail the test itself
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert RiskReviewReminder.objects.filter(risk__in=risks, kind="escalated").count() == len(risks)
    assert Notification.objects.filter(recipient=world_a.discipline, kind="risk.review_escalated").count() == len(risks)
