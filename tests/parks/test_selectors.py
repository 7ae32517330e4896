from decimal import Decimal

import pytest

from core import roles
from parks.models import Enterprise, EnterpriseMembership, ParkStatistic
from parks.selectors import (
    department_list_for,
    enterprise_list_for,
    enterprises_pending_for,
    park_admins_of,
    park_list_for,
    park_statistics_with_growth,
    public_parks,
    year_on_year,
)
from tests.accounts.factories import UserFactory
from tests.parks.factories import (
    EnterpriseFactory,
    EnterpriseMembershipFactory,
    ParkFactory,
    ParkStatisticFactory,
    StaffProfileFactory,
)

OFFICIALS = ["park_admin", "dispatcher", "handler", "discipline", "auditor"]


@pytest.mark.parametrize("who", OFFICIALS)
def test_officials_see_only_their_parks(world_a, world_b, who):
    assert list(park_list_for(getattr(world_a, who))) == [world_a.park]


@pytest.mark.parametrize("who", OFFICIALS)
def test_officials_see_only_their_parks_departments(world_a, world_b, who):
    assert {d.park_id for d in department_list_for(getattr(world_a, who))} == {world_a.park.pk}


@pytest.mark.parametrize("who", OFFICIALS)
def test_officials_see_every_enterprise_of_their_parks_and_none_of_others(world_a, world_b, who):
    pending = EnterpriseFactory(park=world_a.park, status=Enterprise.Status.PENDING)
    assert set(enterprise_list_for(getattr(world_a, who))) == {world_a.enterprise, pending}


def test_city_level_official_assigned_two_parks_sees_both(world_a, world_b):
    city = UserFactory(username="city_discipline", roles=[roles.DISCIPLINE])
    StaffProfileFactory(user=city, parks=[world_a.park, world_b.park])
    assert set(enterprise_list_for(city)) == {world_a.enterprise, world_b.enterprise}


def test_platform_admin_sees_everything(world_a, world_b, platform_admin):
    assert set(park_list_for(platform_admin)) == {world_a.park, world_b.park}
    assert set(enterprise_list_for(platform_admin)) == {world_a.enterprise, world_b.enterprise}
    assert department_list_for(platform_admin).count() == 6


def test_enterprise_user_sees_only_their_own_enterprise(world_a, world_b):
    EnterpriseFactory(park=world_a.park)  # a neighbour in the same park
    assert list(enterprise_list_for(world_a.enterprise_user)) == [world_a.enterprise]


def test_enterprise_user_sees_the_park_and_departments_of_their_enterprise(world_a, world_b):
    assert list(park_list_for(world_a.enterprise_user)) == [world_a.park]
    assert {d.park_id for d in department_list_for(world_a.enterprise_user)} == {world_a.park.pk}


def test_applicant_sees_their_pending_enterprise_but_no_park(world_a):
    enterprise = EnterpriseFactory(park=world_a.park, status=Enterprise.Status.PENDING)
    applicant = UserFactory(username="applicant", roles=[roles.ENTERPRISE])
    EnterpriseMembershipFactory(user=applicant, enterprise=enterprise, role=EnterpriseMembership.Role.ADMIN)
    assert list(enterprise_list_for(applicant)) == [enterprise]
    assert not park_list_for(applicant).exists()


def test_anonymous_sees_nothing(world_a):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not park_list_for(anonymous).exists()
    assert not department_list_for(anonymous).exists()
    assert not enterprise_list_for(anonymous).exists()


def test_user_without_role_or_profile_sees_nothing(world_a):
    nobody = UserFactory(username="nobody")
    assert not park_list_for(nobody).exists()
    assert not enterprise_list_for(nobody).exists()


def test_pending_list_is_for_park_admins_of_that_park(world_a, world_b):
    pending_a = EnterpriseFactory(park=world_a.park, status=Enterprise.Status.PENDING)
    EnterpriseFactory(park=world_b.park, status=Enterprise.Status.PENDING)
    assert list(enterprises_pending_for(world_a.park_admin)) == [pending_a]
    assert not enterprises_pending_for(world_a.dispatcher).exists()


