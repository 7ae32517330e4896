"""Token authentication for the REST API: ``Authorization: Token <key>`` with a personal, revocable token."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from accounts.models import ApiToken, hash_token


class ApiTokenAuthentication(authentication.TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key):
        token = (
            ApiToken.objects.select_related("user").filter(key_hash=hash_token(key), revoked_at__isnull=True).first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked API token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This account is disabled."))
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            # Bounded write rate: at most once a minute per token.
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
