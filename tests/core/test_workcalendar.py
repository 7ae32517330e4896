"""The work calendar (DESIGN §4.3) on real dates: the 2025 and 2026 statutory holidays and 调休 make-up
workdays as published by the State Council (国务院办公厅), and administrators' overrides."""

import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache

from core import workcalendar as wc
from core.errors import DomainError, PermissionDenied
from core.models import AuditEvent, CalendarDay, Notification
from core.services import calendar_day_delete, calendar_day_set, calendar_year_check
from core.tasks import sweep_work_calendar

SH = ZoneInfo("Asia/Shanghai")
H = timedelta(hours=1)


def at(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=SH)


def end_of(y, m, d):
    return datetime(y, m, d, 23, 59, 59, 999999, tzinfo=SH)


@pytest.fixture(autouse=True)
def fresh_calendar():
    # Overrides are cached per process; a rolled-back test must not leave its overrides to the next one.
    wc.clear_cache()
    cache.delete(wc.VERSION_KEY)
    yield
    wc.clear_cache()


@pytest.fixture
def uncovered_year():
    """A year the installed chinesecalendar does not know (it grows every November)."""
    return wc.PACKAGE_LAST_YEAR + 2


# --- statutory holidays and make-up workdays ------------------------------------------------------------


@pytest.mark.parametrize("day", [date(2025, 10, d) for d in range(1, 9)])
def test_national_day_2025_holiday_runs_from_1_to_8_october(db, day):
    assert not wc.is_workday(day)


@pytest.mark.parametrize("day", [date(2025, 9, 28), date(2025, 10, 11)])
def test_national_day_2025_makeup_weekend_days_are_worked(db, day):
    # Sunday 28 September and Saturday 11 October 2025.
    assert day.weekday() >= 5
    assert wc.is_workday(day)


def test_first_working_day_after_national_day_2025_is_9_october(db):
    assert wc.next_working_day(date(2025, 9, 30)) == date(2025, 10, 9)


def test_new_year_2026_holiday_and_makeup_sunday(db):
    # 1–3 January 2026 off; Sunday 4 January worked.
    assert [wc.is_workday(date(2026, 1, d)) for d in range(1, 6)] == [False, False, False, True, True]


@pytest.mark.parametrize("day", [date(2026, 2, d) for d in range(15, 24)])
def test_spring_festival_2026_holiday_runs_from_15_to_23_february(db, day):
    assert not wc.is_workday(day)


@pytest.mark.parametrize("day", [date(2026, 2, 14), date(2026, 2, 28)])
def test_spring_festival_2026_makeup_saturdays_are_worked(db, day):
    assert day.weekday() == 5
    assert wc.is_workday(day)


def test_spring_festival_2026_ends_on_tuesday_24_february(db):
    assert wc.next_working_day(date(2026, 2, 14)) == date(2026, 2, 24)


@pytest.mark.parametrize("day", [date(2026, 5, d) for d in range(1, 6)])
def test_labour_day_2026_holiday_runs_from_1_to_5_may(db, day):
    assert not wc.is_workday(day)


def test_labour_day_2026_makeup_saturday_9_may_is_worked(db):
    assert wc.is_workday(date(2026, 5, 9))


def test_ordinary_weekend_is_not_worked(db):
    assert not wc.is_workday(date(2025, 11, 15))  # Saturday
    assert not wc.is_workday(date(2025, 11, 16))  # Sunday
    assert wc.is_workday(date(2025, 11, 17))  # Monday


def test_aware_datetime_is_judged_by_its_shanghai_date(db):
    # 16:30 UTC on 30 September is 00:30 on 1 October in Shanghai: a holiday.
    assert not wc.is_workday(datetime(2025, 9, 30, 16, 30, tzinfo=ZoneInfo("UTC")))


def test_naive_datetime_is_refused(db):
    with pytest.raises(ValueError, match="aware"):
        wc.is_workday(datetime(2025, 10, 9, 9, 0))


# --- outside the package's years --------------------------------------------------------------------------


def test_years_the_package_does_not_know_count_monday_to_friday(db, uncovered_year):
    monday = date(uncovered_year, 1, 1)
    monday += timedelta(days=-monday.weekday() + 7)

    assert [wc.is_workday(monday + timedelta(days=i)) for i in range(7)] == [True] * 5 + [False] * 2


def test_unknown_year_is_warned_about_once(db, uncovered_year, caplog):
    wc._warned_years.discard(uncovered_year)
    with caplog.at_level(logging.WARNING, logger="core.workcalendar"):
        wc.is_workday(date(uncovered_year, 3, 2))
        wc.is_workday(date(uncovered_year, 3, 3))

    assert len([r for r in caplog.records if str(uncovered_year) in r.getMessage()]) == 1


# --- add_working_days --------------------------------------------------------------------------------------


def test_one_working_day_from_30_september_2025_ends_on_9_october(db):
    assert wc.add_working_days(at(2025, 9, 30, 10), 1) == end_of(2025, 10, 9)


def test_counting_starts_on_the_next_working_day_even_early_in_the_morning(db):
    assert wc.add_working_days(at(2025, 11, 17, 0, 5), 1) == end_of(2025, 11, 18)


