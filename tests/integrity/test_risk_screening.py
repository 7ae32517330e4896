"""Screening campaigns (排查): every department is asked, answers with risks or a nil response, is reminded
once per threshold while it has not answered, and the completion view counts answered / nil / missing."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from core.audit import events_for
from core.errors import Conflict, DomainError, PermissionDenied
from core.models import Notification
from integrity.choices_risk import ResponseStatus, RiskSource
from integrity.models import RiskScreeningReminder
from integrity.selectors.risks import campaign_completion
from integrity.services.screening import (
    screening_campaign_close,
    screening_campaign_launch,
    screening_reminders_send,
    screening_response_submit,
)
from integrity.tasks_risk import sweep_screening_reminders
from tests.integrity.factories_risk import make_head, register_risk

SHANGHAI = ZoneInfo("Asia/Shanghai")
LAUNCH = dt.datetime(2026, 3, 2, 9, tzinfo=SHANGHAI)
DEADLINE = dt.date(2026, 3, 20)


def at(day, hour=9):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)


@pytest.fixture
def campaign(world_a):
    with time_machine.travel(LAUNCH, tick=False):
        return screening_campaign_launch(
            park=world_a.park, actor=world_a.discipline, title="2026年度廉洁风险排查", deadline=DEADLINE
        )


def response_of(campaign, department):
    return campaign.responses.get(department=department)


def test_launching_asks_every_active_department_of_the_park(campaign, world_a):
    asked = set(campaign.responses.values_list("department_id", flat=True))

    assert asked == {world_a.dispatch.pk, world_a.discipline_dept.pk, world_a.business.pk}
    assert [e.action for e in events_for(campaign)] == ["screening_campaign.launched"]


def test_launching_tells_each_department(campaign, world_a):
    assert Notification.objects.filter(recipient=world_a.handler, kind="screening.launched").exists()


def test_a_deadline_in_the_past_is_refused(world_a):
    with pytest.raises(DomainError) as error:
        screening_campaign_launch(
            park=world_a.park, actor=world_a.discipline, title="排查", deadline=dt.date(2000, 1, 1)
        )

    assert error.value.field == "deadline"


def test_a_handler_cannot_launch_a_campaign(world_a):
    with pytest.raises(PermissionDenied):
        screening_campaign_launch(park=world_a.park, actor=world_a.handler, title="排查", deadline=DEADLINE)


def test_a_department_answers_with_the_risks_it_registered_for_the_campaign(campaign, world_a):
    response = response_of(campaign, world_a.business)
    with time_machine.travel(at(dt.date(2026, 3, 10)), tick=False):
        risk = register_risk(world_a, actor=world_a.handler, screening_response=response)
        response = screening_response_submit(response=response, actor=world_a.handler, note="已完成自查")

    assert response.status == ResponseStatus.ANSWERED
    assert list(response.risks.all()) == [risk]
    assert risk.source == RiskSource.SCREENING
    assert [e.action for e in events_for(response)][-1] == "screening_response.answered"


def test_a_department_with_nothing_to_report_answers_nil(campaign, world_a):
    response = screening_response_submit(
        response=response_of(campaign, world_a.dispatch), actor=world_a.dispatcher, nil=True, note="经自查无新增风险点"
    )

    assert response.status == ResponseStatus.NIL


def test_an_answer_without_risks_must_be_a_nil_response(campaign, world_a):
    with pytest.raises(DomainError) as error:
        screening_response_submit(response=response_of(campaign, world_a.business), actor=world_a.handler)

    assert error.value.code == "no_risks"


def test_a_nil_response_cannot_name_risks(campaign, world_a):
    response = response_of(campaign, world_a.business)
    risk = register_risk(world_a, actor=world_a.handler)

    with pytest.raises(DomainError) as error:
        screening_response_submit(response=response, actor=world_a.handler, nil=True, risks=[risk])

    assert error.value.code == "nil_with_risks"


def test_risks_of_another_department_are_refused(campaign, world_a):
    other = register_risk(world_a, department=world_a.dispatch)

    with pytest.raises(DomainError) as error:
        screening_response_submit(
            response=response_of(campaign, world_a.business), actor=world_a.discipline, risks=[other]
        )

    assert error.value.code == "wrong_department"


def test_an_official_of_another_department_cannot_answer(campaign, world_a):
    with pytest.raises(PermissionDenied):
        screening_response_submit(response=response_of(campaign, world_a.business), actor=world_a.dispatcher, nil=True)


def test_a_closed_campaign_takes_no_answers(campaign, world_a):
    screening_campaign_close(campaign=campaign, actor=world_a.discipline)

    with pytest.raises(Conflict):
        screening_response_submit(response=response_of(campaign, world_a.business), actor=world_a.handler, nil=True)


def test_the_completion_view_counts_answered_nil_and_missing(campaign, world_a):
    business = response_of(campaign, world_a.business)
    with time_machine.travel(at(dt.date(2026, 3, 10)), tick=False):
        register_risk(world_a, actor=world_a.handler, screening_response=business)
        screening_response_submit(response=business, actor=world_a.handler)
    with time_machine.travel(at(dt.date(2026, 3, 25)), tick=False):
        screening_response_submit(response=response_of(campaign, world_a.dispatch), actor=world_a.dispatcher, nil=True)
        completion = campaign_completion(campaign)

    totals = completion["totals"]
    assert (totals["answered"], totals["nil"], totals["missing"], totals["risks"]) == (1, 1, 1, 1)
    assert totals["late"] == 2  # the nil answer came after the deadline; the discipline office never answered
    assert totals["answered_share"] == 67


def test_a_department_that_has_not_answered_is_reminded_once_per_threshold(campaign, world_a):
    for day in (dt.date(2026, 3, 17), dt.date(2026, 3, 17), dt.date(2026, 3, 18), dt.date(2026, 3, 19)):
        screening_reminders_send(now=at(day))

    response = response_of(campaign, world_a.business)
    assert sorted(RiskScreeningReminder.objects.filter(response=response).values_list("threshold", flat=True)) == [1, 3]
    assert Notification.objects.filter(recipient=world_a.handler, kind="screening.reminder").count() == 2


def test_a_department_that_answered_is_not_reminded(campaign, world_a):
    screening_response_submit(response=response_of(campaign, world_a.dispatch), actor=world_a.dispatcher, nil=True)

    screening_reminders_send(now=at(dt.date(2026, 3, 19)))

    assert not RiskScreeningReminder.objects.filter(response__department=world_a.dispatch).exists()


def test_the_day_after_the_deadline_the_organiser_is_told_too(campaign, world_a):
    make_head(world_a.business, world_a.handler)

    screening_reminders_send(now=at(dt.date(2026, 3, 21)))

    assert Notification.objects.filter(recipient=world_a.discipline, kind="screening.reminder").exists()


def test_a_missed_sweep_sends_only_the_most_urgent_reminder(campaign, world_a):
    screening_reminders_send(now=at(dt.date(2026, 3, 21)))

    response = response_of(campaign, world_a.business)
    assert RiskScreeningReminder.objects.filter(response=response).count() == 3
    assert Notification.objects.filter(recipient=world_a.handler, kind="screening.reminder").count() == 1


def test_a_closed_campaign_sends_no_reminders(campaign, world_a):
    screening_campaign_close(campaign=campaign, actor=world_a.discipline)

    assert screening_reminders_send(now=at(dt.date(2026, 3, 19))) == 0


def test_the_celery_task_runs_the_screening_sweep(campaign):
    with time_machine.travel(at(dt.date(2026, 3, 19)), tick=False):
        assert sweep_screening_reminders.delay().get() == 3
