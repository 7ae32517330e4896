import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import ApiToken, hash_token
from accounts.services import api_token_create
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass-12345-word"  # the factory's


@pytest.fixture
def en_client():
    """A browser that asks for English, so assertions do not depend on the compiled catalogues."""
    return Client(headers={"accept-language": "en"})


def sign_in(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_page_shows_the_form(en_client):
    response = en_client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'name="password"' in response.content


def test_login_with_the_right_password_lands_on_the_home_page(en_client):
    user = UserFactory()
    response = sign_in(en_client, user.username, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


def test_login_with_a_wrong_password_shows_an_error(en_client):
    user = UserFactory()
    response = sign_in(en_client, user.username, "wrong")
    assert response.status_code == 200
    assert b"The username or password is not correct" in response.content
    assert "_auth_user_id" not in en_client.session


def test_signed_in_user_visiting_login_goes_to_the_home_page(client):
    client.force_login(UserFactory())
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


def test_repeated_failed_logins_lock_the_account_even_with_the_right_password(en_client):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(en_client, user.username, "wrong")
    response = sign_in(en_client, user.username, PASSWORD)
    assert response.status_code == 429
    assert b"Account locked" in response.content
    assert b'id="locked-out"' in response.content
    assert "_auth_user_id" not in en_client.session


def test_the_failure_that_reaches_the_limit_already_shows_the_lockout_page(en_client):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(en_client, user.username, "wrong").status_code == 200
    response = sign_in(en_client, user.username, "wrong")
    assert response.status_code == 429
    assert b"Account locked" in response.content


def test_lockout_page_is_in_chinese_by_default(client, compiled_catalogues):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, user.username, "wrong")
    response = sign_in(client, user.username, PASSWORD)
    assert "账号已锁定" in response.content.decode()


def test_lockout_of_one_account_leaves_others_able_to_sign_in(en_client):
    locked, other = UserFactory(), UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(en_client, locked.username, "wrong")
    assert sign_in(en_client, other.username, PASSWORD).status_code == 302


def test_logout_by_get_is_not_allowed(client):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session


def test_logout_by_post_signs_out(client):
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change_keeps_the_session_and_the_new_password_works(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": "Qinglian-2025-new", "new_password2": "Qinglian-2025-new"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-change-done")
    assert client.get(reverse("accounts:profile")).status_code == 200
    user.refresh_from_db()
    assert user.check_password("Qinglian-2025-new")


def test_password_change_with_a_wrong_old_password_is_refused(en_client):
    user = UserFactory()
    en_client.force_login(user)
    response = en_client.post(
        reverse("accounts:password-change"),
        {"old_password": "wrong", "new_password1": "Qinglian-2025-new", "new_password2": "Qinglian-2025-new"},
    )
    assert response.status_code == 200
    assert b"is-invalid" in response.content
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_profile_requires_sign_in(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_profile_of_an_official_shows_roles_parks_and_department(en_client, world_a):
    en_client.force_login(world_a.handler)
    content = en_client.get(reverse("accounts:profile")).content.decode()
    assert "Handler" in content
    assert world_a.park.name in content
    assert world_a.business.name in content


def test_profile_of_an_enterprise_user_shows_the_enterprise_and_its_status(en_client, world_a):
    en_client.force_login(world_a.enterprise_user)
    content = en_client.get(reverse("accounts:profile")).content.decode()
    assert world_a.enterprise.name in content
    assert world_a.enterprise.credit_code in content
    assert world_a.enterprise.get_status_display() in content


def test_token_created_on_the_profile_page_is_shown_once(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:token-create"), {"name": "数据同步"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    raw_key = response.context["new_key"]
    token = ApiToken.objects.get(user=user)
    assert token.key_hash == hash_token(raw_key)
    assert raw_key in response.content.decode()
    assert raw_key not in client.get(reverse("accounts:profile")).content.decode()


def test_token_without_a_name_is_not_created(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:token-create"), {"name": ""})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_token_with_a_duplicate_name_shows_the_error_on_the_form(en_client):
    user = UserFactory()
    api_token_create(user=user, name="数据同步", actor=user)
    en_client.force_login(user)
    response = en_client.post(reverse("accounts:token-create"), {"name": "数据同步"})
    assert response.status_code == 409
    assert "You already have an active token named" in response.content.decode()


def test_tokens_are_listed_with_name_and_prefix(client):
    user = UserFactory()
    token, _ = api_token_create(user=user, name="报表导出", actor=user)
    client.force_login(user)
    content = client.get(reverse("accounts:profile")).content.decode()
    assert "报表导出" in content
    assert token.prefix in content


def test_token_revoke_by_post_revokes_it(client):
    user = UserFactory()
    token, _ = api_token_create(user=user, name="报表导出", actor=user)
    client.force_login(user)
    response = client.post(reverse("accounts:token-revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_token_revoke_by_get_is_not_allowed(client):
    user = UserFactory()
    token, _ = api_token_create(user=user, name="报表导出", actor=user)
    client.force_login(user)
    assert client.get(reverse("accounts:token-revoke", args=[token.pk])).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_of_another_user_cannot_be_revoked(client):
    owner = UserFactory()
    token, _ = api_token_create(user=owner, name="报表导出", actor=owner)
    client.force_login(UserFactory())
    assert client.post(reverse("accounts:token-revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
