import pytest
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import api_token_create, api_token_revoke
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

# The address is part of the API contract that clients rely on.
ME = "/api/v1/me/"


def token_client(raw_key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw_key}")
    return client


def test_me_with_a_token_returns_the_username_roles_and_parks(world_a):
    user = world_a.dispatcher
    _, raw_key = api_token_create(user=user, name="脚本", actor=user)
    response = token_client(raw_key).get(ME)
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == user.username
    assert body["roles"] == ["dispatcher"]
    assert [p["code"] for p in body["parks"]] == [world_a.park.code]
    assert body["department"] == world_a.dispatch.name
    assert body["all_parks"] is False


def test_me_of_an_enterprise_user_lists_the_enterprise_and_its_park(world_a):
    user = world_a.enterprise_user
    _, raw_key = api_token_create(user=user, name="脚本", actor=user)
    body = token_client(raw_key).get(ME).json()
    assert [e["credit_code"] for e in body["enterprises"]] == [world_a.enterprise.credit_code]
    assert [p["id"] for p in body["parks"]] == [world_a.park.pk]


def test_me_of_a_platform_admin_says_all_parks(platform_admin, world_a, world_b):
    client = APIClient()
    client.force_authenticate(platform_admin)
    body = client.get(ME).json()
    assert body["all_parks"] is True
    assert {p["id"] for p in body["parks"]} == {world_a.park.pk, world_b.park.pk}


def test_revoked_token_no_longer_authenticates():
    user = UserFactory()
    token, raw_key = api_token_create(user=user, name="脚本", actor=user)
    client = token_client(raw_key)
    assert client.get(ME).status_code == 200
    api_token_revoke(token=token, actor=user)
    response = client.get(ME)
    assert response.status_code == 401
    assert "error" in response.json()


def test_unknown_token_is_refused():
    response = token_client("not-a-real-token").get(ME)
    assert response.status_code == 401


def test_token_of_a_deactivated_user_is_refused():
    user = UserFactory()
    _, raw_key = api_token_create(user=user, name="脚本", actor=user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert token_client(raw_key).get(ME).status_code == 401


def test_me_without_credentials_is_refused():
    assert APIClient().get(ME).status_code in (401, 403)


def test_using_a_token_records_when_it_was_last_used():
    user = UserFactory()
    token, raw_key = api_token_create(user=user, name="脚本", actor=user)
    token_client(raw_key).get(ME)
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_me_works_with_the_session_too(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(ME).json()["username"] == user.username