def test_park_admins_of_a_park(world_a, world_b):
    assert list(park_admins_of(world_a.park)) == [world_a.park_admin]


def test_park_list_counts_verified_enterprises_only(world_a):
    EnterpriseFactory(park=world_a.park, status=Enterprise.Status.PENDING)
    assert park_list_for(world_a.park_admin).get().verified_enterprises == 1


def test_public_parks_leave_out_inactive_parks(world_a):
    ParkFactory(code="closed", is_active=False)
    assert list(public_parks()) == [world_a.park]


# --- year-on-year growth -------------------------------------------------------------------------------


def test_growth_is_against_the_same_period_of_the_previous_year(db):
    park = ParkFactory()
    ParkStatisticFactory(park=park, year=2021, revenue=Decimal("100"))
    ParkStatisticFactory(park=park, year=2022, revenue=Decimal("144"))
    rows = park_statistics_with_growth(park.statistics.all())
    assert [row.growth["revenue"] for row in rows] == [None, Decimal("44.0")]


def test_growth_ignores_a_different_period_of_the_previous_year(db):
    park = ParkFactory()
    ParkStatisticFactory(park=park, year=2021, revenue=100)  # the whole year 2021
    ParkStatisticFactory(park=park, year=2022, period_kind=ParkStatistic.PeriodKind.MONTH, period_number=7, revenue=50)
    rows = park_statistics_with_growth(park.statistics.all())
    assert rows[-1].growth["revenue"] is None


def test_growth_compares_month_to_date_with_the_same_months(db):
    park = ParkFactory()
    month = ParkStatistic.PeriodKind.MONTH
    ParkStatisticFactory(park=park, year=2021, period_kind=month, period_number=7, revenue=Decimal("40"))
    ParkStatisticFactory(park=park, year=2022, period_kind=month, period_number=7, revenue=Decimal("50"))
    assert park_statistics_with_growth(park.statistics.all())[-1].growth["revenue"] == Decimal("25.0")


def test_growth_is_none_when_the_figure_is_missing_either_year(db):
    park = ParkFactory()
    ParkStatisticFactory(park=park, year=2021, revenue=100, output=None)
    ParkStatisticFactory(park=park, year=2022, revenue=None, output=10)
    growth = park_statistics_with_growth(park.statistics.all())[-1].growth
    assert growth["revenue"] is None and growth["output"] is None


@pytest.mark.parametrize(
    "current,previous,expected",
    [(144, 100, Decimal("44.0")), (50, 100, Decimal("-50.0")), (1, 0, None), (None, 1, None), (2, 3, Decimal("-33.3"))],
)
def test_year_on_year(current, previous, expected):
    assert year_on_year(current, previous) == expected


def test_published_growth_is_shown_when_the_previous_year_is_not_recorded(db):
    park = ParkFactory()
    ParkStatisticFactory(park=park, year=2022, revenue=Decimal("48.75"), reported_growth={"revenue": 44})
    (row,) = park_statistics_with_growth(park.statistics.all())
    revenue = next(cell for cell in row.cells() if cell["name"] == "revenue")
    assert revenue["growth"] == Decimal("44") and revenue["reported"] is True


def test_computed_growth_wins_over_the_published_one(db):
    park = ParkFactory()
    ParkStatisticFactory(park=park, year=2021, revenue=100)
    ParkStatisticFactory(park=park, year=2022, revenue=150, reported_growth={"revenue": 44})
    row = park_statistics_with_growth(park.statistics.all())[-1]
    revenue = next(cell for cell in row.cells() if cell["name"] == "revenue")
    assert revenue["growth"] == Decimal("50.0") and revenue["reported"] is False


def test_public_departments_put_the_dispatch_centre_first(world_a):
    from parks.selectors import public_departments

    kinds = [d.kind for d in public_departments(world_a.park)]
    assert kinds == ["dispatch", "discipline", "business"]
