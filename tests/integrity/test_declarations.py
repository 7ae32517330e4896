"""Declarations: the deadlines and late flags of each kind, validation, flags, the review flow (every allowed
and forbidden transition, with its audit row), editing a returned declaration, and reminders."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from core.audit import events_for
from core.errors import Conflict, DomainError, PermissionDenied
from core.models import Notification
from integrity import business
from integrity.choices import (
    DECLARATION_TRANSITIONS,
    DeclarationKind,
    DeclarationStatus,
    DeclarationTransition,
    FamilyEventKind,
    GiftHandling,
    GiftKind,
    InterestOutcome,
    RequiredAction,
)
from integrity.models import Declaration, DeclarationReminder
from integrity.services import declarations as services
from integrity.services.settings import integrity_settings_update
from tests.integrity.conftest import gift_data, interest_data, make_declaration
from tests.parks.factories import EnterpriseFactory, make_credit_code

# A Monday in Shanghai; the clocks below are moved from it.
DAY = dt.date(2026, 6, 1)


def at(day, hour=10):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_default_timezone())


def codes(declaration):
    return [flag["code"] for flag in declaration.flags]


def actions(declaration):
    return [e.action for e in events_for(("integrity.declaration", declaration.pk))]


# --- late rules -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received_on", "submitted_on", "late"),
    [
        (dt.date(2026, 5, 1), dt.date(2026, 6, 1), False),  # one month to the day
        (dt.date(2026, 5, 1), dt.date(2026, 6, 2), True),  # a day after the month
        (dt.date(2026, 1, 31), dt.date(2026, 2, 28), False),  # a month from 31 January ends on 28 February
    ],
)
def test_a_gift_is_late_when_registered_more_than_one_month_after_receipt(world_a, received_on, submitted_on, late):
    with time_machine.travel(at(submitted_on)):
        declaration = make_declaration(world_a, status=DeclarationStatus.SUBMITTED, received_on=received_on)
    assert (declaration.is_late, "late" in codes(declaration)) == (late, late)


@pytest.mark.parametrize(("days_before", "late"), [(3, False), (5, False), (10, False), (2, True), (0, True)])
def test_a_wedding_is_late_when_reported_less_than_three_days_before(world_a, days_before, late):
    with time_machine.travel(at(DAY)):
        declaration = make_declaration(
            world_a,
            kind=DeclarationKind.FAMILY_EVENT,
            status=DeclarationStatus.SUBMITTED,
            event_date=DAY + dt.timedelta(days=days_before),
        )
    assert declaration.is_late is late


def test_a_wedding_reported_more_than_ten_days_before_cannot_be_submitted_yet(world_a):
    with time_machine.travel(at(DAY)):
        draft = make_declaration(world_a, kind=DeclarationKind.FAMILY_EVENT, event_date=DAY + dt.timedelta(days=11))
        with pytest.raises(DomainError) as caught:
            services.declaration_submit(declaration=draft, actor=world_a.handler)
    assert caught.value.code == "too_early"


@pytest.mark.parametrize(("days_after", "late"), [(0, False), (10, False), (11, True)])
def test_a_funeral_is_late_when_reported_more_than_ten_days_after(world_a, days_after, late):
    with time_machine.travel(at(DAY)):
        declaration = make_declaration(
            world_a,
            kind=DeclarationKind.FAMILY_EVENT,
            status=DeclarationStatus.SUBMITTED,
            event_kind=FamilyEventKind.FUNERAL,
            event_date=DAY - dt.timedelta(days=days_after),
        )
    assert declaration.is_late is late


@pytest.mark.parametrize(("days_since_change", "late"), [(30, False), (31, True)])
def test_a_change_in_a_relatives_business_is_late_after_thirty_days(world_a, days_since_change, late):
    with time_machine.travel(at(DAY)):
        declaration = make_declaration(
            world_a,
            kind=DeclarationKind.INTEREST,
            status=DeclarationStatus.SUBMITTED,
            start_date=dt.date(2020, 1, 1),
            change_date=DAY - dt.timedelta(days=days_since_change),
        )
    assert declaration.is_late is late


def test_the_deadlines_follow_the_parks_settings(world_a):
    integrity_settings_update(park=world_a.park, actor=world_a.discipline, funeral_days_after=20)
    with time_machine.travel(at(DAY)):
        declaration = make_declaration(
            world_a,
            kind=DeclarationKind.FAMILY_EVENT,
            status=DeclarationStatus.SUBMITTED,
            event_kind=FamilyEventKind.FUNERAL,
            event_date=DAY - dt.timedelta(days=15),
        )
    assert (declaration.due_date, declaration.is_late) == (DAY + dt.timedelta(days=5), False)


def test_lateness_is_fixed_at_the_first_submission(world_a):
    with time_machine.travel(at(DAY)):
        declaration = make_declaration(world_a, status=DeclarationStatus.RETURNED, received_on=DAY)
    with time_machine.travel(at(DAY + dt.timedelta(days=60))):
        resubmitted = services.declaration_submit(declaration=declaration, actor=world_a.handler)
    assert resubmitted.is_late is False


# --- validation and flags ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [GiftKind.CASH, GiftKind.PREPAID_CARD, GiftKind.SECURITIES])
@pytest.mark.parametrize("handling", [GiftHandling.RETURNED, GiftHandling.KEPT_WITH_APPROVAL, GiftHandling.PENDING])
def test_cash_and_its_equivalents_must_always_be_handed_in(world_a, kind, handling):
    with pytest.raises(DomainError) as caught:
        services.gift_declaration_create(
            park=world_a.park, actor=world_a.handler, data=gift_data(gift_kind=kind, handling=handling)
        )
    assert (caught.value.code, caught.value.field) == ("money_must_be_handed_in", "handling")


def test_cash_handed_in_is_accepted(world_a):
    declaration = services.gift_declaration_create(
        park=world_a.park,
        actor=world_a.handler,
        data=gift_data(gift_kind=GiftKind.CASH, handling=GiftHandling.HANDED_IN),
    )
    assert declaration.status == DeclarationStatus.DRAFT


def test_a_gift_cannot_be_received_in_the_future(world_a):
    with pytest.raises(DomainError) as caught:
        services.gift_declaration_create(
            park=world_a.park,
            actor=world_a.handler,
            data=gift_data(received_on=timezone.localdate() + dt.timedelta(days=1)),
        )
    assert caught.value.field == "received_on"


def test_the_givers_enterprise_is_linked_by_its_credit_code(world_a):
    declaration = services.gift_declaration_create(
        park=world_a.park, actor=world_a.handler, data=gift_data(giver_credit_code=world_a.enterprise.credit_code)
    )
    assert declaration.giver_enterprise == world_a.enterprise


@pytest.fixture
def open_business(monkeypatch):
    """A provider saying the world's enterprise has an open ticket with its park."""
    providers = []
    monkeypatch.setattr(business, "_PROVIDERS", providers)

    def provider(enterprise, park):
        return [f"工单 {enterprise.pk}-{park.pk}"] if enterprise.name.endswith("示范企业有限公司") else []

    providers.append(provider)


