"""Routing: rules in priority order, misconduct to the discipline office only, the accused official's
department never, no match stays with the dispatcher, duplicates suggested, idempotent."""

import pytest

from complaints import services
from complaints.choices import Channel, DuplicateReason, Status
from complaints.models import DuplicateSuggestion, Ticket
from complaints.tasks import route_ticket
from core.audit import events_for
from core.models import Notification
from tests.complaints.conftest import at
from tests.complaints.factories import RoutingRuleFactory
from tests.conftest import make_official
from tests.parks.factories import DepartmentFactory


@pytest.fixture
def planning(desk):
    return DepartmentFactory(park=desk.park, name="规划建设局")


def _route(ticket):
    return services.ticket_route(ticket_id=ticket.pk, now=at(minutes=1))


def test_first_matching_rule_in_priority_order_chooses_the_department(desk, planning):
    RoutingRuleFactory(park=desk.park, department=planning, keywords="补贴", priority=20)
    RoutingRuleFactory(park=desk.park, department=desk.w.business, keywords="补贴 研发", priority=10)

    ticket = _route(desk.submit().ticket)

    assert ticket.suggested_department == desk.w.business
    assert ticket.routed_at == at(minutes=1)


def test_rule_matches_keywords_in_the_body_and_its_category_including_subcategories(desk, planning):
    child = desk.general.children.create(park=desk.park, name="补贴申领", code="policy-subsidy")
    RoutingRuleFactory(park=desk.park, department=planning, category=desk.general, keywords="到账")

    ticket = _route(desk.submit(category=child, subject="进度查询").ticket)

    assert ticket.suggested_department == planning


def test_rule_of_another_category_does_not_match(desk, planning):
    RoutingRuleFactory(park=desk.park, department=planning, category=desk.complaint, keywords="补贴")

    ticket = _route(desk.submit().ticket)

    assert ticket.suggested_department is None


def test_inactive_rule_is_ignored(desk, planning):
    RoutingRuleFactory(park=desk.park, department=planning, keywords="补贴", is_active=False)

    assert _route(desk.submit().ticket).suggested_department is None


def test_rule_suggests_co_handling_departments(desk, planning):
    RoutingRuleFactory(park=desk.park, department=desk.w.business, keywords="补贴", co_departments=[planning])

    ticket = _route(desk.submit().ticket)

    assert list(ticket.suggested_co_departments.all()) == [planning]


def test_no_match_falls_back_to_the_category_default_department(desk, planning):
    desk.general.default_department = planning
    desk.general.save()

    assert _route(desk.submit().ticket).suggested_department == planning


def test_no_match_stays_with_the_dispatcher(desk):
    ticket = _route(desk.submit().ticket)

    assert ticket.suggested_department is None
    ticket = services.ticket_accept(ticket=ticket, actor=desk.w.dispatcher, now=at(hours=1))
    assert ticket.status == Status.ACCEPTED


def test_misconduct_goes_only_to_the_discipline_office_and_is_confidential(desk, planning):
    RoutingRuleFactory(park=desk.park, department=planning, keywords="补贴", priority=1)

    ticket = _route(desk.submit(category=desk.misconduct, accused_official=desk.w.handler).ticket)

    assert ticket.suggested_department == desk.w.discipline_dept
    assert ticket.is_confidential
    assert events_for(ticket).last().data["outcome"] == "misconduct"


def test_misconduct_naming_a_discipline_officer_is_not_routed_to_their_own_office(desk):
    ticket = _route(desk.submit(category=desk.misconduct, accused_official=desk.w.discipline).ticket)

    assert ticket.suggested_department is None
    assert Notification.objects.filter(recipient=desk.w.discipline, kind="ticket.needs_dispatch").exists()


def test_rule_pointing_at_the_accused_officials_department_is_skipped(desk, planning):
    RoutingRuleFactory(park=desk.park, department=desk.w.business, keywords="补贴", priority=1)
    RoutingRuleFactory(park=desk.park, department=planning, keywords="补贴", priority=2)

    ticket = _route(desk.submit(accused_official=desk.w.handler).ticket)

    assert ticket.suggested_department == planning


def test_registration_by_a_dispatcher_is_dispatched_by_routing(desk):
    RoutingRuleFactory(park=desk.park, department=desk.w.business, keywords="补贴")
    ticket = desk.submit(actor=desk.w.dispatcher, channel=Channel.PHONE).ticket

    ticket = _route(ticket)

    assert ticket.status == Status.ASSIGNED
    assert ticket.lead_department == desk.w.business
    dispatched = events_for(ticket).last()
    assert dispatched.action == "ticket.dispatched"
    assert dispatched.actor_kind == "system"


def test_accepted_ticket_without_a_match_asks_the_dispatcher_to_dispatch_by_hand(desk):
    ticket = desk.submit(actor=desk.w.dispatcher, channel=Channel.PHONE).ticket

    ticket = _route(ticket)

    assert ticket.status == Status.ACCEPTED
    assert Notification.objects.filter(recipient=desk.w.dispatcher, kind="ticket.needs_dispatch").exists()


