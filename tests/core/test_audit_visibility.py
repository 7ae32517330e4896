"""The audit list shows a record's trail only to those who may see the record (confidential tickets and
declarations stay inside the discipline office)."""

import pytest
from django.urls import reverse

from complaints.services import ticket_submit
from core.audit import filter_events_for
from core.models import AuditEvent
from tests.complaints.factories import CategoryFactory


@pytest.fixture
def misconduct_ticket(world_a):
    category = CategoryFactory(park=world_a.park, is_misconduct=True, is_confidential=True)
    return ticket_submit(
        park=world_a.park,
        category=category,
        subject="工作人员索要好处",
        body="办事时被暗示需要请客",
        actor=world_a.enterprise_user,
        enterprise=world_a.enterprise,
    ).ticket


def _ticket_events(user, ticket):
    qs = filter_events_for(user, AuditEvent.objects.filter(target_type="complaints.ticket"))
    return qs.filter(target_id=str(ticket.pk))


def test_auditor_does_not_see_the_trail_of_a_confidential_ticket(world_a, misconduct_ticket):
    assert AuditEvent.objects.filter(target_type="complaints.ticket", target_id=str(misconduct_ticket.pk)).exists()
    assert not _ticket_events(world_a.auditor, misconduct_ticket).exists()


def test_discipline_officer_sees_the_trail_of_a_confidential_ticket(world_a, misconduct_ticket):
    assert _ticket_events(world_a.discipline, misconduct_ticket).exists()


def test_platform_admin_sees_every_trail(platform_admin, world_a, misconduct_ticket):
    assert _ticket_events(platform_admin, misconduct_ticket).exists()


def test_admin_audit_list_hides_confidential_trails_from_auditors(client, world_a, misconduct_ticket):
    world_a.auditor.is_staff = True
    world_a.auditor.save(update_fields=["is_staff"])
    client.force_login(world_a.auditor)
    response = client.get(reverse("admin:core_auditevent_changelist"), {"target_type": "complaints.ticket"})
    assert response.status_code == 200
    shown = {str(e.target_id) for e in response.context["cl"].result_list}
    assert str(misconduct_ticket.pk) not in shown
