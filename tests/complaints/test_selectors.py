"""Who sees which ticket (one rule for lists, objects, searches and counts), identity masking, queues,
statistics and constant query counts."""

from datetime import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from complaints import selectors, services
from complaints.choices import Status
from complaints.filters import TicketFilterSet
from complaints.models import Ticket
from tests.accounts.factories import UserFactory
from tests.complaints.conftest import SHANGHAI, at
from tests.complaints.factories import TicketFactory
from tests.conftest import make_official
from tests.parks.factories import DepartmentFactory, EnterpriseFactory, EnterpriseMembershipFactory

ROLES = ["park_admin", "dispatcher", "handler", "discipline", "auditor", "enterprise_user"]


@pytest.fixture
def tickets(desk, world_b):
    """An ordinary ticket dispatched to the business department, a confidential misconduct report, an
    ordinary ticket of another enterprise not dispatched, and a ticket of park B."""
    from complaints.choices import CategoryKind
    from tests.complaints.factories import CategoryFactory

    ordinary = desk.to(Status.ASSIGNED)
    confidential = desk.submit(category=desk.misconduct, accused_official=desk.w.handler).ticket
    other_enterprise = services.ticket_submit(
        park=desk.park, category=desk.general, subject="道路积水", body="雨后积水严重", actor=None
    ).ticket
    other_park = services.ticket_submit(
        park=world_b.park,
        category=CategoryFactory(park=world_b.park, kind=CategoryKind.DEMAND),
        subject="乙园区诉求",
        body="内容",
        actor=world_b.enterprise_user,
    ).ticket
    return {"ordinary": ordinary, "confidential": confidential, "other": other_enterprise, "park_b": other_park}