def test_routing_runs_once(desk, planning):
    ticket = _route(desk.submit().ticket)
    RoutingRuleFactory(park=desk.park, department=planning, keywords="补贴")

    again = services.ticket_route(ticket_id=ticket.pk, now=at(hours=1))

    assert again.suggested_department is None
    assert again.routed_at == at(minutes=1)
    assert events_for(ticket).filter(action="ticket.routed").count() == 1


def test_route_task_does_nothing_for_a_routed_ticket(desk):
    ticket = _route(desk.submit().ticket)

    assert route_ticket(ticket.pk) is False


def test_route_task_routes_an_unrouted_ticket(desk):
    ticket = desk.submit().ticket

    assert route_ticket(ticket.pk) is True
    assert Ticket.objects.get(pk=ticket.pk).routed_at is not None


def test_routing_task_runs_after_the_submission_commits(desk, django_capture_on_commit_callbacks):
    RoutingRuleFactory(park=desk.park, department=desk.w.business, keywords="补贴")

    with django_capture_on_commit_callbacks(execute=True):
        ticket = desk.submit().ticket

    ticket.refresh_from_db()
    assert ticket.suggested_department == desk.w.business


def test_same_enterprise_ticket_in_the_same_category_is_suggested_as_duplicate(desk):
    first = desk.submit(subject="厂区门口路灯不亮", body="晚上下班很危险").ticket
    second = _route(desk.submit(subject="补贴问题", body="研发补贴没有到账", now=at(days=3)).ticket)
    second_first = _route(desk.submit(subject="厂区门口路灯坏了", body="晚上很危险", now=at(days=4)).ticket)

    suggestion = DuplicateSuggestion.objects.get(ticket=second_first, candidate=first)
    assert suggestion.reason == DuplicateReason.SAME_ENTERPRISE
    assert DuplicateSuggestion.objects.filter(ticket=second, candidate=first).exists()


def test_similar_text_from_someone_else_is_suggested_as_duplicate(desk):
    first = desk.submit(actor=None, subject="主干道货车噪音扰民", body="夜间货车鸣笛噪音很大影响休息").ticket

    second = _route(desk.submit(actor=None, subject="主干道货车噪音扰民", body="夜间货车鸣笛噪音太大影响休息").ticket)

    suggestion = DuplicateSuggestion.objects.get(ticket=second)
    assert suggestion.candidate == first
    assert suggestion.reason == DuplicateReason.SIMILAR_TEXT


def test_unrelated_text_is_not_suggested(desk):
    desk.submit(actor=None, subject="主干道货车噪音扰民", body="夜间货车鸣笛噪音很大")

    second = _route(desk.submit(actor=None, subject="人才公寓申请", body="想了解人才住房的申请条件").ticket)

    assert not DuplicateSuggestion.objects.filter(ticket=second).exists()


def test_tickets_older_than_thirty_days_are_not_suggested(desk):
    desk.submit(actor=None, subject="主干道货车噪音扰民", body="夜间货车鸣笛噪音很大影响休息", now=at(days=-40))

    second = _route(desk.submit(actor=None, subject="主干道货车噪音扰民", body="夜间货车鸣笛噪音很大影响休息").ticket)

    assert not DuplicateSuggestion.objects.filter(ticket=second).exists()


def test_confidential_tickets_are_never_suggested_for_ordinary_ones(desk):
    desk.submit(actor=None, category=desk.misconduct, subject="主干道货车噪音扰民", body="夜间货车鸣笛噪音很大")

    second = _route(desk.submit(actor=None, subject="主干道货车噪音扰民", body="夜间货车鸣笛噪音很大").ticket)

    assert not DuplicateSuggestion.objects.filter(ticket=second).exists()


def test_dismissed_suggestion_is_audited(desk):
    desk.submit(actor=None, subject="主干道货车噪音扰民", body="夜间货车鸣笛噪音很大影响休息")
    second = _route(desk.submit(actor=None, subject="主干道货车噪音扰民", body="夜间货车鸣笛噪音很大影响休息").ticket)

    suggestion = services.duplicate_suggestion_dismiss(
        suggestion=second.duplicate_suggestions.get(), actor=desk.w.dispatcher
    )

    assert suggestion.status == "dismissed"
    assert events_for(second).last().action == "ticket.duplicate_dismissed"


def test_sweep_requeues_only_tickets_left_unrouted_for_a_while(desk, django_capture_on_commit_callbacks):
    stale = desk.submit(now=at(minutes=-30)).ticket
    fresh = desk.submit(now=at()).ticket
    routed = _route(desk.submit(now=at(minutes=-30)).ticket)

    with django_capture_on_commit_callbacks(execute=True):
        queued = services.sweep_unrouted_tickets(now=at(minutes=2))

    assert queued == 1
    assert Ticket.objects.get(pk=stale.pk).routed_at is not None
    assert Ticket.objects.get(pk=fresh.pk).routed_at is None
    assert routed.routed_at == at(minutes=1)


def test_handler_of_another_park_is_never_notified_by_routing(desk, world_b):
    RoutingRuleFactory(park=desk.park, department=desk.w.business, keywords="补贴")
    outsider = make_official(park=world_b.park, role="handler", department=world_b.business, username="h_b2")

    services.ticket_accept(ticket=_route(desk.submit().ticket), actor=desk.w.dispatcher, now=at(hours=1))

    assert not Notification.objects.filter(recipient=outsider).exists()
