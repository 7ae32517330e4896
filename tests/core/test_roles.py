"""Roles (DESIGN §1): the seven groups exist after migrate, with the model permissions of ROLE_PERMISSIONS."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission

from core import roles
from tests.accounts.factories import UserFactory


def _codenames(role):
    return set(Group.objects.get(name=role).permissions.values_list("content_type__app_label", "codename").distinct())


@pytest.mark.django_db
def test_migrate_creates_a_group_for_each_of_the_nine_roles():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ALL_ROLES)
    assert len(roles.ALL_ROLES) == 9


@pytest.mark.django_db
def test_park_admin_may_change_departments():
    user = UserFactory(roles=[roles.PARK_ADMIN])

    assert user.has_perm("parks.change_department")


@pytest.mark.django_db
def test_park_admin_may_not_change_user_accounts():
    user = UserFactory(roles=[roles.PARK_ADMIN])

    assert not user.has_perm("accounts.change_user")


@pytest.mark.django_db
def test_auditor_holds_only_view_permissions():
    granted = _codenames(roles.AUDITOR)

    assert ("core", "view_auditevent") in granted
    assert ("parks", "view_park") in granted
    assert {codename for _app, codename in granted if not codename.startswith("view_")} == set()


@pytest.mark.django_db
def test_enterprise_users_get_no_admin_permissions():
    assert _codenames(roles.ENTERPRISE) == set()


@pytest.mark.django_db
@pytest.mark.parametrize("role", roles.ALL_ROLES)
def test_no_role_may_change_or_delete_audit_events(role):
    granted = _codenames(role)

    assert not {("core", f"{verb}_auditevent") for verb in ("add", "change", "delete")} & granted


@pytest.mark.django_db
def test_platform_admin_may_edit_the_work_calendar():
    user = UserFactory(roles=[roles.PLATFORM_ADMIN])

    assert user.has_perm("core.change_calendarday")
    assert user.has_perm("core.view_auditevent")
    assert not user.has_perm("core.change_auditevent")


@pytest.mark.django_db
def test_apps_after_core_in_installed_apps_get_their_permissions_granted_too():
    # complaints' permissions are created after core's post_migrate ran: the receiver runs again for it.
    assert ("complaints", "view_ticket") in _codenames(roles.AUDITOR)


@pytest.mark.django_db
def test_grant_role_permissions_restores_a_removed_grant():
    group = Group.objects.get(name=roles.PARK_ADMIN)
    group.permissions.remove(Permission.objects.get(content_type__app_label="parks", codename="change_department"))

    roles.grant_role_permissions(apps.get_app_config("parks"))

    assert ("parks", "change_department") in _codenames(roles.PARK_ADMIN)


def test_permissions_for_role_applies_patterns_and_the_never_granted_list():
    offered = [("core", "view_auditevent"), ("core", "delete_auditevent"), ("parks", "add_park")]

    assert roles.permissions_for_role(roles.PLATFORM_ADMIN, offered) == [
        ("core", "view_auditevent"),
        ("parks", "add_park"),
    ]
    assert roles.permissions_for_role(roles.AUDITOR, offered) == [("core", "view_auditevent")]