def test_five_working_days_across_national_day_2025_include_the_makeup_saturday(db):
    # From Friday 26 Sep: Sun 28, Mon 29, Tue 30 Sep, Thu 9, Fri 10 Oct.
    assert wc.add_working_days(at(2025, 9, 26, 15), 5) == end_of(2025, 10, 10)
    # One more: Saturday 11 October is a working day.
    assert wc.add_working_days(at(2025, 9, 26, 15), 6) == end_of(2025, 10, 11)


def test_three_working_days_across_spring_festival_2026(db):
    # From Friday 13 Feb: Sat 14 Feb (worked), then Tue 24, Wed 25 Feb.
    assert wc.add_working_days(at(2026, 2, 13, 9), 3) == end_of(2026, 2, 25)


def test_zero_working_days_on_a_working_day_ends_that_day(db):
    assert wc.add_working_days(at(2025, 10, 9, 8), 0) == end_of(2025, 10, 9)


def test_zero_working_days_on_a_holiday_ends_the_next_working_day(db):
    assert wc.add_working_days(at(2025, 10, 3, 8), 0) == end_of(2025, 10, 9)


def test_negative_working_days_are_refused(db):
    with pytest.raises(ValueError):
        wc.add_working_days(at(2025, 10, 9), -1)


def test_deadline_is_in_shanghai_time_whatever_the_input_zone(db):
    deadline = wc.add_working_days(datetime(2025, 11, 17, 2, 0, tzinfo=ZoneInfo("UTC")), 1)

    assert deadline.utcoffset() == timedelta(hours=8)
    assert deadline == end_of(2025, 11, 18)


# --- working_days_between / working_time_between -------------------------------------------------------------


def test_working_days_between_counts_days_after_the_start_up_to_the_end(db):
    assert wc.working_days_between(date(2025, 9, 30), date(2025, 10, 9)) == 1
    assert wc.working_days_between(date(2025, 9, 26), date(2025, 10, 11)) == 6
    assert wc.working_days_between(date(2025, 10, 9), date(2025, 9, 30)) == -1
    assert wc.working_days_between(date(2025, 10, 9), date(2025, 10, 9)) == 0


def test_working_days_between_agrees_with_add_working_days(db):
    start = at(2026, 2, 10, 11)
    for n in range(1, 15):
        assert wc.working_days_between(start, wc.add_working_days(start, n)) == n


def test_working_time_across_a_weekend_counts_only_friday_and_monday(db):
    # Friday 14 Nov 2025 16:00 → Monday 17 Nov 10:00: 8 h of Friday + 10 h of Monday.
    assert wc.working_time_between(at(2025, 11, 14, 16), at(2025, 11, 17, 10)) == 18 * H


def test_working_time_within_one_working_day(db):
    assert wc.working_time_between(at(2025, 11, 17, 9), at(2025, 11, 17, 17, 30)) == 8.5 * H


def test_working_time_within_a_holiday_is_zero(db):
    assert wc.working_time_between(at(2025, 10, 2, 9), at(2025, 10, 2, 17)) == timedelta(0)


def test_working_time_across_national_day_2025_counts_the_makeup_days(db):
    # Sun 28 Sep 00:00 → Sun 12 Oct 00:00: 28, 29, 30 Sep and 9, 10, 11 Oct are worked.
    assert wc.working_time_between(at(2025, 9, 28), at(2025, 10, 12)) == timedelta(days=6)


def test_working_time_backwards_is_negative(db):
    assert wc.working_time_between(at(2025, 11, 17, 10), at(2025, 11, 14, 16)) == -18 * H


# --- overrides --------------------------------------------------------------------------------------------


def test_override_makes_a_statutory_working_day_a_day_off(platform_admin):
    calendar_day_set(date=date(2025, 10, 9), is_workday=False, name="台风停工", note="", actor=platform_admin)

    assert not wc.is_workday(date(2025, 10, 9))
    assert wc.add_working_days(at(2025, 9, 30), 1) == end_of(2025, 10, 10)


def test_override_makes_a_statutory_holiday_a_working_day(platform_admin):
    calendar_day_set(date=date(2025, 10, 8), is_workday=True, name="", note="", actor=platform_admin)

    assert wc.is_workday(date(2025, 10, 8))


def test_override_fills_a_year_the_package_does_not_know(platform_admin, uncovered_year):
    new_year = date(uncovered_year, 1, 1)
    calendar_day_set(date=new_year, is_workday=False, name="元旦", note="", actor=platform_admin)

    assert not wc.is_workday(new_year)
    assert wc.year_is_covered(uncovered_year)


def test_deleting_an_override_restores_the_statutory_day(platform_admin):
    calendar_day_set(date=date(2025, 10, 9), is_workday=False, name="", note="", actor=platform_admin)
    assert not wc.is_workday(date(2025, 10, 9))

    calendar_day_delete(date=date(2025, 10, 9), actor=platform_admin)

    assert wc.is_workday(date(2025, 10, 9))