def test_a_gift_from_an_enterprise_with_open_business_with_the_park_is_flagged(world_a, open_business):
    declaration = make_declaration(
        world_a, status=DeclarationStatus.SUBMITTED, giver_credit_code=world_a.enterprise.credit_code
    )
    assert codes(declaration) == ["giver_open_business"]


def test_a_gift_from_an_enterprise_without_open_business_is_not_flagged(world_a, open_business):
    other = EnterpriseFactory(park=world_a.park, name="另一家公司")
    declaration = make_declaration(world_a, status=DeclarationStatus.SUBMITTED, giver_credit_code=other.credit_code)
    assert codes(declaration) == []


def test_an_open_ticket_of_the_givers_enterprise_flags_the_gift(world_a):
    from tests.complaints.factories import TicketFactory

    TicketFactory(park=world_a.park, enterprise=world_a.enterprise, number="PA-2026-000007")
    declaration = make_declaration(
        world_a, status=DeclarationStatus.SUBMITTED, giver_credit_code=world_a.enterprise.credit_code
    )
    assert codes(declaration) == ["giver_open_business"]
    assert "PA-2026-000007" in declaration.flags[0]["detail"]


def test_a_confidential_ticket_of_the_givers_enterprise_is_never_shown_to_the_declarant(world_a):
    from tests.complaints.factories import TicketFactory

    TicketFactory(park=world_a.park, enterprise=world_a.enterprise, is_confidential=True)
    declaration = make_declaration(
        world_a, status=DeclarationStatus.SUBMITTED, giver_credit_code=world_a.enterprise.credit_code
    )
    assert codes(declaration) == []


