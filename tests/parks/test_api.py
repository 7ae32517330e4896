import pytest
from rest_framework.test import APIClient

from core.models import AuditEvent
from parks.models import Enterprise
from tests.parks.factories import DepartmentFactory, EnterpriseFactory, ParkStatisticFactory

OFFICIALS = ["park_admin", "dispatcher", "handler", "discipline", "auditor"]
LISTS = ["/api/v1/parks/", "/api/v1/departments/", "/api/v1/enterprises/"]


@pytest.fixture
def api():
    return APIClient()


def signed_in(api, user):
    api.force_authenticate(user)
    return api


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def detail_targets(world):
    return {
        "/api/v1/parks/": world.park.pk,
        "/api/v1/departments/": world.business.pk,
        "/api/v1/enterprises/": world.enterprise.pk,
    }


# --- scoping: role × endpoint ------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", LISTS)
@pytest.mark.parametrize("who", OFFICIALS)
def test_official_lists_contain_nothing_of_another_park(api, world_a, world_b, who, endpoint):
    found = ids(signed_in(api, getattr(world_a, who)).get(endpoint))
    assert detail_targets(world_a)[endpoint] in found
    assert detail_targets(world_b)[endpoint] not in found


@pytest.mark.parametrize("endpoint", LISTS)
@pytest.mark.parametrize("who", OFFICIALS)
def test_another_parks_records_are_404_for_officials(api, world_a, world_b, who, endpoint):
    response = signed_in(api, getattr(world_a, who)).get(f"{endpoint}{detail_targets(world_b)[endpoint]}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("endpoint", LISTS)
@pytest.mark.parametrize("who", OFFICIALS)
def test_own_parks_records_are_readable_by_officials(api, world_a, who, endpoint):
    response = signed_in(api, getattr(world_a, who)).get(f"{endpoint}{detail_targets(world_a)[endpoint]}/")
    assert response.status_code == 200


@pytest.mark.parametrize("endpoint", LISTS)
def test_platform_admin_sees_both_parks(api, world_a, world_b, platform_admin, endpoint):
    found = ids(signed_in(api, platform_admin).get(endpoint))
    assert {detail_targets(world_a)[endpoint], detail_targets(world_b)[endpoint]} <= found


def test_enterprise_user_lists_only_their_enterprise(api, world_a, world_b):
    neighbour = EnterpriseFactory(park=world_a.park)
    found = ids(signed_in(api, world_a.enterprise_user).get("/api/v1/enterprises/"))
    assert found == {world_a.enterprise.pk}
    assert neighbour.pk not in found


def test_enterprise_user_gets_404_for_a_neighbour(api, world_a):
    neighbour = EnterpriseFactory(park=world_a.park)
    response = signed_in(api, world_a.enterprise_user).get(f"/api/v1/enterprises/{neighbour.pk}/")
    assert response.status_code == 404


@pytest.mark.parametrize("endpoint", LISTS)
def test_anonymous_requests_are_refused_with_json(api, world_a, endpoint):
    response = api.get(endpoint)
    assert response.status_code in (401, 403)
    assert response.json()["error"]["message"]


# --- filters -------------------------------------------------------------------------------------------


def test_enterprises_filter_by_status(api, world_a):
    pending = EnterpriseFactory(park=world_a.park, status=Enterprise.Status.PENDING)
    assert ids(signed_in(api, world_a.park_admin).get("/api/v1/enterprises/", {"status": "pending"})) == {pending.pk}


def test_enterprises_filter_by_industry(api, world_a):
    seed = EnterpriseFactory(park=world_a.park, industry="南繁种业")
    assert ids(signed_in(api, world_a.park_admin).get("/api/v1/enterprises/", {"industry": "种业"})) == {seed.pk}


def test_enterprises_search_by_name_or_credit_code(api, world_a):
    client = signed_in(api, world_a.park_admin)
    target = world_a.enterprise
    assert ids(client.get("/api/v1/enterprises/", {"search": target.name[:3]})) == {target.pk}
    assert ids(client.get("/api/v1/enterprises/", {"search": target.credit_code.lower()})) == {target.pk}


def test_filtering_by_another_park_is_refused(api, world_a, world_b):
    response = signed_in(api, world_a.park_admin).get("/api/v1/enterprises/", {"park": world_b.park.pk})
    assert response.status_code == 400


def test_departments_filter_by_kind(api, world_a):
    found = ids(signed_in(api, world_a.dispatcher).get("/api/v1/departments/", {"kind": "dispatch"}))
    assert found == {world_a.dispatch.pk}


def test_parks_carry_statistics_with_growth(api, world_a):
    ParkStatisticFactory(park=world_a.park, year=2021, revenue=100)
    ParkStatisticFactory(park=world_a.park, year=2022, revenue=150)
    park = signed_in(api, world_a.dispatcher).get(f"/api/v1/parks/{world_a.park.pk}/").json()
    assert [s["growth"]["revenue"] for s in park["statistics"]] == [None, 50.0]
    assert park["verified_enterprises"] == 1


def test_lists_are_paginated(api, world_a):
    for _ in range(3):
        EnterpriseFactory(park=world_a.park)
    body = signed_in(api, world_a.park_admin).get("/api/v1/enterprises/", {"page_size": 2}).json()
    assert body["count"] == 4 and len(body["results"]) == 2 and body["next"]


# --- query-count pins ----------------------------------------------------------------------------------


def test_enterprise_list_query_count_is_flat(api, world_a, django_assert_max_num_queries):
    for _ in range(40):
        EnterpriseFactory(park=world_a.park)
    client = signed_in(api, world_a.park_admin)
    with django_assert_max_num_queries(5):
        client.get("/api/v1/enterprises/", {"page_size": 50})


def test_department_list_query_count_is_flat(api, world_a, django_assert_max_num_queries):
    for _ in range(30):
        DepartmentFactory(park=world_a.park, head=world_a.handler)
    client = signed_in(api, world_a.park_admin)
    with django_assert_max_num_queries(4):
        client.get("/api/v1/departments/", {"page_size": 50})


def test_park_list_query_count_is_flat(api, platform_admin, django_assert_max_num_queries):
    from tests.parks.factories import ParkFactory

    for n in range(15):
        ParkStatisticFactory(park=ParkFactory(code=f"q{n}"), year=2022)
    client = signed_in(api, platform_admin)
    with django_assert_max_num_queries(5):
        client.get("/api/v1/parks/")


# --- review transitions --------------------------------------------------------------------------------


@pytest.fixture
def pending(world_a):
    return EnterpriseFactory(park=world_a.park, status=Enterprise.Status.PENDING)


def test_park_admin_verifies_through_the_api(api, world_a, pending):
    response = signed_in(api, world_a.park_admin).post(f"/api/v1/enterprises/{pending.pk}/verify/")
    assert response.status_code == 200
    assert response.json()["status"] == "verified"
    assert AuditEvent.objects.filter(action="enterprise.verified", target_id=str(pending.pk)).count() == 1


def test_park_admin_rejects_through_the_api_with_a_reason(api, world_a, pending):
    response = signed_in(api, world_a.park_admin).post(
        f"/api/v1/enterprises/{pending.pk}/reject/", {"reason": "执照已注销"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["rejection_reason"] == "执照已注销"
    assert AuditEvent.objects.filter(action="enterprise.rejected", target_id=str(pending.pk)).count() == 1


def test_reject_without_reason_is_a_400_naming_the_field(api, world_a, pending):
    response = signed_in(api, world_a.park_admin).post(f"/api/v1/enterprises/{pending.pk}/reject/", {}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()["error"]["fields"]


@pytest.mark.parametrize("who", ["dispatcher", "handler", "discipline", "auditor"])
def test_officials_who_are_not_park_admins_get_403(api, world_a, pending, who):
    response = signed_in(api, getattr(world_a, who)).post(f"/api/v1/enterprises/{pending.pk}/verify/")
    assert response.status_code == 403
    assert response.json()["error"]["message"]
    assert not AuditEvent.objects.filter(action="enterprise.verified").exists()


def test_other_parks_admin_gets_404_on_verify(api, world_b, pending):
    assert signed_in(api, world_b.park_admin).post(f"/api/v1/enterprises/{pending.pk}/verify/").status_code == 404


def test_verifying_twice_is_a_409(api, world_a, pending):
    client = signed_in(api, world_a.park_admin)
    client.post(f"/api/v1/enterprises/{pending.pk}/verify/")
    response = client.post(f"/api/v1/enterprises/{pending.pk}/verify/")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "transition_not_allowed"


def test_enterprises_are_read_only(api, world_a):
    client = signed_in(api, world_a.park_admin)
    assert client.post("/api/v1/enterprises/", {"name": "x"}, format="json").status_code == 405
    assert client.delete(f"/api/v1/enterprises/{world_a.enterprise.pk}/").status_code == 405


# --- OpenAPI schema --------------------------------------------------------------------------------------


def test_openapi_schema_of_the_parks_endpoints_has_no_warning(db):
    from django.urls import include, path
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    generator = SchemaGenerator(patterns=[path("api/v1/", include("parks.api.urls"))])
    schema = generator.get_schema(request=None, public=True)
    validate_schema(schema)
    assert not GENERATOR_STATS, dict(GENERATOR_STATS._warn_cache) | dict(GENERATOR_STATS._error_cache)
    assert {"/api/v1/parks/", "/api/v1/enterprises/{id}/verify/", "/api/v1/enterprises/{id}/reject/"} <= set(
        schema["paths"]
    )
