"""The cryptography of sealed bids (threat model and key handling: docs/sealed-bids.md).

Per tender, at publication (`tender_keys_create`):

- an RSA-3072 key pair (RSA-OAEP, SHA-256 for the hash and MGF1 — what WebCrypto's ``RSA-OAEP`` with
  ``hash: "SHA-256"`` does). The public key (SPKI PEM) is published on the tender; bidders encrypt to it.
- The private key (PKCS#8 DER) is encrypted with AES-256-GCM under ``K = HKDF-SHA256(s1 ‖ s2)`` where
  ``s1`` and ``s2`` are 32 random bytes each:
  - ``s1`` is wrapped (AES-256-GCM) under a key derived from ``settings.SEALING_KEY`` — the platform's share;
  - ``s2`` is wrapped (RSA-OAEP) to the public key of every discipline officer of the park who has set up an
    opening key (`OfficerKey`) — one `TenderKeyShare` each; any one of them can co-sign the opening.
  ``s1``, ``s2``, ``K`` and the private key never touch the database in clear.

Per discipline officer (`officer_key_ensure`): an RSA-3072 key pair whose private key is stored only
AES-256-GCM-encrypted under ``scrypt(password, salt)`` with the key's own random salt and stored parameters.
The server cannot use it without the officer typing their password.

A bid (`client_seal`, mirrored by static/procurement/js/seal.js) is a UTF-8 JSON plaintext
``{"price": "123456.00", "nonce": "<hex>", "note": "...", "documents": [{"name", "content_b64"}]}``:
``commitment = SHA-256 hex of the plaintext bytes``; the plaintext is encrypted with AES-256-GCM under a random
key and 12-byte IV; the key is wrapped with RSA-OAEP to the tender's public key. The server stores only the
ciphertext, the wrapped key (384 bytes), the IV and the commitment; the random nonce makes the commitment
useless for guessing a price.

Every bound value (the tender's private key, the platform share, an officer's private key) is encrypted with
associated data naming what it belongs to, so a blob copied from one row to another fails to decrypt.

This module holds the primitives; the services (`procurement.services.keys`, `.bids`, `.opening`) check
permissions, write the rows and record the audit events.
"""

import base64
import hashlib
import json
import os
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings
from django.utils.translation import gettext as _

from core.errors import DomainError

RSA_BITS = 3072
WRAPPED_KEY_BYTES = RSA_BITS // 8  # 384: an RSA-OAEP ciphertext is as long as the modulus
IV_BYTES = 12
AES_KEY_BYTES = 32
SHARE_BYTES = 32
GCM_TAG_BYTES = 16
# Largest plaintext of one bid (price, note and documents, base64 inside the JSON), checked in the browser and
# (on the ciphertext, which is as long plus the tag) by the server.
MAX_PLAINTEXT_BYTES = 20 * 1024 * 1024
MAX_CIPHERTEXT_BYTES = MAX_PLAINTEXT_BYTES + GCM_TAG_BYTES
# scrypt cost for officer keys (~0.1 s and 32 MiB at n=2**15). Stored with each key, so raising it later only
# applies to keys created or re-encrypted after the change.
SCRYPT_PARAMS = {"n": 2**15, "r": 8, "p": 1}
KEY_SCHEME = "rsa3072-oaep-sha256/aes256gcm/v1"


class SealingError(DomainError):
    """Something could not be decrypted or verified: a wrong password, a missing share, a changed blob."""


@dataclass(frozen=True)
class SealedBid:
    """What a bidder's client sends: raw bytes of the ciphertext, wrapped key and IV, and the commitment."""

    ciphertext: bytes
    wrapped_key: bytes
    iv: bytes
    commitment: str


# --- small primitives ------------------------------------------------------------------------------------------

OAEP = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


