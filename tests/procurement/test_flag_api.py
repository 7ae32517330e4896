"""/api/v1/procurement/red-flags/ and flag-settings/: scoped like the pages (a role matrix), filtered with the
list page's FilterSet, evidence redacted as on the page, confirm / dismiss as POST actions, a warning-free
schema, constant query counts."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from core import roles
from procurement.choices import FlagKind, FlagStatus
from procurement.services.flags import flags_compute
from tests.conftest import make_official
from tests.integrity.factories_risk import default_matrix
from tests.procurement.factories import FlagSettingsFactory
from tests.procurement.factories_flags import RedFlagFactory, opened_tender
from tests.procurement.test_redflags import declare_interest

BASE = "/api/v1/procurement/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def data(world_a, world_b):
    tender, (a, _b) = opened_tender(world_a.park, prices=[1, 2], buyer_department=world_a.business)
    declare_interest(world_a, world_a.handler, a.supplier.enterprise)
    (interest,) = flags_compute(tender_id=tender.pk, trigger="opening")
    other = RedFlagFactory(tender__park=world_b.park)
    return {"interest": interest, "other": other}


COUNTS = {
    "discipline": 1,
    "park_admin": 1,
    "procurement": 1,
    "auditor": 1,
    "platform_admin": 2,
    "handler": 0,
    "enterprise": 0,
    "expert": 0,
}


def user_for(who, world_a, platform_admin):
    if who == "procurement":
        return make_official(park=world_a.park, role=roles.PROCUREMENT)
    if who == "expert":
        return make_official(park=world_a.park, role=roles.EXPERT, username="expert_api")
    if who == "platform_admin":
        return platform_admin
    if who == "enterprise":
        return world_a.enterprise_user
    return getattr(world_a, who)


@pytest.mark.parametrize("who", list(COUNTS))
def test_each_role_sees_exactly_its_scope(api, world_a, platform_admin, data, who):
    api.force_authenticate(user_for(who, world_a, platform_admin))

    response = api.get(BASE + "red-flags/")

    assert response.status_code == 200
    assert response.json()["count"] == COUNTS[who]


def test_the_public_gets_nothing(api, data):
    assert api.get(BASE + "red-flags/").status_code in (401, 403)


def test_a_flag_of_another_park_is_a_404(api, world_a, data):
    api.force_authenticate(world_a.discipline)

    assert api.get(f"{BASE}red-flags/{data['other'].pk}/").status_code == 404


def test_discipline_officers_read_the_restricted_evidence(api, world_a, data):
    api.force_authenticate(world_a.discipline)

    evidence = api.get(f"{BASE}red-flags/{data['interest'].pk}/").json()["evidence"]

    assert evidence["official"] == data["interest"].evidence["official"]
    assert "restricted" not in evidence


@pytest.mark.parametrize("who", ["park_admin", "procurement", "auditor"])
def test_others_get_the_evidence_redacted(api, world_a, platform_admin, data, who):
    api.force_authenticate(user_for(who, world_a, platform_admin))

    body = api.get(f"{BASE}red-flags/{data['interest'].pk}/").json()

    assert body["evidence"]["redacted"] is True
    assert "official" not in body["evidence"] and "credit_code" not in body["evidence"]
    assert data["interest"].evidence["official"] not in str(body)


def test_the_filters_of_the_page_apply(api, world_a, data):
    RedFlagFactory(tender__park=world_a.park, kind=FlagKind.RELATED_BIDDERS, status=FlagStatus.DISMISSED)
    api.force_authenticate(world_a.discipline)

    assert api.get(BASE + "red-flags/", {"blocking": "true"}).json()["count"] == 1
    assert api.get(BASE + "red-flags/", {"status": "open"}).json()["count"] == 1
    assert api.get(BASE + "red-flags/", {"kind": "declared_interest"}).json()["count"] == 1


def test_a_discipline_officer_confirms_through_the_api(api, world_a, data):
    default_matrix()
    api.force_authenticate(world_a.discipline)

    response = api.post(f"{BASE}red-flags/{data['interest'].pk}/confirm/", {"note": "已核实"}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "confirmed" and response.json()["risk"] is not None


def test_dismissing_without_a_reason_is_a_400(api, world_a, data):
    api.force_authenticate(world_a.discipline)

    assert api.post(f"{BASE}red-flags/{data['interest'].pk}/dismiss/", {}, format="json").status_code == 400


def test_dismissing_with_a_reason(api, world_a, data):
    api.force_authenticate(world_a.discipline)

    response = api.post(f"{BASE}red-flags/{data['interest'].pk}/dismiss/", {"reason": "已退出"}, format="json")

    assert response.status_code == 200 and response.json()["status"] == "dismissed"


def test_a_park_admin_deciding_is_a_403(api, world_a, data):
    api.force_authenticate(world_a.park_admin)

    response = api.post(f"{BASE}red-flags/{data['interest'].pk}/dismiss/", {"reason": "不需要"}, format="json")

    assert response.status_code == 403


def test_deciding_twice_is_a_409(api, world_a, data):
    api.force_authenticate(world_a.discipline)
    api.post(f"{BASE}red-flags/{data['interest'].pk}/dismiss/", {"reason": "已退出"}, format="json")

    assert (
        api.post(f"{BASE}red-flags/{data['interest'].pk}/dismiss/", {"reason": "再次"}, format="json").status_code
        == 409
    )


def test_the_thresholds_in_force_are_read_per_park(api, world_a, world_b):
    FlagSettingsFactory(park=world_a.park, near_budget_ratio=Decimal("0.9500"))
    api.force_authenticate(world_a.discipline)

    rows = api.get(BASE + "flag-settings/").json()

    assert [(r["park"], r["near_budget_ratio"], r["is_park_specific"]) for r in rows] == [
        (world_a.park.pk, "0.9500", True)
    ]
    assert api.get(f"{BASE}flag-settings/{world_b.park.pk}/").status_code == 404


def test_a_park_without_its_own_thresholds_reads_the_default(api, world_a):
    api.force_authenticate(world_a.auditor)

    row = api.get(f"{BASE}flag-settings/{world_a.park.pk}/").json()

    assert (row["near_budget_ratio"], row["is_park_specific"]) == ("0.9800", False)


def test_enterprise_users_read_no_thresholds(api, world_a):
    api.force_authenticate(world_a.enterprise_user)

    assert api.get(BASE + "flag-settings/").json() == []


def test_the_list_runs_a_constant_number_of_queries(api, world_a, django_assert_max_num_queries):
    for _ in range(12):
        RedFlagFactory(tender__park=world_a.park)
    api.force_authenticate(world_a.discipline)

    with django_assert_max_num_queries(10):
        assert api.get(BASE + "red-flags/").json()["count"] == 12


def test_the_schema_of_these_endpoints_has_no_warnings(tmp_path, capsys):
    # The whole schema's warning-free check lives with every app's API tests; this one names this module's own.
    call_command("spectacular", "--validate", "--file", str(tmp_path / "schema.yaml"))

    warnings = [line for line in capsys.readouterr().err.splitlines() if "Warning" in line]
    assert not [line for line in warnings if "api/flags.py" in line or "RedFlag" in line or "FlagSettings" in line]
    text = (tmp_path / "schema.yaml").read_text()
    assert "/api/v1/procurement/red-flags/{id}/confirm/" in text and "RedFlagKindEnum" in text
