import pytest

from accounts.models import ApiToken, hash_token
from accounts.services import MAX_ACTIVE_TOKENS, api_token_create, api_token_revoke, user_password_change
from core.audit import events_for
from core.errors import Conflict, DomainError, PermissionDenied
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_token_create_stores_only_the_hash_of_the_returned_key():
    user = UserFactory()
    token, raw_key = api_token_create(user=user, name="统计导出脚本", actor=user)
    token.refresh_from_db()
    assert token.key_hash == hash_token(raw_key)
    assert raw_key not in {token.key_hash, token.name, token.prefix}
    assert token.prefix == raw_key[:8]
    assert len(raw_key) >= 40


def test_token_create_records_an_audit_event_without_the_key():
    user = UserFactory()
    token, raw_key = api_token_create(user=user, name="报表", actor=user)
    (event,) = events_for(token)
    assert event.action == "api_token.created"
    assert event.actor_id == user.pk
    assert event.data["after"]["prefix"] == token.prefix
    assert raw_key not in str(event.data)


def test_token_create_for_another_user_is_refused():
    owner, other = UserFactory(), UserFactory()
    with pytest.raises(PermissionDenied):
        api_token_create(user=owner, name="x", actor=other)
    assert not ApiToken.objects.exists()


def test_token_create_without_a_name_is_refused():
    user = UserFactory()
    with pytest.raises(DomainError) as excinfo:
        api_token_create(user=user, name="   ", actor=user)
    assert excinfo.value.field == "name"


def test_token_create_with_the_name_of_an_active_token_is_refused():
    user = UserFactory()
    api_token_create(user=user, name="同步", actor=user)
    with pytest.raises(Conflict):
        api_token_create(user=user, name="同步", actor=user)


def test_token_name_of_a_revoked_token_can_be_used_again():
    user = UserFactory()
    token, _ = api_token_create(user=user, name="同步", actor=user)
    api_token_revoke(token=token, actor=user)
    new_token, _ = api_token_create(user=user, name="同步", actor=user)
    assert new_token.pk != token.pk


def test_token_create_beyond_the_active_limit_is_refused():
    user = UserFactory()
    for i in range(MAX_ACTIVE_TOKENS):
        api_token_create(user=user, name=f"t{i}", actor=user)
    with pytest.raises(Conflict) as excinfo:
        api_token_create(user=user, name="one more", actor=user)
    assert excinfo.value.code == "too_many_tokens"


def test_token_revoke_sets_revoked_at_and_records_an_audit_event():
    user = UserFactory()
    token, _ = api_token_create(user=user, name="报表", actor=user)
    api_token_revoke(token=token, actor=user)
    token.refresh_from_db()
    assert token.revoked_at is not None
    events = list(events_for(token))
    assert [e.action for e in events] == ["api_token.created", "api_token.revoked"]
    assert events[1].data["before"] == {"revoked_at": None}


def test_token_revoke_by_someone_else_is_refused(platform_admin):
    owner = UserFactory()
    token, _ = api_token_create(user=owner, name="报表", actor=owner)
    with pytest.raises(PermissionDenied):
        api_token_revoke(token=token, actor=platform_admin)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_revoke_twice_is_a_conflict():
    user = UserFactory()
    token, _ = api_token_create(user=user, name="报表", actor=user)
    api_token_revoke(token=token, actor=user)
    with pytest.raises(Conflict):
        api_token_revoke(token=token, actor=user)


def test_password_change_sets_the_password_and_records_an_audit_event_without_it():
    user = UserFactory()
    user_password_change(user=user, new_password="Qinglian-2025-new", actor=user)
    user.refresh_from_db()
    assert user.check_password("Qinglian-2025-new")
    (event,) = events_for(user)
    assert event.action == "user.password_changed"
    assert "Qinglian" not in str(event.data)


def test_password_change_rejects_a_weak_password():
    user = UserFactory()
    with pytest.raises(DomainError) as excinfo:
        user_password_change(user=user, new_password="123", actor=user)
    assert excinfo.value.field == "new_password1"
    user.refresh_from_db()
    assert user.check_password("pass-12345-word")


def test_password_change_for_someone_else_is_refused(platform_admin):
    user = UserFactory()
    with pytest.raises(PermissionDenied):
        user_password_change(user=user, new_password="Qinglian-2025-new", actor=platform_admin)