def generate_rsa_key():
    """A fresh RSA-3072 private key (e = 65537)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)


def public_pem(private_key):
    return (
        private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )


def load_public_key(pem):
    key = serialization.load_pem_public_key(pem.encode("ascii") if isinstance(pem, str) else pem)
    if not isinstance(key, rsa.RSAPublicKey) or key.key_size != RSA_BITS:
        raise SealingError(_("The sealing key is not an RSA-3072 public key."), code="bad_public_key")
    return key


def fingerprint(pem):
    """SHA-256 hex of the public key's DER (what the officer's page shows to compare keys)."""
    der = load_public_key(pem).public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()


def _pkcs8(private_key):
    return private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _gcm_seal(key, plaintext, aad):
    iv = os.urandom(IV_BYTES)
    return iv + AESGCM(key).encrypt(iv, plaintext, aad)


def _gcm_open(key, blob, aad):
    blob = bytes(blob or b"")
    if len(blob) < IV_BYTES + GCM_TAG_BYTES:
        raise InvalidTag
    return AESGCM(key).decrypt(blob[:IV_BYTES], blob[IV_BYTES:], aad)


def _hkdf(material, info):
    return HKDF(algorithm=hashes.SHA256(), length=AES_KEY_BYTES, salt=None, info=info).derive(material)


def _platform_key():
    """The AES key that wraps the platform's share, derived from settings.SEALING_KEY (never stored)."""
    secret = settings.SEALING_KEY
    if not secret:
        raise SealingError(_("The platform's sealing key is not configured."), code="no_sealing_key")
    return _hkdf(secret.encode("utf-8"), b"qinglian/sealing/platform-share/v1")


def _tender_aad(tender, what):
    if tender.pk is None:
        raise ValueError("the tender must be saved before its keys are created")
    return f"qinglian/tender/{tender.pk}/{what}".encode("ascii")


def _officer_aad(user_id):
    return f"qinglian/officer-key/{user_id}".encode("ascii")


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


# --- officer keys ----------------------------------------------------------------------------------------------


def _scrypt_key(password, salt, params):
    if not password:
        raise SealingError(_("Type your password to unlock your opening key."), code="password_required")
    kdf = Scrypt(salt=bytes(salt), length=AES_KEY_BYTES, n=params["n"], r=params["r"], p=params["p"])
    return kdf.derive(password.encode("utf-8"))


def officer_key_material(*, user_id, password, params=None):
    """Create an officer key pair: returns the fields of an `OfficerKey` row (public key, encrypted private key,
    salt, parameters, fingerprint). The private key leaves this function only encrypted."""
    params = dict(params or SCRYPT_PARAMS)
    private_key = generate_rsa_key()
    salt = os.urandom(16)
    pem = public_pem(private_key)
    return {
        "public_key_pem": pem,
        "encrypted_private_key": _gcm_seal(
            _scrypt_key(password, salt, params), _pkcs8(private_key), _officer_aad(user_id)
        ),
        "kdf_salt": salt,
        "kdf_params": {"kdf": "scrypt", **params, "scheme": KEY_SCHEME},
        "fingerprint": fingerprint(pem),
    }


def officer_private_key(officer_key, password):
    """Unlock an `OfficerKey` with the officer's password; SealingError (code ``wrong_password``) otherwise."""
    params = {k: officer_key.kdf_params[k] for k in ("n", "r", "p")}
    key = _scrypt_key(password, officer_key.kdf_salt, params)
    try:
        der = _gcm_open(key, officer_key.encrypted_private_key, _officer_aad(officer_key.user_id))
    except InvalidTag:
        raise SealingError(
            _("This password does not unlock the opening key."), code="wrong_password", field="password"
        ) from None
    return serialization.load_der_private_key(der, password=None)


def officer_key_rewrap(officer_key, old_password, new_password, params=None):
    """New (encrypted private key, salt, parameters) for the same key pair under `new_password`."""
    private_key = officer_private_key(officer_key, old_password)
    params = dict(params or SCRYPT_PARAMS)
    salt = os.urandom(16)
    blob = _gcm_seal(_scrypt_key(new_password, salt, params), _pkcs8(private_key), _officer_aad(officer_key.user_id))
    return {
        "encrypted_private_key": blob,
        "kdf_salt": salt,
        "kdf_params": {"kdf": "scrypt", **params, "scheme": KEY_SCHEME},
    }


