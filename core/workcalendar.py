"""The work calendar (DESIGN §4.3): which days are working days in mainland China, and deadlines counted in
working days.

A day is a working day when, in this order of precedence:

1. an administrator's `CalendarDay` override says so (for holidays the package does not know yet, or a local
   day off);
2. else the `chinesecalendar` package (import name ``chinese_calendar``) knows the year: its statutory
   holidays are off, its make-up workdays (调休, e.g. a Sunday before National Day) are worked, and other
   days follow Monday–Friday;
3. else Monday–Friday (a warning is logged once per year, and `sweep_work_calendar` tells the platform
   administrators).

All dates are local to ``settings.TIME_ZONE`` (Asia/Shanghai); aware datetimes are converted to it first.

The functions are called in loops (SLA clocks over thousands of tickets), so they touch the database at most
once per `RECHECK_SECONDS`: the override table is held per process and reloaded when the shared cache's
version stamp changes (the calendar services bump it) or after `MAX_AGE_SECONDS` at the latest.
"""

import logging
import threading
import uuid
from datetime import datetime, time, timedelta
from time import monotonic

import chinese_calendar
from chinese_calendar import constants as statutory
from django.core.cache import cache
from django.utils import timezone

from core.models import CalendarDay

logger = logging.getLogger(__name__)

DAY = timedelta(days=1)
VERSION_KEY = "core:workcalendar:overrides-version"
RECHECK_SECONDS = 30
MAX_AGE_SECONDS = 600
# No real calendar has a year without working days; a longer search means the overrides are wrong.
SEARCH_LIMIT_DAYS = 366

PACKAGE_FIRST_YEAR = min(statutory.holidays).year
PACKAGE_LAST_YEAR = max(statutory.holidays).year

_lock = threading.Lock()
_state = {"overrides": None, "version": None, "loaded": 0.0, "checked": 0.0}
_warned_years = set()


# --- the override table, cached per process ---------------------------------------------------------------


def _shared_version():
    # The calendar must keep answering when the cache (Redis) is down: fall back to the age limit.
    try:
        return cache.get(VERSION_KEY)
    except Exception:  # noqa: BLE001 - any cache failure only means "reload on age"
        logger.warning("work calendar: cache unavailable, overrides reload on age only", exc_info=True)
        return _state["version"]


def _overrides():
    now = monotonic()
    overrides = _state["overrides"]
    if overrides is not None and now - _state["checked"] < RECHECK_SECONDS:
        return overrides
    with _lock:
        version = _shared_version()
        stale = _state["overrides"] is None or version != _state["version"] or now - _state["loaded"] > MAX_AGE_SECONDS
        if stale:
            _state["overrides"] = dict(CalendarDay.objects.values_list("date", "is_workday"))
            _state["version"] = version
            _state["loaded"] = now
        _state["checked"] = now
        return _state["overrides"]


def clear_cache():
    """Forget this process's copy of the overrides (tests call it between cases)."""
    with _lock:
        _state.update(overrides=None, version=None, loaded=0.0, checked=0.0)


def invalidate():
    """Called by the calendar services after an override changed: reload here at once, and in every other
    process within `RECHECK_SECONDS` (through the shared cache's version stamp)."""
    clear_cache()
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    except Exception:  # noqa: BLE001 - other processes still reload within MAX_AGE_SECONDS
        logger.warning("work calendar: could not publish the overrides version", exc_info=True)


# --- days ----------------------------------------------------------------------------------------------


def _tz():
    # Deadlines are the portal's (Asia/Shanghai), whatever time zone a request may have activated.
    return timezone.get_default_timezone()


def _local_date(value):
    if isinstance(value, datetime):
        if timezone.is_naive(value):
            raise ValueError("the work calendar needs aware datetimes (USE_TZ is on)")
        return timezone.localtime(value, _tz()).date()
    return value


def _start_of(day):
    return datetime.combine(day, time.min, tzinfo=_tz())


def end_of_day(day):
    """The last microsecond of `day` in the portal's time zone (23:59:59.999999)."""
    return datetime.combine(_local_date(day), time.max, tzinfo=_tz())