EXPECTED = {
    # role: names of the fixture tickets it sees
    "park_admin": {"ordinary", "other"},
    "dispatcher": {"ordinary", "other"},
    "handler": {"ordinary"},
    "discipline": {"ordinary", "confidential", "other"},
    "auditor": {"ordinary", "other"},
    "enterprise_user": {"ordinary", "confidential"},  # the user filed both; the report is theirs to follow
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_exactly_its_tickets_in_lists_and_one_by_one(desk, tickets, role):
    user = getattr(desk.w, role)
    by_pk = {t.pk: name for name, t in tickets.items()}

    listed = {by_pk[pk] for pk in selectors.ticket_list_for(user).values_list("pk", flat=True)}
    one_by_one = {
        name for name, t in tickets.items() if selectors.ticket_is_visible_to(user, Ticket.objects.get(pk=t.pk))
    }

    assert listed == EXPECTED[role]
    assert one_by_one == EXPECTED[role]


def test_anonymous_visitor_sees_nothing(tickets):
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.ticket_list_for(AnonymousUser()).exists()


def test_platform_admin_sees_every_park_but_no_confidential_ticket(tickets, platform_admin):
    seen = set(selectors.ticket_list_for(platform_admin).values_list("pk", flat=True))

    assert tickets["park_b"].pk in seen
    assert tickets["confidential"].pk not in seen


def test_colleague_of_the_enterprise_sees_its_tickets_but_not_its_confidential_reports(desk, tickets):
    colleague = UserFactory(username="colleague", roles=["enterprise"])
    EnterpriseMembershipFactory(user=colleague, enterprise=desk.w.enterprise)

    seen = set(selectors.ticket_list_for(colleague).values_list("pk", flat=True))

    assert seen == {tickets["ordinary"].pk}


def test_co_handling_department_sees_the_ticket(desk):
    planning = DepartmentFactory(park=desk.park, name="规划建设局")
    planner = make_official(park=desk.park, role="handler", department=planning, username="planner")
    ticket = services.ticket_dispatch(
        ticket=desk.to(Status.ACCEPTED),
        actor=desk.w.dispatcher,
        department=desk.w.business,
        co_departments=[planning],
        now=at(hours=2),
    )

    assert list(selectors.ticket_list_for(planner)) == [ticket]
    assert selectors.ticket_is_visible_to(planner, ticket)


def test_discipline_office_handler_sees_confidential_tickets_of_its_office(desk):
    office_handler = make_official(park=desk.park, role="handler", department=desk.w.discipline_dept, username="jw")
    ticket = services.ticket_accept(
        ticket=desk.submit(category=desk.misconduct).ticket, actor=desk.w.discipline, now=at(hours=1)
    )
    ticket = services.ticket_dispatch(
        ticket=ticket, actor=desk.w.discipline, department=desk.w.discipline_dept, now=at(hours=2)
    )

    assert selectors.ticket_is_visible_to(office_handler, ticket)
    assert list(selectors.ticket_list_for(office_handler)) == [ticket]


def test_confidential_tickets_are_left_out_of_every_count_outside_the_discipline_office(desk, tickets):
    dispatcher_stats = selectors.ticket_stats_for(desk.w.dispatcher, now=at(days=1))
    discipline_stats = selectors.ticket_stats_for(desk.w.discipline, now=at(days=1))

    assert dispatcher_stats["total"] == 2
    assert discipline_stats["total"] == 3
    assert "作风问题" not in {row["name"] for row in dispatcher_stats["by_category"]}


def test_search_does_not_reveal_confidential_tickets(desk, tickets):
    request = RequestFactory().get("/")
    request.user = desk.w.dispatcher
    by_number = TicketFilterSet(
        {"q": tickets["confidential"].number}, queryset=selectors.ticket_list_for(desk.w.dispatcher), request=request
    )

    assert not by_number.qs.exists()


def test_dispatcher_sees_the_misconduct_report_they_filed_in_their_own_park(desk, tickets):
    report = desk.submit(actor=desk.w.dispatcher, category=desk.misconduct, accused_official=desk.w.handler).ticket

    seen = set(selectors.ticket_list_for(desk.w.dispatcher).values_list("pk", flat=True))

    assert seen == {tickets["ordinary"].pk, tickets["other"].pk, report.pk}


def test_dispatcher_sees_their_own_ticket_in_another_park_and_nothing_else_there(desk, tickets, world_b):
    from complaints.choices import CategoryKind
    from tests.complaints.factories import CategoryFactory

    elsewhere = services.ticket_submit(
        park=world_b.park,
        category=CategoryFactory(park=world_b.park, kind=CategoryKind.DEMAND),
        subject="路灯不亮",
        body="乙园区东门路灯不亮",
        actor=desk.w.dispatcher,
    ).ticket

    seen = set(selectors.ticket_list_for(desk.w.dispatcher).values_list("pk", flat=True))

    assert seen == {tickets["ordinary"].pk, tickets["other"].pk, elsewhere.pk}
    assert tickets["park_b"].pk not in seen


def test_park_wide_scope_has_no_filer_branch_when_everything_filed_is_in_view(desk, tickets):
    # The OR on the submitter would make every page count read the park's rows (bench/README.md).
    desk.submit(actor=desk.w.dispatcher)

    where = str(selectors.ticket_scope_for(desk.w.dispatcher).query).split(" WHERE ", 1)[1]

    assert "submitter" not in where


def test_platform_admin_in_the_discipline_office_sees_every_ticket(tickets, platform_admin):
    from django.contrib.auth.models import Group

    from core.roles import DISCIPLINE

    platform_admin.groups.add(Group.objects.get_or_create(name=DISCIPLINE)[0])
    user = type(platform_admin).objects.get(pk=platform_admin.pk)

    listed = set(selectors.ticket_list_for(user).values_list("pk", flat=True))

    assert listed == {t.pk for t in tickets.values()}
    assert all(selectors.ticket_is_visible_to(user, t) for t in tickets.values())


def test_status_channel_and_department_filters_find_each_ticket_once_without_distinct(desk):
    from complaints.choices import Channel

    planning = DepartmentFactory(park=desk.park, name="规划建设局")
    ticket = services.ticket_dispatch(
        ticket=desk.to(Status.ACCEPTED),
        actor=desk.w.dispatcher,
        department=desk.w.business,
        co_departments=[desk.w.dispatch, planning],
        now=at(hours=2),
    )
    desk.to(Status.SUBMITTED)
    request = RequestFactory().get("/")
    request.user = desk.w.dispatcher
    data = {"status": [Status.ASSIGNED, Status.IN_PROGRESS], "channel": [Channel.WEB, Channel.APP]}

    for department in (desk.w.business, desk.w.dispatch, planning):
        filtered = TicketFilterSet(
            {**data, "department": department.pk},
            queryset=selectors.ticket_list_for(desk.w.dispatcher),
            request=request,
        ).qs

        assert not filtered.query.distinct
        assert list(filtered) == [ticket]


# --- identity (保密) ----------------------------------------------------------------------------------------


def test_hidden_identity_is_masked_for_handlers_but_not_for_the_dispatcher_or_discipline_office(desk):
    ticket = desk.to(Status.ASSIGNED, hide_identity=True)

    assert not selectors.ticket_identity_visible_to(desk.w.handler, ticket)
    assert not selectors.ticket_identity_visible_to(desk.w.park_admin, ticket)
    assert selectors.ticket_identity_visible_to(desk.w.dispatcher, ticket)
    assert selectors.ticket_identity_visible_to(desk.w.discipline, ticket)
    assert selectors.ticket_identity_visible_to(desk.w.enterprise_user, ticket)


def test_identity_is_visible_to_handlers_when_not_hidden(desk):
    assert selectors.ticket_identity_visible_to(desk.w.handler, desk.to(Status.ASSIGNED))


# --- queues -----------------------------------------------------------------------------------------------


def test_dispatcher_queue_holds_submitted_and_accepted_tickets(desk):
    submitted = desk.to(Status.SUBMITTED)
    accepted = desk.to(Status.ACCEPTED)
    desk.to(Status.ASSIGNED)

    assert set(selectors.ticket_dispatcher_queue(desk.w.dispatcher)) == {submitted, accepted}


def test_department_queue_holds_the_departments_open_tickets(desk):
    assigned = desk.to(Status.ASSIGNED)
    in_progress = desk.to(Status.IN_PROGRESS)
    desk.to(Status.CLOSED)

    assert set(selectors.ticket_department_queue(desk.w.handler)) == {assigned, in_progress}


def test_supervision_list_holds_supervised_open_tickets(desk):
    ticket = services.ticket_supervise(ticket=desk.to(Status.IN_PROGRESS), actor=desk.w.discipline, note="限期办结")
    desk.to(Status.IN_PROGRESS)

    assert list(selectors.ticket_supervision_list(desk.w.discipline)) == [ticket]


def test_overdue_list_holds_open_tickets_past_a_running_deadline(desk):
    late = desk.to(Status.IN_PROGRESS)
    desk.to(Status.CLOSED)

    assert list(selectors.ticket_overdue_for(desk.w.dispatcher, now=datetime(2025, 6, 20, 9, tzinfo=SHANGHAI))) == [
        late
    ]


def test_my_tickets_are_what_the_enterprise_filed(desk, tickets):
    assert set(selectors.ticket_mine_for(desk.w.enterprise_user)) == {tickets["ordinary"], tickets["confidential"]}


def test_follow_up_list_holds_answers_unrated_for_three_working_days(desk):
    ticket = desk.to(Status.REPLIED)  # replied Tuesday 10 June 10:00

    friday = datetime(2025, 6, 13, 9, tzinfo=SHANGHAI)
    monday = datetime(2025, 6, 16, 9, tzinfo=SHANGHAI)
    assert list(selectors.tickets_awaiting_followup(desk.w.dispatcher, now=friday)) == []
    assert list(selectors.tickets_awaiting_followup(desk.w.dispatcher, now=monday)) == [ticket]


def test_duplicate_suggestions_show_only_candidates_the_user_may_see(desk):
    first = desk.submit(actor=None, subject="主干道货车噪音扰民", body="夜间货车鸣笛噪音很大影响休息").ticket
    second = services.ticket_route(
        ticket_id=desk.submit(actor=None, subject="主干道货车噪音扰民", body="夜间货车鸣笛噪音很大影响休息").ticket.pk
    )

    assert [s.candidate for s in selectors.duplicate_suggestions_for(desk.w.dispatcher, second)] == [first]
    assert list(selectors.duplicate_suggestions_for(desk.w.enterprise_user, second)) == []


def test_actions_offered_follow_role_and_status(desk):
    ticket = desk.to(Status.ASSIGNED)

    assert selectors.ticket_actions_for(desk.w.handler, ticket) == ["return", "sign"]
    assert selectors.ticket_actions_for(desk.w.dispatcher, ticket) == []
    assert selectors.ticket_actions_for(desk.w.discipline, ticket) == ["supervise"]


# --- statistics -----------------------------------------------------------------------------------------


def test_statistics_of_a_small_park(desk):
    desk.to(Status.CLOSED)
    reopened = desk.to(Status.REPLIED)
    services.ticket_reject_answer(ticket=reopened, actor=desk.w.enterprise_user, reason="未解决", now=at(days=2))
    returned = desk.to(Status.ASSIGNED)
    services.ticket_return(ticket=returned, actor=desk.w.handler, reason="不属于本部门", now=at(hours=4))
    services.ticket_supervise(ticket=returned, actor=desk.w.discipline, note="尽快改派")

    stats = selectors.ticket_stats_for(desk.w.discipline, now=at(days=3))

    assert stats["total"] == 3
    assert stats["open"] == 2
    assert stats["supervised"] == 1
    assert stats["avg_satisfaction"] == 5
    assert stats["return_rate"] == pytest.approx(33.3)
    assert stats["reopen_rate"] == 50.0  # one of the two answered tickets was reopened
    assert stats["by_department"][0]["name"] == desk.w.business.name
    assert stats["trend"][-1]["month"] == "2025-06"
    assert stats["trend"][-1]["created"] == 3
    assert stats["trend"][-1]["closed"] == 1
    assert len(stats["trend"]) == 12


def test_rates_are_none_without_anything_to_divide(desk):
    stats = selectors.ticket_stats_for(desk.w.dispatcher)

    assert stats["on_time_rate"] is None
    assert stats["avg_satisfaction"] is None


# --- query counts ---------------------------------------------------------------------------------------


def _render_list(user):
    rows = []
    for ticket in selectors.ticket_list_for(user):
        rows.append(
            (
                ticket.number,
                ticket.park.name,
                str(ticket.category),
                ticket.lead_department and ticket.lead_department.name,
                ticket.enterprise and ticket.enterprise.name,
                ticket.submitter and ticket.submitter.get_full_name(),
                [d.name for d in ticket.co_departments.all()],
                ticket.contact_phone_masked,
            )
        )
    return rows


@pytest.mark.parametrize("count", [3, 30])
def test_ticket_list_takes_a_constant_number_of_queries(desk, count):
    planning = DepartmentFactory(park=desk.park)
    for _ in range(count):
        TicketFactory(
            park=desk.park,
            category=desk.general,
            lead_department=desk.w.business,
            enterprise=desk.w.enterprise,
            submitter=desk.w.enterprise_user,
            co_departments=[planning],
            status=Status.ASSIGNED,
        )
    user = desk.w.dispatcher
    _render_list(user)  # roles and parks are looked up once and cached on the user

    with CaptureQueriesContext(connection) as queries:
        rows = _render_list(user)

    assert len(rows) == count
    # whether the dispatcher filed anything outside their park-wide view, the tickets with park, category
    # and lead department joined, then co-handling departments, enterprises and submitters
    assert len(queries) == 5


def test_ticket_detail_takes_a_constant_number_of_queries(desk, django_assert_num_queries):
    ticket = desk.to(Status.IN_PROGRESS)
    for index in range(10):
        services.ticket_message_post(ticket=ticket, actor=desk.w.handler, body=f"消息{index}")
    user = desk.w.dispatcher
    selectors.ticket_get_for(user, pk=ticket.pk)

    # the scope's look-up of the dispatcher's own tickets, the ticket, its co-handling departments,
    # enterprise, submitter, assignee and suggested co-handling departments, and the messages
    with django_assert_num_queries(8):
        detail = selectors.ticket_get_for(user, pk=ticket.pk)
        [(m.author and m.author.get_full_name(), m.body) for m in selectors.ticket_messages_for(user, detail)]
        [d.name for d in detail.co_departments.all()]


def test_ticket_of_another_park_is_not_found(desk, world_b):
    from core.errors import DomainError

    ticket = desk.to(Status.SUBMITTED)

    with pytest.raises(DomainError) as raised:
        selectors.ticket_get_for(world_b.dispatcher, pk=ticket.pk)

    assert raised.value.kind == "not_found"


def test_filter_by_top_level_category_includes_its_children(desk):
    child = desk.general.children.create(park=desk.park, name="补贴申领", code="policy-subsidy")
    in_child = desk.submit(category=child).ticket
    desk.submit(category=desk.complaint)
    request = RequestFactory().get("/")
    request.user = desk.w.dispatcher

    filtered = TicketFilterSet(
        {"category": desk.general.pk}, queryset=selectors.ticket_list_for(desk.w.dispatcher), request=request
    )

    assert list(filtered.qs) == [in_child]


def test_filter_overdue(desk):
    desk.to(Status.CLOSED)
    desk.to(Status.IN_PROGRESS)
    request = RequestFactory().get("/")
    request.user = desk.w.dispatcher

    filtered = TicketFilterSet(
        {"overdue": "true"}, queryset=selectors.ticket_list_for(desk.w.dispatcher), request=request
    )

    assert filtered.qs.count() == 1


def test_enterprise_of_another_park_user_sees_nothing_here(desk, tickets):
    outsider = UserFactory(username="outsider", roles=["enterprise"])
    EnterpriseMembershipFactory(user=outsider, enterprise=EnterpriseFactory())

    assert not selectors.ticket_list_for(outsider).exists()