# --- tender keys -----------------------------------------------------------------------------------------------


def tender_keys_create(*, tender):
    """Set up the sealing keys of `tender` (called by `tender_publish` inside its transaction; no actor, no audit
    event of its own — the publication's event names the key fingerprint).

    Fills `public_key_pem`, `sealed_private_key` and `platform_share` (saved with update_fields) and creates one
    `TenderKeyShare` per discipline officer of the park with an `OfficerKey`. Refuses (DomainError, code
    ``no_officer_key``) when no discipline officer of the park has set up an opening key, and (code
    ``keys_exist``) when the tender already has keys."""
    from procurement.models import OfficerKey, TenderKeyShare
    from procurement.selectors.access import park_discipline_officers

    if tender.public_key_pem or tender.sealed_private_key:
        raise DomainError(_("This tender already has its sealing keys."), code="keys_exist")
    officer_keys = list(
        OfficerKey.objects.filter(user__in=park_discipline_officers(tender.park)).select_related("user").order_by("pk")
    )
    if not officer_keys:
        raise DomainError(
            _(
                "No discipline officer of this park has set up an opening key, so the bids could never be opened. "
                "Ask a discipline officer to open “My opening key” and confirm their password, then publish again."
            ),
            code="no_officer_key",
        )
    private_key = generate_rsa_key()
    s1 = os.urandom(SHARE_BYTES)
    s2 = os.urandom(SHARE_BYTES)
    content_key = _hkdf(s1 + s2, _tender_aad(tender, "content-key"))
    tender.public_key_pem = public_pem(private_key)
    tender.sealed_private_key = _gcm_seal(content_key, _pkcs8(private_key), _tender_aad(tender, "private-key"))
    tender.platform_share = _gcm_seal(_platform_key(), s1, _tender_aad(tender, "platform-share"))
    tender.save(update_fields=["public_key_pem", "sealed_private_key", "platform_share", "updated_at"])
    TenderKeyShare.objects.bulk_create(
        [
            TenderKeyShare(
                tender=tender,
                officer_key=officer_key,
                wrapped_share=load_public_key(officer_key.public_key_pem).encrypt(s2, OAEP),
            )
            for officer_key in officer_keys
        ]
    )
    return tender


def tender_private_key(*, tender, officer_key, password):
    """Rebuild the tender's private key from both shares: the platform's (settings.SEALING_KEY) and the
    officer's (their `TenderKeyShare`, unlocked with their password). SealingError when a part is missing or
    does not decrypt. Callers are the opening service only."""
    from procurement.models import TenderKeyShare

    share = TenderKeyShare.objects.filter(tender=tender, officer_key=officer_key).first()
    if share is None:
        raise SealingError(
            _("This officer holds no share of this tender's key (their opening key was set up after publication)."),
            code="no_share",
        )
    officer_private = officer_private_key(officer_key, password)
    try:
        s2 = officer_private.decrypt(bytes(share.wrapped_share), OAEP)
    except ValueError:
        raise SealingError(_("The officer's key share does not decrypt."), code="bad_share") from None
    try:
        s1 = _gcm_open(_platform_key(), tender.platform_share, _tender_aad(tender, "platform-share"))
    except InvalidTag:
        raise SealingError(
            _(
                "The platform's key share does not decrypt: the sealing key of this server is not the one in use "
                "when the tender was published."
            ),
            code="bad_platform_share",
        ) from None
    content_key = _hkdf(s1 + s2, _tender_aad(tender, "content-key"))
    try:
        der = _gcm_open(content_key, tender.sealed_private_key, _tender_aad(tender, "private-key"))
    except InvalidTag:
        raise SealingError(_("The tender's sealed key does not decrypt."), code="bad_tender_key") from None
    return serialization.load_der_private_key(der, password=None)


# --- bids ------------------------------------------------------------------------------------------------------


