"""Deadlines of the declarations, computed from a park's `IntegritySettings` (calendar days, as the rules
are written: 一个月内、事前三至十天、事后十天内、三十日内)."""

import calendar
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from integrity.choices import DeclarationKind, FamilyEventKind


def gift_due_date(received_on, rules):
    return received_on + relativedelta(months=rules.gift_due_months)


def family_event_due_date(event_kind, event_date, rules):
    """A funeral is reported within N days after it; a wedding or other celebration at least N days before."""
    if event_kind == FamilyEventKind.FUNERAL:
        return event_date + timedelta(days=rules.funeral_days_after)
    return event_date - timedelta(days=rules.wedding_min_days_before)


def family_event_window_opens(event_kind, event_date, rules):
    """The first day a celebration may be reported (it is reported 3–10 days before); None for a funeral."""
    if event_kind == FamilyEventKind.FUNERAL:
        return None
    return event_date - timedelta(days=rules.wedding_max_days_before)


def interest_due_date(start_date, change_date, rules):
    """A relative's business, or a change in it, is declared within N days of the start or the change."""
    return (change_date or start_date) + timedelta(days=rules.interest_change_days)


def due_date_for(declaration, rules):
    """The due date of any declaration, from its kind-specific content."""
    detail = declaration.detail
    if declaration.kind == DeclarationKind.GIFT:
        return gift_due_date(detail.received_on, rules)
    if declaration.kind == DeclarationKind.FAMILY_EVENT:
        return family_event_due_date(detail.event_kind, detail.event_date, rules)
    return interest_due_date(detail.start_date, detail.change_date, rules)


def yearly_due_date(year, rules):
    """The due date of the yearly return on `year`: the configured day of the next year (31 January by
    default), moved to the month's last day when the month is shorter."""
    due_year = year + 1
    last_day = calendar.monthrange(due_year, rules.yearly_due_month)[1]
    return date(due_year, rules.yearly_due_month, min(rules.yearly_due_day, last_day))
