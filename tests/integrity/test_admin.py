"""The admin of the integrity registers: reference data for the park's administrators, declarations for
platform administrators only (whatever view permissions a role's group carries), nothing editable that a
service owns."""

import pytest
from django.urls import reverse

from integrity.choices import DeclarationStatus
from tests.integrity.conftest import make_declaration

CONFIDENTIAL = ["declaration", "giftdeclaration", "familyeventdeclaration", "interestdeclaration", "yearlyreturn"]


def staff(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.mark.parametrize("model", CONFIDENTIAL)
@pytest.mark.parametrize("who", ["park_admin", "discipline", "auditor"])
def test_declarations_are_not_in_the_admin_of(client, world_a, who, model):
    make_declaration(world_a, status=DeclarationStatus.SUBMITTED)
    client.force_login(staff(getattr(world_a, who)))
    assert client.get(reverse(f"admin:integrity_{model}_changelist")).status_code == 403


def test_a_platform_administrator_sees_declarations_in_the_admin(client, world_a, platform_admin):
    make_declaration(world_a, status=DeclarationStatus.SUBMITTED)
    client.force_login(staff(platform_admin))
    assert client.get(reverse("admin:integrity_declaration_changelist")).status_code == 200


def test_the_park_administrator_reads_pledge_texts_but_cannot_add_one_there(client, world_a):
    client.force_login(staff(world_a.park_admin))
    assert client.get(reverse("admin:integrity_pledgetemplate_changelist")).status_code == 200
    assert client.get(reverse("admin:integrity_pledgetemplate_add")).status_code == 403


def test_changing_the_rules_in_the_admin_goes_through_the_service(client, world_a, platform_admin):
    from core.audit import events_for
    from integrity.models import IntegritySettings

    client.force_login(staff(platform_admin))
    form = {
        "park": world_a.park.pk,
        "gift_due_months": 2,
        "gift_value_limit": "200",
        "wedding_min_days_before": 3,
        "wedding_max_days_before": 10,
        "funeral_days_after": 10,
        "family_event_max_tables": 20,
        "family_event_max_guests": 200,
        "interest_change_days": 30,
        "correction_days": 10,
        "action_days": 15,
        "draft_reminder_days": 3,
        "yearly_due_month": 1,
        "yearly_due_day": 31,
        "yearly_reminder_days": "[14, 3, 0]",
        "pledge_reminder_days": "[30, 7, 0]",
        "sample_percent": 10,
        "sample_minimum": 1,
    }
    client.post(reverse("admin:integrity_integritysettings_add"), form)
    row = IntegritySettings.objects.get(park=world_a.park)
    assert (row.gift_due_months, [e.action for e in events_for(row)]) == (2, ["integrity_settings.updated"])
