import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from core import roles
from core.scoping import enterprise_ids_for, park_ids_for
from parks import demo
from parks.models import Department, Enterprise, Park, ParkStatistic
from parks.validators import validate_credit_code

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", stdout=io.StringIO())


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.fixture
def seeded():
    seed()


def test_second_run_changes_no_row_count(seeded):
    before = row_counts()
    seed()
    assert row_counts() == before


def test_second_run_keeps_a_changed_password(seeded):
    user = get_user_model().objects.get(username="handler_yzw")
    user.set_password("Changed-2026-password")
    user.save()
    seed()
    user.refresh_from_db()
    assert user.check_password("Changed-2026-password")


def test_the_three_parks_of_the_articles_exist(seeded):
    assert set(Park.objects.values_list("code", "name")) >= {
        ("yzw", "三亚崖州湾科技城"),
        ("lx", "泸溪高新技术产业开发区"),
        ("qz", "泉州开发区"),
    }


@pytest.mark.parametrize("code", ["yzw", "lx", "qz"])
def test_each_park_has_a_dispatch_centre_a_discipline_office_and_business_departments(seeded, code):
    kinds = list(Department.objects.filter(park__code=code).values_list("kind", flat=True))
    assert kinds.count("dispatch") == 1 and kinds.count("discipline") == 1 and kinds.count("business") >= 3


def test_a_dozen_enterprises_with_valid_credit_codes(seeded):
    codes = list(Enterprise.objects.values_list("credit_code", flat=True))
    assert len(codes) >= 12
    for code in codes:
        validate_credit_code(code)


def test_luxi_statistics_are_the_articles_figures(seeded):
    statistic = ParkStatistic.objects.get(park__code="lx", year=2022, period_kind="month", period_number=7)
    assert str(statistic.revenue) == "48.75" and str(statistic.output) == "10.97"
    assert statistic.reported_growth["revenue"] == 44
    assert "湖南日报" in statistic.source


@pytest.mark.parametrize("code", ["yzw", "lx", "qz"])
def test_one_official_per_role_assigned_to_the_park(seeded, code):
    park = Park.objects.get(code=code)
    for role in [r for r in demo.ROLE_ORDER if r != roles.ENTERPRISE]:
        user = get_user_model().objects.get(username=f"{role}_{code}")
        assert roles.has_role(user, role), role
        assert park_ids_for(user) == {park.pk}, role
        assert user.check_password(demo.DEMO_PASSWORD), role


@pytest.mark.parametrize("code", ["yzw", "lx", "qz"])
def test_enterprise_user_acts_for_a_verified_enterprise_of_the_park(seeded, code):
    user = get_user_model().objects.get(username=f"enterprise_{code}")
    (enterprise_id,) = enterprise_ids_for(user)
    assert Enterprise.objects.get(pk=enterprise_id).park.code == code


def test_staff_work_in_the_matching_department(seeded):
    for role, kind in [("dispatcher", "dispatch"), ("discipline", "discipline"), ("handler", "business")]:
        user = get_user_model().objects.get(username=f"{role}_yzw")
        assert user.staff_profile.department.kind == kind, role


def test_platform_admin_sees_every_park(seeded):
    admin = get_user_model().objects.get(username="admin")
    assert roles.is_platform_admin(admin)


def test_each_park_has_a_registration_to_review(seeded):
    assert Enterprise.objects.filter(status=Enterprise.Status.PENDING).count() == 3


def test_banner_prints_address_accounts_and_password(seeded, monkeypatch, capsys):
    monkeypatch.setenv("PORT", "8123")
    call_command("demo_banner")
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8123/" in out
    assert "park_admin_yzw" in out and "enterprise_qz" in out and "admin " in out
    assert demo.DEMO_PASSWORD in out