def test_override_change_reaches_other_processes_through_the_version_stamp(platform_admin):
    assert wc.is_workday(date(2025, 10, 9))  # this "process" has cached the overrides
    # Another process writes the override and bumps the shared version stamp.
    CalendarDay.objects.create(date=date(2025, 10, 9), is_workday=False)
    cache.set(wc.VERSION_KEY, "another-process")
    wc._state["checked"] -= wc.RECHECK_SECONDS + 1

    assert not wc.is_workday(date(2025, 10, 9))


def test_overrides_are_read_from_the_database_once_per_check_interval(db, django_assert_num_queries):
    wc.is_workday(date(2025, 10, 9))

    with django_assert_num_queries(0):
        for offset in range(400):
            wc.is_workday(date(2025, 1, 1) + timedelta(days=offset))


# --- the calendar services -------------------------------------------------------------------------------


def test_calendar_day_set_records_an_audit_event(platform_admin):
    calendar_day_set(date=date(2025, 10, 9), is_workday=False, name="停工", note="台风", actor=platform_admin)
    calendar_day_set(date=date(2025, 10, 9), is_workday=True, name="停工", note="台风", actor=platform_admin)

    events = list(AuditEvent.objects.filter(target_type="core.calendarday", target_id="2025-10-09").order_by("seq"))
    assert [e.action for e in events] == ["calendar_day.created", "calendar_day.changed"]
    assert events[1].data["before"]["is_workday"] is False
    assert events[1].data["after"]["is_workday"] is True
    assert events[1].actor_id == platform_admin.pk


def test_calendar_day_set_without_a_change_records_nothing(platform_admin):
    calendar_day_set(date=date(2025, 10, 9), is_workday=False, name="停工", note="", actor=platform_admin)
    calendar_day_set(date=date(2025, 10, 9), is_workday=False, name="停工", note="", actor=platform_admin)

    assert AuditEvent.objects.filter(target_type="core.calendarday").count() == 1


def test_calendar_day_delete_records_an_audit_event(platform_admin):
    calendar_day_set(date=date(2025, 10, 9), is_workday=False, name="", note="", actor=platform_admin)
    calendar_day_delete(date=date(2025, 10, 9), actor=platform_admin)

    event = AuditEvent.objects.filter(target_type="core.calendarday").order_by("-seq").first()
    assert event.action == "calendar_day.deleted"
    assert event.data["before"] == {"is_workday": False, "name": "", "note": ""}


def test_calendar_day_delete_of_a_date_without_override_is_refused(platform_admin):
    with pytest.raises(DomainError) as excinfo:
        calendar_day_delete(date=date(2025, 10, 9), actor=platform_admin)

    assert excinfo.value.code == "not_found"


def test_calendar_day_set_is_refused_to_a_park_admin(world_a):
    with pytest.raises(PermissionDenied):
        calendar_day_set(date=date(2025, 10, 9), is_workday=False, name="", note="", actor=world_a.park_admin)

    assert not CalendarDay.objects.exists()


def test_calendar_day_set_refuses_a_name_too_long(platform_admin):
    with pytest.raises(DomainError) as excinfo:
        calendar_day_set(date=date(2025, 10, 9), is_workday=False, name="长" * 101, note="", actor=platform_admin)

    assert excinfo.value.field == "name"


def test_calendar_day_set_invalidates_the_cache_again_on_commit(platform_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        calendar_day_set(date=date(2025, 10, 9), is_workday=False, name="", note="", actor=platform_admin)

    assert wc.invalidate in callbacks


# --- the yearly check -------------------------------------------------------------------------------------


def test_year_check_notifies_platform_admins_once_when_the_year_is_unknown(platform_admin, uncovered_year):
    assert calendar_year_check(year=uncovered_year) is True
    assert calendar_year_check(year=uncovered_year) is False

    notifications = Notification.objects.filter(kind="calendar.year_uncovered")
    assert [n.recipient for n in notifications] == [platform_admin]
    assert str(uncovered_year) in notifications[0].title


def test_year_check_is_silent_for_a_year_the_package_knows(platform_admin):
    assert calendar_year_check(year=2026) is False
    assert not Notification.objects.exists()


def test_year_check_is_silent_once_overrides_exist_for_the_year(platform_admin, uncovered_year):
    calendar_day_set(date=date(uncovered_year, 1, 1), is_workday=False, name="元旦", note="", actor=platform_admin)

    assert calendar_year_check(year=uncovered_year) is False


def test_year_check_notifies_no_park_admin(world_a, platform_admin, uncovered_year):
    calendar_year_check(year=uncovered_year)

    assert not Notification.objects.filter(recipient=world_a.park_admin).exists()


def test_sweep_checks_next_year_in_december(platform_admin):
    next_year = wc.PACKAGE_LAST_YEAR + 1
    with time_machine.travel(at(next_year - 1, 12, 5, 3, 17), tick=False):
        assert sweep_work_calendar() == [next_year]


def test_sweep_does_not_check_next_year_before_december(platform_admin):
    with time_machine.travel(at(wc.PACKAGE_LAST_YEAR, 6, 5, 3, 17), tick=False):
        assert sweep_work_calendar() == []
    assert not Notification.objects.exists()
