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


@pytest.fixture
def fast_sealing(monkeypatch):
    """Sealing tests: a cheap scrypt cost (stored with each key, so it changes nothing else) and RSA keys drawn
    in turn from a pool of 8 real keys generated once per process (distinct within any one test)."""
    from procurement import sealing

    monkeypatch.setattr(sealing, "SCRYPT_PARAMS", {"n": 2**10, "r": 8, "p": 1})
    if not _KEY_POOL:
        _KEY_POOL.extend(sealing.rsa.generate_private_key(public_exponent=65537, key_size=3072) for _ in range(8))
    counter = iter(range(10**6))
    monkeypatch.setattr(sealing, "generate_rsa_key", lambda: _KEY_POOL[next(counter) % len(_KEY_POOL)])


_KEY_POOL = []


@pytest.fixture(autouse=True)
def _english(settings):
    """Procurement's tests assert the English source texts: run them in English (the catalogue's Chinese is
    checked by tests/test_translations.py; pages in zh-hans are covered by the tests that switch language)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
