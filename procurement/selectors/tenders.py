"""Read queries of tenders, their notices and clarification questions, scoped to the user; and the period
arithmetic of the method rules (shared by the publication service, the forms' hints and the tests).

Period counting: "at least N days from publication to the deadline" means the deadline is no earlier than
the same time of day N days later; in working days, the same time of day on the N-th working day after the
publication day (`core.workcalendar`: holidays and make-up workdays count as the law says).
"""

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.scoping import ALL
from core.workcalendar import is_workday, next_working_day
from procurement.choices import PUBLIC_TENDER_STATUSES, TenderStatus
from procurement.models import ClarificationQuestion, Tender, TenderChange
from procurement.selectors.access import can_run_procurement, procurement_park_ids

# --- periods ---------------------------------------------------------------------------------------------------


def _local(moment):
    return timezone.localtime(moment, timezone.get_default_timezone())


def add_days(moment, days, working):
    """`moment` plus `days` calendar days, or the same time of day on the `days`-th working day after it."""
    if not working or days == 0:
        return moment + dt.timedelta(days=days)
    local = _local(moment)
    day = local.date()
    for _i in range(days):
        day = next_working_day(day)
    return local.replace(year=day.year, month=day.month, day=day.day)


def subtract_days(moment, days, working):
    """`moment` minus `days` calendar days, or the same time of day on the `days`-th working day before it."""
    if not working or days == 0:
        return moment - dt.timedelta(days=days)
    local = _local(moment)
    day = local.date()
    for _i in range(days):
        day -= dt.timedelta(days=1)
        while not is_workday(day):
            day -= dt.timedelta(days=1)
    return local.replace(year=day.year, month=day.month, day=day.day)


def earliest_bid_deadline(rule, published_at):
    """The earliest bid deadline the method's rule allows for a tender published at `published_at`."""
    return add_days(published_at, rule.min_bidding_days, rule.bidding_days_are_working_days)


def latest_clarification_deadline(rule, bid_deadline):
    """The latest clarification deadline the rule allows before `bid_deadline`."""
    return subtract_days(bid_deadline, rule.min_clarification_days, rule.bidding_days_are_working_days)


def change_deadline_floor(rule, changed_at):
    """A change published at `changed_at` needs the deadline at least this late (else the deadline moves)."""
    return add_days(changed_at, rule.change_notice_days, rule.change_days_are_working_days)


def tender_accepts_bids(tender, at=None):
    """True while `tender` is open for bids: published and before its bid deadline (the opening time)."""
    at = at or timezone.now()
    return tender.status == TenderStatus.PUBLISHED and tender.bid_deadline is not None and at < tender.bid_deadline


def tender_accepts_questions(tender, at=None):
    """True while clarification questions may be asked: published and up to the clarification deadline."""
    at = at or timezone.now()
    deadline = tender.clarification_deadline or tender.bid_deadline
    return tender.status == TenderStatus.PUBLISHED and deadline is not None and at <= deadline


# --- tenders ---------------------------------------------------------------------------------------------------


def _base():
    return Tender.objects.select_related("park", "buyer_department", "proposed_supplier__enterprise", "previous_tender")


def _public_q():
    # A tender cancelled while still a draft was never public.
    return Q(status__in=PUBLIC_TENDER_STATUSES) & (
        Q(published_at__isnull=False) | Q(justification_published_at__isnull=False)
    )


def tender_public_list(park=None):
    """Tenders visible to everyone: everything published (single-source justifications included)."""
    queryset = _base().filter(_public_q(), park__is_active=True)
    if park is not None:
        queryset = queryset.filter(park=park)
    return queryset


def tender_manage_list_for(user):
    """Every tender, drafts included, of the parks whose procurement `user` reads (procurement officers,
    park administrators, discipline officers, auditors; platform administrators all)."""
    ids = procurement_park_ids(user)
    if ids is ALL:
        return _base()
    if not ids:
        return _base().none()
    return _base().filter(park_id__in=ids)


def tender_list_for(user):
    """Tenders `user` may see: the public ones and every tender of the parks whose procurement they read."""
    ids = procurement_park_ids(user)
    if ids is ALL:
        return _base()
    condition = _public_q()
    if ids:
        condition |= Q(park_id__in=ids)
    return _base().filter(condition)


def tender_get_for(user, pk):
    """One tender `user` may see, else DomainError(kind="not_found")."""
    found = tender_list_for(user).filter(pk=pk).first()
    if found is None:
        raise DomainError(_("No such tender."), code="not_found", kind="not_found")
    return found


def can_manage_tender(user, tender):
    """Edit, publish, answer questions, close, fail, cancel: the park's procurement officers and admins."""
    return can_run_procurement(user, tender.park_id)


def tenders_due_to_close(now=None):
    """Published tenders whose bid deadline has passed (the beat task closes them)."""
    now = now or timezone.now()
    return Tender.objects.filter(status=TenderStatus.PUBLISHED, bid_deadline__lte=now).order_by("bid_deadline", "pk")


# --- notices and questions ---------------------------------------------------------------------------------------


def tender_changes(tender):
    """The tender's public notices, oldest first."""
    return TenderChange.objects.filter(tender=tender).order_by("published_at", "pk")


def tender_change_list_for(user):
    """Notices of the tenders `user` may see."""
    return (
        TenderChange.objects.filter(tender__in=tender_list_for(user).values("pk"))
        .select_related("tender")
        .order_by("-published_at", "-pk")
    )


def public_clarifications(tender):
    """Answered questions of the tender, for everyone: question and answer only, never who asked."""
    return (
        ClarificationQuestion.objects.filter(tender=tender)
        .exclude(answer="")
        .order_by("answered_at", "pk")
        .only("pk", "tender_id", "question", "asked_at", "answer", "answered_at")
    )


def questions_for_officer(tender):
    """Every question of the tender with who asked (the park's procurement officers only)."""
    return ClarificationQuestion.objects.filter(tender=tender).select_related("asked_by").order_by("asked_at", "pk")


def questions_of_user(tender, user):
    """The questions `user` asked on `tender` (shown to them, answered or not)."""
    if not getattr(user, "is_authenticated", False):
        return ClarificationQuestion.objects.none()
    return ClarificationQuestion.objects.filter(tender=tender, asked_by=user).order_by("asked_at", "pk")


def clarification_list_for(user):
    """Questions visible to `user`: the answered ones of tenders they may see, their own, and every question
    of the tenders of parks where they run procurement."""
    from core.scoping import park_ids_for

    visible = tender_list_for(user).values("pk")
    condition = Q(tender__in=visible) & ~Q(answer="")
    if getattr(user, "is_authenticated", False):
        condition |= Q(asked_by=user)
        ids = park_ids_for(user)
        managed = [pk for pk in ids if can_run_procurement(user, pk)] if ids is not ALL else None
        if managed is None:
            condition = Q()
        elif managed:
            condition |= Q(tender__park_id__in=managed)
    return ClarificationQuestion.objects.filter(condition).select_related("tender").order_by("asked_at", "pk")


def can_see_asker(user, question):
    """Who asked is shown only to the park's procurement officers (and in the audit trail)."""
    return can_run_procurement(user, question.tender.park_id)
