"""The admin: categories and rules scoped to the park administrator's parks and saved through the services;
tickets read-only, confidential ones only for the discipline office, actions calling the services."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from complaints.admin import CategoryAdmin, RoutingRuleAdmin, TicketAdmin
from complaints.choices import Status
from complaints.models import Category, RoutingRule, Ticket
from core.audit import events_for
from tests.complaints.factories import CategoryFactory


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


@pytest.fixture
def staff(desk):
    for name in ("park_admin", "dispatcher", "discipline"):
        user = getattr(desk.w, name)
        user.is_staff = True
        user.save()
    return desk


def test_park_admin_sees_only_their_parks_categories(staff, world_b):
    CategoryFactory(park=world_b.park)

    listed = CategoryAdmin(Category, site).get_queryset(_request(staff.w.park_admin))

    assert set(listed.values_list("park_id", flat=True)) == {staff.park.pk}


def test_category_saved_in_the_admin_is_audited(staff):
    admin = CategoryAdmin(Category, site)
    category = Category(park=staff.park, name="融资", code="finance")

    admin.save_model(_request(staff.w.park_admin), category, form=None, change=False)

    assert events_for(category).get().action == "category.created"


def test_category_form_refuses_a_parent_of_another_park(staff, world_b, platform_admin):
    # The platform administrator's choices span every park, so only the check can refuse the mix.
    form_class = CategoryAdmin(Category, site).get_form(_request(platform_admin))
    foreign_parent = CategoryFactory(park=world_b.park)
    form = form_class(
        data={
            "park": staff.park.pk,
            "parent": foreign_parent.pk,
            "name": "子类",
            "code": "child",
            "kind": "demand",
            "order": 0,
            "accept_days": 1,
            "sign_days": 1,
            "is_active": "on",
        }
    )

    assert not form.is_valid()
    assert "parent" in form.errors


def test_routing_rule_and_its_co_departments_are_saved_with_one_audit_event(staff):
    admin = RoutingRuleAdmin(RoutingRule, site)
    form_class = admin.get_form(_request(staff.w.park_admin))
    form = form_class(
        data={
            "park": staff.park.pk,
            "name": "补贴类",
            "keywords": "补贴 兑现",
            "department": staff.w.business.pk,
            "co_departments": [staff.w.dispatch.pk],
            "priority": 10,
            "is_active": "on",
        }
    )
    assert form.is_valid(), form.errors
    rule = form.save(commit=False)

    admin.save_model(_request(staff.w.park_admin), rule, form, change=False)

    assert list(rule.co_departments.all()) == [staff.w.dispatch]
    assert [e.action for e in events_for(rule)] == ["routing_rule.created"]


def test_ticket_admin_hides_confidential_tickets_from_the_dispatcher(staff):
    staff.submit()
    staff.submit(category=staff.misconduct)

    admin = TicketAdmin(Ticket, site)

    assert admin.get_queryset(_request(staff.w.dispatcher)).count() == 1
    assert admin.get_queryset(_request(staff.w.discipline)).count() == 2


def test_ticket_admin_is_read_only(staff):
    admin = TicketAdmin(Ticket, site)
    request = _request(staff.w.dispatcher)

    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request)
    assert not admin.has_delete_permission(request)


def test_accept_action_goes_through_the_service(staff):
    ticket = staff.submit().ticket
    admin = TicketAdmin(Ticket, site)
    request = _request(staff.w.dispatcher)
    admin.message_user = lambda *args, **kwargs: None

    admin.accept_selected(request, Ticket.objects.filter(pk=ticket.pk))

    ticket.refresh_from_db()
    assert ticket.status == Status.ACCEPTED
    assert events_for(ticket).last().action == "ticket.accepted"