def test_a_kept_gift_above_the_value_limit_is_flagged(world_a):
    declaration = make_declaration(world_a, handling=GiftHandling.KEPT_WITH_APPROVAL, estimated_value=Decimal("800"))
    assert codes(declaration) == ["gift_over_value"]


@pytest.mark.parametrize(("tables", "guests", "flagged"), [(20, 200, False), (21, 150, True), (15, 201, True)])
def test_a_family_event_over_the_scale_cap_is_flagged(world_a, tables, guests, flagged):
    declaration = make_declaration(world_a, kind=DeclarationKind.FAMILY_EVENT, tables=tables, guests=guests)
    assert ("over_scale" in codes(declaration)) is flagged


def test_a_family_event_inviting_enterprises_of_the_park_is_flagged(world_a):
    declaration = make_declaration(world_a, kind=DeclarationKind.FAMILY_EVENT, invited_enterprises=[world_a.enterprise])
    assert codes(declaration) == ["park_enterprises_invited"]


def test_an_enterprise_of_the_park_named_by_its_credit_code_in_free_text_is_flagged(world_a):
    declaration = make_declaration(
        world_a, kind=DeclarationKind.FAMILY_EVENT, invited_others=f"某公司\n{world_a.enterprise.credit_code.lower()}"
    )
    assert codes(declaration) == ["park_enterprises_invited"]


def test_inviting_an_enterprise_of_another_park_is_not_flagged(world_a, world_b):
    declaration = make_declaration(
        world_a, kind=DeclarationKind.FAMILY_EVENT, invited_others=world_b.enterprise.credit_code
    )
    assert codes(declaration) == []


def test_the_scale_cap_follows_the_parks_settings(world_a):
    integrity_settings_update(park=world_a.park, actor=world_a.discipline, family_event_max_tables=10)
    declaration = make_declaration(world_a, kind=DeclarationKind.FAMILY_EVENT, tables=12, guests=100)
    assert codes(declaration) == ["over_scale"]


def test_an_invalid_credit_code_is_refused(world_a):
    bad = make_credit_code(7)[:-1] + ("0" if make_credit_code(7)[-1] != "0" else "1")
    with pytest.raises(DomainError) as caught:
        services.interest_declaration_create(
            park=world_a.park, actor=world_a.handler, data=interest_data(credit_code=bad)
        )
    assert caught.value.field == "credit_code"


def test_an_interest_in_an_enterprise_of_the_park_is_linked_and_flagged(world_a):
    declaration = make_declaration(
        world_a, kind=DeclarationKind.INTEREST, credit_code=world_a.enterprise.credit_code.lower()
    )
    assert (declaration.enterprise, codes(declaration)) == (world_a.enterprise, ["interest_in_park_enterprise"])


def test_only_officials_of_the_park_declare_there(world_a, world_b):
    with pytest.raises(PermissionDenied):
        services.gift_declaration_create(park=world_a.park, actor=world_b.handler, data=gift_data())


@pytest.mark.parametrize("who", ["auditor", "enterprise_user"])
def test_auditors_and_enterprise_users_do_not_declare(world_a, who):
    with pytest.raises(PermissionDenied):
        services.gift_declaration_create(park=world_a.park, actor=getattr(world_a, who), data=gift_data())


# --- the review flow ---------------------------------------------------------------------------------------------

REASONS = {"reason": "理由"}


def run_transition(world, declaration, transition, actor=None):
    reviewer = actor or world.discipline
    declarant = actor or world.handler
    if transition == DeclarationTransition.SUBMIT:
        return services.declaration_submit(declaration=declaration, actor=declarant)
    if transition == DeclarationTransition.ACCEPT:
        return services.declaration_accept(declaration=declaration, actor=reviewer)
    if transition == DeclarationTransition.RETURN:
        return services.declaration_return(declaration=declaration, actor=reviewer, **REASONS)
    if transition == DeclarationTransition.REQUIRE_ACTION:
        return services.declaration_require_action(
            declaration=declaration, actor=reviewer, action=RequiredAction.HAND_IN, **REASONS
        )
    return services.declaration_report_action(declaration=declaration, actor=declarant, report="已上交")


AUDIT_ACTION = {
    DeclarationTransition.SUBMIT: "declaration.submitted",
    DeclarationTransition.ACCEPT: "declaration.accepted",
    DeclarationTransition.RETURN: "declaration.returned",
    DeclarationTransition.REQUIRE_ACTION: "declaration.action_required",
    DeclarationTransition.REPORT_ACTION: "declaration.action_reported",
}
ALLOWED = sorted((source, transition, target) for (source, transition), target in DECLARATION_TRANSITIONS.items())
FORBIDDEN = sorted(
    (status, transition)
    for status in DeclarationStatus
    for transition in DeclarationTransition
    if (status, transition) not in DECLARATION_TRANSITIONS
)