def build_plaintext(payload):
    """The exact plaintext bytes of a bid (adds a random nonce when the payload has none)."""
    body = {
        "price": str(payload["price"]),
        "nonce": payload.get("nonce") or secrets.token_hex(16),
        "note": payload.get("note", ""),
        "documents": list(payload.get("documents", ())),
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def client_seal(public_key_pem, payload):
    """Seal a bid as the browser does (static/procurement/js/seal.js): for API clients, docs, tests and demo data.

    `payload` = {"price": "123456.00", "note": "...", "documents": [{"name": "a.pdf", "content_b64": "..."}]}
    (a "nonce" is added). Returns base64 strings ``ciphertext``, ``wrapped_key``, ``iv`` and the hex
    ``commitment`` — the fields of the bid API."""
    plaintext = build_plaintext(payload)
    if len(plaintext) > MAX_PLAINTEXT_BYTES:
        raise ValueError("bid larger than MAX_PLAINTEXT_BYTES")
    content_key = AESGCM.generate_key(bit_length=256)
    iv = os.urandom(IV_BYTES)
    ciphertext = AESGCM(content_key).encrypt(iv, plaintext, None)
    wrapped = load_public_key(public_key_pem).encrypt(content_key, OAEP)
    return {
        "ciphertext": base64.b64encode(ciphertext).decode("ascii"),
        "wrapped_key": base64.b64encode(wrapped).decode("ascii"),
        "iv": base64.b64encode(iv).decode("ascii"),
        "commitment": sha256_hex(plaintext),
    }


@dataclass
class Unsealed:
    """The result of opening one bid: `ok` False when the ciphertext does not decrypt or the plaintext does not
    match the commitment (then `problem` says which, and nothing else is filled)."""

    ok: bool
    problem: str = ""
    price: str = ""
    note: str = ""
    documents: list = None
    plaintext_sha256: str = ""


def unseal_bid(private_key, *, ciphertext, wrapped_key, iv, commitment):
    """Decrypt one bid with the tender's private key and check it against its commitment."""
    try:
        content_key = private_key.decrypt(bytes(wrapped_key), OAEP)
        if len(content_key) != AES_KEY_BYTES:
            raise ValueError("content key of the wrong length")
        plaintext = AESGCM(content_key).decrypt(bytes(iv), bytes(ciphertext), None)
    except (ValueError, InvalidTag):
        return Unsealed(ok=False, problem="ciphertext")
    digest = sha256_hex(plaintext)
    if digest != commitment:
        return Unsealed(ok=False, problem="commitment", plaintext_sha256=digest)
    try:
        body = json.loads(plaintext.decode("utf-8"))
        price = str(body["price"])
        documents = []
        for item in body.get("documents") or ():
            documents.append(
                {"name": str(item["name"]), "content": base64.b64decode(item["content_b64"], validate=True)}
            )
        note = str(body.get("note") or "")
    except (ValueError, KeyError, TypeError):
        return Unsealed(ok=True, problem="format", plaintext_sha256=digest)
    return Unsealed(ok=True, price=price, note=note, documents=documents, plaintext_sha256=digest)


def decode_b64(value, *, field, expected=None, maximum=None):
    """Strict base64 of a bid field → bytes; DomainError naming the field when malformed or of the wrong size."""
    if isinstance(value, (bytes, bytearray)):
        raw = bytes(value)
    else:
        try:
            raw = base64.b64decode((value or "").strip(), validate=True)
        except (ValueError, TypeError):
            raise DomainError(_("This field is not valid base64."), code="bad_base64", field=field) from None
    if expected is not None and len(raw) != expected:
        raise DomainError(_("This field must decode to %(n)d bytes.") % {"n": expected}, code="bad_length", field=field)
    if maximum is not None and len(raw) > maximum:
        raise DomainError(
            _("The sealed bid is larger than %(mb)d MB.") % {"mb": maximum // (1024 * 1024)},
            code="too_large",
            field=field,
        )
    if not raw:
        raise DomainError(_("This field is empty."), code="empty", field=field)
    return raw
