"""The ticket list and detail, as pages and through the API, make a constant number of queries: 5 or 50
tickets on a page, a short or a long trail, one message or twenty. The numbers are pinned exactly, so that a
new query (or a join traded for a prefetch, see `complaints.selectors.LIST_JOINS`) is a visible change.

Of a ticket list: the user's roles and parks, whether they filed anything outside what they see park-wide
(`ticket_scope_for`), the count, the page, and one query per prefetched relation that a ticket of the page has
(co-handling departments, enterprise, submitter, …; `LIST_PREFETCHES`)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from complaints import services
from complaints.choices import Status
from tests.complaints.conftest import T0
from tests.complaints.factories import DuplicateSuggestionFactory, TicketFactory


def add_tickets(desk, n, **kwargs):
    for index in range(n):
        ticket = TicketFactory(
            park=desk.park,
            category=desk.general if index % 2 else desk.complaint,
            status=Status.ASSIGNED if index % 3 else Status.SUBMITTED,
            enterprise=desk.w.enterprise if index % 2 else None,
            submitter=desk.w.enterprise_user if index % 2 else None,
            hide_identity=index % 4 == 0,
            contact_name="王小明",
            contact_phone="13900001111",
            lead_department=desk.w.business if index % 3 else None,
            co_departments=[desk.w.dispatch] if index % 5 == 0 else [],
            reply_due=T0,
            **kwargs,
        )
        if index % 7 == 0:
            DuplicateSuggestionFactory(ticket=ticket, candidate=TicketFactory(park=desk.park, category=desk.general))


def fresh_api(user):
    """An API client authenticated as a fresh copy of `user`: force_authenticate reuses the object, which
    would carry the role and park caches of the previous request into the next one."""
    api = APIClient()
    api.force_authenticate(type(user).objects.get(pk=user.pk))
    return api


def count_queries(fetch):
    with CaptureQueriesContext(connection) as queries:
        response = fetch()
    assert response.status_code == 200
    return len(queries)


# The intake queue also reads the page's duplicate suggestions, pending returns and extension requests.
@pytest.mark.parametrize(("kind", "expected"), [("all", 12), ("dispatch", 18), ("overdue", 12)])
def test_list_page_queries_do_not_grow_with_the_page(client, desk, kind, expected):
    client.force_login(desk.w.dispatcher)
    url = reverse("complaints:queue", kwargs={"kind": kind})

    add_tickets(desk, 5)
    small = count_queries(lambda: client.get(url, {"page_size": 100}))
    add_tickets(desk, 45)
    large = count_queries(lambda: client.get(url, {"page_size": 100}))

    assert small == large == expected


def test_handlers_department_list_queries_do_not_grow_with_the_page(client, desk):
    client.force_login(desk.w.handler)
    url = reverse("complaints:queue", kwargs={"kind": "department"})

    add_tickets(desk, 5)
    small = count_queries(lambda: client.get(url, {"page_size": 100}))
    add_tickets(desk, 45)
    large = count_queries(lambda: client.get(url, {"page_size": 100}))

    assert small == large == 12


def test_api_list_queries_do_not_grow_with_the_page(desk):
    url = "/api/v1/complaints/tickets/"

    add_tickets(desk, 5)
    small = count_queries(lambda: fresh_api(desk.w.dispatcher).get(url, {"page_size": 100}))
    add_tickets(desk, 45)
    large = count_queries(lambda: fresh_api(desk.w.dispatcher).get(url, {"page_size": 100}))

    assert small == large == 10


def test_export_queries_do_not_grow_with_the_rows(client, desk):
    client.force_login(desk.w.dispatcher)
    url = reverse("complaints:ticket-export")

    add_tickets(desk, 5)
    small = count_queries(lambda: client.get(url))
    add_tickets(desk, 45)
    large = count_queries(lambda: client.get(url))

    assert small == large == 9


def _grow(desk, ticket, n):
    """`n` more messages and trail events on `ticket`."""
    for index in range(n):
        services.ticket_message_post(ticket=ticket, actor=desk.w.handler, body=f"第{index}条消息", now=T0)
        services.ticket_supervise(ticket=ticket, actor=desk.w.discipline, note=f"督办{index}", now=T0)


@pytest.mark.parametrize(("role", "expected"), [("dispatcher", 19), ("handler", 18), ("enterprise_user", 17)])
def test_detail_page_queries_do_not_grow_with_messages_and_trail(client, desk, role, expected):
    ticket = desk.to(Status.IN_PROGRESS)
    client.force_login(getattr(desk.w, role))
    url = reverse("complaints:ticket-detail", args=[ticket.pk])

    _grow(desk, ticket, 1)
    small = count_queries(lambda: client.get(url))
    _grow(desk, ticket, 20)
    large = count_queries(lambda: client.get(url))

    assert small == large == expected


def test_api_detail_queries_do_not_grow_with_the_trail(desk):
    ticket = desk.to(Status.IN_PROGRESS)
    url = f"/api/v1/complaints/tickets/{ticket.pk}/"

    _grow(desk, ticket, 1)
    small = count_queries(lambda: fresh_api(desk.w.dispatcher).get(url))
    _grow(desk, ticket, 20)
    large = count_queries(lambda: fresh_api(desk.w.dispatcher).get(url))

    assert small == large == 13


def test_handling_sheet_queries_do_not_grow_with_the_trail(client, desk):
    ticket = desk.to(Status.IN_PROGRESS)
    client.force_login(desk.w.dispatcher)
    url = reverse("complaints:ticket-print", args=[ticket.pk])

    _grow(desk, ticket, 1)
    small = count_queries(lambda: client.get(url))
    _grow(desk, ticket, 20)
    large = count_queries(lambda: client.get(url))

    assert small == large == 14