@pytest.mark.parametrize("kind", list(DeclarationKind))
@pytest.mark.parametrize(("source", "transition", "target"), ALLOWED)
def test_an_allowed_transition_changes_the_status_and_writes_its_audit_row(world_a, kind, source, transition, target):
    declaration = make_declaration(world_a, kind=kind, status=source)
    before = actions(declaration)
    result = run_transition(world_a, declaration, transition)
    row = Declaration.objects.get(pk=declaration.pk)
    assert (result.status, row.status) == (target, target)
    assert actions(declaration) == [*before, AUDIT_ACTION[transition]]


@pytest.mark.parametrize(("source", "transition"), FORBIDDEN)
def test_a_forbidden_transition_is_refused_and_writes_nothing(world_a, source, transition):
    declaration = make_declaration(world_a, status=source)
    before = actions(declaration)
    with pytest.raises(Conflict) as caught:
        run_transition(world_a, declaration, transition)
    assert caught.value.code == "transition_not_allowed"
    assert (Declaration.objects.get(pk=declaration.pk).status, actions(declaration)) == (source, before)


def test_the_audit_row_of_a_return_holds_the_status_change_and_the_reason(world_a):
    declaration = make_declaration(world_a, status=DeclarationStatus.SUBMITTED)
    services.declaration_return(declaration=declaration, actor=world_a.discipline, reason="缺少礼品照片")
    event = list(events_for(("integrity.declaration", declaration.pk)))[-1]
    assert event.data["before"] == {"status": "submitted"}
    assert (event.data["after"], event.data["reason"], event.actor) == (
        {"status": "returned"},
        "缺少礼品照片",
        world_a.discipline,
    )


