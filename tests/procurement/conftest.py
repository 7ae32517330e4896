"""Procurement fixtures: park A's world plus a procurement officer, and approved suppliers."""

import pytest

from core import roles
from tests.accounts.factories import UserFactory
from tests.conftest import make_official
from tests.parks.factories import EnterpriseFactory, EnterpriseMembershipFactory
from tests.procurement.factories import QualificationFactory, SupplierFactory


def make_supplier(park, name, *, username=None, **enterprise_fields):
    """An approved supplier in `park` with a valid qualification and one enterprise user; returns
    (supplier, user)."""
    enterprise = EnterpriseFactory(park=park, name=name, **enterprise_fields)
    user = UserFactory(username=username or f"supplier_{enterprise.pk}", roles=[roles.ENTERPRISE])
    EnterpriseMembershipFactory(user=user, enterprise=enterprise)
    supplier = SupplierFactory(park=park, enterprise=enterprise)
    QualificationFactory(supplier=supplier)
    return supplier, user


@pytest.fixture
def procurement_officer(world_a):
    return make_official(park=world_a.park, role=roles.PROCUREMENT, department=world_a.business)


@pytest.fixture
def suppliers_a(world_a):
    """Three approved suppliers of park A, each with one user: a list of (supplier, user)."""
    return [make_supplier(world_a.park, f"甲园区供应商{n}有限公司") for n in (1, 2, 3)]
