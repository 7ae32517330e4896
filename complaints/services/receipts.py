"""Receipts of anonymous reports (DESIGN §6, issue point 6).

The reporter gets a 16-digit code once, at submission; only `AnonymousReceipt.lookup` (an HMAC of the
code's first half, keyed from SECRET_KEY, indexed) and `AnonymousReceipt.code_hash` (a slow salted hash of
the whole code, Django's first password hasher — Argon2 in production) are stored. See the model's
docstring for why the lookup covers only half of the code.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.utils.translation import gettext_lazy as _

from complaints.models import AnonymousReceipt
from core.errors import DomainError

RECEIPT_DIGITS = 16
LOOKUP_DIGITS = 8


def _lookup_key():
    # Derived, so the HMAC key is not SECRET_KEY itself and cannot be confused with its other uses.
    return hashlib.sha256(b"complaints.anonymous-receipt:" + settings.SECRET_KEY.encode()).digest()


def receipt_lookup_value(code):
    return hmac.new(_lookup_key(), code[:LOOKUP_DIGITS].encode(), hashlib.sha256).hexdigest()


def normalize_receipt_code(code):
    """Digits only: people type receipts with spaces or dashes (``1234 5678 9012 3456``)."""
    return "".join(ch for ch in str(code or "") if ch.isdigit())


def format_receipt_code(code):
    """``1234 5678 9012 3456`` for showing the code once."""
    code = normalize_receipt_code(code)
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def receipt_issue(*, ticket, now):
    """Create the receipt of an anonymous ticket and return its code (to be shown once, never stored)."""
    code = f"{secrets.randbelow(10**RECEIPT_DIGITS):0{RECEIPT_DIGITS}d}"
    AnonymousReceipt.objects.create(
        ticket=ticket, lookup=receipt_lookup_value(code), code_hash=make_password(code), created_at=now
    )
    return code


def _invalid():
    return DomainError(
        _("This receipt code does not match any report. Check the 16 digits and try again."),
        code="receipt_invalid",
        field="code",
        kind="not_found",
    )


def receipt_lookup(*, code):
    """The ticket of a receipt code, or `DomainError` (``receipt_invalid``) — the same error, after the same
    slow hash, for an unknown code and a wrong one, so the answer tells a guesser nothing. Rate limiting is
    the calling view's concern."""
    code = normalize_receipt_code(code)
    candidates = []
    if len(code) == RECEIPT_DIGITS:
        candidates = list(
            AnonymousReceipt.objects.filter(lookup=receipt_lookup_value(code)).select_related("ticket", "ticket__park")
        )
    if not candidates:
        make_password(code)  # the time a wrong code costs, so unknown and wrong codes look alike
        raise _invalid()
    for receipt in candidates:
        if check_password(code, receipt.code_hash):
            return receipt.ticket
    raise _invalid()


def receipt_matches(ticket, code):
    """Whether `code` is the receipt of `ticket` (False, never an error, for anything else)."""
    if not code or not ticket.is_anonymous:
        return False
    try:
        return receipt_lookup(code=code).pk == ticket.pk
    except DomainError:
        return False