def package_covers(year):
    """True when the installed `chinesecalendar` has the statutory calendar of `year`."""
    return PACKAGE_FIRST_YEAR <= year <= PACKAGE_LAST_YEAR


def year_is_covered(year):
    """True when `year`'s holidays are known: the package has it, or administrators have entered at least
    one override for it (they are then aware the year needs them)."""
    if package_covers(year):
        return True
    return any(day.year == year for day in _overrides())


def _package_says(day):
    if package_covers(day.year):
        if day in statutory.workdays:
            return True
        if day in statutory.holidays:
            return False
    elif day.year not in _warned_years:
        _warned_years.add(day.year)
        logger.warning(
            "work calendar: chinesecalendar %s covers %s–%s only; %s counts Monday–Friday plus overrides",
            chinese_calendar.__version__,
            PACKAGE_FIRST_YEAR,
            PACKAGE_LAST_YEAR,
            day.year,
        )
    return day.weekday() < 5


def is_workday(day):
    """True when `day` (a date, or an aware datetime's local date) is a working day."""
    day = _local_date(day)
    override = _overrides().get(day)
    if override is not None:
        return override
    return _package_says(day)


def next_working_day(day):
    """The first working day strictly after `day`."""
    day = _local_date(day)
    for _ in range(SEARCH_LIMIT_DAYS):
        day += DAY
        if is_workday(day):
            return day
    raise ValueError(f"no working day within {SEARCH_LIMIT_DAYS} days after {day}: check the calendar overrides")


def add_working_days(moment, n):
    """The deadline for "within `n` working days" of `moment`: the end (23:59:59.999999, Asia/Shanghai) of
    the n-th working day after `moment`'s local date. Counting starts on the next working day, so the day of
    `moment` itself never counts, however early it was: a ticket filed on 30 Sep 2025 with one working day
    is due at the end of 9 Oct 2025 (1–8 Oct are the National Day holiday).

    ``n=0`` means "the same working day": the end of `moment`'s day when it is a working day, else the end
    of the next working day (a request made on a Sunday is due when the office closes on Monday).
    """
    if n < 0:
        raise ValueError("add_working_days counts forward only (n >= 0)")
    day = _local_date(moment)
    if n == 0:
        return end_of_day(day if is_workday(day) else next_working_day(day))
    for _ in range(n):
        day = next_working_day(day)
    return end_of_day(day)


def working_days_between(start, end):
    """The number of working days in (start, end]: the days after `start` up to and including `end`, the way
    `add_working_days` counts (``working_days_between(d, add_working_days(d, n).date()) == n`` for n ≥ 1).
    Negative when `end` is before `start`; 0 when they are the same day."""
    start, end = _local_date(start), _local_date(end)
    if end < start:
        return -working_days_between(end, start)
    count, day = 0, start
    while day < end:
        day += DAY
        if is_workday(day):
            count += 1
    return count


def working_time_between(start, end):
    """The part of [start, end) that falls on working days, as a timedelta: each working day counts whole
    (24 hours, midnight to midnight Asia/Shanghai) and non-working days not at all. Office hours are not
    modelled: the deadlines this measures are set in working *days* (`add_working_days`), and a clock that
    ran only 9–17 would make a ticket answered at 20:00 look faster than one answered at 16:00. Negative
    when `end` is before `start`."""
    for value in (start, end):
        if timezone.is_naive(value):
            raise ValueError("working_time_between needs aware datetimes")
    if end < start:
        return -working_time_between(end, start)
    first, last = _local_date(start), _local_date(end)
    if first == last:
        return end - start if is_workday(first) else timedelta(0)
    total = timedelta(0)
    if is_workday(first):
        total += _start_of(first + DAY) - start
    if is_workday(last):
        total += end - _start_of(last)
    whole_days = working_days_between(first, last - DAY)
    return total + whole_days * DAY


__all__ = [
    "is_workday",
    "next_working_day",
    "add_working_days",
    "working_days_between",
    "working_time_between",
    "end_of_day",
    "year_is_covered",
    "package_covers",
    "invalidate",
    "clear_cache",
]
