"""State changes of accounts/: personal API tokens and password changes."""

import secrets

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, User, hash_token
from core.audit import record_event
from core.errors import Conflict, DomainError, PermissionDenied

# A person needs a handful of tokens (one per script or integration); a cap keeps a leaked session from
# minting tokens without bound.
MAX_ACTIVE_TOKENS = 20
TOKEN_BYTES = 32
PREFIX_LENGTH = 8


def api_token_create(*, user, name, actor):
    """Create a named personal API token for `user` and return ``(token, raw_key)``.

    Only the user themself may create their tokens (refused for anyone else, also administrators: a token
    acts as its owner). Refuses an empty name, a name already used by one of the user's active tokens, and
    more than `MAX_ACTIVE_TOKENS` active tokens. Only the SHA-256 of the key is stored; the raw key is
    returned once, to be shown once. Records ``api_token.created`` (name and prefix, never the key).
    """
    if actor is None or actor.pk != user.pk:
        raise PermissionDenied(_("You can only create API tokens for your own account."))
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the token a name, e.g. the script that will use it."), code="required", field="name")
    if len(name) > ApiToken._meta.get_field("name").max_length:
        raise DomainError(_("The token name is too long."), code="max_length", field="name")
    with transaction.atomic():
        # Locking the owner serialises concurrent creations, so the checks below cannot be raced.
        User.objects.select_for_update().only("pk").get(pk=user.pk)
        active = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
        if active.filter(name=name).exists():
            raise Conflict(
                _("You already have an active token named “%(name)s”.") % {"name": name},
                code="duplicate_name",
                field="name",
            )
        if active.count() >= MAX_ACTIVE_TOKENS:
            raise Conflict(
                _("You have %(count)d active tokens, the most allowed. Revoke one you no longer use first.")
                % {"count": MAX_ACTIVE_TOKENS},
                code="too_many_tokens",
            )
        raw_key = secrets.token_urlsafe(TOKEN_BYTES)
        token = ApiToken.objects.create(
            user=user, name=name, prefix=raw_key[:PREFIX_LENGTH], key_hash=hash_token(raw_key)
        )
        record_event(
            action="api_token.created",
            target=token,
            actor=actor,
            data={"after": {"name": token.name, "prefix": token.prefix, "user": user.pk}},
        )
    return token, raw_key


def api_token_revoke(*, token, actor):
    """Revoke one of the actor's own API tokens; from then on it no longer authenticates.

    Refused for anyone but the token's owner, and for a token already revoked. Records
    ``api_token.revoked``.
    """
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if actor is None or token.user_id != actor.pk:
            raise PermissionDenied(_("Only the owner of a token can revoke it."))
        if token.revoked_at is not None:
            raise Conflict(_("This token is already revoked."), code="already_revoked")
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(
            action="api_token.revoked",
            target=token,
            actor=actor,
            data={
                "name": token.name,
                "prefix": token.prefix,
                "before": {"revoked_at": None},
                "after": {"revoked_at": token.revoked_at},
            },
        )
    return token


def user_password_change(*, user, new_password, actor):
    """Set a new password for the signed-in user (the form has already checked the old one).

    Only the user themself may do this here (administrators reset passwords in the admin). Refuses a
    password the configured validators reject. Records ``user.password_changed`` with no password data.
    """
    if actor is None or actor.pk != user.pk:
        raise PermissionDenied(_("You can only change your own password."))
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), code="password_invalid", field="new_password1") from exc
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.set_password(new_password)
        locked.save(update_fields=["password"])
        record_event(action="user.password_changed", target=locked, actor=actor, data={})
    # The caller keeps the session valid with the new hash (update_session_auth_hash).
    user.password = locked.password
    return user