@pytest.mark.parametrize("who", ["park_admin", "dispatcher", "auditor", "enterprise_user"])
def test_only_a_discipline_officer_reviews(world_a, who):
    declaration = make_declaration(world_a, status=DeclarationStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.declaration_accept(declaration=declaration, actor=getattr(world_a, who))


def test_a_discipline_officer_of_another_park_cannot_review(world_a, world_b):
    declaration = make_declaration(world_a, status=DeclarationStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.declaration_accept(declaration=declaration, actor=world_b.discipline)


def test_a_discipline_officer_cannot_review_their_own_declaration(world_a):
    declaration = make_declaration(world_a, declarant=world_a.discipline, status=DeclarationStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.declaration_accept(declaration=declaration, actor=world_a.discipline)


def test_only_the_declarant_submits(world_a):
    declaration = make_declaration(world_a)
    with pytest.raises(PermissionDenied):
        services.declaration_submit(declaration=declaration, actor=world_a.dispatcher)


def test_a_return_needs_a_reason(world_a):
    declaration = make_declaration(world_a, status=DeclarationStatus.SUBMITTED)
    with pytest.raises(DomainError) as caught:
        services.declaration_return(declaration=declaration, actor=world_a.discipline, reason="  ")
    assert caught.value.field == "reason"


def test_a_returned_declaration_is_corrected_and_resubmitted(world_a):
    declaration = make_declaration(world_a, status=DeclarationStatus.RETURNED)
    services.gift_declaration_update(declaration=declaration, actor=world_a.handler, data={"description": "茶叶一盒"})
    resubmitted = services.declaration_submit(declaration=declaration, actor=world_a.handler)
    assert (resubmitted.status, resubmitted.description) == (DeclarationStatus.SUBMITTED, "茶叶一盒")


def test_a_correction_records_the_fields_changed_but_not_their_content(world_a):
    declaration = make_declaration(world_a, status=DeclarationStatus.RETURNED)
    services.gift_declaration_update(declaration=declaration, actor=world_a.handler, data={"description": "茶叶一盒"})
    event = list(events_for(("integrity.declaration", declaration.pk)))[-1]
    assert (event.action, event.data["fields"], "茶叶一盒" in str(event.data)) == (
        "declaration.updated",
        ["description"],
        False,
    )


def test_a_submitted_declaration_cannot_be_edited(world_a):
    declaration = make_declaration(world_a, status=DeclarationStatus.SUBMITTED)
    with pytest.raises(DomainError) as caught:
        services.gift_declaration_update(declaration=declaration, actor=world_a.handler, data={"description": "改"})
    assert caught.value.code == "not_editable"


def test_reporting_a_gift_handed_in_sets_its_handling(world_a):
    declaration = make_declaration(world_a, status=DeclarationStatus.ACTION_REQUIRED, handling=GiftHandling.PENDING)
    reported = services.declaration_report_action(declaration=declaration, actor=world_a.handler, report="已上交")
    assert (reported.handling, reported.handled_on) == (GiftHandling.HANDED_IN, timezone.localdate())


def test_a_relatives_exit_ends_the_interest(world_a):
    declaration = make_declaration(world_a, kind=DeclarationKind.INTEREST, status=DeclarationStatus.SUBMITTED)
    services.declaration_require_action(
        declaration=declaration, actor=world_a.discipline, action=RequiredAction.RELATIVE_EXIT, reason="亲属退出"
    )
    reported = services.declaration_report_action(
        declaration=declaration, actor=world_a.handler, report="已转让股份", done_on=dt.date(2026, 5, 1)
    )
    assert (reported.outcome, reported.ended_on) == (InterestOutcome.RELATIVE_EXITS, dt.date(2026, 5, 1))


def test_submitting_notifies_the_parks_discipline_officers_after_commit(world_a, django_capture_on_commit_callbacks):
    declaration = make_declaration(world_a)
    with django_capture_on_commit_callbacks() as callbacks:
        services.declaration_submit(declaration=declaration, actor=world_a.handler)
    assert Notification.objects.filter(recipient=world_a.discipline, kind="declaration.submitted").count() == 1
    assert callbacks, "delivery is queued on commit"


def test_the_declarant_is_notified_of_a_return(world_a):
    declaration = make_declaration(world_a, status=DeclarationStatus.RETURNED)
    assert Notification.objects.filter(recipient=world_a.handler, kind="declaration.reviewed").exists()
    assert declaration.response_due == timezone.localdate() + dt.timedelta(days=10)


# --- reminders ---------------------------------------------------------------------------------------------------


def test_an_overdue_draft_is_reminded_once_however_often_the_sweep_runs(world_a):
    with time_machine.travel(at(DAY)):
        declaration = make_declaration(world_a, received_on=DAY)
    later = at(DAY + dt.timedelta(days=40))
    services.declaration_reminders_send(now=later)
    services.declaration_reminders_send(now=later)
    assert list(DeclarationReminder.objects.filter(declaration=declaration).values_list("code", flat=True)) == [
        "draft_overdue"
    ]


def test_a_draft_near_its_due_date_is_reminded_then_again_when_overdue(world_a):
    with time_machine.travel(at(DAY)):
        declaration = make_declaration(world_a, received_on=DAY)
    due = declaration.due_date
    services.declaration_reminders_send(now=at(due - dt.timedelta(days=2)))
    services.declaration_reminders_send(now=at(due + dt.timedelta(days=1)))
    services.declaration_reminders_send(now=at(due + dt.timedelta(days=2)))
    assert sorted(DeclarationReminder.objects.filter(declaration=declaration).values_list("code", flat=True)) == [
        "draft_due_soon",
        "draft_overdue",
    ]


def test_each_return_gets_its_own_overdue_reminder(world_a):
    with time_machine.travel(at(DAY)):
        declaration = make_declaration(world_a, status=DeclarationStatus.RETURNED)
    services.declaration_reminders_send(now=at(DAY + dt.timedelta(days=11)))
    with time_machine.travel(at(DAY + dt.timedelta(days=12))):
        services.declaration_submit(declaration=declaration, actor=world_a.handler)
        services.declaration_return(declaration=declaration, actor=world_a.discipline, reason="仍不完整")
    services.declaration_reminders_send(now=at(DAY + dt.timedelta(days=30)))
    services.declaration_reminders_send(now=at(DAY + dt.timedelta(days=31)))
    assert sorted(DeclarationReminder.objects.filter(declaration=declaration).values_list("code", flat=True)) == [
        "correction_overdue:1",
        "correction_overdue:2",
    ]


def test_a_submitted_declaration_is_not_reminded(world_a):
    with time_machine.travel(at(DAY)):
        declaration = make_declaration(world_a, status=DeclarationStatus.SUBMITTED, received_on=DAY)
    services.declaration_reminders_send(now=at(DAY + dt.timedelta(days=60)))
    assert not DeclarationReminder.objects.filter(declaration=declaration).exists()
