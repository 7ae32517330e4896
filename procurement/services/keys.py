"""Discipline officers' opening keys (`OfficerKey`): set-up, password change, replacement after a lost password.

See docs/sealed-bids.md. Choices where the issue is silent:

- The key is set up (or checked) when a discipline officer signs in with their password, and on the
  "My opening key" page. Either way the service first checks that the password is the account's current one, so
  a stolen session alone cannot create or replace a key.
- When the key no longer unlocks with the current password (an administrator reset it, or it was changed
  outside the portal's password page), the key is *not* replaced silently at sign-in: the officer is told, and
  on the page either types their previous password (the key is re-encrypted, nothing lost) or replaces the key
  explicitly — which loses their shares of the tenders already published (other officers' shares still open
  them).
- Shares are handed out at publication, so an officer who sets up a key later co-signs only tenders published
  after that.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import record_event
from core.errors import DomainError, PermissionDenied
from procurement import sealing
from procurement.models import OfficerKey, TenderKeyShare
from procurement.selectors.bids import officer_park_ids


def _check_account_password(user, password):
    if not password or not user.check_password(password):
        raise DomainError(_("This is not your current password."), code="wrong_password", field="password")


def _require_officer(user):
    if not officer_park_ids(user):
        raise PermissionDenied(_("Only discipline officers assigned to a park hold an opening key."))


def officer_key_status(*, user, password):
    """ "missing", "ok" or "locked" (exists but does not unlock with `password`). Reads only."""
    key = OfficerKey.objects.filter(user=user).first()
    if key is None:
        return "missing"
    try:
        sealing.officer_private_key(key, password)
    except sealing.SealingError:
        return "locked"
    return "ok"


def officer_key_ensure(*, user, password, now=None):
    """Create `user`'s opening key under `password`, or check that the existing one unlocks with it; returns the
    `OfficerKey`.

    Called at a discipline officer's sign-in and from the "My opening key" page; the user acts for themself.
    Refuses anyone who is not a discipline officer of a park (PermissionDenied), a password that is not the
    account's current one, and (SealingError, code ``key_locked``) an existing key that the password does not
    unlock — see `officer_key_recover` and `officer_key_replace`. Records ``officer_key.created`` (with the
    fingerprint; never key material) when it creates one."""
    _require_officer(user)
    _check_account_password(user, password)
    now = now or timezone.now()
    with transaction.atomic():
        existing = OfficerKey.objects.select_for_update().filter(user=user).first()
        if existing is not None:
            try:
                sealing.officer_private_key(existing, password)
            except sealing.SealingError:
                raise sealing.SealingError(
                    _(
                        "Your opening key was locked with an earlier password. Type that password to re-encrypt "
                        "it, or replace the key (your shares of tenders already published are then lost)."
                    ),
                    code="key_locked",
                ) from None
            return existing
        key = OfficerKey.objects.create(
            user=user, created_at=now, **sealing.officer_key_material(user_id=user.pk, password=password)
        )
        record_event(
            action="officer_key.created",
            target=key,
            actor=user,
            data={"after": {"fingerprint": key.fingerprint, "kdf": key.kdf_params}},
            at=now,
        )
    return key


def officer_key_change_password(*, user, old_password, new_password, now=None):
    """Re-encrypt `user`'s opening key from `old_password` to `new_password` (same key pair: every share stays
    usable). Returns the key, or None when the user has no key.

    Called by the password-change page after the account's password was changed (so it checks neither password
    against the account: the form already checked the old one). Refuses (SealingError ``wrong_password``) when
    `old_password` does not unlock the key — the key is then left as it was. Records ``officer_key.rewrapped``."""
    now = now or timezone.now()
    with transaction.atomic():
        key = OfficerKey.objects.select_for_update().filter(user=user).first()
        if key is None:
            return None
        fields = sealing.officer_key_rewrap(key, old_password, new_password)
        for name, value in fields.items():
            setattr(key, name, value)
        key.rewrapped_at = now
        key.save(update_fields=[*fields, "rewrapped_at"])
        record_event(
            action="officer_key.rewrapped",
            target=key,
            actor=user,
            data={"fingerprint": key.fingerprint, "reason": "password_changed"},
            at=now,
        )
    return key


def officer_key_recover(*, user, previous_password, password, now=None):
    """Re-encrypt a locked key (the account's password was reset) from the officer's `previous_password` to
    their current `password`. Refuses a `password` that is not the account's current one and a
    `previous_password` that does not unlock the key. Records ``officer_key.rewrapped`` (reason "recovered")."""
    _require_officer(user)
    _check_account_password(user, password)
    now = now or timezone.now()
    with transaction.atomic():
        key = OfficerKey.objects.select_for_update().filter(user=user).first()
        if key is None:
            raise DomainError(_("You have no opening key yet."), code="no_key")
        try:
            fields = sealing.officer_key_rewrap(key, previous_password, password)
        except sealing.SealingError as exc:
            exc.field = "previous_password"
            raise
        for name, value in fields.items():
            setattr(key, name, value)
        key.rewrapped_at = now
        key.save(update_fields=[*fields, "rewrapped_at"])
        record_event(
            action="officer_key.rewrapped",
            target=key,
            actor=user,
            data={"fingerprint": key.fingerprint, "reason": "recovered"},
            at=now,
        )
    return key


def officer_key_replace(*, user, password, now=None):
    """Replace `user`'s opening key by a new one under their current `password` (after a lost password). The old
    key and its shares are deleted: tenders already published can then be opened only with another officer's
    share (`tenders_without_share` lists those left with none). Refuses a password that is not the account's.
    Records ``officer_key.replaced`` with the old and new fingerprints and the tenders whose share was lost."""
    _require_officer(user)
    _check_account_password(user, password)
    now = now or timezone.now()
    with transaction.atomic():
        old = OfficerKey.objects.select_for_update().filter(user=user).first()
        lost = []
        before = None
        if old is not None:
            before = old.fingerprint
            lost = list(TenderKeyShare.objects.filter(officer_key=old).values_list("tender_id", flat=True))
            old.delete()
        key = OfficerKey.objects.create(
            user=user, created_at=now, **sealing.officer_key_material(user_id=user.pk, password=password)
        )
        record_event(
            action="officer_key.replaced",
            target=key,
            actor=user,
            data={"before": {"fingerprint": before}, "after": {"fingerprint": key.fingerprint}, "lost_shares": lost},
            at=now,
        )
    return key
