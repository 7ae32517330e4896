"""Shared fixtures: two parks with their departments, and one user per role in park A (DESIGN §1)."""

from types import SimpleNamespace

import pytest

from core import roles
from parks.models import Department
from tests.accounts.factories import UserFactory
from tests.parks.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    EnterpriseMembershipFactory,
    ParkFactory,
    StaffProfileFactory,
)


def make_official(*, park, role, department=None, username=None):
    user = UserFactory(username=username or f"{role}_{park.code}".lower(), roles=[role])
    StaffProfileFactory(user=user, parks=[park], department=department)
    return user


def build_park_world(code, name):
    park = ParkFactory(code=code, name=name)
    dispatch = DepartmentFactory(park=park, name=f"{name}统一受理中心", kind=Department.Kind.DISPATCH)
    discipline = DepartmentFactory(park=park, name=f"{name}纪工委", kind=Department.Kind.DISCIPLINE)
    business = DepartmentFactory(park=park, name=f"{name}企业服务局", kind=Department.Kind.BUSINESS)
    enterprise = EnterpriseFactory(park=park, name=f"{name}示范企业有限公司")
    enterprise_user = UserFactory(username=f"enterprise_{code}".lower(), roles=[roles.ENTERPRISE])
    EnterpriseMembershipFactory(user=enterprise_user, enterprise=enterprise)
    return SimpleNamespace(
        park=park,
        dispatch=dispatch,
        discipline_dept=discipline,
        business=business,
        enterprise=enterprise,
        park_admin=make_official(park=park, role=roles.PARK_ADMIN),
        dispatcher=make_official(park=park, role=roles.DISPATCHER, department=dispatch),
        handler=make_official(park=park, role=roles.HANDLER, department=business),
        discipline=make_official(park=park, role=roles.DISCIPLINE, department=discipline),
        auditor=make_official(park=park, role=roles.AUDITOR),
        enterprise_user=enterprise_user,
    )


@pytest.fixture
def world_a(db):
    """Park A with a dispatch centre, a discipline office, a business department, one verified enterprise
    and one user per role."""
    return build_park_world("PA", "甲园区")


@pytest.fixture
def world_b(db):
    """Park B, built the same way: for proving that park-A users see nothing of it."""
    return build_park_world("PB", "乙园区")


@pytest.fixture
def platform_admin(db):
    return UserFactory(username="platform_admin", roles=[roles.PLATFORM_ADMIN])
